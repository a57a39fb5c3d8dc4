"""The extension's local matcher (extension/matcher/*.js) run under Node, for the Python tests.

One Node process per test module answers JSON lines (tests/js/match_worker.js): load a compiled
glossary, match a batch of texts.  Node must be installed (`make test` installs Debian's
`nodejs`); a missing node fails loudly rather than skipping the parity checks.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from termlight.compiled_format import compiled_document

WORKER = Path(__file__).resolve().parent.parent / "js" / "match_worker.js"


def node_path() -> str:
    path = shutil.which("node")
    if path is None:
        raise RuntimeError("node is missing: run `make node` (apt-get install nodejs)")
    return path


class NodeMatcher:
    def __init__(self):
        self.proc = subprocess.Popen([node_path(), str(WORKER)], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True, encoding="utf-8")
        self._loaded = None

    def _ask(self, message: dict) -> dict:
        # ensure_ascii: lone surrogates and every other code point survive the pipe exactly.
        self.proc.stdin.write(json.dumps(message) + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError(f"the node matcher exited with {self.proc.wait()}")
        answer = json.loads(line)
        if "error" in answer:
            raise RuntimeError("node matcher: " + answer["error"])
        return answer

    def load(self, glossary) -> None:
        """Load the compiled form of a termlight Glossary (once per glossary object)."""
        if self._loaded is not glossary:
            self._ask({"compiled": compiled_document(glossary)})
            self._loaded = glossary

    def match(self, texts: list[str], glossaries: list[str] | None = None) -> list[list[dict]]:
        return self._ask({"texts": texts, "glossaries": glossaries})["results"]

    def close(self) -> None:
        self.proc.stdin.close()
        self.proc.wait(timeout=10)


def server_batch(glossary, texts: list[str], glossaries=None) -> list[list[dict]]:
    """What POST /v1/match answers for ``texts`` sent together: the context rule spans them."""
    return [r["matches"] for r in glossary.match_document(texts=texts, glossaries=glossaries)["results"]]
