"""Issue 10, item 5: a pickle planted in the cache or state directory never runs.

A pickle runs code when it is loaded. The attack: someone who can write to
TERMLIGHT_CACHE_DIR (world-writable) or TERMLIGHT_STATE_DIR swaps in a pickle whose loading
creates a file. The service must not load it: a directory that others can write is not used
at all, and in a private directory a file is unpickled only if its HMAC verifies. Either is
logged in one line, and the glossary is compiled from its source. Over a real gunicorn.
"""

from __future__ import annotations

import os
import pickle
import shutil
from pathlib import Path

import pytest

from support.server import run_server

pytestmark = pytest.mark.server

BASIC = Path(__file__).resolve().parent.parent / "service" / "data" / "basic"


class Plant:
    """Unpickling this creates `path` (a stand-in for any code an attacker wants run)."""

    def __init__(self, path: Path):
        self.path = str(path)

    def __reduce__(self):
        return (open, (self.path, "w"))


def planted(marker: Path, header: bytes = b"") -> bytes:
    return header + pickle.dumps(Plant(marker))


@pytest.fixture
def glossary(tmp_path):
    target = tmp_path / "glossary"
    shutil.copytree(BASIC, target)
    return target


def serve_and_check(glossary, env, marker, expect_terms=6):
    with run_server(glossary, env=env, workers=1) as srv:
        _, health = srv.get_json("/healthz")
        log = srv.log()
    assert not marker.exists(), "the planted pickle ran"
    assert health["terms"] == expect_terms, health
    assert "Traceback" not in log, log[-2000:]
    return log


@pytest.mark.parametrize("mode", [0o777, 0o700], ids=["world-writable dir", "private dir"])
def test_a_planted_cache_entry_never_runs(tmp_path, glossary, mode):
    cache = tmp_path / "cache"
    cache.mkdir(mode=0o700)
    env = {"TERMLIGHT_CACHE_DIR": str(cache)}
    with run_server(glossary, env=env, workers=1):  # the service writes its own entry
        pass
    [entry] = [p for p in cache.iterdir() if p.suffix == ".pickle"]
    header = entry.read_bytes().split(b"\n", 1)[0] + b"\n"  # the magic line is no secret
    marker = tmp_path / "pwned-by-cache"
    entry.write_bytes(planted(marker, header))
    os.chmod(cache, mode)
    log = serve_and_check(glossary, env, marker)
    refusals = [l for l in log.splitlines() if "cache" in l and ("ignoring" in l or "not using" in l)]
    assert refusals, log[-2000:]
    print("\n" + refusals[0])


@pytest.mark.parametrize("mode", [0o777, 0o700], ids=["world-writable dir", "private dir"])
def test_a_planted_last_good_glossary_never_runs(tmp_path, mode):
    # The glossary is broken at start, so the workers look for the last good copy.
    broken = tmp_path / "broken.json"
    broken.write_text('{"terms": [')
    state = tmp_path / "state"
    state.mkdir(mode=0o700)
    marker = tmp_path / "pwned-by-state"
    (state / "last-good.pickle").write_bytes(planted(marker))
    os.chmod(state, mode)
    log = serve_and_check(broken, {"TERMLIGHT_STATE_DIR": str(state)}, marker, expect_terms=0)
    refusals = [l for l in log.splitlines() if "ignoring the last good glossary" in l]
    assert refusals, log[-2000:]
    print("\n" + refusals[0])


def test_the_service_still_uses_its_own_files(tmp_path, glossary):
    """Positive control: entries the service wrote itself are loaded (no rebuild logged)."""
    cache = tmp_path / "cache"
    env = {"TERMLIGHT_CACHE_DIR": str(cache)}
    with run_server(glossary, env=env, workers=1):
        pass
    assert oct(cache.stat().st_mode & 0o777) == oct(0o700)
    assert oct((cache / ".hmac-key").stat().st_mode & 0o777) == oct(0o600)
    with run_server(glossary, env=env, workers=1) as srv:
        assert srv.get_json("/healthz")[1]["terms"] == 6
        log = srv.log()
    assert "ignoring" not in log and "not using" not in log, log[-2000:]
