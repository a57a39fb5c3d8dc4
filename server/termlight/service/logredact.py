"""Keep API tokens out of every log line, wherever a client puts them and however it encodes them.

The access-log format already leaves out headers, so a token sent the right way
(`Authorization: Bearer ...`) is never written. But clients make mistakes: a token pasted
into a query string (`?token=...`), a path or a User-Agent lands in the request line or the
user-agent field, which the access log must show. Instead of guessing every place, each line
gunicorn (and the app, which shares its handlers) writes is searched for the configured
tokens, and they are replaced before the line is formatted out.

A URL can spell one character many ways: `+` or `%2B` or `%2b`, `Z` or `%5A`, or `%255A`
once more encoded. So a token is searched as a pattern in which each character may appear
as itself or percent-encoded (hex digits in either case, once or twice), which is what
every decoding of the line would turn back into the token. The values of `token=` and
`access_token=` parameters (names spelled any of those ways too) are masked whatever they
are, so even a wrong or another service's token stays out of the log.
"""

from __future__ import annotations

import logging
import re

from gunicorn import glogging

from termlight import settings

MASK = "[redacted]"
SECRET_PARAMS = ("access_token", "token")


def _hex(value: int) -> str:
    return "".join(f"[{d}{d.lower()}]" if d.isalpha() else d for d in f"{value:02X}")


def _char(c: str, ignore_case: bool = False) -> str:
    """Every spelling of one character in a URL or a log line."""
    raw = c.encode("utf-8")
    spellings = {re.escape(c), re.escape(raw.decode("latin-1")),
                 "".join(f"%(?:25)?{_hex(b)}" for b in raw)}
    if ignore_case and c.lower() != c.upper():
        spellings |= {re.escape(c.lower()), re.escape(c.upper()),
                      "".join(f"%(?:25)?{_hex(b)}" for b in c.swapcase().encode("utf-8"))}
    return "(?:" + "|".join(sorted(spellings, key=len, reverse=True)) + ")"


def spelled_any_way(text: str, ignore_case: bool = False) -> str:
    """A regex for `text` with each character literal or percent-encoded (once or twice)."""
    return "".join(_char(c, ignore_case) for c in text)


_EQUALS = "(?:=|%(?:25)?3[dD])"
_PARAM = re.compile(
    r"(?<![A-Za-z0-9_%])((?:" + "|".join(spelled_any_way(p, True) for p in SECRET_PARAMS)
    + ")" + _EQUALS + r')[^&\s"]*')


class Redactor(logging.Filter):
    """A handler filter that masks secrets (and secret-looking parameters) in each message."""

    def __init__(self, secrets: tuple[str, ...] = ()):
        super().__init__()
        # Longest first, so a secret that contains another is masked whole.
        ordered = sorted({s for s in secrets if s}, key=len, reverse=True)
        self._secrets = re.compile("|".join(spelled_any_way(s) for s in ordered)) if ordered else None

    def mask(self, text: str) -> str:
        if self._secrets is not None:
            text = self._secrets.sub(MASK, text)
        return _PARAM.sub(lambda m: m.group(1) + MASK, text)

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = self.mask(message)
        if masked != message:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.mask(record.exc_text)
        return True


class RedactingLogger(glogging.Logger):
    """gunicorn's logger, with a Redactor on every handler it sets up (again on SIGHUP)."""

    def setup(self, cfg) -> None:
        super().setup(cfg)
        redactor = Redactor(tuple(settings.value("tokens") or ()))
        for log in (self.error_log, self.access_log):
            for handler in log.handlers:
                handler.addFilter(redactor)
