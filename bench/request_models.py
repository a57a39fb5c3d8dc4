"""Alternatives to termlight's check of the POST /v1/match body, for bench/request_decoding.py.

termlight parses with msgspec (strict_json for every body msgspec refuses) and checks the body
against one msgspec Struct (service/match_request.py).  Against it:

* the libraries alone (``*_alone``): their own parser and validator in one pass, with only what
  no static model can hold added on top (exactly one of text/texts, TERMLIGHT_MAX_TEXTS, the
  glossary ids known at run time);
* pydantic made to agree with termlight's answers (``pydantic_agreeing``): strict_json, then a
  strict pydantic v2 model, the field read from the error's ``loc``;
* termlight's model after strict_json alone (``strict_parse``): the parser it used before msgspec.

Each contender turns the raw body into a checked request or raises the ApiError termlight would.
``pydantic_schema`` builds the MatchRequest schema of /openapi.json from the pydantic model.
The run that chose msgspec (commit d219988, where this module also held the hand-written checks
that the Struct replaced) is summed up in the README, under Performance.
"""

from __future__ import annotations

from typing import Annotated, Collection, Literal

import msgspec
import pydantic

from termlight import strict_json
from termlight.engine.offsets import UNITS
from termlight.service.problems import ApiError, safe_text
from termlight.service.match_request import parse_match_request
from termlight.service.validation import check_unicode, parse_json_body, parse_json_strictly

MAX_TEXTS = 10_000  # the default TERMLIGHT_MAX_TEXTS
GLOSSARY_IDS = frozenset({"ai", "crypto"})
Offsets = Literal[UNITS]  # type: ignore[valid-type]

OFFSETS_DOC = ("The unit of start/end: utf16 (JavaScript string indices), codepoint (Python) "
               "or utf8 (bytes).")
GLOSSARIES_DOC = "Only match terms of these glossaries."
CONTEXT_DOC = ("A form marked ambiguous counts only when the texts also hold enough unambiguous "
               "terms of its glossary. false: every ambiguous form counts.")
EXPLAIN_DOC = "Also list what the rules dropped (`suppressed`, per text) and the context found (`context`)."


class MatchStruct(msgspec.Struct, forbid_unknown_fields=True):
    """msgspec alone: UNSET tells an absent field from an explicit null, which must be refused."""
    text: str | msgspec.UnsetType = msgspec.UNSET
    texts: list[str] | msgspec.UnsetType = msgspec.UNSET
    offsets: Offsets = "utf16"
    glossaries: Annotated[list[str], msgspec.Meta(min_length=1)] | msgspec.UnsetType = msgspec.UNSET
    context_rule: bool = True
    explain: bool = False


class MatchModel(pydantic.BaseModel):
    """Strict: no bool for a number or the other way round, no coercion of any kind."""
    model_config = pydantic.ConfigDict(extra="forbid", strict=True)
    text: str = None  # type: ignore[assignment]  # absent -> None; an explicit null is refused
    texts: list[str] = None  # type: ignore[assignment]
    offsets: Offsets = pydantic.Field("utf16", description=OFFSETS_DOC)
    glossaries: list[str] = pydantic.Field(None, min_length=1, description=GLOSSARIES_DOC)
    context_rule: bool = pydantic.Field(True, description=CONTEXT_DOC)
    explain: bool = pydantic.Field(False, description=EXPLAIN_DOC)


MSGSPEC_DECODER = msgspec.json.Decoder(MatchStruct)


def runtime_rules(text, texts, glossaries, surrogates: bool) -> None:
    """What no static model holds, with termlight's messages: one of text/texts, the live limits,
    and lone surrogates where the library's parser let them through."""
    if (text is None) == (texts is None):
        raise ApiError("invalid-request",
                       "Give exactly one of 'text' (a string) or 'texts' (an array of strings).",
                       field="texts" if texts is not None else "text")
    if texts is not None and len(texts) > MAX_TEXTS:
        raise ApiError("invalid-request", f"{len(texts)} texts is more than the limit of {MAX_TEXTS}.",
                       field="texts")
    if surrogates:
        for i, item in enumerate([text] if text is not None else texts):
            check_unicode(item, "text" if text is not None else f"texts[{i}]")
    for i, gid in enumerate(glossaries or ()):
        if surrogates:
            check_unicode(gid, f"glossaries[{i}]")
        if gid not in GLOSSARY_IDS:
            known = ", ".join(sorted(GLOSSARY_IDS)) or "none"
            raise ApiError("invalid-request", f"Unknown glossary {safe_text(gid, 80)!r}; known: {known}.",
                           field=f"glossaries[{i}]")


