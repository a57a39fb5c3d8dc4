"""`termlight import FILE --database` and `termlight export --database`: the team glossary to and
from files for git, checked like `termlight check` against the glossary files too."""

from __future__ import annotations

import json
import subprocess
import sys

from termlight.store import open_database, team

from .conftest import BASIC


def run(tmp_path, *args):
    env = {"TERMLIGHT_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
           "TERMLIGHT_GLOSSARY": str(BASIC), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    return subprocess.run([sys.executable, "-m", "termlight.cli", *args], cwd=tmp_path,
                          capture_output=True, text=True, env=env, timeout=60)


def test_import_then_export_round_trip(tmp_path):
    (tmp_path / "t.csv").write_text("term,definition,aliases,related\n"
                                    "Blue-green deploy,Two copies.,blue/green,llm\n"
                                    "Canary,Few users first.,,\n", encoding="utf-8")
    first = run(tmp_path, "import", "t.csv", "--database")
    assert first.returncode == 0 and "2 new" in first.stderr, first.stderr
    again = run(tmp_path, "import", "t.csv", "--database")
    assert "2 unchanged" in again.stderr
    out = run(tmp_path, "export", "--database", "-o", "team.json")
    assert out.returncode == 0, out.stderr
    doc = json.loads((tmp_path / "team.json").read_text())
    assert [t["id"] for t in doc["terms"]] == ["blue-green-deploy", "canary"]
    assert doc["terms"][0]["related"] == ["llm"]
    # The exported file passes `termlight check` next to the file glossaries it refers to.
    (tmp_path / "all").mkdir()
    for name in ("ai.json", "crypto.json"):
        (tmp_path / "all" / name).write_text((BASIC / name).read_text())
    (tmp_path / "all" / "team.json").write_text(json.dumps(doc))
    assert run(tmp_path, "check", str(tmp_path / "all")).returncode == 0
    # And it imports back unchanged (JSON too).
    assert "2 unchanged" in run(tmp_path, "import", "team.json", "--database").stderr
    history = team.history(open_database(f"sqlite:///{tmp_path / 'db.sqlite3'}"), "canary")
    assert [(c["action"], c["actor"]) for c in history] == [("create", "termlight import")]


def test_a_bad_import_writes_nothing(tmp_path):
    (tmp_path / "bad.csv").write_text("term,definition\nFine,ok\nLLM,clashes with a file's id\n",
                                      encoding="utf-8")
    bad = run(tmp_path, "import", "bad.csv", "--database")
    assert bad.returncode == 1 and "duplicate id 'llm'" in bad.stderr and "nothing imported" in bad.stderr
    assert team.team_terms(open_database(f"sqlite:///{tmp_path / 'db.sqlite3'}")) == []
