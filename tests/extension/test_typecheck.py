"""`tsc --checkJs` over the extension: every file that says `// @ts-check` type-checks, with the
message shapes of shared/protocol.js as JSDoc types. TypeScript is pinned in
tools/package-lock.json and installed by `make install`; tools/tsconfig.json is the setup."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
TOOLS = REPO / "tools"
TSC = TOOLS / "node_modules" / ".bin" / "tsc"

pytestmark = pytest.mark.external


def tsc(project: Path) -> subprocess.CompletedProcess:
    assert TSC.exists(), f"{TSC} is missing: run `make install` (npm ci in tools/)"
    return subprocess.run([str(TSC), "-p", str(project)], capture_output=True, text=True, timeout=180)


def test_the_extension_type_checks():
    done = tsc(TOOLS / "tsconfig.json")
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]


def test_a_type_error_is_caught(tmp_path):
    """Positive control: the same setup fails on a script that misuses a protocol type."""
    (tmp_path / "bad.js").write_text(
        "// @ts-check\n/** @param {MatchRequest} msg */\n"
        "function count(msg) { return msg.texts.toFixed(2); }\n", encoding="utf-8")
    (tmp_path / "tsconfig.json").write_text(json.dumps({
        "extends": str(TOOLS / "tsconfig.json"),
        "include": [str(REPO / "extension" / "shared" / "protocol.js"),
                    str(TOOLS / "extension-env.d.ts"), "bad.js"],
    }), encoding="utf-8")
    done = tsc(tmp_path / "tsconfig.json")
    assert done.returncode != 0
    assert "bad.js" in done.stdout and "toFixed" in done.stdout, done.stdout
