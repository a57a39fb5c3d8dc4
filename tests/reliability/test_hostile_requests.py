"""Issue 6, item 5: a hostile glossary (100,000 forms sharing a long prefix), term ids and
paths with `../`, and Content-Lengths that lie, each with a clear 4xx or a correct answer in
bounded time and memory. How time and peak memory are measured: see hostile.py.
"""

from __future__ import annotations

import json
import socket
import time

import pytest

from support.problems import check_problem
from support.server import run_server
from termlight import Glossary, GlossaryError

from .hostile import (
    BODY_TIMEOUT, MIB, Answer, check_bounded, http_call, measure, post_json, raw_call, record)
from .procstats import rss_kib, wait_for_workers

pytestmark = pytest.mark.server


# --- a hostile glossary -----------------------------------------------------------------

PREFIX = " ".join(["transformer"] * 20)  # 239 characters shared by every form


def suffix(i: int) -> str:
    """a, b, ..., z, aa, ab, ...: 100,000 distinct letter-only words."""
    out, i = "", i + 1
    while i:
        i, r = divmod(i - 1, 26)
        out = chr(97 + r) + out
    return out


def test_glossary_of_100000_forms_sharing_a_long_prefix(tmp_path):
    terms = [{"id": f"t{i}", "term": f"{PREFIX} {suffix(i)}", "definition": f"Form {i}."}
             for i in range(100_000)]
    path = tmp_path / "prefixes.json"
    path.write_text(json.dumps({"name": "prefixes", "terms": terms}), encoding="utf-8")
    started = time.monotonic()
    with run_server(path, workers=1, startup_timeout=120) as server:
        load_s = time.monotonic() - started
        pid = wait_for_workers(server, 1)[0]
        rss_mib = rss_kib(pid) / 1024
        record(f"load 100,000 forms ({path.stat().st_size / MIB:.0f} MiB file) "
               f"[worker RSS {rss_mib:.0f} MiB]", Answer(200, {}, None, load_s, 0))
        assert load_s < 60 and rss_mib < 1500
        _, health = server.get_json("/healthz")
        assert health["terms"] == 100_000 and health["status"] == "ok"

        # Prefixes that never complete, then two that do: the automaton must not go quadratic.
        text = (PREFIX + " ") * 15_000 + PREFIX + " zzz and " + PREFIX + " abc " + PREFIX
        answer = measure(server, pid, post_json(server, {"text": text}))
        check_bounded(server, pid, "3.6 MB of the shared prefix", answer)
        assert answer.status == 200
        found = [(m["term_id"], m["text"][-4:]) for m in answer.body["matches"]]
        assert found == [(f"t{18277}", " zzz"), (f"t{730}", " abc")], found
        assert suffix(18277) == "zzz" and suffix(730) == "abc"

        answer = measure(server, pid, http_call(server, "GET", "/v1/terms?q=transformer"))
        check_bounded(server, pid, "search matching all 100,000 terms", answer)
        assert answer.status == 200 and answer.body["count"] == 100_000

        answer = measure(server, pid, http_call(server, "GET", "/v1/terms/t99999"))
        check_bounded(server, pid, "GET one of 100,000 terms", answer)
        assert answer.body["term"] == f"{PREFIX} {suffix(99_999)}"


# --- paths ----------------------------------------------------------------------------

TRAVERSALS = [
    ("GET", "/v1/terms/..%2F..%2F..%2Fetc%2Fpasswd", 404),
    ("GET", "/v1/terms/../../etc/passwd", 404),
    ("GET", "/v1/terms/%2e%2e%2f%2e%2e%2fapp.py", 404),
    ("GET", "/v1/terms/..", 404),
    ("GET", "/assets/../app.py", 404),
    ("GET", "/assets/..%2Fapp.py", 404),
    ("GET", "/assets/%2e%2e/%2e%2e/service/auth.py", 404),
    ("GET", "/assets/....//....//app.py", 404),
    ("GET", "/v1/terms?glossary=../ai", 422),
    ("GET", "/v1/terms?glossary=..%2F..%2Fai", 422),
]


