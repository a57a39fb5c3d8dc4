"""Issue 6, item 1: schemathesis against the service's own /openapi.json, on a real gunicorn.

Every operation the document lists and every check schemathesis has (`--checks all`: no 5xx,
status codes, content types, headers and bodies conforming to the document, invalid input
rejected and valid input accepted, the Allow header, auth really enforced, ...) in all its
phases (coverage, fuzzing, stateful). The run is judged twice: by schemathesis' own report
(no failure, no error, every operation tested) and by gunicorn's access log, which counts the
requests the server really answered and must not hold a single 5xx.

Short run in `make test`; `make soak` makes well over 10,000 requests. Set
TERMLIGHT_FUZZ_SEED to replay a run (the seed of each run is printed on failure).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from support.server import NO_RATE_LIMIT, run_server

from .conftest import scaled

pytestmark = pytest.mark.server

TOKEN = "fuzz-token-7c1e"
ACCESS_STATUS = re.compile(r'"[A-Z]+ [^"]*" (\d{3}) \S+ \d+ms <\d+>')
# Per operation; the stateful phase adds its own scenarios on top.
EXAMPLES = scaled(20, 1000)


def run_schemathesis(url: str, report_dir, headers=(), examples: int = EXAMPLES) -> tuple[dict, str]:
    cmd = [sys.executable, "-m", "schemathesis.cli", "run", f"{url}/openapi.json",
           "--checks", "all",
           "--include-path-regex", ".*",  # the document's own route too (left out by default)
           "--max-examples", str(examples),
           "--max-response-time", "10",
           "--request-timeout", "30",
           "--generation-database", "none",
           "--no-color",
           "--report", "json", "--report-dir", str(report_dir)]
    for header in headers:
        cmd += ["-H", header]
    if os.environ.get("TERMLIGHT_FUZZ_SEED"):
        cmd += ["--seed", os.environ["TERMLIGHT_FUZZ_SEED"]]
    proc = subprocess.run(cmd, cwd=report_dir, capture_output=True, text=True,
                          timeout=scaled(300, 1800))
    reports = list(report_dir.glob("*.json"))
    assert reports, f"schemathesis wrote no report (exit {proc.returncode}):\n{proc.stdout}\n{proc.stderr}"
    report = json.loads(reports[0].read_text())
    output = proc.stdout[-6000:] + proc.stderr[-3000:]
    assert proc.returncode == 0, output
    return report, output


def served_statuses(log: str) -> list[int]:
    return [int(m.group(1)) for m in map(ACCESS_STATUS.search, log.splitlines()) if m]


@pytest.mark.parametrize("auth", ["token", "open"])
def test_fuzz_every_operation_with_every_check(tmp_path, auth):
    env = {"TERMLIGHT_API_TOKEN": TOKEN} if auth == "token" else {}
    headers = [f"Authorization: Bearer {TOKEN}"] if auth == "token" else []
    with run_server(None, env={**env, **NO_RATE_LIMIT}, workers=2) as srv:
        report, output = run_schemathesis(srv.url, tmp_path, headers)
        log = srv.log()
        spec = srv.get_json("/openapi.json", token=TOKEN if auth == "token" else None)[1]

    ops = report["operations"]
    operations = sum(len(item) for item in spec["paths"].values())
    assert operations >= 8 and ops["tested"] == ops["total"] == operations, ops  # every route
    assert report["complete"] and report["exit_code"] == 0, output
    assert report["failures"] == [] and report["errors"] == [], output
    assert report["test_cases"]["with_failures"] == 0, report["test_cases"]

    statuses = served_statuses(log)
    print(f"{auth}: seed {report['seed']}, {report['test_cases']['generated']} generated cases, "
          f"{len(statuses)} requests answered, by status "
          f"{dict(sorted((s, statuses.count(s)) for s in set(statuses)))}")
    assert [s for s in statuses if s >= 500] == [], "the server answered with a 5xx"
    assert "Traceback" not in log and "[ERROR]" not in log, log[-3000:]
    # Each configuration alone clears the bar of 10,000 requests in the long run.
    assert len(statuses) >= scaled(150, 10_000), len(statuses)
    if auth == "token":
        assert statuses.count(401) > 0, "schemathesis should have tried requests without the token"
    assert {200, 404, 405, 422} <= set(statuses)



# Sabotage installed into a test server through sitecustomize (PYTHONPATH), never into the
# code base: proof that the run above can fail, for the two kinds of fault it exists to find.
SABOTAGE = {
    "accepts unknown fields": (
        "import termlight.service.match_request as m\n"
        "class MatchRequest(m.MatchRequest, forbid_unknown_fields=False, frozen=True):\n"
        "    pass\n"
        "m.MatchRequest = MatchRequest\n",
        "Schema-violating request accepted"),
    "500 on utf8 offsets": (
        "from termlight.glossary import Glossary\n"
        "_real = Glossary.match_document\n"
        "def _broken(self, *a, **kw):\n"
        "    if kw.get('offsets') == 'utf8':\n"
        "        raise RuntimeError('sabotage')\n"
        "    return _real(self, *a, **kw)\n"
        "Glossary.match_document = _broken\n",
        "Server error"),
}


@pytest.mark.parametrize("fault", sorted(SABOTAGE))
def test_the_fuzzer_fails_on_a_broken_server(tmp_path, fault):
    code, expected = SABOTAGE[fault]
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(code)
    report_dir = tmp_path / "report"
    report_dir.mkdir()
    with run_server(None, env={"PYTHONPATH": str(site), **NO_RATE_LIMIT}, workers=1) as srv:
        with pytest.raises(AssertionError) as failed:
            run_schemathesis(srv.url, report_dir, examples=20)
    assert expected in str(failed.value), str(failed.value)[-2000:]
