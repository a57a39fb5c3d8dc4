"""The extension's local matcher (extension/matcher) on the shared matching cases, under Node.

Each glossary set of tests/core/data/matching_cases.json is compiled as GET /v1/compiled
serves it; `node --test tests/js/` then checks every case against the JavaScript matcher, the
same cases test_matching_rules.py checks against the server.
"""

import json
import subprocess
from pathlib import Path

import pytest

from support.node_matcher import node_path
from termlight.compiled_format import compiled_document
from test_matching_rules import CASES, case_glossary

JS_TESTS = Path(__file__).resolve().parent.parent / "js"

pytestmark = pytest.mark.external  # runs node (Debian's nodejs, installed by `make test`)


def run_node_tests(tmp_path: Path, cases: dict) -> subprocess.CompletedProcess:
    compiled = tmp_path / "compiled.json"
    compiled.write_text(json.dumps({name: compiled_document(case_glossary(name)) for name in CASES["glossaries"]}),
                        encoding="utf-8")
    cases_file = tmp_path / "cases.json"
    cases_file.write_text(json.dumps(cases), encoding="utf-8")
    env = {"PATH": "/usr/bin:/bin", "TERMLIGHT_COMPILED_CASES": str(compiled), "TERMLIGHT_CASES": str(cases_file)}
    return subprocess.run([node_path(), "--test", str(JS_TESTS / "matcher.test.js")], capture_output=True, text=True,
                          env=env, timeout=120)


def test_every_case_passes_in_the_local_matcher(tmp_path):
    done = run_node_tests(tmp_path, CASES)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert f"# pass {len(CASES['cases']) + 3}" in done.stdout, done.stdout[-1000:]


def test_a_wrong_expectation_fails(tmp_path):
    """Positive control: the Node run really compares (a case expecting a miss fails)."""
    wrong = dict(CASES, cases=[dict(CASES["cases"][0], expect=[])])
    done = run_node_tests(tmp_path, wrong)
    assert done.returncode != 0 and "# fail 1" in done.stdout, done.stdout[-1000:]
