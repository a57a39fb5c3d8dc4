"""Prototypes: the POST /v1/match body as a msgspec Struct and as a pydantic v2 model.

Each contender turns the raw body into a checked request or raises the ApiError today's code
would raise (status and ``field`` are what bench/request_decoding.py compares).  Two kinds:

* the library alone (``*_alone``): its parser and validator in one pass, with only what no
  static model can hold added on top (exactly one of text/texts, TERMLIGHT_MAX_TEXTS, glossary
  ids known at run time);
* the library made to agree with today's answers (``*_agreeing``): what an adoption would
  have to ship, which keeps strict_json for every body the library's parser refuses, the lone
  surrogate checks and the runtime rules.

``*_schema`` build the MatchRequest schema of /openapi.json from each model, with the parts a
model cannot say (oneOf, the live limits) patched in.
"""

from __future__ import annotations

from typing import Annotated, Collection, Literal

import msgspec
import pydantic

from termlight import strict_json
from termlight.engine.offsets import UNITS
from termlight.service.problems import ApiError, safe_text
from termlight.service.validation import check_unicode, parse_match_request

MAX_TEXTS = 10_000  # the default TERMLIGHT_MAX_TEXTS
GLOSSARY_IDS = frozenset({"ai", "crypto"})
Offsets = Literal[UNITS]  # type: ignore[valid-type]

OFFSETS_DOC = ("The unit of start/end: utf16 (JavaScript string indices), codepoint (Python) "
               "or utf8 (bytes).")
GLOSSARIES_DOC = "Only match terms of these glossaries."
CONTEXT_DOC = ("A form marked ambiguous counts only when the texts also hold enough unambiguous "
               "terms of its glossary. false: every ambiguous form counts.")
EXPLAIN_DOC = "Also list what the rules dropped (`suppressed`, per text) and the context found (`context`)."


def _msgspec_doc(text: str) -> msgspec.Meta:
    return msgspec.Meta(description=text)


class MatchStruct(msgspec.Struct, forbid_unknown_fields=True):
    """UNSET tells an absent field from an explicit null, which must be refused."""
    text: str | msgspec.UnsetType = msgspec.UNSET
    texts: list[str] | msgspec.UnsetType = msgspec.UNSET
    offsets: Annotated[Offsets, _msgspec_doc(OFFSETS_DOC)] = "utf16"
    glossaries: Annotated[list[str], msgspec.Meta(min_length=1, description=GLOSSARIES_DOC)] \
        | msgspec.UnsetType = msgspec.UNSET
    context_rule: Annotated[bool, _msgspec_doc(CONTEXT_DOC)] = True
    explain: Annotated[bool, _msgspec_doc(EXPLAIN_DOC)] = False


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
    """What no static model holds, with today's messages: one of text/texts, the live limits,
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


def today_parse(raw: bytes) -> object:
    """read_json_body's decoding: UTF-8, an optional BOM, strict_json."""
    try:
        return strict_json.loads(raw.decode("utf-8").removeprefix("\ufeff"))
    except UnicodeDecodeError as err:
        raise ApiError("invalid-json", f"The body is not valid UTF-8 (byte {err.start}).") from None
    except strict_json.JSONError as err:
        where = f" at {err.where}" if err.where else ""
        raise ApiError("invalid-json", f"Malformed JSON{where}: {err.message}.") from None


def today(raw: bytes):
    """strict_json + parse_match_request, as read_json_body and match_api do."""
    return parse_match_request(today_parse(raw), MAX_TEXTS, GLOSSARY_IDS)


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


def msgspec_agreeing(raw: bytes):
    """msgspec parses to plain values, strict_json whatever it refuses (today's 400s, and lone
    surrogates, which its parser refuses without naming a field); then msgspec converts."""
    try:
        body = msgspec.json.decode(raw)
    except (msgspec.DecodeError, RecursionError):  # numbers out of range are a DecodeError too
        body = today_parse(raw)
    try:
        req = msgspec.convert(body, MatchStruct, strict=True)
    except msgspec.ValidationError as err:
        raise _msgspec_invalid(err) from None
    except UnicodeEncodeError:  # a lone surrogate in an unknown key: msgspec fails to say it
        key = next(k for k in body if k not in MatchStruct.__struct_fields__)
        raise ApiError("invalid-request", "Unknown field.", field=safe_text(key, 100)) from None
    runtime_rules(_unset(req.text), _unset(req.texts), _unset(req.glossaries), surrogates=True)
    return req


def msgspec_fast_path(raw: bytes):
    """msgspec's one pass for the bodies it accepts; any other body goes through today's code
    (which all stays), so every answer is today's by construction."""
    try:
        req = MSGSPEC_DECODER.decode(raw)
        runtime_rules(_unset(req.text), _unset(req.texts), _unset(req.glossaries), surrogates=False)
    except (msgspec.DecodeError, RecursionError, ApiError):
        return today(raw)
    return req


def msgspec_schema(max_texts: int, glossary_ids: Collection[str]) -> dict:
    schema = msgspec.json.schema(MatchStruct)["$defs"]["MatchStruct"]
    del schema["title"], schema["required"]
    schema["properties"]["texts"]["maxItems"] = max_texts
    if glossary_ids:
        schema["properties"]["glossaries"]["items"]["enum"] = sorted(glossary_ids)
    return {**schema, "description": "Exactly one of `text` or `texts`.",
            "oneOf": [{"required": ["text"]}, {"required": ["texts"]}]}


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
    """strict_json parses as today (pydantic's parser takes NaN and refuses 500 nested arrays
    and lone surrogates without naming a field); pydantic validates the values."""
    body = today_parse(raw)
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
    "today": today,
    "msgspec alone": msgspec_alone,
    "msgspec agreeing": msgspec_agreeing,
    "msgspec fast path": msgspec_fast_path,
    "pydantic alone": pydantic_alone,
    "pydantic agreeing": pydantic_agreeing,
}
LEGEND = """\
- today: strict_json + parse_match_request (service/validation.py);
- msgspec alone: `msgspec.json.Decoder(MatchStruct).decode`, one pass;
- msgspec agreeing: `msgspec.json.decode` (strict_json for any body it refuses), then
  `msgspec.convert(body, MatchStruct, strict=True)`, the field read from msgspec's message;
- msgspec fast path: msgspec alone for the bodies it accepts, today's code for every other body;
- pydantic alone: `MatchModel.model_validate_json`, one pass;
- pydantic agreeing: strict_json, then `MatchModel.model_validate` (strict), the field from `loc`.
"""

# What each adoption would ship in server code (names in this module), for the line counts.
SHIPPED = {
    "msgspec agreeing": [
        "OFFSETS_DOC", "GLOSSARIES_DOC", "CONTEXT_DOC", "EXPLAIN_DOC", "_msgspec_doc", "MatchStruct",
        "runtime_rules", "_unset", "_msgspec_field", "_msgspec_invalid", "msgspec_agreeing",
        "msgspec_schema"],
    "pydantic agreeing": [
        "OFFSETS_DOC", "GLOSSARIES_DOC", "CONTEXT_DOC", "EXPLAIN_DOC", "MatchModel",
        "runtime_rules", "_pydantic_invalid", "pydantic_agreeing", "pydantic_schema"],
    "msgspec fast path": [
        "MatchStruct", "runtime_rules", "_unset", "msgspec_fast_path"],
}
