"""Shared pytest setup for every suite.

* `tests/support` is importable as `support` (pytest already puts this directory on sys.path
  because this conftest lives here; the explicit insert keeps that true under other modes).
* Hermetic: the run gets one private temporary directory, and every state path points into
  it before any test module is imported: TERMLIGHT_CACHE_DIR (compiled glossaries),
  XDG_CACHE_HOME, and TMPDIR (gunicorn's state directories, Chromium profiles, server logs,
  pytest's tmp_path). Nothing is written to ~/.cache. The directory is removed after a run
  that passed and kept (its path printed) after one that failed. Each pytest-xdist worker
  gets a folder of its own in it.
* Tiers (markers, declared in pyproject.toml): `browser` (real Chromium; set automatically
  for every test that uses the Playwright fixture), `server` (starts gunicorn or another
  long-running program; set automatically for a test that calls run_server or uses a
  fixture that does), `external` (runs an outside tool: npm's web-ext, pip). `make
  test-fast` runs the rest. In a run that deselects `server` (the fast tier), a test that
  starts a server without the marker fails at once, so the tier cannot grow a server by
  accident; the full run lets it through.
* Every hypothesis test prints a reproduction blob when it fails (profile "termlight").
"""

import functools
import inspect
import os
import shutil
import sys
import tempfile
from pathlib import Path

_TESTS = str(Path(__file__).resolve().parent)
if _TESTS not in sys.path:
    sys.path.insert(0, _TESTS)

# Under pytest-xdist (`make test-fast` runs with -n auto) every worker process imports this
# file too: the controller's run directory is passed on, and each worker keeps its state (its
# own team database and caches) in a folder of it, so workers never share a database.
_WORKER = os.environ.get("PYTEST_XDIST_WORKER")
if _WORKER and os.environ.get("TERMLIGHT_TEST_RUN"):
    RUN = Path(os.environ["TERMLIGHT_TEST_RUN"])
    STATE = RUN / _WORKER
    STATE.mkdir()
else:
    RUN = STATE = Path(tempfile.mkdtemp(prefix="termlight-tests-"))
    os.environ["TERMLIGHT_TEST_RUN"] = str(RUN)
for _name, _sub in (("TERMLIGHT_CACHE_DIR", "cache"), ("XDG_CACHE_HOME", "xdg-cache"),
                    ("TMPDIR", "tmp")):
    (STATE / _sub).mkdir()
    os.environ[_name] = str(STATE / _sub)
tempfile.tempdir = None  # re-read TMPDIR
# Apps built in-process keep their team glossary here, never in the developer's default file.
os.environ["TERMLIGHT_DATABASE_URL"] = f"sqlite:///{STATE / 'team.sqlite3'}"

import hypothesis  # noqa: E402
import pytest  # noqa: E402

import support.server  # noqa: E402

pytest_plugins = ["support.browser_fixtures"]  # playwright_instance, plain_chromium, ...

hypothesis.settings.register_profile("termlight", print_blob=True)
hypothesis.settings.load_profile("termlight")

BROWSER_FIXTURE = "playwright_instance"


@functools.lru_cache(maxsize=None)
def _starts_a_server(func) -> bool:
    try:
        return "run_server(" in inspect.getsource(func)
    except (OSError, TypeError):
        return False


def pytest_collection_modifyitems(items):
    for item in items:
        if BROWSER_FIXTURE in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)
        # A test that calls run_server, or uses a fixture that does, is a server test even
        # when nobody marked it.
        info = getattr(item, "_fixtureinfo", None)
        funcs = [getattr(item, "function", None)]
        if info is not None:
            funcs += [d.func for defs in info.name2fixturedefs.values() for d in defs]
        if not item.get_closest_marker("server") and any(_starts_a_server(f) for f in funcs if f):
            item.add_marker(pytest.mark.server)


GUARD = False  # set when the run deselects server tests


def pytest_configure(config):
    global GUARD
    GUARD = "not server" in (config.getoption("markexpr", "") or "")


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    # Before any fixture of this test is set up (a session fixture may start the server).
    if GUARD:
        support.server.ALLOWED = any(item.get_closest_marker(m) for m in ("server", "browser"))


def pytest_sessionfinish(session, exitstatus):
    support.server.ALLOWED = True
    if _WORKER:
        return  # the controller keeps or removes the whole run directory
    if exitstatus == 0:
        shutil.rmtree(RUN, ignore_errors=True)
    else:
        print(f"\ntest state kept in {RUN}")
