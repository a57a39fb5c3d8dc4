"""Shared machinery of the hostile-input tests (issue 6, item 5).

Each input goes to a real gunicorn with one worker. Before each one the worker's peak-RSS
counter is reset (`5` written to /proc/<pid>/clear_refs), so VmHWM afterwards is the most
memory that request made the worker hold; the wall time is measured at the client. After each
input the same worker must still be there and healthy: no 5xx, no hang, no crash. The figures
are printed as a table (run with -s to see them). The fixtures (srv, pid, bundled) live in
conftest.py; srv is module-scoped, so each module gets its own server.
"""

from __future__ import annotations

import http.client
import json
import time
from dataclasses import dataclass

import pytest

from support.server import raw_http
from termlight import Glossary

from .procstats import peak_kib, rss_kib

MIB = 1024 * 1024
BODY_TIMEOUT = 2  # seconds (TERMLIGHT_BODY_TIMEOUT) for the lying Content-Length cases
TIME_LIMIT = 15.0  # seconds for any single hostile request, generous for a loaded CI box
PEAK_LIMIT_MIB = 400  # extra worker memory any single request may cause
EXPANDING_PEAK_LIMIT_MIB = 800  # 5 MiB of characters that all expand (see the test below)
FIGURES: list[str] = []


@dataclass
class Answer:
    status: int
    headers: dict
    body: object
    seconds: float
    peak_mib: float


def reset_peak(pid: int) -> int:
    with open(f"/proc/{pid}/clear_refs", "w") as f:
        f.write("5")
    return rss_kib(pid)


def measure(srv, pid: int, send) -> Answer:
    before = reset_peak(pid)
    started = time.monotonic()
    try:
        status, headers, raw = send()
    except (OSError, http.client.HTTPException) as err:
        seconds = time.monotonic() - started
        pytest.fail(f"no answer after {seconds:.1f} s ({type(err).__name__}: {err}); the server "
                    f"log ends with:\n{srv.log()[-1500:]}")
    seconds = time.monotonic() - started
    peak = (peak_kib(pid) - before) / 1024
    ctype = headers.get("content-type", "")
    body = json.loads(raw) if "json" in ctype and raw else raw
    return Answer(status, headers, body, seconds, peak)


def http_call(srv, method: str, target: str, body: bytes | None = None,
              headers: dict | None = None, timeout: float = 60):
    def send():
        conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=timeout)
        try:
            hdrs = {"Content-Type": "application/json"} if body is not None else {}
            hdrs.update(headers or {})
            conn.request(method, target, body=body, headers=hdrs)
            resp = conn.getresponse()
            return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
        finally:
            conn.close()
    return send


def raw_call(srv, data: bytes, half_close: bool = False, timeout: float = 30):
    def send():
        answer = raw_http(srv.port, data, shut_write=half_close, timeout=timeout)
        head, _, body = answer.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        headers = {k.lower(): v for k, v in (l.split(": ", 1) for l in lines[1:] if ": " in l)}
        return int(lines[0].split()[1]), headers, body
    return send


def post_json(srv, doc, **kw):
    return http_call(srv, "POST", "/v1/match", json.dumps(doc, ensure_ascii=False).encode("utf-8"), **kw)


def record(name: str, answer: Answer) -> None:
    FIGURES.append(f"{name:48s} {answer.status}  {answer.seconds:6.2f} s  "
                   f"{answer.peak_mib:7.1f} MiB peak")
    print("\n" + FIGURES[-1])


def check_bounded(srv, pid: int, name: str, answer: Answer) -> None:
    record(name, answer)
    assert answer.status < 500, answer.body
    assert answer.seconds < TIME_LIMIT, f"{name} took {answer.seconds:.1f} s"
    assert answer.peak_mib < PEAK_LIMIT_MIB, f"{name} used {answer.peak_mib:.0f} MiB"
    assert srv.worker_pids() == [pid], "the worker died"
    assert srv.get_json("/healthz")[0] == 200


def check_matches(text: str, answer: Answer, glossary: Glossary, unit: str = "utf16") -> None:
    assert answer.status == 200, answer.body
    expected = glossary.match_document(text=text, offsets=unit)
    assert answer.body["matches"] == expected["matches"]


def prose(size: int, glossary: Glossary) -> str:
    """Real prose (the glossary's definitions, with some CJK and emoji) of about `size` bytes."""
    base = " ".join(t.definition for t in glossary.terms.values())
    base += " 基盤モデルのファインチューニング 😀 \u202eLLM\u202c. "
    data = (base * (size // len(base.encode()) + 1)).encode()[:size]
    return data.decode("utf-8", "ignore")


def body_of_size(text: str, size: int) -> bytes:
    """{"text": ...} of exactly `size` bytes: `text` trimmed, then padded with spaces."""
    while True:
        body = json.dumps({"text": text}, ensure_ascii=False).encode()
        if len(body) <= size:
            return json.dumps({"text": text + " " * (size - len(body))}, ensure_ascii=False).encode()
        text = text[: len(text) - (len(body) - size)]
