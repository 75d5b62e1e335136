"""Keeping secrets and personal details out of logs and out of the reminder ledger.

Every link that works without a login carries its credential in the path: the calendar feed
(/feed/<token>.ics), the one-click email links (/email/day/<token>/…, /email/snooze/<token>/…, /email/checkin/<token>/…,
/email/unsubscribe/<token>),
password reset and email confirmation. An access log that keeps those paths keeps working keys,
so each log line the app writes passes through ``mask_tokens``: any run of 20 or more URL-token
characters (letters, digits, ``-_.~%``) becomes ``***``. Ordinary paths (``/plan/day/2026-03-12``,
``/static/app.css``) have no such run; a token cannot avoid one (the shortest is 43 characters).
Matching the shape rather than a list of routes means a new token route is masked too
(tests/test_redact.py checks every route of the app that takes a token).

``scrub_error`` is for error text that is stored (the reminder ledger's ``last_error``): mail
servers echo addresses and headers back in their refusals; only the first line is kept, with
addresses and links replaced.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping

MASK = "***"
_TOKEN_RUN = re.compile(r"[A-Za-z0-9_.~%-]{20,}")
_LONG_RUN = re.compile(r"[A-Za-z0-9_.~%+/=-]{32,}")
_ADDRESS = re.compile(r"[^\s<>()\[\]\"',;:]+@[^\s<>()\[\]\"',;:]+")
_LINK = re.compile(r"\b(?:https?|webcal|mailto)://\S+|\bmailto:\S+", re.IGNORECASE)
MAX_ERROR_CHARS = 300


def mask_tokens(text: str) -> str:
    """A request line, path or URL with every credential-shaped segment replaced by ***."""
    return _TOKEN_RUN.sub(MASK, text)


def scrub_error(text: str | None) -> str | None:
    """Error text fit to store: first line only, no addresses, links or long tokens, bounded."""
    if text is None:
        return None
    first_line = text.strip().splitlines()[0] if text.strip() else ""
    scrubbed = _LONG_RUN.sub(MASK, _ADDRESS.sub("[address]", _LINK.sub("[link]", first_line)))
    return scrubbed if len(scrubbed) <= MAX_ERROR_CHARS else scrubbed[:MAX_ERROR_CHARS - 1] + "…"


class MaskTokensFilter(logging.Filter):
    """Masks tokens in a log record's message and arguments.

    Arguments come as a tuple (werkzeug's dev-server access log, gunicorn's error log) or as a
    mapping (gunicorn's access log passes its atoms as one dict).
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = mask_tokens(record.msg)
        if isinstance(record.args, Mapping):
            record.args = {k: mask_tokens(v) if isinstance(v, str) else v for k, v in record.args.items()}
        elif isinstance(record.args, tuple):
            record.args = tuple(mask_tokens(a) if isinstance(a, str) else a for a in record.args)
        return True


def mask_werkzeug_access_log() -> None:
    """Install the filter on werkzeug's logger once (create_app may run many times in tests)."""
    logger = logging.getLogger("werkzeug")
    if not any(isinstance(f, MaskTokensFilter) for f in logger.filters):
        logger.addFilter(MaskTokensFilter())
