"""The test run is hermetic and its tiers hold: state goes to a private directory, a test that
starts a server must say so, and every property test can be reproduced from its output."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given, settings as hsettings, strategies as st

from support import server
from termlight import Glossary, settings

GLOSSARY = '[{"id": "lora", "term": "LoRA", "definition": "Low-rank adaptation."}]'


def test_state_paths_point_into_the_runs_private_directory(tmp_path):
    # tests/conftest.py made one directory for the run (not imported here: every suite has a
    # module named "conftest"); under pytest-xdist each worker has a folder in it.
    state = Path(os.environ["TERMLIGHT_TEST_RUN"])
    assert state.name.startswith("termlight-tests-") and not state.is_relative_to(Path.home())
    assert Path(os.environ["TERMLIGHT_CACHE_DIR"]).parent in (state, state / os.environ.get("PYTEST_XDIST_WORKER", ""))
    cache = Path(settings.value("cache_dir"))
    assert cache.is_relative_to(state)
    assert Path(os.environ["XDG_CACHE_HOME"]).is_relative_to(state)
    assert tmp_path.is_relative_to(state)  # TMPDIR: state dirs, profiles, logs
    source = tmp_path / "g.json"
    source.write_text(GLOSSARY, encoding="utf-8")
    Glossary.load(source, cache=True)
    assert list(cache.glob("*.pickle"))  # written there, so not into ~/.cache/termlight


def test_servers_get_the_private_cache_but_not_the_developers_settings(monkeypatch):
    monkeypatch.setenv("TERMLIGHT_API_TOKEN", "from-the-shell")
    monkeypatch.setenv("WEB_CONCURRENCY", "9")
    env = server.server_environment()
    assert env["TERMLIGHT_CACHE_DIR"] == os.environ["TERMLIGHT_CACHE_DIR"]
    assert "TERMLIGHT_API_TOKEN" not in env and "WEB_CONCURRENCY" not in env


def test_in_the_fast_tier_a_test_without_the_server_marker_cannot_start_one(request, monkeypatch):
    if "not server" in (request.config.getoption("markexpr") or ""):  # the fast tier: this
        # very test is unmarked, so the guard is already on
        assert server.ALLOWED is False
    monkeypatch.setattr(server, "ALLOWED", False)
    with pytest.raises(RuntimeError, match="mark it @pytest.mark.server"):
        with server.run_server(None):
            pass


def _blob_missing(items) -> list[str]:
    missing = []
    for item in items:
        fn = getattr(item, "obj", None)
        if getattr(fn, "is_hypothesis_test", False):
            if not fn._hypothesis_internal_use_settings.print_blob:
                missing.append(item.nodeid)
    return missing


def test_every_property_test_prints_its_reproduction_blob(request):
    assert _blob_missing(request.session.items) == []


def test_the_blob_check_can_fail():
    @hsettings(print_blob=False)
    @given(st.integers())
    def prop(n):
        pass

    class Item:
        obj, nodeid = prop, "prop"

    assert _blob_missing([Item()]) == ["prop"]
