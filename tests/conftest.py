"""Shared pytest setup: make `tests/support` importable as `support` from every suite.

pytest already puts this directory on sys.path because this conftest lives here
(rootdir-style "prepend" import mode); the explicit insert keeps that true under
other import modes too.
"""

import sys
from pathlib import Path

_TESTS = str(Path(__file__).resolve().parent)
if _TESTS not in sys.path:
    sys.path.insert(0, _TESTS)


import pytest


@pytest.fixture(autouse=True, scope="session")
def _private_team_database(tmp_path_factory):
    """Apps built in-process use a team database of this run, never the developer's default."""
    import os

    path = tmp_path_factory.mktemp("team-db") / "team.sqlite3"
    saved = os.environ.get("TERMLIGHT_DATABASE_URL")
    os.environ["TERMLIGHT_DATABASE_URL"] = f"sqlite:///{path}"
    yield
    if saved is None:
        os.environ.pop("TERMLIGHT_DATABASE_URL", None)
    else:
        os.environ["TERMLIGHT_DATABASE_URL"] = saved


@pytest.fixture(scope="session")
def playwright_instance():
    """One Playwright driver for the whole run: its sync API cannot start twice in a process,
    so the home page tests and the extension tests share it."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p
