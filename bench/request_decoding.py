"""Decoding and validating a POST /v1/match body: today's code against msgspec and pydantic.

``python -m bench.request_decoding [--corpus DIR]`` (also a part of ``make bench``).  Issue 13
asked whether one model per body (a msgspec Struct or a pydantic v2 model) should replace the
hand-written checks of service/validation.py and the hand-written MatchRequest schema of
service/openapi.py: only if it removes code, keeps every error (a 400 for any malformed JSON,
huge numbers, NaN, 1e400 and deep nesting included; a 422 naming the field for every wrong
value, lone surrogates included; the limits known only at run time) and is not slower on a
2000-text body.  One run measures all of it with the prototypes of bench/request_models.py:

* errors: which bodies each option answers differently from today (status and ``field``);
* schema: whether the MatchRequest schema generated from each model accepts the same bodies as
  today's hand-written one;
* speed: CPU time of bytes -> checked request for three bodies of real article text, all options
  interleaved in the same rounds (bench/timing.py), as a ratio to today's code;
* lines: the code lines (no blank lines, comments or docstrings) each adoption would ship against
  those it would remove.

The article text comes from ../shared/corpus/articles when present (bench/inputs.py), from a
generated corpus otherwise.
"""

from __future__ import annotations

import argparse
import ast
import inspect
import itertools
import json
import re
import sys
from pathlib import Path
from typing import Callable

import jsonschema
import msgspec
import pydantic

import bench.inputs
from bench import request_models as rm
from bench.request_models import CONTENDERS, MAX_TEXTS, today
from bench.timing import side_by_side, table
from termlight import strict_json
from termlight.service import openapi, validation
from termlight.service.problems import PROBLEM_TYPES, ApiError

# --- 1. do the errors agree with today's? -----------------------------------------------

BIG = "1" * 100_000
CASES: dict[str, bytes] = {name: body if isinstance(body, bytes) else body.encode() for name, body in {
    "good text": '{"text": "LLM"}',
    "good batch, every field": '{"texts": ["a", "b"], "offsets": "utf8", "glossaries": ["ai"], '
                               '"context_rule": false, "explain": true}',
    "empty batch": '{"texts": []}',
    "syntax error": '{\n  "text": oops\n}',
    "100,000-digit integer": '{"text": "LLM", "offsets": %s}' % BIG,
    "4,300-digit integer (within the limit)": '{"text": %s}' % ("9" * 4300),
    "NaN": '{"text": NaN}',
    "Infinity": '{"text": "x", "offsets": Infinity}',
    "1e400": '{"text": "x", "offsets": 1e400}',
    "-1e400 in an unknown field": '{"text": "x", "zzz": {"a": -1e400}}',
    "20,000 nested arrays": "[" * 20_000 + "]" * 20_000,
    "20,000 nested objects in a field": '{"text": "x", "glossaries": ' + '{"a":' * 20_000 + "1"
                                        + "}" * 20_000 + "}",
    "500 nested arrays in a field": '{"text": "LLM", "glossaries": ' + "[" * 500 + "]" * 500 + "}",
    "lone surrogate in text": b'{"text": "LLM \\ud800 RAG"}',
    "lone surrogate in a batch": b'{"texts": ["ok", "\\udfff"]}',
    "lone surrogate in a glossary id": b'{"text": "x", "glossaries": ["\\ud800"]}',
    "lone surrogate in an unknown key": b'{"text": "x", "\\ud800x": 1}',
    "not an object": "[]",
    "neither text nor texts": "{}",
    "both text and texts": '{"text": "a", "texts": ["b"]}',
    "text null": '{"text": null}',
    "text a number": '{"text": 5}',
    "text true": '{"text": true}',
    "batch item a number": '{"texts": ["ok", 3]}',
    "batch item true": '{"texts": ["ok", true]}',
    "too many texts": json.dumps({"texts": ["a"] * (MAX_TEXTS + 1)}),
    "unknown offsets": '{"text": "a", "offsets": "bytes"}',
    "offsets null": '{"text": "a", "offsets": null}',
    "empty glossaries": '{"text": "a", "glossaries": []}',
    "unknown glossary id": '{"text": "a", "glossaries": ["ai", "nope"]}',
    "explain 1 (a number for a boolean)": '{"text": "a", "explain": 1}',
    "unknown field": '{"text": "a", "alias": 1}',
}.items()}


def outcome(fn: Callable[[bytes], object], raw: bytes) -> str:
    try:
        fn(raw)
    except ApiError as err:
        return f"{PROBLEM_TYPES[err.slug][0]} {err.field or '-'}"
    except Exception as err:  # noqa: BLE001 - a crash is exactly what this table must show
        return f"500 ({type(err).__name__})"
    return "ok"


def agreement() -> tuple[str, dict[str, int]]:
    expected = {name: outcome(today, raw) for name, raw in CASES.items()}
    differ: dict[str, int] = {}
    rows = []
    for name, raw in CASES.items():
        cells = [name, expected[name]]
        for label, fn in list(CONTENDERS.items())[1:]:
            got = outcome(fn, raw)
            differ[label] = differ.get(label, 0) + (got != expected[name])
            cells.append("same" if got == expected[name] else f"**{got}**")
        rows.append(cells)
    headers = ["body", "today (status field)", *list(CONTENDERS)[1:]]
    rows.append(["**bodies answered differently**", "", *(str(differ[k]) for k in list(CONTENDERS)[1:])])
    return table(headers, rows), differ


# --- 2. how fast, for bodies that are accepted ---------------------------------------------

