"""Validation names the file, the term and the problem; a good glossary loads from file or directory."""

import json

import pytest

from termlight import Glossary, GlossaryError


def write(path, data):
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


def problems(path):
    with pytest.raises(GlossaryError) as info:
        Glossary.load(path)
    return [str(p) for p in info.value.problems]


def test_loads_object_and_bare_list_and_directory(tmp_path):
    write(tmp_path / "a.json", {"name": "A", "description": "first", "terms": [{"term": "Vector Database", "definition": "d"}]})
    write(tmp_path / "b.json", [{"term": "Embedding", "definition": "d", "related": ["vector-database"]}])
    g = Glossary.load(tmp_path)
    assert set(g.terms) == {"vector-database", "embedding"}
    assert [(i.id, i.name, i.term_count) for i in g.glossaries] == [("a", "A", 1), ("b", "b", 1)]
    assert g.terms["embedding"].glossary == "b"
    assert Glossary.load(tmp_path / "a.json").terms["vector-database"].to_dict()["glossary"] == "a"


def test_json_syntax_error_has_line_and_column(tmp_path):
    f = write(tmp_path / "bad.json", '{"terms": [\n  {"term": "x",, "definition": "y"}\n]}')
    [p] = problems(f)
    assert p.startswith(f"{f}: line 2, column 16: invalid JSON")


def test_every_problem_is_reported_with_file_and_term(tmp_path):
    f = write(tmp_path / "g.json", {"terms": [
        {"id": "a", "term": "Alpha", "definition": "d"},
        {"id": "typo", "term": "Typo", "definition": "d", "alias": ["T1"]},
        {"term": "", "definition": "d"},
        {"id": "b", "term": "Beta"},
        {"id": "a", "term": "Another", "definition": "d"},
        {"id": "c", "term": "Gamma", "aliases": ["alpha"], "definition": "d"},
        {"id": "d", "term": "Delta", "definition": "d", "related": ["nope"]},
        {"id": "../etc", "term": "Evil", "definition": "d"},
        {"id": "e", "term": "\u200b", "definition": "d"},
    ]})
    found = problems(f)
    expected = [
        "term 'typo': unknown key 'alias' (did you mean 'aliases'?)",
        "term #3: 'term' is required and must be a non-empty string",
        "term 'b': 'definition' is required and must be a non-empty string",
        "term #5 ('Another'): duplicate id 'a' (first defined by term #1 ('Alpha') in",
        "term 'c': form 'alpha' is already claimed by term 'a'",
        "term 'd': related id 'nope' does not exist",
        "term '../etc': 'id' '../etc' must start with a letter or digit",
        "term 'e': form '\\u200b' is empty once normalized",
    ]
    for text in expected:
        assert any(p.startswith(f"{f}: {text}") for p in found), (text, found)


def test_duplicate_ids_across_files_are_reported(tmp_path):
    write(tmp_path / "a.json", [{"id": "x", "term": "X1", "definition": "d"}])
    write(tmp_path / "b.json", [{"id": "x", "term": "X2", "definition": "d"}])
    [p] = problems(tmp_path)
    assert "duplicate id" in p and "a.json" in p


def test_each_duplicate_id_names_its_own_position(tmp_path):
    f = write(tmp_path / "g.json", [{"id": "x", "term": f"X{i}", "definition": "d"} for i in range(3)])
    found = problems(f)
    assert found == [f"{f}: term #{i} ('X{i - 1}'): duplicate id 'x' (first defined by term #1 ('X0') in {f})"
                     for i in (2, 3)]


def test_same_form_in_two_glossaries_is_allowed(tmp_path):
    write(tmp_path / "a.json", [{"id": "x", "term": "Agent", "definition": "d"}])
    write(tmp_path / "b.json", [{"id": "y", "term": "Agent", "definition": "d"}])
    assert len(Glossary.load(tmp_path)) == 2


def test_case_sensitive_forms_that_differ_in_case_do_not_clash():
    g = Glossary.from_terms([
        {"id": "go", "term": "GO", "definition": "d"},
        {"id": "go2", "term": "Go", "case_sensitive": True, "definition": "d"},
    ])
    assert [m.term_id for m in g.match("GO Go go")] == ["go", "go2"]


def test_missing_path_and_empty_directory(tmp_path):
    assert problems(tmp_path / "nope.json")[0].endswith("no such file or directory")
    assert "no *.json glossary files" in problems(tmp_path)[0]


def test_default_id_is_a_slug():
    g = Glossary.from_terms([{"term": "Retrieval-Augmented Generation (RAG)", "definition": "d"},
                             {"term": "C++", "definition": "d"}])
    assert set(g.terms) == {"retrieval-augmented-generation-rag", "c-plus-plus"}


def test_version_changes_with_content():
    one = Glossary.from_terms([{"term": "A", "definition": "d"}])
    same = Glossary.from_terms([{"term": "A", "definition": "d"}])
    other = Glossary.from_terms([{"term": "A", "definition": "e"}])
    assert one.version == same.version != other.version


def test_search_is_prefix_and_case_insensitive():
    g = Glossary.from_terms([
        {"id": "mc", "term": "Model Card", "definition": "d"},
        {"id": "bm", "term": "Base Model", "aliases": ["Foundation Model"], "definition": "d"},
        {"id": "emb", "term": "Embedding", "definition": "d"},
    ])
    assert [t.id for t in g.search("MODEL")] == ["mc", "bm"]
    assert [t.id for t in g.search("found")] == ["bm"]
    assert [t.id for t in g.search("odel")] == []
    assert len(g.search("")) == 3
