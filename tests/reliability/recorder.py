"""A load generator that keeps the outcome of every single request, for the fault tests.

wrk says how many requests failed; a fault test must say *which* ones and why. Each request
here goes out on its own connection (so a dead keep-alive connection can never be mistaken for
a failed request), never retried, and is recorded with when it was sent, when it ended, the
client port it used (to tie it to the server process that held its connection), its status,
the glossary version it was answered from and the term ids it found.
"""

from __future__ import annotations

import http.client
import json
import threading
import time
from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass
class Outcome:
    kind: str
    sent: float
    ended: float
    port: int | None
    status: int | None = None
    error: str | None = None
    version: str | None = None
    found: tuple = ()  # per text: the sorted term ids found

    @property
    def ok(self) -> bool:
        return self.status == 200 and self.error is None


# What the load sends. Texts hold terms of the fault tests' glossary (llm, token, quokka).
MIX = [
    ("single", "POST", "/v1/match", {"text": "A quokka read about a Large Language Model."}),
    ("batch", "POST", "/v1/match", {"texts": ["An LLM counts every token.", "No terms here.",
                                              "The quokka again, and RAG."], "offsets": "utf16"}),
    ("search", "GET", "/v1/terms?q=l", None),
    ("term", "GET", "/v1/terms/llm", None),
    ("glossaries", "GET", "/v1/glossaries", None),
]
# The same plus a request that keeps a worker busy for a few hundred milliseconds, so that at
# any moment some requests are mid-way (what graceful restarts must not cut).
SLOW = ("slow", "POST", "/v1/match",
        {"text": " ".join(["A Large Language Model reads every token; then a quokka."] * 15_000)})
MIX_WITH_SLOW = MIX + [SLOW]


class Recorder:
    """`threads` clients sending MIX round-robin until stopped; read `.outcomes` afterwards."""

    def __init__(self, url: str, threads: int = 6, token: str | None = None,
                 mix=MIX, timeout: float = 30.0):
        parts = urlsplit(url)
        self.host, self.port = parts.hostname, parts.port
        self.token, self.mix, self.timeout = token, mix, timeout
        self.outcomes: list[Outcome] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._run, args=(i,), daemon=True)
                         for i in range(threads)]

    def _one(self, kind: str, method: str, path: str, body) -> Outcome:
        headers = {"Accept": "application/json", "Connection": "close"}
        data = None
        if body is not None:
            data = json.dumps(body).encode("utf-8")
            headers["Content-Type"] = "application/json"
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        sent, port = time.monotonic(), None
        try:
            conn.connect()
            port = conn.sock.getsockname()[1]
            conn.request(method, path, body=data, headers=headers)
            resp = conn.getresponse()
            raw = resp.read()
            out = Outcome(kind, sent, time.monotonic(), port, status=resp.status)
            if resp.status == 200:
                doc = json.loads(raw)
                out.version = doc.get("glossary_version")
                if kind in ("single", "slow"):
                    out.found = (tuple(sorted({m["term_id"] for m in doc["matches"]})),)
                elif kind == "batch":
                    out.found = tuple(tuple(sorted({m["term_id"] for m in r["matches"]}))
                                      for r in doc["results"])
            else:
                out.error = raw[:300].decode("utf-8", "replace")
            return out
        except Exception as err:  # a transport failure is a failed request, never retried
            return Outcome(kind, sent, time.monotonic(), port, error=f"{type(err).__name__}: {err}")
        finally:
            conn.close()

    def _run(self, index: int):
        i = index
        while not self._stop.is_set():
            out = self._one(*self.mix[i % len(self.mix)])
            i += 1
            with self._lock:
                self.outcomes.append(out)

    def __enter__(self):
        for t in self._threads:
            t.start()
        return self

    def __exit__(self, *exc):
        self.stop()

    def stop(self):
        self._stop.set()
        for t in self._threads:
            t.join(self.timeout + 5)

    def snapshot(self) -> list[Outcome]:
        with self._lock:
            return list(self.outcomes)

    def failures(self) -> list[Outcome]:
        return [o for o in self.snapshot() if not o.ok]

    def summary(self) -> str:
        outs = self.snapshot()
        kinds = {}
        for o in outs:
            kinds[o.kind] = kinds.get(o.kind, 0) + 1
        return f"{len(outs)} requests ({kinds}), {len([o for o in outs if not o.ok])} failed"


def versions_are_consistent(outcomes: list[Outcome]) -> dict:
    """Each glossary version must always give the same answer to the same request.

    A request answered from a half-reloaded glossary would break this. Returns the answers
    seen per (kind, version) so a test can say what it checked.
    """
    seen: dict[tuple, set] = {}
    for o in outcomes:
        if o.ok and o.kind in ("single", "batch", "slow"):
            seen.setdefault((o.kind, o.version), set()).add(o.found)
    mixed = {k: v for k, v in seen.items() if len(v) > 1}
    assert not mixed, f"one glossary version gave different answers: {mixed}"
    return seen
