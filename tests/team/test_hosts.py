"""Real gunicorn servers on one database: PostgreSQL for several hosts, SQLite for one.

- two hosts (two gunicorn instances, two workers each) on one PostgreSQL: an edit through
  one is served by every worker of the other within 2 s;
- two editors who read the same version: exactly one wins, the other gets 412;
- SIGKILL of the whole server while writes are under way loses no acknowledged write.
"""

from __future__ import annotations

import os
import signal
import threading
import time

import pytest
import requests

from support.postgres import run_postgres
from support.server import NO_RATE_LIMIT, run_server
from termlight.store import open_database, team, tokens

from .conftest import BASIC

PROPAGATION_LIMIT = 2.0

pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def pg():
    with run_postgres() as server:
        yield server


@pytest.fixture(params=["postgres", "sqlite"])
def db_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'team.sqlite3'}"
    return request.getfixturevalue("pg").new_database()


def editor(url: str, name: str = "ed") -> str:
    return tokens.add(open_database(url), name, "editor")


def put(base: str, token: str, term_id: str, body: dict, timeout: float = 30,
        **headers) -> requests.Response:
    return requests.put(f"{base}/v1/terms/{term_id}", json=body, timeout=timeout,
                        headers={"Authorization": f"Bearer {token}", **headers})


def matched(base: str, token: str, text: str) -> list[str]:
    resp = requests.post(f"{base}/v1/match", json={"text": text}, timeout=30,
                         headers={"Authorization": f"Bearer {token}", "Connection": "close"})
    assert resp.status_code == 200, (resp.status_code, resp.text)
    return [m["term_id"] for m in resp.json()["matches"]]


def seen_everywhere(base: str, token: str, text: str, want: list[str], limit: float,
                    streak: int = 8) -> float:
    """Seconds until `streak` answers in a row (new connections, so every worker) show `want`."""
    start = time.monotonic()
    run = 0
    while time.monotonic() - start < limit + 5:
        if matched(base, token, text) == want:
            run += 1
            if run == 1:
                first = time.monotonic() - start
            if run >= streak:
                return first
        else:
            run = 0
    raise AssertionError(f"{want} not served steadily by {base} within {limit + 5} s")


def test_an_edit_on_one_host_is_served_by_the_other_within_2s(pg, capsys):
    url = pg.new_database()
    token = editor(url)
    # The polling below is one client making load on purpose: no rate limit.
    env = {"TERMLIGHT_DATABASE_URL": url, "TERMLIGHT_API_TOKEN": "unused-shared", **NO_RATE_LIMIT}
    with run_server(BASIC, env, workers=2) as a, run_server(BASIC, env, workers=2) as b:
        times = []
        for i, word in enumerate(["Quorum", "Sharding", "Backpressure", "Idempotency", "Tombstone"]):
            text = f"About {word.lower()} in practice."
            assert matched(b.url, token, text) == []
            resp = put(a.url, token, word.lower(), {"term": word, "definition": f"{word}, defined."})
            assert resp.status_code == 201, resp.text
            times.append(seen_everywhere(b.url, token, text, [word.lower()], PROPAGATION_LIMIT))
        etag = requests.get(f"{a.url}/v1/terms/quorum", headers={"Authorization": f"Bearer {token}"},
                            timeout=30).headers["ETag"]
        gone = requests.delete(f"{b.url}/v1/terms/quorum", timeout=30,
                               headers={"Authorization": f"Bearer {token}", "If-Match": etag})
        assert gone.status_code == 204
        times.append(seen_everywhere(a.url, token, "About quorum in practice.", [], PROPAGATION_LIMIT))
    with capsys.disabled():
        print(f"\n[two hosts, one PostgreSQL] edit on one host -> served by the other after "
              f"{', '.join(f'{t:.2f}' for t in times)} s (max {max(times):.2f} s)")
    assert max(times) < PROPAGATION_LIMIT


def test_concurrent_edits_exactly_one_412(pg):
    url = pg.new_database()
    token = editor(url)
    env = {"TERMLIGHT_DATABASE_URL": url, **NO_RATE_LIMIT}
    with run_server(BASIC, env, workers=2) as a, run_server(BASIC, env, workers=2) as b:
        etag = put(a.url, token, "race", {"term": "Race", "definition": "v0"}).headers["ETag"]
        for round_ in range(1, 6):
            barrier = threading.Barrier(2)
            results: dict[str, requests.Response] = {}

            def edit(base: str, who: str) -> None:
                barrier.wait()
                results[who] = put(base, token, "race", {"term": "Race", "definition": f"{who} {round_}"},
                                   **{"If-Match": etag})

            threads = [threading.Thread(target=edit, args=(a.url, "alice")),
                       threading.Thread(target=edit, args=(b.url, "bob"))]
            for t in threads:
                t.start()
            for t in threads:
                t.join(60)
            statuses = sorted(r.status_code for r in results.values())
            assert statuses == [200, 412], {k: (r.status_code, r.text) for k, r in results.items()}
            winner = next(r for r in results.values() if r.status_code == 200)
            etag = winner.headers["ETag"]
        changes = team.history(open_database(url), "race")
        assert len(changes) == 6  # the create and one winner per round, nothing else


def test_sigkill_mid_write_loses_nothing_committed(db_url):
    token = editor(db_url)
    acked: list[str] = []
    lock = threading.Lock()
    with run_server(BASIC, {"TERMLIGHT_DATABASE_URL": db_url, **NO_RATE_LIMIT}, workers=2) as srv:
        def writer(k: int) -> None:
            for i in range(10_000):
                try:
                    # Short timeout: after the kill, the test still holds the listening socket,
                    # so a new connection waits in its backlog instead of being refused.
                    resp = put(srv.url, token, f"w{k}-{i}", {"term": f"Word{k}x{i}", "definition": "d"},
                               timeout=5)
                except requests.RequestException:
                    return  # the server is gone
                if resp.status_code != 201:
                    return
                with lock:
                    acked.append(f"w{k}-{i}")

        threads = [threading.Thread(target=writer, args=(k,)) for k in range(4)]
        for t in threads:
            t.start()
        deadline = time.monotonic() + 60
        while len(acked) < 40 and time.monotonic() < deadline:
            time.sleep(0.01)
        os.killpg(srv.proc.pid, signal.SIGKILL)  # master and workers, mid-stream
        for t in threads:
            t.join(60)
    assert len(acked) >= 40
    db = open_database(db_url)
    stored = {t["id"] for t in team.team_terms(db)}
    assert set(acked) <= stored, sorted(set(acked) - stored)[:5]
    for term_id in stored:  # every stored term came with its history row: no half-write
        assert [c["action"] for c in team.history(db, term_id)] == ["create"]
    assert team.revisions(db)[0] == len(stored)
    with run_server(BASIC, {"TERMLIGHT_DATABASE_URL": db_url}, workers=1) as again:
        assert matched(again.url, token, f"a {acked[-1].replace('w', 'Word').replace('-', 'x')}") \
            == [acked[-1]]
