"""Signed one-click links in reminder emails: mark a day's steps, or unsubscribe.

A link carries its user's id (and, for a day link, the local date) signed with the app's
secret key (itsdangerous), so it needs no login and can only ever touch that one user and
that one day: there is no other id in the URL to change. Day links expire after
EMAIL_LINK_MAX_AGE_DAYS. Unsubscribe links do not expire: people unsubscribe from old mail,
anti-spam rules (CAN-SPAM asks for at least 30 days) expect it to keep working, and the worst
a leaked one can do is stop emails, which the profile page turns back on. Rotating the secret
key cuts every link.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass

from itsdangerous import BadSignature, SignatureExpired, Signer
from itsdangerous.timed import TimestampSigner

DAY_SALT = "afterglow.email.day"
SNOOZE_SALT = "afterglow.email.snooze"
UNSUBSCRIBE_SALT = "afterglow.email.unsubscribe"
#: What a day link can do; the path says which, the token says whose day.
DAY_ACTIONS = ("done", "skipped", "clear")
#: When a snooze link sends the message again: in an hour, or before the evening routine.
SNOOZE_CHOICES = ("hour", "tonight")
#: A day's message can be snoozed twice: the message itself (0) and the first snooze's (1) carry links.
MAX_SNOOZES = 2


class LinkError(Exception):
    """A link that cannot be used: ``expired`` tells a stale link from a forged or broken one."""

    def __init__(self, message: str, *, expired: bool = False):
        super().__init__(message)
        self.expired = expired


@dataclass(frozen=True)
class DayLink:
    user_id: int
    day: dt.date


@dataclass(frozen=True)
class SnoozeLink:
    """A snooze link of the message numbered ``number`` (0: the day's message, 1: after one snooze).

    The number makes each snooze exactly once: every tap on the same message's link asks for the
    same snooze (ledger kind ``snooze{number + 1}``), and only the message it sends can ask for
    the next one.
    """

    user_id: int
    day: dt.date
    number: int


class _IssuedAtSigner(TimestampSigner):
    """A timestamp signer that can sign as of a given moment (tests issue already-old links)."""

    issued_at: float | None = None

    def get_timestamp(self) -> int:
        return int(self.issued_at if self.issued_at is not None else time.time())


class Links:
    """Makes and checks the links of one app; cheap to keep for a whole dispatch batch.

    Tokens are itsdangerous signatures over a short plain payload ("42_2026-03-12" for user 42's
    day, "42" for their unsubscribe link): URL-safe as they are, with no JSON or compression to
    pay for on every one of 10,000 messages.
    """

    def __init__(self, secret_key: str, base_url: str, max_age_days: int):
        self.base_url = base_url.rstrip("/")
        self.max_age_seconds = int(max_age_days) * 86400
        self._day = _IssuedAtSigner(secret_key, salt=DAY_SALT)
        self._snooze = _IssuedAtSigner(secret_key, salt=SNOOZE_SALT)
        self._unsubscribe = Signer(secret_key, salt=UNSUBSCRIBE_SALT)

    @classmethod
    def from_config(cls, config) -> Links:
        return cls(config["SECRET_KEY"], config["PUBLIC_BASE_URL"], config["EMAIL_LINK_MAX_AGE_DAYS"])

    # -- tokens ------------------------------------------------------------------------------

    def day_token(self, user_id: int, day: dt.date, *, issued_at: float | None = None) -> str:
        payload = f"{user_id}_{day.isoformat()}"
        if issued_at is None:
            return self._day.sign(payload).decode("ascii")
        signer = _IssuedAtSigner(self._day.secret_keys[-1], salt=DAY_SALT)
        signer.issued_at = issued_at
        return signer.sign(payload).decode("ascii")

    def check_day_token(self, token: str) -> DayLink:
        try:
            payload = self._day.unsign(token, max_age=self.max_age_seconds).decode("ascii")
            user_id, day = payload.split("_")
            return DayLink(int(user_id), dt.date.fromisoformat(day))
        except SignatureExpired:
            raise LinkError("This link has expired.", expired=True) from None
        except (BadSignature, ValueError, UnicodeDecodeError):
            raise LinkError("This link is not valid.") from None

    def snooze_token(self, user_id: int, day: dt.date, number: int, *, issued_at: float | None = None) -> str:
        payload = f"{user_id}_{day.isoformat()}_{number}"
        if issued_at is None:
            return self._snooze.sign(payload).decode("ascii")
        signer = _IssuedAtSigner(self._snooze.secret_keys[-1], salt=SNOOZE_SALT)
        signer.issued_at = issued_at
        return signer.sign(payload).decode("ascii")

    def check_snooze_token(self, token: str) -> SnoozeLink:
        try:
            payload = self._snooze.unsign(token, max_age=self.max_age_seconds).decode("ascii")
            user_id, day, number = payload.split("_")
            link = SnoozeLink(int(user_id), dt.date.fromisoformat(day), int(number))
        except SignatureExpired:
            raise LinkError("This link has expired.", expired=True) from None
        except (BadSignature, ValueError, UnicodeDecodeError):
            raise LinkError("This link is not valid.") from None
        if not 0 <= link.number < MAX_SNOOZES:
            raise LinkError("This link is not valid.")
        return link

    def unsubscribe_token(self, user_id: int) -> str:
        return self._unsubscribe.sign(str(user_id)).decode("ascii")

    def check_unsubscribe_token(self, token: str) -> int:
        try:
            payload = self._unsubscribe.unsign(token).decode("ascii")
        except (BadSignature, UnicodeDecodeError):
            raise LinkError("This link is not valid.") from None
        if not payload.isdigit():
            raise LinkError("This link is not valid.")
        return int(payload)

    # -- URLs (paths match planner.web.email_actions) ----------------------------------------

    def day_url(self, token: str, action: str) -> str:
        return f"{self.base_url}/email/day/{token}/{action}"

    def snooze_url(self, token: str, choice: str) -> str:
        return f"{self.base_url}/email/snooze/{token}/{choice}"

    def unsubscribe_url(self, token: str) -> str:
        return f"{self.base_url}/email/unsubscribe/{token}"

    def plan_day_url(self, day: dt.date) -> str:
        return f"{self.base_url}/plan/day/{day.isoformat()}"

    def profile_url(self) -> str:
        return f"{self.base_url}/settings/profile"
