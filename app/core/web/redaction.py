"""Secrets that travel in URLs never reach a log.

A participant's private login link is /f/<slug>/login/<secret>; a staff invitation is
/f/<slug>/welcome/<token>; the big screen's display link is /f/<slug>/screen/<token>. Whoever
reads such a URL can use it, so every log line that can hold a request's URL — Werkzeug's
request log (`python -m app`, `make run`: gevent's, or Werkzeug's), gunicorn's access and error logs, Flask's "Exception
on <path>" — passes through `RedactSecrets`, which replaces the secret part (also URL-encoded,
as in ?next=%2Ff%2Fx%2Flogin%2F…) with `[redacted]`. `install_log_redaction` attaches it to
those loggers; create_app calls it, so it holds however the app is served.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

REDACTED = "[redacted]"
SECRET_SEGMENTS = ("login", "welcome", "screen")
_WORDS = "|".join(SECRET_SEGMENTS)
_PLAIN = re.compile(rf"(/(?:{_WORDS})/)[^/?#&\s\"'%;]+", re.IGNORECASE)
_ENCODED = re.compile(rf"((?:%2F|/)(?:{_WORDS})%2F)[^%&?#\s\"';]+", re.IGNORECASE)
# Loggers whose records can hold a request URL: `python -m app`'s gevent server (gielda.*) or
# Werkzeug's (SERVER=threading), gunicorn's
# access and error logs. The Flask app's own logger is added by install_log_redaction.
LOGGERS = ("werkzeug", "gielda.access", "gielda.server", "gunicorn.access", "gunicorn.error")


def redact(text: str) -> str:
    """`text` with the secret part of every login, invitation and display link replaced."""
    return _ENCODED.sub(rf"\g<1>{REDACTED}", _PLAIN.sub(rf"\g<1>{REDACTED}", text))


class RedactSecrets(logging.Filter):
    """A logging filter that rewrites a record's message without the secrets in its URLs."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a broken format: leave it to the handler to report
            return True
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


def install_log_redaction(extra: Iterable[logging.Logger] = ()) -> None:
    """Attach one RedactSecrets to each logger that can hold a request URL (once each)."""
    for logger in [*(logging.getLogger(name) for name in LOGGERS), *extra]:
        if not any(isinstance(f, RedactSecrets) for f in logger.filters):
            logger.addFilter(RedactSecrets())
