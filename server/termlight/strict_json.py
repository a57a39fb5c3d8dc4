"""JSON parsing that either returns plain JSON values or raises one error type, JSONError.

Python's json module has failure modes beyond JSONDecodeError, and it accepts things that
are not JSON (RFC 8259):

* an integer of more than 4,300 digits raises a plain ValueError (the integer-digits limit);
* nesting a few thousand arrays deep raises RecursionError;
* `NaN`, `Infinity` and `-Infinity` are accepted, and so is `1e400`, which becomes inf.

Request bodies (service/validation.py) and glossary files (loader.py) both go through
`loads`, so each of these is a clear "malformed JSON" for a client or a glossary editor
instead of a 500 or a non-finite number travelling on.
"""

from __future__ import annotations

import json
import math


class JSONError(ValueError):
    """The text is not JSON this program accepts; `where` is "line L, column C" when known."""

    def __init__(self, message: str, where: str = ""):
        super().__init__(f"{where}: {message}" if where else message)
        self.message = message
        self.where = where


def _shown(text: str) -> str:
    return text if len(text) <= 24 else f"{text[:12]}…{text[-6:]} ({len(text)} characters)"


def _int(text: str) -> int:
    try:
        return int(text)
    except ValueError:  # over sys.get_int_max_str_digits()
        raise JSONError(f"the number {_shown(text)} has too many digits") from None


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise JSONError(f"the number {_shown(text)} is out of range")
    return value


def _constant(name: str) -> float:
    raise JSONError(f"{name} is not a JSON value")


def loads(text: str) -> object:
    """Parse `text` (already decoded) as strict JSON; raises JSONError for anything else."""
    try:
        return json.loads(text, parse_int=_int, parse_float=_float, parse_constant=_constant)
    except JSONError:
        raise
    except json.JSONDecodeError as err:
        raise JSONError(err.msg, f"line {err.lineno}, column {err.colno}") from None
    except RecursionError:
        raise JSONError("nested too deeply") from None
    except ValueError as err:  # anything else the parser raises is still the text's fault
        raise JSONError(str(err)[:200]) from None
