"""The service under a real gunicorn (tests/support/server.py): match, auth, reload, limits."""

from __future__ import annotations

import json
import re
import threading
import time
from pathlib import Path

import pytest

from support.problems import check_problem
from support.server import NO_RATE_LIMIT, raw_http, request_json, run_server
from support.waiting import wait_until

pytestmark = pytest.mark.server

ACCESS_LINE = re.compile(r'"(?P<req>[A-Z]+ \S+) HTTP/1\.[01]" (?P<status>\d{3}) \S+ '
                         r'(?P<ms>\d+)ms <(?P<pid>\d+)>')


def add_term(path: Path, term: dict) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    data["terms"].append(term)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")


def parse_raw(answer: bytes) -> tuple[int, dict, dict]:
    head, _, body = answer.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines[1:])
    return int(lines[0].split()[1]), headers, json.loads(body)


@pytest.fixture
def server(glossary_dir):
    with run_server(glossary_dir, workers=2) as srv:
        yield srv


def test_match_single_and_batch(server):
    status, body = server.post_json("/v1/match", {"text": "Fine-tuning an LLM with LoRA."})
    assert status == 200
    assert [m["term_id"] for m in body["matches"]] == ["fine-tuning", "llm", "lora"]
    status, body = server.post_json("/v1/match", {"texts": ["RAG", "token"], "offsets": "utf8"})
    assert status == 200 and [len(r["matches"]) for r in body["results"]] == [1, 1]


def test_access_log_has_latency_and_worker(server):
    for _ in range(6):
        server.get_json("/v1/glossaries")

    def logged():
        found = [m for m in map(ACCESS_LINE.search, server.log().splitlines()) if m]
        return found if sum(m["req"] == "GET /v1/glossaries" for m in found) >= 6 else None
    lines = wait_until(logged, timeout=10, what="six access-log lines")
    assert any(m["req"] == "GET /v1/glossaries" and m["status"] == "200" for m in lines)
    assert all(int(m["ms"]) >= 0 for m in lines)


def test_errors_over_the_wire(server):
    status, body = request_json(server.url + "/nope")
    check_problem(status, "application/problem+json", body, 404)
    answer = raw_http(server.port, b"POST /v1/match HTTP/1.1\r\nHost: localhost\r\nContent-Type: "
                                   b"application/json\r\nContent-Length: 5\r\nConnection: close"
                                   b"\r\n\r\n{bad}")
    status, headers, body = parse_raw(answer)
    check_problem(status, headers["Content-Type"], body, 400)


def test_413_for_a_big_body_and_for_chunked_bodies(glossary_dir):
    with run_server(glossary_dir, env={"TERMLIGHT_MAX_BODY": "100000"}, workers=1) as srv:
        status, body = srv.post_json("/v1/match", {"text": "x" * 200_000})
        check_problem(status, "application/problem+json", body, 413)
        payload = json.dumps({"text": "y" * 150_000}).encode()
        chunked = b"".join(b"%x\r\n%s\r\n" % (len(payload[i:i + 8192]), payload[i:i + 8192])
                           for i in range(0, len(payload), 8192)) + b"0\r\n\r\n"
        answer = raw_http(srv.port, b"POST /v1/match HTTP/1.1\r\nHost: localhost\r\nContent-Type: "
                                    b"application/json\r\nTransfer-Encoding: chunked\r\n"
                                    b"Connection: close\r\n\r\n" + chunked)
        status, headers, body = parse_raw(answer)
        check_problem(status, headers["Content-Type"], body, 413)


def test_content_length_that_lies(server):
    # Claims more than it sends, then stops sending: an answer, not a hang or a 500.
    started = time.monotonic()
    answer = raw_http(server.port, b"POST /v1/match HTTP/1.1\r\nHost: localhost\r\nContent-Type: "
                                   b"application/json\r\nContent-Length: 1000\r\nConnection: "
                                   b"close\r\n\r\n{\"text\": \"LLM\"}", shut_write=True)
    assert time.monotonic() - started < 5
    status, headers, body = parse_raw(answer)
    check_problem(status, headers["Content-Type"], body, 400)
    # Claims less than it sends: the server reads the declared bytes only.
    answer = raw_http(server.port, b"POST /v1/match HTTP/1.1\r\nHost: localhost\r\nContent-Type: "
                                   b"application/json\r\nContent-Length: 4\r\nConnection: "
                                   b"close\r\n\r\n{\"text\": \"LLM\"}")
    status, headers, body = parse_raw(answer)
    check_problem(status, headers["Content-Type"], body, 400)
    assert server.get_json("/healthz")[0] == 200


