"""The termlight command, run as a real subprocess, the way scripts and CI call it."""

import json
import subprocess
import sys

import pytest

GLOSSARY = {
    "name": "Test",
    "terms": [
        {"id": "llm", "term": "LLM", "aliases": ["Large Language Model"], "definition": "A model of language."},
        {"id": "rag", "term": "RAG", "definition": "Retrieval then generation.", "related": ["llm"]},
    ],
}


def run(*args, stdin=None):
    return subprocess.run(
        [sys.executable, "-m", "termlight.cli", *args], input=stdin, capture_output=True, text=True, timeout=60
    )


@pytest.fixture
def gloss(tmp_path):
    path = tmp_path / "test.json"
    path.write_text(json.dumps(GLOSSARY))
    return path


def test_match_prints_the_api_shape(gloss, tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("😀 An LLM uses RAG; large language models too.", encoding="utf-8")
    out = run("match", "--glossary", str(gloss), "--offsets", "utf16", str(article))
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert [(m["term_id"], m["text"], m["start"]) for m in doc["matches"]] == [
        ("llm", "LLM", 6), ("rag", "RAG", 15), ("llm", "large language models", 20)]
    assert set(doc["terms"]) == {"llm", "rag"} and doc["offsets"] == "utf16" and doc["glossary_version"]
    assert doc["terms"]["rag"] == {"id": "rag", "term": "RAG", "aliases": [], "definition": "Retrieval then generation.",
                                   "url": None, "related": ["llm"], "tags": [], "glossary": "test"}


def test_match_reads_stdin_and_several_files(gloss, tmp_path):
    assert json.loads(run("match", "--glossary", str(gloss), "-", stdin="LLM").stdout)["matches"][0]["term_id"] == "llm"
    (tmp_path / "b.txt").write_text("RAG")
    out = run("match", "--glossary", str(gloss), "-", str(tmp_path / "b.txt"), stdin="LLM")
    assert [[m["term_id"] for m in r["matches"]] for r in json.loads(out.stdout)["results"]] == [["llm"], ["rag"]]


def test_match_uses_the_bundled_glossary_by_default():
    out = run("match", "-", stdin="Fine-tuning a foundation model with LoRA is cheap.")
    assert out.returncode == 0, out.stderr
    assert len(json.loads(out.stdout)["matches"]) >= 3


def test_check_lists_problems_and_exits_non_zero(tmp_path, gloss):
    ok = run("check", str(gloss))
    assert ok.returncode == 0 and ok.stdout.startswith("ok: 2 terms in 1 glossary")
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps([{"term": "X", "definition": "d", "alias": []}, {"term": "Y"}]))
    out = run("check", str(bad))
    assert out.returncode == 1
    assert out.stdout.splitlines() == [
        f"{bad}: term #1 ('X'): unknown key 'alias' (did you mean 'aliases'?)",
        f"{bad}: term #2 ('Y'): 'definition' is required and must be a non-empty string",
    ]


def test_terms_lists_and_searches(gloss):
    out = run("terms", "--glossary", str(gloss))
    assert out.stdout.splitlines() == ["llm\tLLM  (Large Language Model)", "rag\tRAG"]
    assert [t["id"] for t in json.loads(run("terms", "larg", "--json", "--glossary", str(gloss)).stdout)] == ["llm"]


def test_import_csv(tmp_path):
    csv_file = tmp_path / "sheet.csv"
    csv_file.write_text(
        "term,definition,aliases,url,tags\n"
        "Vector Database,Stores embeddings for similarity search.,Vector DB;Vector Store,https://example.org/vdb,storage;retrieval\n"
        ",No term here,,,\n"
        "Embedding,A list of numbers for a text.,,not a url,\n"
    )
    out_file = tmp_path / "out" / "mine.json"
    out = run("import", str(csv_file), "-o", str(out_file))
    assert out.returncode == 1 and not out_file.exists()
    assert f"{csv_file}:3: empty 'term'" in out.stderr and f"{csv_file}:4: 'url' must be an http(s) URL" in out.stderr
    out = run("import", str(csv_file), "-o", str(out_file), "--keep-going")
    assert out.returncode == 1 and "wrote 1 terms" in out.stderr
    data = json.loads(out_file.read_text())
    assert data["terms"] == [{"term": "Vector Database", "definition": "Stores embeddings for similarity search.",
                              "aliases": ["Vector DB", "Vector Store"], "tags": ["storage", "retrieval"],
                              "url": "https://example.org/vdb"}]
    assert run("check", str(out_file)).returncode == 0


