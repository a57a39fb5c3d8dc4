"""Example requests and answers for /openapi.json, shown by /docs.

Written by hand to read well (and to show no term of the glossary a server really holds);
tests/service/test_openapi.py checks each against its schema, so they cannot drift from it.
"""

from __future__ import annotations

from termlight.service.problems import PROBLEM_TYPES, type_uri

VERSION = "5d41402abc4b2a76"

LORA = {
    "id": "lora", "term": "LoRA", "aliases": ["Low-Rank Adaptation"],
    "definition": "A parameter-efficient fine-tuning method that freezes the model and trains "
                  "small low-rank matrices added to some of its layers.",
    "url": "https://arxiv.org/abs/2106.09685", "related": ["qlora"], "tags": ["training"],
    "glossary": "ai",
}

MATCH_TEXT = "We tried LoRA."
MATCH_REQUEST = {"text": MATCH_TEXT, "offsets": "utf16"}
MATCH_RESPONSE = {
    "matches": [{"start": 9, "end": 13, "term_id": "lora", "text": "LoRA", "why": "term"}],
    "terms": {"lora": LORA},
    "offsets": "utf16",
    "glossary_version": VERSION,
}
# No "glossaries" here: the ids a server accepts are its own (and listed only with a token).
BATCH_REQUEST = {"texts": ["RAG in one line", "and LoRA in another"], "offsets": "codepoint"}

TERM_LIST = {"terms": [LORA], "count": 1, "glossary_version": VERSION}
GLOSSARY_LIST = {"glossaries": [{"id": "ai", "name": "AI and LLM jargon",
                                 "description": "What the words in AI articles mean.",
                                 "terms": 424}],
                 "glossary_version": VERSION, "context_min": 3}
HEALTH = {"status": "ok", "terms": 424, "glossaries": 1, "problems": 0, "glossary_version": VERSION,
          "errors": []}

# What a client sees for each problem type (detail and field as the service words them).
PROBLEM_DETAILS = {
    "invalid-json": ("The body is not valid JSON: Expecting value (line 1, column 1).", None),
    "bad-request": ("Invalid request line.", None),
    "unauthorized": ("The token is not valid.", "Authorization"),
    "request-timeout": ("The body did not arrive within 30 s.", None),
    "not-found": ("No term with id 'lorra'.", "id"),
    "method-not-allowed": ("Use GET or HEAD here.", None),
    "too-large": ("The body is 6000000 bytes; the limit is 5242880.", None),
    "uri-too-long": ("The request line is over 4094 bytes.", None),
    "unsupported-media-type": ("Send the body as application/json.", None),
    "headers-too-large": ("A header is over 8190 bytes.", None),
    "invalid-request": ("'texts[3]' must be a string.", "texts[3]"),
    "internal-error": ("A bug in termlight; it is logged.", None),
}


def problem(slug: str) -> dict:
    status, title, _when = PROBLEM_TYPES[slug]
    detail, field = PROBLEM_DETAILS.get(slug, (title + ".", None))
    out = {"type": type_uri(slug), "title": title, "status": status, "detail": detail}
    if field:
        out["field"] = field
    return out
