"""Where a form may send the person next: only back into this site."""

from __future__ import annotations

from urllib.parse import urlsplit


def safe_next(target: str | None) -> str | None:
    """A same-site relative path, or None: never an open redirect, never a header injection."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return None
    if not target.isprintable():  # CR, LF, NUL … would break the Location header
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target
