"""GlossaryState on real files: change detection, last-good on errors, recovery."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from termlight.service.reload import GlossaryState


def write(path: Path, terms: list[dict]) -> None:
    path.write_text(json.dumps({"name": "T", "terms": terms}), encoding="utf-8")


def term(word: str) -> dict:
    return {"term": word, "definition": f"About {word}."}


def test_edit_is_picked_up_after_the_interval(tmp_path):
    path = tmp_path / "g.json"
    write(path, [term("Alpha")])
    state = GlossaryState(path, interval=0.2)
    v1 = state.snapshot.glossary.version
    write(path, [term("Alpha"), term("Beta")])
    # Within the interval the check is skipped (cheap); after it, the change is seen.
    assert state.maybe_reload().glossary.version == v1
    time.sleep(0.25)
    snap = state.maybe_reload()
    assert snap.glossary.version != v1 and set(snap.glossary.terms) == {"alpha", "beta"}
    assert snap.status == "ok"


def test_same_size_same_tick_edit_is_caught_by_the_recheck(tmp_path):
    path = tmp_path / "g.json"
    write(path, [term("Alpha")])
    state = GlossaryState(path, interval=0)
    stat = path.stat()
    write(path, [term("Gamma")])  # same length as Alpha
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # and the same mtime
    assert path.stat().st_size == stat.st_size
    assert set(state.maybe_reload().glossary.terms) == {"gamma"}


def test_broken_edit_keeps_last_good_then_recovers(tmp_path):
    path = tmp_path / "g.json"
    write(path, [term("Alpha")])
    state = GlossaryState(path, interval=0)
    good = state.snapshot.glossary
    path.write_text('{"terms": [', encoding="utf-8")
    snap = state.maybe_reload()
    assert snap.glossary is good and snap.status == "degraded"
    assert snap.errors == ("g.json: line 1, column 12: invalid JSON: Expecting value",)
    path.unlink()
    assert state.maybe_reload().errors == ("g.json: no such file or directory",)
    write(path, [term("Alpha"), term("Delta")])
    snap = state.maybe_reload()
    assert snap.status == "ok" and snap.errors == () and "delta" in snap.glossary.terms


def test_validation_error_keeps_last_good(tmp_path):
    path = tmp_path / "g.json"
    write(path, [term("Alpha")])
    state = GlossaryState(path, interval=0)
    write(path, [{"term": "Alpha", "alias": ["A"], "definition": "x"}])
    snap = state.maybe_reload()
    assert "alpha" in snap.glossary.terms and snap.status == "degraded"
    assert "unknown key 'alias'" in snap.errors[0]


def test_directory_gains_and_loses_files(tmp_path):
    write(tmp_path / "one.json", [term("Alpha")])
    state = GlossaryState(tmp_path, interval=0)
    write(tmp_path / "two.json", [term("Beta")])
    assert {g.id for g in state.maybe_reload().glossary.glossaries} == {"one", "two"}
    (tmp_path / "two.json").unlink()
    assert {g.id for g in state.maybe_reload().glossary.glossaries} == {"one"}


def test_unexpected_loader_failure_is_contained(tmp_path):
    path = tmp_path / "g.json"
    write(path, [term("Alpha")])
    calls = []

    def flaky(p):
        from termlight import Glossary
        calls.append(p)
        if len(calls) > 1:
            raise MemoryError("simulated")
        return Glossary.load(p)

    state = GlossaryState(path, interval=0, loader=flaky)
    write(path, [term("Beta")])
    snap = state.maybe_reload()
    assert "alpha" in snap.glossary.terms
    assert snap.errors == ("could not load glossary: MemoryError",)


def test_workers_share_the_last_good_glossary(tmp_path):
    from termlight.service.reload import LastGood

    path = tmp_path / "g.json"
    shared = tmp_path / "state"
    shared.mkdir()
    write(path, [term("Alpha")])
    stale = GlossaryState(path, interval=0, last_good=LastGood(shared))  # "forked early"
    fresh = GlossaryState(path, interval=0, last_good=LastGood(shared))
    time.sleep(0.01)
    write(path, [term("Alpha"), term("Beta")])
    assert "beta" in fresh.maybe_reload().glossary.terms  # saves the new good copy
    path.write_text("garbage", encoding="utf-8")
    snap = stale.maybe_reload()  # never saw Beta itself, but adopts the kept copy
    assert set(snap.glossary.terms) == {"alpha", "beta"} and snap.status == "degraded"
    # A kept copy older than what a worker already serves is not adopted.
    assert set(fresh.maybe_reload().glossary.terms) == {"alpha", "beta"}


def test_worker_starting_on_a_broken_file_uses_the_kept_copy(tmp_path):
    from termlight.service.reload import LastGood

    path = tmp_path / "g.json"
    write(path, [term("Alpha")])
    GlossaryState(path, interval=0, last_good=LastGood(tmp_path))
    path.write_text("[", encoding="utf-8")
    late = GlossaryState(path, interval=0, last_good=LastGood(tmp_path))
    assert set(late.snapshot.glossary.terms) == {"alpha"}
    assert late.snapshot.status == "degraded"
    assert set(GlossaryState(path, interval=0).snapshot.glossary.terms) == set()
