"""What a newcomer trips over in the CLI: option order, CSV encodings, --keep-going, export.

Each test runs the real command as a subprocess (see test_cli.run).
"""

import csv
import io
import json

import pytest

from test_cli import GLOSSARY, run


@pytest.fixture
def gloss(tmp_path):
    path = tmp_path / "test.json"
    path.write_text(json.dumps(GLOSSARY))
    return path


@pytest.mark.parametrize("order", ["option first", "option last"])
def test_match_glossaries_option_does_not_swallow_the_file(tmp_path, order):
    article = tmp_path / "a.txt"
    article.write_text("Fine-tuning an LLM with LoRA.")
    args = ["--glossaries", "ai", str(article)] if order == "option first" else [str(article), "--glossaries", "ai"]
    out = run("match", *args)
    assert out.returncode == 0, out.stderr
    assert {m["term_id"] for m in json.loads(out.stdout)["matches"]} >= {"lora", "fine-tuning"}
    piped = run("match", "--glossaries", "ai", "-", stdin="LoRA")
    assert piped.returncode == 0, piped.stderr
    assert json.loads(piped.stdout)["matches"][0]["term_id"] == "lora"
    assert "unknown glossary id(s): nope" in run("match", "--glossaries", "ai,nope", str(article)).stderr


def test_csv_with_a_byte_order_mark_imports(tmp_path):
    sheet = tmp_path / "excel.csv"
    sheet.write_bytes("term,definition\r\nCafé,A place for coffee.\r\n".encode("utf-8-sig"))
    out = run("import", str(sheet), "-o", str(tmp_path / "g" / "cafe.json"))
    assert out.returncode == 0, out.stderr
    assert json.loads((tmp_path / "g" / "cafe.json").read_text())["terms"] == [
        {"term": "Café", "definition": "A place for coffee."}]


def test_latin1_csv_is_one_line_error_with_file_and_line(tmp_path):
    sheet = tmp_path / "latin.csv"
    sheet.write_bytes("term,definition\nTea,Leaves.\nCafé,Coffee.\n".encode("latin-1"))
    target = tmp_path / "g" / "x.json"
    out = run("import", str(sheet), "-o", str(target))
    assert out.returncode != 0 and not target.exists()
    assert out.stderr.strip().splitlines() == [
        f'termlight: {sheet}:3: not UTF-8 (byte 0xe9); save the sheet as "CSV UTF-8" and import again']


SHEET = (
    "id,term,definition,related\n"
    "a,Alpha,First.,\n"          # 2: good
    "a,Alpha two,Again.,\n"      # 3: duplicate id
    "b,Beta,Second.,zzz\n"       # 4: dangling related
    "c,Gamma,Third.,b\n"         # 5: related to a row that is not imported
    "d,Delta,Fourth.,a;other\n"  # 6: good: 'other' is in the folder's other file
    "e,ALPHA,Clash.,\n"          # 7: form claimed by line 2
)


def test_every_problem_on_the_first_run_and_keep_going_writes_the_good_rows(tmp_path):
    folder = tmp_path / "glossary"
    folder.mkdir()
    (folder / "team.json").write_text(json.dumps([{"id": "other", "term": "Other", "definition": "d"}]))
    sheet = tmp_path / "sheet.csv"
    sheet.write_text(SHEET)
    target = folder / "mine.json"
    expected = [
        f"{sheet}:3: duplicate id 'a' (first on line 2)",
        f"{sheet}:4: related id 'zzz' does not exist",
        f"{sheet}:5: related id 'b' is the id of line 4, which is not imported",
        f"{sheet}:7: form 'ALPHA' is already claimed by term 'a' (line 2)",
    ]
    first = run("import", str(sheet), "-o", str(target))
    assert first.returncode == 1 and not target.exists()
    assert first.stderr.splitlines()[:-1] == expected
    kept = run("import", str(sheet), "-o", str(target), "--keep-going")
    assert kept.returncode == 1
    assert kept.stderr.splitlines()[:-1] == expected
    assert [t["id"] for t in json.loads(target.read_text())["terms"]] == ["a", "d"]
    assert run("check", str(folder)).returncode == 0


