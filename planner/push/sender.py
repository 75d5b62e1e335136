"""Sends encrypted payloads to push services with pywebpush, one HTTP session per dispatch run.

Each request carries a VAPID token (RFC 8292) for the push service's origin, made once per origin
and run. What the push service answers decides the outcome: 201/202 delivered; 404 or 410 the
subscription is gone (the caller removes it); 429 and 5xx or a network error: try again later;
other 4xx: refused for good. The endpoint is a capability URL and never goes into a log or the
ledger; errors name only the status.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import requests
from flask import Flask
from pywebpush import WebPusher

from planner.push import keys

#: How long a push service may keep an undelivered notification: the rest of a day at most.
TTL_SECONDS = 12 * 3600


@dataclass(frozen=True)
class PushResult:
    subscription_id: int
    outcome: str  # "sent", "gone", "retry", "permanent"
    detail: str = ""


class PushSender:
    def __init__(self, app: Flask):
        self.vapid = keys.vapid(app)
        self.subject = app.config.get("VAPID_SUBJECT") or "mailto:" + _sender_address(app.config["MAIL_SENDER"])
        self.timeout = float(app.config.get("PUSH_TIMEOUT_SECONDS", 10))
        self.session = requests.Session()
        self._headers: dict[str, tuple[float, dict]] = {}

    def _vapid_headers(self, endpoint: str) -> dict:
        parts = urlsplit(endpoint)
        audience = f"{parts.scheme}://{parts.netloc}"
        cached = self._headers.get(audience)
        if cached is None or cached[0] < time.time() + 600:
            expires = int(time.time()) + 12 * 3600
            cached = self._headers[audience] = (expires, self.vapid.sign({"aud": audience, "sub": self.subject,
                                                                           "exp": expires}))
        return dict(cached[1])

    def send(self, subscription, payload: bytes) -> PushResult:
        """One encrypted message (aes128gcm) to one subscription row (endpoint, p256dh, auth)."""
        info = {"endpoint": subscription.endpoint, "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth}}
        try:
            response = WebPusher(info, requests_session=self.session).send(
                payload, headers=self._vapid_headers(subscription.endpoint), ttl=TTL_SECONDS,
                content_encoding="aes128gcm", timeout=self.timeout)
        except requests.RequestException as error:
            return PushResult(subscription.id, "retry", f"push service unreachable ({type(error).__name__})")
        status = response.status_code
        if status in (200, 201, 202):
            return PushResult(subscription.id, "sent")
        if status in (404, 410):
            return PushResult(subscription.id, "gone", f"push service answered {status}: subscription removed")
        if status == 429 or status >= 500:
            return PushResult(subscription.id, "retry", f"push service answered {status}")
        return PushResult(subscription.id, "permanent", f"push service refused with {status}")

    def close(self) -> None:
        self.session.close()


def _sender_address(sender: str) -> str:
    from email.utils import parseaddr

    return parseaddr(sender)[1] or "reminders@afterglow.localhost"