@pytest.mark.parametrize("method, target, status", TRAVERSALS, ids=[t[1] for t in TRAVERSALS])
def test_term_ids_and_paths_with_dot_dot(srv, pid, method, target, status):
    answer = measure(srv, pid, http_call(srv, method, target))
    check_bounded(srv, pid, f"{method} {target}", answer)
    check_problem(answer.status, answer.headers["content-type"], answer.body, status)
    assert b"import" not in json.dumps(answer.body).encode()  # no source file leaked


def test_dot_dot_in_match_glossaries_and_in_a_glossary_file(srv, pid, tmp_path):
    answer = measure(srv, pid, post_json(srv, {"text": "LLM", "glossaries": ["../ai"]}))
    check_bounded(srv, pid, "glossaries: ['../ai']", answer)
    check_problem(answer.status, answer.headers["content-type"], answer.body, 422, "glossaries[0]")
    # A glossary cannot even define such an id: the loader rejects it, naming the term.
    with pytest.raises(GlossaryError) as err:
        Glossary.from_terms([{"id": "../../etc/passwd", "term": "Evil", "definition": "d"}])
    assert "../../etc/passwd" in str(err.value.problems[0])


# --- a Content-Length that lies ---------------------------------------------------------

HEAD = b"POST /v1/match HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
LIES = [
    ("announces 1000, sends 15, waits", HEAD + b"Content-Length: 1000\r\n\r\n{\"text\": \"LLM\"}",
     False, 408),
    ("announces 1000, sends 15, half-closes",
     HEAD + b"Content-Length: 1000\r\n\r\n{\"text\": \"LLM\"}", True, 400),
    ("announces 4, sends 15", HEAD + b"Content-Length: 4\r\nConnection: close\r\n\r\n"
     b"{\"text\": \"LLM\"}", False, 400),
    ("announces 5 MiB + 1, sends 15", HEAD + b"Content-Length: 5242881\r\n\r\n{\"text\": \"LLM\"}",
     False, 413),
    ("two different Content-Lengths", HEAD + b"Content-Length: 15\r\nContent-Length: 4\r\n\r\n"
     b"{\"text\": \"LLM\"}", False, 400),
    ("Content-Length and chunked", HEAD + b"Content-Length: 15\r\nTransfer-Encoding: chunked"
     b"\r\n\r\nf\r\n{\"text\": \"LLM\"}\r\n0\r\n\r\n", False, 400),
    ("negative Content-Length", HEAD + b"Content-Length: -15\r\n\r\n{\"text\": \"LLM\"}", False, 400),
    ("Content-Length that is not a number", HEAD + b"Content-Length: 1e3\r\n\r\n{}", False, 400),
]


@pytest.mark.parametrize("name, data, half_close, status", LIES, ids=[l[0] for l in LIES])
def test_content_length_that_lies(srv, pid, name, data, half_close, status):
    answer = measure(srv, pid, raw_call(srv, data, half_close))
    check_bounded(srv, pid, f"Content-Length: {name}", answer)
    check_problem(answer.status, answer.headers["content-type"], answer.body, status)
    if status == 408:
        assert BODY_TIMEOUT <= answer.seconds < BODY_TIMEOUT + 7  # answered, then closed


def test_stalled_bodies_cannot_take_every_thread(srv, pid):
    """More stalled bodies than the worker has threads: each is cut at the deadline, and a
    normal request waiting behind them is answered as soon as a thread is free."""
    socks = []
    for _ in range(6):
        sock = socket.create_connection(("127.0.0.1", srv.port), timeout=30)
        sock.sendall(HEAD + b"Content-Length: 1000\r\n\r\n{")
        socks.append(sock)
    started = time.monotonic()
    status, _ = srv.post_json("/v1/match", {"text": "LLM"}, timeout=30)
    waited = time.monotonic() - started
    for sock in socks:
        assert sock.recv(100).startswith(b"HTTP/1.1 408"), "every stalled body is answered 408"
        sock.close()
    record("6 stalled bodies, then a normal request", Answer(status, {}, None, waited, 0))
    assert status == 200 and waited < 2 * BODY_TIMEOUT + 3