def _unset(value):
    return None if value is msgspec.UNSET else value


def termlight(raw: bytes):
    """What POST /v1/match does once the body is read."""
    return parse_match_request(parse_json_body(raw), MAX_TEXTS, GLOSSARY_IDS)


def strict_parse(raw: bytes):
    """The same model after the parser termlight used before msgspec's."""
    return parse_match_request(parse_json_strictly(raw), MAX_TEXTS, GLOSSARY_IDS)


# --- msgspec -------------------------------------------------------------------------------

def _msgspec_field(message: str) -> str | None:
    """msgspec says where only inside its message: "... - at `$.texts[3]`"."""
    unknown = message.removeprefix("Object contains unknown field `")
    if unknown != message:
        return safe_text(unknown.removesuffix("`"), 100)
    _, at, path = message.rpartition(" - at `$")
    return path.removesuffix("`").lstrip(".") if at else None


def _msgspec_invalid(err: msgspec.ValidationError) -> ApiError:
    return ApiError("invalid-request", str(err), field=_msgspec_field(str(err)))


def msgspec_alone(raw: bytes):
    """One pass: msgspec decodes straight into the Struct (lone surrogates are a parse error)."""
    try:
        req = MSGSPEC_DECODER.decode(raw)
    except msgspec.ValidationError as err:  # a subclass of DecodeError, so caught first
        raise _msgspec_invalid(err) from None
    except msgspec.DecodeError as err:
        raise ApiError("invalid-json", str(err)) from None
    except RecursionError:
        raise ApiError("invalid-json", "Nested too deeply.") from None
    runtime_rules(_unset(req.text), _unset(req.texts), _unset(req.glossaries), surrogates=False)
    return req


# --- pydantic ------------------------------------------------------------------------------

def _pydantic_invalid(err: pydantic.ValidationError, body: object = None) -> ApiError:
    first = err.errors(include_url=False, include_context=False, include_input=False)[0]
    if first["type"] == "json_invalid":
        return ApiError("invalid-json", first["msg"])
    field = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in first["loc"])
    if first["type"] == "string_unicode" and not field and isinstance(body, dict):
        field = next(k for k in body if k not in MatchModel.model_fields)  # a surrogate key
    return ApiError("invalid-request", first["msg"], field=safe_text(field.lstrip("."), 100) or None)


def pydantic_alone(raw: bytes):
    """One pass: pydantic-core's JSON parser feeds the validator directly."""
    try:
        req = MatchModel.model_validate_json(raw)
    except pydantic.ValidationError as err:
        raise _pydantic_invalid(err) from None
    runtime_rules(req.text, req.texts, req.glossaries, surrogates=False)
    return req


def pydantic_agreeing(raw: bytes):
    """strict_json parses as termlight's fallback does (pydantic's parser takes NaN and refuses 500 nested arrays
    and lone surrogates without naming a field); pydantic validates the values."""
    body = parse_json_strictly(raw)
    try:
        req = MatchModel.model_validate(body)
    except pydantic.ValidationError as err:
        raise _pydantic_invalid(err, body) from None
    runtime_rules(req.text, req.texts, req.glossaries, surrogates=True)
    return req


def pydantic_schema(max_texts: int, glossary_ids: Collection[str]) -> dict:
    schema = MatchModel.model_json_schema()
    del schema["title"]
    for prop in schema["properties"].values():
        del prop["title"]
        if prop.get("default", 0) is None:  # "absent", which the document says by not requiring it
            del prop["default"]
    schema["properties"]["texts"]["maxItems"] = max_texts
    if glossary_ids:
        schema["properties"]["glossaries"]["items"]["enum"] = sorted(glossary_ids)
    return {**schema, "description": "Exactly one of `text` or `texts`.",
            "oneOf": [{"required": ["text"]}, {"required": ["texts"]}]}


CONTENDERS = {  # short labels: they head the columns of the errors table
    "termlight": termlight,
    "strict_json parse": strict_parse,
    "msgspec alone": msgspec_alone,
    "pydantic alone": pydantic_alone,
    "pydantic agreeing": pydantic_agreeing,
}
LEGEND = """\
- termlight: `msgspec.json.decode` (strict_json for any body it refuses), then
  `msgspec.convert(body, MatchRequest, strict=True)` and the rules no model holds
  (service/validation.py, service/match_request.py);
- strict_json parse: the same checks after strict_json alone, the parser used before;
- msgspec alone: `msgspec.json.Decoder(MatchStruct).decode`, one pass;
- pydantic alone: `MatchModel.model_validate_json`, one pass;
- pydantic agreeing: strict_json, then `MatchModel.model_validate` (strict), the field from `loc`.
"""