@pytest.mark.parametrize("args", [
    ("match", "--glossary", "/nonexistent.json", "-"),
    ("match", "/nonexistent.txt"),
    ("check", "/nonexistent"),
    ("import", "/nonexistent.csv", "-o", "/tmp/x.json"),
])
def test_errors_are_one_line_without_traceback(args):
    out = run(*args, stdin="")
    assert out.returncode != 0
    assert "Traceback" not in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1, out.stderr


@pytest.mark.parametrize("sub", [(), ("match",), ("check",), ("terms",), ("import",), ("serve",)])
def test_help_works_everywhere(sub):
    out = run(*sub, "--help")
    assert out.returncode == 0 and "usage: termlight" in out.stdout


def test_match_explains_and_can_turn_the_context_rule_off(tmp_path):
    path = tmp_path / "g.json"
    path.write_text(json.dumps({"terms": [{"id": "t", "term": "Temperature", "ambiguous": True, "definition": "d"}]}))
    doc = json.loads(run("match", "--glossary", str(path), "--explain", "-", stdin="the temperature").stdout)
    assert doc["matches"] == [] and doc["suppressed"][0]["reason"] == "no context"
    doc = json.loads(run("match", "--glossary", str(path), "--no-context-rule", "-", stdin="the temperature").stdout)
    assert [m["why"] for m in doc["matches"]] == ["term ambiguous"]


def test_check_suggests_ambiguous_forms(tmp_path):
    path = tmp_path / "g.json"
    path.write_text(json.dumps({"terms": [
        {"id": "attention", "term": "Attention", "definition": "d"},
        {"id": "temperature", "term": "Temperature", "ambiguous": True, "definition": "d"},
        {"id": "rope", "term": "RoPE", "definition": "d"},
        {"id": "softmax", "term": "Softmax", "definition": "d"}]}))
    out = run("check", str(path), "--suggest-ambiguous")
    assert out.returncode == 0, out.stderr
    hints = [line for line in out.stdout.splitlines() if line.startswith("hint:")]
    assert len(hints) == 1 and "'Attention' is a common English word" in hints[0]
    assert "1 form may be ordinary words" in out.stdout
    assert "hint:" not in run("check", str(path)).stdout


def test_import_hints_at_ambiguous_forms(tmp_path):
    csv = tmp_path / "t.csv"
    csv.write_text("term,definition\nTemperature,How random sampling is.\nLLM,A model.\n")
    out = run("import", str(csv), "-o", str(tmp_path / "out.json"), "--suggest-ambiguous")
    assert out.returncode == 0, out.stderr
    assert "'Temperature' is a common English word" in out.stderr
    assert "hint:" not in run("import", str(csv), "-o", str(tmp_path / "out2.json")).stderr


def test_import_reads_ambiguous_and_exclude_columns(tmp_path):
    csv = tmp_path / "t.csv"
    csv.write_text("term,definition,aliases,ambiguous,exclude\n"
                   "Agent,An LLM with tools.,AI agent,Agent,travel agent;secret agent\n"
                   "Temperature,Randomness.,,yes,\nLLM,A model.,,,\n")
    out = run("import", str(csv), "-o", str(tmp_path / "out.json"))
    assert out.returncode == 0, out.stderr
    terms = json.loads((tmp_path / "out.json").read_text())["terms"]
    assert terms[0]["ambiguous"] == ["Agent"] and terms[0]["exclude"] == ["travel agent", "secret agent"]
    assert terms[1]["ambiguous"] is True and "ambiguous" not in terms[2]
