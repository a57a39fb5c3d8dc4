"""Keep API tokens out of every log line, wherever a client puts them.

The access-log format already leaves out headers, so a token sent the right way
(`Authorization: Bearer ...`) is never written. But clients make mistakes: a token pasted
into a query string (`?token=...`), a path or a User-Agent lands in the request line or the
user-agent field, which the access log must show. Instead of guessing every place, each line
gunicorn (and the app, which shares its handlers) writes is searched for the configured
tokens, raw and URL-encoded, and they are replaced before the line is formatted out.
"""

from __future__ import annotations

import logging
from urllib.parse import quote, quote_plus

from gunicorn import glogging

from termlight import settings

MASK = "[redacted]"


class Redactor(logging.Filter):
    """A handler filter that masks the given secrets in the rendered message."""

    def __init__(self, secrets: tuple[str, ...]):
        super().__init__()
        variants = {v for s in secrets for v in (s, quote(s, safe=""), quote_plus(s)) if v}
        # Longest first, so a secret that contains another is masked whole.
        self.needles = sorted(variants, key=len, reverse=True)

    def _mask(self, text: str) -> str:
        for needle in self.needles:
            if needle in text:
                text = text.replace(needle, MASK)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = self._mask(message)
        if masked != message:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self._mask(record.exc_text)
        return True


class RedactingLogger(glogging.Logger):
    """gunicorn's logger, with a Redactor on every handler it sets up (again on SIGHUP)."""

    def setup(self, cfg) -> None:
        super().setup(cfg)
        tokens = settings.value("tokens")
        if not tokens:
            return
        redactor = Redactor(tokens)
        for log in (self.error_log, self.access_log):
            for handler in log.handlers:
                handler.addFilter(redactor)
