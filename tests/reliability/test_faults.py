"""Issue 6, item 4: faults injected while load runs; every request's outcome is counted.

The load (recorder.py) sends each request once, on its own connection, with no retry, so a
failure can never hide. The faults:

- the glossary edited again and again (in place and by atomic rename) while serving;
- a worker SIGKILLed in the middle of a request;
- SIGHUP to the master (gunicorn's graceful reload of every worker);
- the glossary file truncated, overwritten with garbage or deleted, then fixed.

Every request must succeed, with one exception that no server can avoid: a request whose
connection is held by a process at the moment that process is SIGKILLed has nobody left to
answer it. The SIGKILL test is exact about it: it freezes the worker, lists the connections
it holds, kills it, and checks that the failed requests are exactly (a subset of) those and
that everything else, including every request sent after the kill, succeeded.
"""

from __future__ import annotations

import json
import os
import random
import signal
import socket
import time
from pathlib import Path

import pytest

from support.server import NO_RATE_LIMIT, run_server
from support.waiting import wait_until

from .conftest import scaled
from .procstats import wait_for_workers
from .recorder import MIX_WITH_SLOW, Recorder, versions_are_consistent
from .sockets import client_ports_held_by

pytestmark = pytest.mark.server

WORKERS = 2
BASE_TERMS = [
    {"id": "llm", "term": "Large Language Model", "aliases": ["LLM"], "definition": "A big model."},
    {"id": "token", "term": "Token", "definition": "A piece of text."},
    {"id": "rag", "term": "RAG", "definition": "Retrieval-augmented generation."},
]
QUOKKA = {"id": "quokka", "term": "Quokka", "definition": "A small marsupial."}


def glossary_bytes(with_quokka: bool) -> bytes:
    terms = BASE_TERMS + ([QUOKKA] if with_quokka else [])
    return json.dumps({"name": "faults", "terms": terms}, indent=1).encode("utf-8")


def write_in_place(path: Path, data: bytes) -> None:
    """What most editors and `cat > file` do: truncate, then write (readers may see a gap)."""
    with open(path, "wb") as f:
        f.write(data)


def write_atomically(path: Path, data: bytes) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def single_answers(outcomes, since: float = 0.0) -> set:
    return {o.found[0] for o in outcomes if o.kind == "single" and o.ok and o.sent >= since}


def single_answers_since(outcomes, since: float) -> list:
    return [o for o in outcomes if o.kind == "single" and o.ok and o.sent >= since]


def health_everywhere(srv, expected: str, since: float, samples: int = 12) -> list[dict]:
    """`samples` /healthz answers, spread over the workers, once the 2 s that a change may take
    to reach every worker (the service's contract) have passed since `since`; all must say
    `expected`."""
    time.sleep(max(0.0, since + 2.0 - time.monotonic()))
    answers = [srv.get_json("/healthz") for _ in range(samples)]
    assert all(status == 200 for status, _ in answers)
    wrong = [body for _, body in answers if body["status"] != expected]
    assert not wrong, f"/healthz not {expected!r} on every worker 2 s after the change: {wrong[:2]}"
    return [body for _, body in answers]


@pytest.fixture
def glossary(tmp_path) -> Path:
    path = tmp_path / "glossary.json"
    path.write_bytes(glossary_bytes(True))
    return path


@pytest.fixture
def server(glossary):
    with run_server(glossary, env=NO_RATE_LIMIT, workers=WORKERS) as srv:
        wait_for_workers(srv, WORKERS)
        yield srv


def test_hot_reload_edits_under_load(server, glossary):
    edits = scaled(6, 60)
    with Recorder(server.url) as load:
        wait_until(lambda: len(load.snapshot()) >= 10, what="load under way")
        for i in range(edits):
            writer = write_in_place if i % 2 else write_atomically
            writer(glossary, glossary_bytes(with_quokka=i % 2 == 1))
            time.sleep(0.7)
        last_edit = time.monotonic()  # the last edit (odd index) put the quokka back
        wait_until(lambda: len(single_answers_since(load.snapshot(), last_edit + 2.0)) >= 20, timeout=30,
                   what="answers to requests sent 2 s after the last edit")
    outcomes = load.snapshot()
    print(f"\n{edits} edits under load: {load.summary()}")
    assert not load.failures(), load.failures()[:5]
    seen = versions_are_consistent(outcomes)
    versions = {v for _, v in seen}
    assert len(versions) >= 2, "the edits were never picked up"
    assert single_answers(outcomes) == {("llm", "quokka"), ("llm",)}
    assert single_answers(outcomes, since=last_edit + 2.0) == {("llm", "quokka")}, "stale after 2 s"
    assert health_everywhere(server, "ok", since=last_edit)[-1]["terms"] == 4


def _send_slow_match(port: int) -> socket.socket:
    """A request that keeps a worker busy matching for a second or more (4 MB of prose)."""
    text = " ".join(["A Large Language Model reads every token; RAG adds a quokka."] * 64_000)
    body = json.dumps({"text": text}).encode()
    sock = socket.create_connection(("127.0.0.1", port), timeout=30)
    sock.sendall(b"POST /v1/match HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                 b"Connection: close\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body))
    return sock


def _owner(port: int, client_port: int, pids: list[int], timeout: float = 5.0) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for pid in pids:
            if client_port in client_ports_held_by(pid, port):
                return pid
        time.sleep(0.01)
    raise AssertionError("no worker accepted the slow request")


def _kill(server, pid: int) -> tuple[int, float, set[int]]:
    """Freeze, list the client connections the worker holds, SIGKILL it."""
    os.kill(pid, signal.SIGSTOP)  # frozen: it can accept nothing more
    held = client_ports_held_by(pid, server.port)
    killed_at = time.monotonic()
    os.kill(pid, signal.SIGKILL)
    return pid, killed_at, held


