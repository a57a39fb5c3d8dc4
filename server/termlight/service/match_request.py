"""The POST /v1/match body as one model: msgspec checks it and /openapi.json describes it.

`MatchRequest` is the single source for the body's fields, their types and defaults and the
schema in the OpenAPI document (`match_request_schema`). What a static model cannot hold is
checked here after msgspec: exactly one of `text`/`texts`, the TERMLIGHT_MAX_TEXTS limit and the
glossary ids loaded at run time, and lone surrogates (msgspec passes strings through as they
are). Every refusal is a 422 problem naming the field, e.g. `texts[3]`.

The body arrives already parsed by `validation.read_json_body`, so malformed JSON (huge numbers,
NaN, 1e400, deep nesting) has been answered with a 400 before the model sees anything.
"""

from __future__ import annotations

from typing import Annotated, Collection

import msgspec
from msgspec import UNSET, Meta, UnsetType

from termlight.engine.offsets import UNITS
from termlight.service.problems import ApiError, safe_text
from termlight.service.validation import check_unicode


class MatchRequest(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    """A checked body. Absent fields are UNSET while msgspec checks (so that an explicit null
    is refused), and None in what `parse_match_request` returns."""

    text: str | UnsetType = UNSET
    texts: list[str] | UnsetType = UNSET
    # A plain string checked against UNITS below: msgspec's Literal check encodes the value as
    # UTF-8 and would raise on a lone surrogate instead of refusing it.
    offsets: Annotated[str, Meta(description="The unit of start/end: utf16 (JavaScript string "
                                             "indices), codepoint (Python) or utf8 (bytes).")] = "utf16"
    glossaries: Annotated[list[str], Meta(min_length=1, description=
                                          "Only match terms of these glossaries.")] | UnsetType = UNSET
    context_rule: Annotated[bool, Meta(description=
                                       "A form marked ambiguous counts only when the texts also hold "
                                       "enough unambiguous terms of its glossary. false: every "
                                       "ambiguous form counts.")] = True
    explain: Annotated[bool, Meta(description="Also list what the rules dropped (`suppressed`, per "
                                              "text) and the context found (`context`).")] = False


FIELDS = MatchRequest.__struct_fields__
OPTIONAL = ("text", "texts", "glossaries")


def _refused(body: dict, err: Exception) -> ApiError:
    """msgspec's error as a problem; the field comes from the body or msgspec's `$.path`."""
    message = str(err)
    unknown = next((key for key in body if key not in FIELDS), None) if isinstance(body, dict) else None
    if unknown is not None:  # also a key msgspec cannot even show (a lone surrogate)
        return ApiError("invalid-request", f"Unknown field; allowed fields are {', '.join(FIELDS)}.",
                        field=safe_text(unknown, 100))
    detail, at, path = message.rpartition(" - at `$")
    if not at:
        return ApiError("invalid-request", f"The body must be a JSON object: {message}.")
    return ApiError("invalid-request", f"{detail}.", field=path.removesuffix("`").lstrip("."))


def parse_match_request(body: object, max_texts: int, glossary_ids: Collection[str]) -> MatchRequest:
    """Check a parsed POST /v1/match body against the model, then the rules it cannot hold."""
    try:
        req = msgspec.convert(body, MatchRequest, strict=True)
    except (msgspec.ValidationError, UnicodeEncodeError) as err:
        raise _refused(body, err) from None
    if (req.text is UNSET) == (req.texts is UNSET):
        raise ApiError("invalid-request",
                       "Give exactly one of 'text' (a string) or 'texts' (an array of strings).",
                       field="text" if req.texts is UNSET else "texts")
    if req.text is not UNSET:
        check_unicode(req.text, "text")
    else:
        if len(req.texts) > max_texts:
            raise ApiError("invalid-request",
                           f"{len(req.texts)} texts is more than the limit of {max_texts}.", field="texts")
        for i, item in enumerate(req.texts):
            check_unicode(item, f"texts[{i}]")
    if req.offsets not in UNITS:
        raise ApiError("invalid-request", f"Must be one of {', '.join(UNITS)}, not "
                                          f"{safe_text(req.offsets, 40)}.", field="offsets")
    for i, gid in enumerate(req.glossaries or ()):
        if gid not in glossary_ids:
            known = ", ".join(sorted(glossary_ids)) or "none"
            raise ApiError("invalid-request", f"Unknown glossary {safe_text(gid, 80)!r}; known: {known}.",
                           field=f"glossaries[{i}]")
    return msgspec.structs.replace(req, **{name: None for name in OPTIONAL
                                           if getattr(req, name) is UNSET})


def match_request_schema(max_texts: int, glossary_ids: Collection[str]) -> dict:
    """The model's JSON Schema, with what only the running server knows and the one-of rule."""
    schema = msgspec.json.schema(MatchRequest)["$defs"]["MatchRequest"]
    properties = schema["properties"]
    properties["texts"]["maxItems"] = max_texts
    properties["offsets"]["enum"] = list(UNITS)
    properties["glossaries"]["items"]["description"] = "A glossary id (the file name without .json)."
    if glossary_ids:
        properties["glossaries"]["items"]["enum"] = sorted(glossary_ids)
    return {"type": "object", "description": "Exactly one of `text` or `texts`.",
            "properties": properties, "oneOf": [{"required": ["text"]}, {"required": ["texts"]}],
            "additionalProperties": False}
