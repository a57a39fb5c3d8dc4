"""Decoding and validating a POST /v1/match body: termlight's msgspec model against the rest.

``python -m bench.request_decoding [--corpus DIR]`` (also a part of ``make bench``).  Issue 13
asked for one model per body as the single source of decoding, validation and the OpenAPI
schema, if a library removed code, kept every error (a 400 for any malformed JSON, huge numbers,
NaN, 1e400 and deep nesting included; a 422 naming the field for every wrong value, lone
surrogates included; the limits known only at run time) and was not slower on a 2000-text body.
termlight adopted msgspec (service/match_request.py); this run keeps the evidence current, with
the alternatives of bench/request_models.py:

* errors: which bodies each option answers differently from termlight (status and ``field``);
* schema: whether the MatchRequest schema served (generated from the Struct) and the one
  generated from the pydantic model accept the bodies the server accepts;
* speed: CPU time of bytes -> checked request for three bodies of real article text, all options
  interleaved in the same rounds (bench/timing.py), as a ratio to termlight's.

The article text comes from ../shared/corpus/articles when present (bench/inputs.py), from a
generated corpus otherwise.
"""

from __future__ import annotations

import argparse
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
from bench.request_models import CONTENDERS, MAX_TEXTS, termlight
from bench.timing import side_by_side, table
from termlight import strict_json
from termlight.service.match_request import match_request_schema
from termlight.service.problems import PROBLEM_TYPES, ApiError

# --- 1. do the errors agree with termlight's? --------------------------------------------

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
    "lone surrogate in offsets": b'{"text": "x", "offsets": "\\ud800"}',
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
    expected = {name: outcome(termlight, raw) for name, raw in CASES.items()}
    differ: dict[str, int] = {}
    rows = []
    for name, raw in CASES.items():
        cells = [name, expected[name]]
        for label, fn in list(CONTENDERS.items())[1:]:
            got = outcome(fn, raw)
            differ[label] = differ.get(label, 0) + (got != expected[name])
            cells.append("same" if got == expected[name] else f"**{got}**")
        rows.append(cells)
    headers = ["body", "termlight (status field)", *list(CONTENDERS)[1:]]
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
    headers = ["body", "bytes -> checked request", "CPU µs per body (median)", "x termlight's"]
    return f"Article text: {label}.\n\n" + table(headers, rows)


# --- 3. do the generated schemas say what the server does? --------------------------------

def schema_agreement() -> str:
    ids = sorted(rm.GLOSSARY_IDS)
    schemas = {"termlight (msgspec.json.schema + patches)": match_request_schema(MAX_TEXTS, ids),
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
                  if checker.is_valid(body) != (outcome(termlight, CASES[name]) == "ok")]
        rows.append([label, f"{len(parsed) - len(differ)} of {len(parsed)}", ", ".join(differ) or "-"])
    return table(["MatchRequest schema", "bodies judged as the server does", "differ"], rows)


def run(log=print) -> dict[str, str]:
    versions = f"msgspec {msgspec.__version__}, pydantic {pydantic.VERSION}"
    errors, _ = agreement()
    return {"errors": f"{versions}.\n\n{rm.LEGEND}\n{errors}", "schema": schema_agreement(),
            "speed": speed(log)}


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