def test_auth_and_no_token_in_logs(glossary_dir):
    secret, other = "s3cret-token-value", "second-token-value"
    with run_server(glossary_dir, env={"TERMLIGHT_API_TOKEN": f"{secret}, {other}"}) as srv:
        status, body = srv.post_json("/v1/match", {"text": "LLM"})
        check_problem(status, "application/problem+json", body, 401, "Authorization")
        status, body = srv.post_json("/v1/match", {"text": "LLM"}, token="wrong-token-guess")
        check_problem(status, "application/problem+json", body, 401)
        for token in (secret, other):
            assert srv.post_json("/v1/match", {"text": "LLM"}, token=token)[0] == 200
            assert srv.get_json("/v1/terms?q=l", token=token)[0] == 200
        status, health = srv.get_json("/healthz")
        assert status == 200 and health["status"] == "ok"
        # A Basic header whose user part is the token must not reach the log either.
        request_json(srv.url + "/v1/glossaries",
                     headers={"Authorization": "Basic czNjcmV0LXRva2VuLXZhbHVlOng="})
        # The access log is written after each answer: wait for the last request's line.
        log = wait_until(lambda: "GET /v1/glossaries" in srv.log() and srv.log(), timeout=10,
                         what="the last access-log line")
    assert log.count("/v1/match") >= 4
    for needle in (secret, other, "wrong-token-guess", "czNjcmV0"):
        assert needle not in log


def every_health(srv, check, samples: int = 6):  # poll with interval >= 0.3: six requests
    """`samples` /healthz answers (spread over the workers) if every one passes `check`."""
    answers = [srv.get_json("/healthz")[1] for _ in range(samples)]
    return answers if all(map(check, answers)) else None


class Hammer:
    """Threads that keep POSTing /v1/match on fresh connections and record every outcome."""

    def __init__(self, url: str, text: str, threads: int = 4):
        self.url, self.text = url, text
        # (sent, answered, term ids) per successful request
        self.results: list[tuple[float, float, frozenset]] = []
        self.failures: list[str] = []
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._run, daemon=True) for _ in range(threads)]

    def _run(self):
        while not self._stop.is_set():
            sent = time.monotonic()
            try:
                status, body = request_json(self.url + "/v1/match", body={"text": self.text})
            except Exception as err:  # any transport failure counts as a failed request
                self.failures.append(repr(err))
                continue
            if status != 200:
                self.failures.append(f"{status} {body}")
                continue
            self.results.append((sent, time.monotonic(),
                                 frozenset(m["term_id"] for m in body["matches"])))

    def __enter__(self):
        for t in self._threads:
            t.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        for t in self._threads:
            t.join(10)


def test_hot_reload_reaches_every_worker_within_2s_without_failures(glossary_dir):
    path = glossary_dir / "ai.json"
    with run_server(glossary_dir, env=NO_RATE_LIMIT, workers=3) as srv:  # the hammer is load
        with Hammer(srv.url, "A quokka reads an LLM paper.") as hammer:
            wait_until(lambda: len(hammer.results) >= 20, what="answers before the edit")
            edited = time.monotonic()
            add_term(path, {"id": "quokka", "term": "Quokka", "definition": "A small marsupial."})
            wait_until(lambda: sum(r[0] >= edited + 2.0 for r in hammer.results) > 20, timeout=30,
                       what="answers to requests sent 2 s after the edit")
        assert not hammer.failures, hammer.failures[:5]
        before = [r for r in hammer.results if r[1] < edited]
        assert before and all(r[2] == {"llm"} for r in before)
        late = [r for r in hammer.results if r[0] >= edited + 2.0]
        assert len(late) > 20, len(late)
        stale = [round(r[0] - edited, 3) for r in late if r[2] != {"llm", "quokka"}]
        assert not stale, f"sent this long after the edit, answered without the new term: {stale[:10]}"
        first_seen = min(r[1] for r in hammer.results if "quokka" in r[2]) - edited
        assert first_seen < 2.0, first_seen
        # Every worker answered in the window after the edit (the access log names them).
        def answering_pids():
            return {m["pid"] for m in map(ACCESS_LINE.search, srv.log().splitlines())
                    if m and m["req"] == "POST /v1/match"}
        pids = wait_until(lambda: len(answering_pids()) == 3 and answering_pids(), timeout=10,
                          what="access-log lines from all three workers")
        assert len(pids) == 3, pids
        _, health = srv.get_json("/healthz")
        assert health["status"] == "ok" and health["terms"] == 7


