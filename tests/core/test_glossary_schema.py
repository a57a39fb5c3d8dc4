"""The published JSON Schema (server/termlight/schema/glossary.json, served at /schema/glossary.json)
accepts exactly what `termlight check` accepts, file by file, apart from the rules a schema cannot
express; those are listed here and each is shown to be the only difference for its case."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from termlight import Glossary, GlossaryError
from termlight.paths import bundled_glossary

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "server/termlight/schema/glossary.json").read_text())
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)

# Every glossary file the tests ship, plus the bundled one.
REAL_FILES = sorted([*bundled_glossary().glob("*.json"), *ROOT.glob("tests/**/data/**/*.json"),
                     *ROOT.glob("tests/support/glossary/*.json")])

T = {"term": "Tee", "definition": "A thing."}

# (name, file content) pairs on which the schema and the loader must agree.
STRUCTURAL = [
    ("bare list", [T]),
    ("object", {"name": "N", "description": "D", "terms": [T]}),
    ("empty list", []),
    ("every key", [dict(T, id="t.1_x", aliases=["T2"], url="https://e.org/x", related=["t.1_x"],
                        tags=["a"], case_sensitive=False)]),
    ("null lists and url", [dict(T, aliases=None, related=None, tags=None, url=None, case_sensitive=None)]),
    ("unicode id", [dict(T, id="基盤モデル")]),
    ("no terms key", {"name": "N"}),
    ("unknown top-level key", {"terms": [T], "title": "x"}),
    ("name not a string", {"name": 3, "terms": [T]}),
    ("terms not a list", {"terms": {"a": T}}),
    ("a string", "hello"),
    ("a term that is not an object", [T, "x"]),
    ("missing definition", [{"term": "X"}]),
    ("blank term", [{"term": "  ", "definition": "d"}]),
    ("unknown term key", [dict(T, alias=["x"])]),
    ("id with slash", [dict(T, id="../etc")]),
    ("id starting with underscore", [dict(T, id="_x")]),
    ("id not a string", [dict(T, id=5)]),
    ("id null means the default", [dict(T, id=None)]),
    ("aliases not a list", [dict(T, aliases="x")]),
    ("blank alias", [dict(T, aliases=["ok", " "])]),
    ("url not http", [dict(T, url="javascript:alert(1)")]),
    ("url with a space", [dict(T, url="https://e.org/a b")]),
    ("case_sensitive a string", [dict(T, case_sensitive="yes")]),
    ("tags of numbers", [dict(T, tags=[1])]),
    ("ambiguous true", [dict(T, ambiguous=True)]),
    ("ambiguous forms", [dict(T, aliases=["T2"], ambiguous=["T2"], exclude=["Tee shirt"])]),
    ("ambiguous a string", [dict(T, ambiguous="yes")]),
    ("exclude not a list", [dict(T, exclude="Tee shirt")]),
]

# Rules only `termlight check` can apply: the schema accepts these files, check does not.
BEYOND_A_SCHEMA = [
    ("duplicate id", [dict(T, id="a"), dict(T, term="Other", id="a")]),
    ("related id that does not exist", [dict(T, related=["nope"])]),
    ("one form claimed by two terms", [T, dict(T, id="b", aliases=["tee"])]),
    ("form empty once normalized", [dict(T, aliases=["\u200b"])]),
    ("ambiguous names a form the term does not have", [dict(T, ambiguous=["Tees"])]),
    ("exclude holds none of the term's forms", [dict(T, exclude=["golf"])]),
]


def check_accepts(path: Path) -> bool:
    try:
        Glossary.load(path)
    except GlossaryError:
        return False
    return True


def write(tmp_path: Path, content) -> Path:
    path = tmp_path / "g.json"
    path.write_text(json.dumps(content, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.mark.parametrize("path", REAL_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_schema_agrees_with_check_on_the_real_glossaries(path):
    errors = [e.message for e in VALIDATOR.iter_errors(json.loads(path.read_text(encoding="utf-8")))]
    assert (not errors) == check_accepts(path), (errors, path)


@pytest.mark.parametrize("name,content", STRUCTURAL, ids=[n for n, _ in STRUCTURAL])
def test_schema_agrees_with_check(tmp_path, name, content):
    assert VALIDATOR.is_valid(content) == check_accepts(write(tmp_path, content))


def test_the_cases_cover_both_answers(tmp_path):
    answers = {VALIDATOR.is_valid(c) for _, c in STRUCTURAL}
    assert answers == {True, False}  # a schema that accepted (or refused) everything would fail here


@pytest.mark.parametrize("name,content", BEYOND_A_SCHEMA, ids=[n for n, _ in BEYOND_A_SCHEMA])
def test_what_only_check_can_refuse(tmp_path, name, content):
    assert VALIDATOR.is_valid(content) and not check_accepts(write(tmp_path, content))