def test_sigkill_a_worker_mid_request(server):
    """Even rounds kill the worker busy with a known slow request; odd rounds kill a worker
    at a random moment of the load (which always has slow requests in flight)."""
    kills = scaled(2, 12)
    cut: list[tuple[int, float, set[int]]] = []  # (pid, kill time, client ports it held)
    with Recorder(server.url, threads=4, mix=MIX_WITH_SLOW) as load:
        wait_until(lambda: len(load.snapshot()) >= 10, what="load under way")
        for round_ in range(kills):
            pids = wait_for_workers(server, WORKERS)
            if round_ % 2:
                time.sleep(random.uniform(0.1, 0.6))
                cut.append(_kill(server, random.choice(pids)))
            else:
                slow = _send_slow_match(server.port)
                victim = _owner(server.port, slow.getsockname()[1], pids)
                time.sleep(0.2)  # it is reading and matching now
                cut.append(_kill(server, victim))
                answer = b""
                try:
                    while chunk := slow.recv(65536):
                        answer += chunk
                except ConnectionResetError:
                    pass
                slow.close()
                # The slow request was mid-way: it got no answer at all, not even a status line.
                assert answer == b"", answer[:200]
            wait_for_workers(server, WORKERS, exclude={cut[-1][0]})
            time.sleep(1.0)
    outcomes = load.snapshot()
    lost = []
    for o in load.failures():
        # Each failure must be a dropped connection held by a killed worker at its death.
        owner = [c for c in cut if o.port in c[2] and o.sent <= c[1] <= o.ended]
        assert owner and o.status is None, f"a request failed that no SIGKILL explains: {o}"
        lost.append(o)
    held = sum(len(c[2]) for c in cut)
    print(f"\n{kills} SIGKILL(s) under load: {load.summary()}; the killed workers held "
          f"{held} client connection(s) ({kills // 2 + kills % 2} of them the known slow "
          f"requests), and {len(lost)} load request(s) died with them "
          f"({sorted({o.kind for o in lost})}); every other request succeeded")
    assert len(outcomes) - len(lost) > 50
    assert all(o.ok for o in outcomes if o.sent > cut[-1][1]), "a request after the last kill failed"
    versions_are_consistent(outcomes)
    assert "SIGKILL" in server.log()


def test_sighup_graceful_reload_under_load(server):
    hups = scaled(2, 10)
    with Recorder(server.url, mix=MIX_WITH_SLOW) as load:
        wait_until(lambda: len(load.snapshot()) >= 10, what="load under way")
        for _ in range(hups):
            old = set(wait_for_workers(server, WORKERS))
            server.proc.send_signal(signal.SIGHUP)
            wait_for_workers(server, WORKERS, exclude=old)
            time.sleep(1.0)
    print(f"\n{hups} SIGHUP(s) under load: {load.summary()}")
    assert not load.failures(), load.failures()[:5]
    versions_are_consistent(load.snapshot())
    assert single_answers(load.snapshot()) == {("llm", "quokka")}
    slow = [o for o in load.snapshot() if o.kind == "slow"]
    assert slow and all(o.found == (("llm", "quokka", "token"),) for o in slow)


BREAKAGES = {
    "truncated to nothing": (lambda p: write_in_place(p, b""), "invalid JSON"),
    "truncated half-way": (lambda p: write_in_place(p, glossary_bytes(True)[:150]), "invalid JSON"),
    "garbage bytes": (lambda p: write_in_place(p, bytes(range(256)) * 8), "cannot read"),
    "deleted": (lambda p: p.unlink(), "no such file"),
}


@pytest.mark.parametrize("breakage", list(BREAKAGES))
def test_broken_glossary_keeps_serving_the_last_good_one(server, glossary, breakage):
    breaker, reason = BREAKAGES[breakage]
    cycles = scaled(1, 5)
    with Recorder(server.url) as load:
        wait_until(lambda: len(load.snapshot()) >= 10, what="load under way")
        for cycle in range(cycles):
            # The last good glossary has the quokka in even cycles; each fix flips that.
            good_before = ("llm", "quokka") if cycle % 2 == 0 else ("llm",)
            good_after = ("llm",) if cycle % 2 == 0 else ("llm", "quokka")
            broke_at = time.monotonic()
            breaker(glossary)
            for body in health_everywhere(server, "degraded", since=broke_at):
                assert body["terms"] == len(BASE_TERMS) + (cycle % 2 == 0) and body["errors"], body
                assert "glossary.json" in body["errors"][0] and reason in body["errors"][0], body
                assert str(glossary.parent) not in json.dumps(body), "/healthz shows a path"
            fixed_at = time.monotonic()
            write_atomically(glossary, glossary_bytes(with_quokka=cycle % 2 == 1))
            health = health_everywhere(server, "ok", since=fixed_at)[-1]
            assert health["errors"] == [] and health["terms"] == len(BASE_TERMS) + (cycle % 2)
            wait_until(lambda: len(single_answers_since(load.snapshot(), fixed_at + 2.0)) >= 5,
                       what="answers to requests sent 2 s after the fix")
            answers = load.snapshot()
            broken = {o.found[0] for o in answers if o.kind == "single" and o.ok
                      and broke_at <= o.sent and o.ended < fixed_at}
            assert broken == {good_before}, "while broken, only the last good glossary may answer"
            assert single_answers(answers, since=fixed_at + 2.0) == {good_after}, "stale after 2 s"
    print(f"\n{cycles} '{breakage}' cycle(s) under load: {load.summary()}")
    assert not load.failures(), load.failures()[:5]
    versions_are_consistent(load.snapshot())
    log = server.log()
    assert reason in log and "keeping the last good glossary" in log