def test_broken_edit_keeps_serving_then_recovers(glossary_dir):
    path = glossary_dir / "ai.json"
    good = path.read_text(encoding="utf-8")
    with run_server(glossary_dir, env=NO_RATE_LIMIT, workers=2) as srv:  # the hammer is load
        _, before = srv.get_json("/healthz")
        with Hammer(srv.url, "An LLM.", threads=2) as hammer:
            path.write_text(good[:200], encoding="utf-8")  # a truncated, invalid file
            statuses = wait_until(lambda: every_health(srv, lambda h: h["status"] == "degraded"),
                                  interval=0.3, what="every worker degraded")
            add_term(glossary_dir / "crypto.json",
                     {"id": "wallet", "term": "Wallet", "definition": "Holds keys."})
            time.sleep(1.0)
            path.write_text(good.replace("so that it can continue", "so it can continue"),
                            encoding="utf-8")
            wait_until(lambda: every_health(srv, lambda h: h["status"] == "ok" and h["terms"] == 7),
                       interval=0.3, what="every worker back to ok")
        assert not hammer.failures, hammer.failures[:5]
        assert all(r[2] == {"llm"} for r in hammer.results), {r[2] for r in hammer.results}
        for health in statuses:  # every worker reports the problem, none lost the glossary
            assert health["status"] == "degraded" and health["terms"] == before["terms"]
            assert health["errors"] and "ai.json" in health["errors"][0]
            assert "invalid JSON" in health["errors"][0]
        _, after = srv.get_json("/healthz")
        assert after["status"] == "ok" and after["errors"] == []
        assert after["terms"] == 7 and after["glossary_version"] != before["glossary_version"]
        assert "has 1 problem(s)" in srv.log() and "invalid JSON" in srv.log()


@pytest.mark.parametrize("fault", ["SIGKILL a worker", "SIGHUP the master"])
def test_new_workers_start_from_the_last_good_glossary(glossary_dir, fault):
    import os
    import signal

    path = glossary_dir / "ai.json"
    with run_server(glossary_dir, workers=2) as srv:
        add_term(path, {"id": "quokka", "term": "Quokka", "definition": "A small marsupial."})
        wait_until(lambda: srv.post_json("/v1/match", {"text": "quokka"})[1]["matches"], interval=0.1,
                   what="the edit")
        for _ in range(8):  # make sure every worker has reloaded (and saved) the good edit
            assert srv.post_json("/v1/match", {"text": "quokka"})[1]["matches"]
        path.write_text("{ not json", encoding="utf-8")
        wait_until(lambda: every_health(srv, lambda h: h["status"] == "degraded"), interval=0.3,
                   what="every worker degraded")
        old = set(srv.worker_pids())
        if fault == "SIGKILL a worker":
            os.kill(sorted(old)[0], signal.SIGKILL)
        else:
            srv.proc.send_signal(signal.SIGHUP)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            pids = set(srv.worker_pids())
            if len(pids) == 2 and pids - old and (fault == "SIGKILL a worker" or not pids & old):
                break
            time.sleep(0.1)
        else:
            pytest.fail(f"workers were not replaced: {old} -> {srv.worker_pids()}")
        for _ in range(20):
            status, body = srv.post_json("/v1/match", {"text": "A quokka and an LLM."})
            assert status == 200
            assert [m["term_id"] for m in body["matches"]] == ["quokka", "llm"]
        _, health = srv.get_json("/healthz")
        assert health["status"] == "degraded" and health["terms"] == 7


@pytest.mark.parametrize("request_bytes, status", [
    (b"GET /v1/terms?q=" + b"a" * 5000 + b" HTTP/1.1\r\nHost: localhost\r\n\r\n", 414),
    (b"GET /v1/terms HTTP/1.1\r\nHost: localhost\r\nIf-None-Match: " + b"a" * 9000 + b"\r\n\r\n", 431),
    (b"GET /v1/terms HTTP/1.1\r\nHost: localhost\r\nBad Header: y\r\n\r\n", 400),
    (b"\x16\x03\x01 nonsense\r\n\r\n", 400),
    (b"POST /v1/match HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
     b"Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n", 400),
], ids=["long-uri", "huge-header", "bad-header-name", "tls-to-http", "bad-chunk"])
def test_http_level_errors_are_problems_too(server, request_bytes, status):
    got, headers, body = parse_raw(raw_http(server.port, request_bytes))
    check_problem(got, headers["Content-Type"], body, status)