def test_related_ids_into_another_file_of_the_folder_and_taken_ids(tmp_path):
    folder = tmp_path / "glossary"
    folder.mkdir()
    (folder / "team.json").write_text(json.dumps([{"id": "other", "term": "Other", "definition": "d"}]))
    sheet = tmp_path / "s.csv"
    sheet.write_text("id,term,definition,related\nx,Ex,Def.,other\nother,Another,Def.,\n")
    out = run("import", str(sheet), "-o", str(folder / "mine.json"))
    assert out.returncode == 1
    assert out.stderr.splitlines()[0] == f"{sheet}:3: id 'other' is already used in team.json"
    sheet.write_text("id,term,definition,related\nx,Ex,Def.,other\n")
    assert run("import", str(sheet), "-o", str(folder / "mine.json")).returncode == 0
    assert run("check", str(folder)).returncode == 0


def test_export_round_trips_the_bundled_glossary_through_csv(tmp_path):
    as_csv = run("export", "--format", "csv")
    assert as_csv.returncode == 0, as_csv.stderr
    rows = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert len(rows) > 400 and rows[0]["id"] and rows[0]["definition"]
    sheet = tmp_path / "ai.csv"
    sheet.write_text(as_csv.stdout, encoding="utf-8")
    back = tmp_path / "g" / "ai.json"
    assert run("import", str(sheet), "-o", str(back)).returncode == 0
    original = json.loads(run("export").stdout)
    assert json.loads(run("export", "--glossary", str(back)).stdout)["terms"] == original["terms"]
    assert original["name"] == "AI and LLM jargon"


def test_export_json_file_passes_check_and_keeps_every_field(tmp_path):
    source = tmp_path / "src.json"
    source.write_text(json.dumps({"name": "N", "description": "D", "terms": [
        {"id": "k", "term": "Kay", "aliases": ["K2"], "definition": "=SUM(A1) is text here.",
         "url": "https://example.org/k", "related": ["k"], "tags": ["t"], "case_sensitive": True}]}))
    out_file = tmp_path / "out.json"
    assert run("export", "--glossary", str(source), "-o", str(out_file)).returncode == 0
    assert json.loads(out_file.read_text()) == json.loads(source.read_text())
    sheet = tmp_path / "k.csv"
    assert run("export", "--glossary", str(source), "-o", str(sheet)).returncode == 0
    assert "'=SUM(A1)" in sheet.read_text()  # a spreadsheet shows it as text, not as a formula
    assert run("import", str(sheet), "-o", str(tmp_path / "again" / "src.json"), "--name", "N", "--description", "D").returncode == 0
    assert json.loads((tmp_path / "again" / "src.json").read_text()) == json.loads(source.read_text())


def test_export_needs_a_choice_when_several_glossaries_are_loaded(tmp_path, gloss):
    (tmp_path / "second.json").write_text(json.dumps([{"id": "z", "term": "Zed", "definition": "d"}]))
    out = run("export", "--glossary", str(tmp_path))
    assert out.returncode == 1
    assert out.stderr.strip() == "termlight: 2 glossaries are loaded (second, test); choose one with --only ID"
    assert json.loads(run("export", "--glossary", str(tmp_path), "--only", "second").stdout)["terms"][0]["id"] == "z"


def test_check_and_match_take_several_paths_and_the_bundled_name(tmp_path):
    (tmp_path / "team.json").write_text(json.dumps([{"id": "kestrel", "term": "Kestrel", "definition": "d",
                                                     "related": ["lora"]}]))
    out = run("check", f"bundled,{tmp_path}")
    assert out.returncode == 0 and "glossaries: ai (" in out.stdout and "team (1)" in out.stdout
    found = json.loads(run("match", "--glossary", f"bundled,{tmp_path}", "-", stdin="Kestrel and LoRA").stdout)
    assert [m["term_id"] for m in found["matches"]] == ["kestrel", "lora"]