def bodies() -> tuple[str, dict[str, bytes]]:
    label, docs = bench.inputs.articles()
    paragraphs = [p.strip() for doc in docs for p in re.split(r"\n\s*\n", doc)
                  if len(p.strip().encode()) >= 80]  # paragraphs, not headings
    batch = list(itertools.islice(itertools.cycle(paragraphs), 2000))
    dump = lambda doc: json.dumps(doc, ensure_ascii=False).encode()  # noqa: E731
    return label, {
        "1 text": dump({"text": paragraphs[0], "offsets": "utf16"}),
        "200 paragraphs": dump({"texts": paragraphs[:200], "offsets": "utf16", "glossaries": ["ai"]}),
        f"{len(batch)} texts": dump({"texts": batch, "offsets": "utf16"}),
    }


def speed(log=print, rounds: int = 9) -> str:
    label, named = bodies()
    rows = []
    for name, raw in named.items():
        for fn in CONTENDERS.values():
            assert outcome(fn, raw) == "ok", (name, fn.__name__)
        repeat = max(3, 2_000_000 // len(raw))  # at least 2 MB of JSON per timed sample
        log(f"{name}: {len(raw):,} bytes, {repeat} decodes per sample")
        times = side_by_side({k: (lambda fn=fn: [fn(raw) for _ in range(repeat)])
                              for k, fn in CONTENDERS.items()}, rounds=rounds)
        base = times[next(iter(CONTENDERS))]
        for contender, seconds in times.items():
            rows.append([f"{name} ({len(raw):,} bytes)", contender,
                         f"{seconds / repeat * 1e6:,.1f}", f"{seconds / base:.2f}"])
    headers = ["body", "bytes -> checked request", "CPU µs per body (median)", "x today's"]
    return f"Article text: {label}.\n\n" + table(headers, rows)


# --- 3. does the generated schema say what today's says? ---------------------------------

def schema_agreement() -> str:
    ids = sorted(rm.GLOSSARY_IDS)
    schemas = {"today (service/openapi.py)": openapi._schemas(MAX_TEXTS, ids)["MatchRequest"],
               "msgspec.json.schema + patches": rm.msgspec_schema(MAX_TEXTS, ids),
               "pydantic model_json_schema + patches": rm.pydantic_schema(MAX_TEXTS, ids)}
    checkers = {name: jsonschema.Draft202012Validator(schema) for name, schema in schemas.items()}
    parsed = {}
    for name, raw in CASES.items():
        try:
            parsed[name] = strict_json.loads(raw.decode("utf-8"))
        except strict_json.JSONError:
            continue  # malformed JSON: no schema applies
    rows = []
    for label, checker in checkers.items():
        differ = [name for name, body in parsed.items()
                  if checker.is_valid(body) != (outcome(today, CASES[name]) == "ok")]
        rows.append([label, f"{len(parsed) - len(differ)} of {len(parsed)}", ", ".join(differ) or "-"])
    return table(["MatchRequest schema", "bodies judged as the server does", "differ"], rows)


# --- 4. lines of code ----------------------------------------------------------------------

def code_lines(path: Path, names: list[str], keys: tuple[str, ...] = ()) -> int:
    """Lines of the top-level definitions `names` (and dict entries `keys`) in `path`, without
    blank lines, comments and docstrings."""
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source)
    spans, skip = [], set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.ClassDef, ast.Assign, ast.AnnAssign)) \
                and node in tree.body:
            targets = [node.name] if hasattr(node, "name") else [
                t.id for t in (node.targets if isinstance(node, ast.Assign) else [node.target])
                if isinstance(t, ast.Name)]
            if set(targets) & set(names):
                spans.append((node.lineno, node.end_lineno))
        if isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values):
                if isinstance(key, ast.Constant) and key.value in keys:
                    spans.append((key.lineno, value.end_lineno))
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and ast.get_docstring(node):
            doc = node.body[0]
            skip.update(range(doc.lineno, doc.end_lineno + 1))
    lines = source.splitlines()
    return sum(1 for start, end in spans for n in range(start, end + 1)
               if n not in skip and lines[n - 1].strip() and not lines[n - 1].strip().startswith("#"))


def line_counts() -> str:
    removed = (code_lines(Path(inspect.getfile(validation)),
                          ["MATCH_FIELDS", "JSON_TYPES", "_kind", "MatchRequest", "parse_match_request"])
               + code_lines(Path(inspect.getfile(openapi)), [], keys=("MatchRequest",)))
    models = Path(inspect.getfile(rm))
    rows = []
    for label, names in rm.SHIPPED.items():
        added = code_lines(models, names)
        gone = 0 if "fast path" in label else removed
        rows.append([label, str(added), str(gone), f"{added - gone:+d}"])
    return (f"Today: parse_match_request with its helpers and the MatchRequest schema, {removed} lines.\n\n"
            + table(["adoption", "lines added", "lines removed", "net"], rows))


def run(log=print) -> dict[str, str]:
    versions = f"msgspec {msgspec.__version__}, pydantic {pydantic.VERSION}"
    errors, _ = agreement()
    return {"errors": f"{versions}.\n\n{rm.LEGEND}\n{errors}", "schema": schema_agreement(),
            "speed": speed(log), "lines": line_counts()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.request_decoding",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path,
                        help="the shared corpus folder, when it is not ../shared/corpus")
    args = parser.parse_args(argv)
    if args.corpus:
        bench.inputs.SHARED = args.corpus
    report = run(log=lambda msg: print(msg, file=sys.stderr))
    for title, body in report.items():
        print(f"\n## {title}\n\n{body}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
