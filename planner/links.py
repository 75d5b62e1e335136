"""Signed user links (email actions, unsubscribe, password reset, email confirmation) and the
public URLs of every link the app mails or shows.

One signing scheme for every emailed link: itsdangerous's TimestampSigner with one salt per
purpose, over a short plain payload ``<user id>.<account key>.<extra…>``. The payload is
URL-safe as it is, with no JSON or compression to pay for on each of 10,000 reminders.

- The **account key** (``User.account_key``: random, unique, never reused) is in every token and
  is compared with the account's own when the link is used, so a link of a deleted account can
  never act on another one, even if an id were reused.
- A token of one purpose is refused for every other one (the salt differs).
- Rotating the secret key cuts every link.

URLs are built through Flask's URL map, bound to ``PUBLIC_BASE_URL`` (never to a request's Host
header, which a client chooses), so no route path is spelled outside its blueprint. A dispatch
batch builds each URL shape once and appends tokens to it (``Links.filled``): a few hundred
nanoseconds a link instead of a full URL-map build.

The calendar feed keeps its own rotatable nonce token (planner.feed.tokens); only its URL is
built here.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import urlsplit

from flask import Flask
from itsdangerous import BadSignature, SignatureExpired
from itsdangerous.encoding import base64_encode, int_to_bytes, want_bytes
from itsdangerous.timed import TimestampSigner
from werkzeug.routing import Map

from planner.extensions import db
from planner.storage.models import User

#: Separates the payload's fields. Neither an account key (base64url), a number, a hex digest nor
#: an ISO date contains it, and it is the signer's own separator: a token stays in [A-Za-z0-9_.-].
FIELD_SEPARATOR = "."
#: What a day link can do; the path says which, the token says whose day.
DAY_ACTIONS = ("done", "skipped", "clear")
#: The answers a check-in link can give (core.model.CheckInAnswer values); the path says which.
CHECKIN_ANSWERS = ("still", "settled")
#: When a snooze link sends the message again: in an hour, or before the evening routine.
SNOOZE_CHOICES = ("hour", "tonight")
#: A day's message can be snoozed twice: the message itself (0) and the first snooze's (1) carry links.
MAX_SNOOZES = 2
_PLACEHOLDER = "AFTERGLOWPLACEHOLDER"


class Purpose(StrEnum):
    """What a signed link is for; each has its own salt, so tokens are not interchangeable."""

    DAY = "day"
    SNOOZE = "snooze"
    UNSUBSCRIBE = "unsubscribe"
    PASSWORD_RESET = "password-reset"
    CONFIRM_EMAIL = "confirm-email"
    CHECKIN = "checkin"  # the skin check-in of one procedure on one day: "still" or "settled"


#: How long each kind of link works, in seconds; None = never expires. Day links: from config.
#: Unsubscribe links do not expire: people unsubscribe from old mail, anti-spam rules (CAN-SPAM
#: asks for at least 30 days) expect it to keep working, and the worst a leaked one can do is
#: stop emails, which the profile page turns back on.
MAX_AGE_SECONDS = {
    Purpose.UNSUBSCRIBE: None,
    Purpose.PASSWORD_RESET: 3600,
    Purpose.CONFIRM_EMAIL: 7 * 86400,
}


class LinkError(Exception):
    """A link that cannot be used: ``expired`` tells a stale link from a forged or broken one."""

    def __init__(self, message: str, *, expired: bool = False, gone: bool = False):
        super().__init__(message)
        self.expired = expired
        #: Signed by us, for an account that no longer exists.
        self.gone = gone


@dataclass(frozen=True)
class Signed:
    """What a checked token says: whose it is, and the purpose's extra fields."""

    user_id: int
    account_key: str
    extra: tuple[str, ...]


class _ClockSigner(TimestampSigner):
    """A timestamp signer that reads the time from the Links' clock (injectable, for tests and runs as of an instant)."""

    def __init__(self, secret_key: str, salt: str, clock: Callable[[], float]):
        super().__init__(secret_key, salt=salt)
        self.clock = clock

    def get_timestamp(self) -> int:
        return int(self.clock())

    def sign(self, value: str | bytes) -> bytes:
        """TimestampSigner.sign, with the timestamp's encoding kept for the second it is in
        (a dispatch run signs three links a message, thousands a second)."""
        now = self.get_timestamp()
        if self.__dict__.get("_stamped_at") != now:
            self._stamped_at, self._stamp = now, base64_encode(int_to_bytes(now))
        sep = want_bytes(self.sep)
        value = want_bytes(value) + sep + self._stamp
        return value + sep + self.get_signature(value)

    def get_signature(self, value: str | bytes) -> bytes:
        """itsdangerous's signature, from an HMAC keyed once: it derives the key (one more HMAC)
        and keys a new HMAC on every call, half the cost of a link in a run of 10,000 messages."""
        keyed = self.__dict__.get("_keyed")
        if keyed is None:
            keyed = self._keyed = hmac.new(self.derive_key(), digestmod=self.digest_method)
        mac = keyed.copy()
        mac.update(want_bytes(value))
        return base64_encode(mac.digest())


class Links:
    """Signs, checks and builds the links of one app; cheap to keep for a whole dispatch batch."""

    def __init__(self, secret_key: str, public_base_url: str, url_map: Map, *, day_max_age_days: int,
                 clock: Callable[[], float] = time.time):
        parts = urlsplit(public_base_url.rstrip("/"))
        self._urls = url_map.bind(parts.netloc, script_name=parts.path or "/", url_scheme=parts.scheme or "https")
        day_max_age = int(day_max_age_days) * 86400
        self.max_age_seconds = {**MAX_AGE_SECONDS, Purpose.DAY: day_max_age, Purpose.SNOOZE: day_max_age,
                                Purpose.CHECKIN: day_max_age}
        self._signers = {p: _ClockSigner(str(secret_key), f"afterglow.link.{p}", clock) for p in Purpose}
        self._shapes: dict[tuple, tuple[str, str]] = {}

    @classmethod
    def for_app(cls, app: Flask, *, clock: Callable[[], float] = time.time) -> Links:
        config = app.config
        return cls(config["SECRET_KEY"], config["PUBLIC_BASE_URL"], app.url_map,
                   day_max_age_days=config["EMAIL_LINK_MAX_AGE_DAYS"], clock=clock)

    # -- tokens ------------------------------------------------------------------------------

    def sign(self, purpose: Purpose, user_id: int, account_key: str, *extra: str) -> str:
        payload = FIELD_SEPARATOR.join((str(user_id), account_key, *extra))
        return self._signers[purpose].sign(payload).decode("ascii")

    def check(self, purpose: Purpose, token: str) -> Signed:
        """The token's user and fields; LinkError when expired, tampered or malformed."""
        try:
            payload = self._signers[purpose].unsign(token, max_age=self.max_age_seconds[purpose]).decode("ascii")
        except SignatureExpired:
            raise LinkError("This link has expired.", expired=True) from None
        except (BadSignature, UnicodeDecodeError, ValueError):
            raise LinkError("This link is not valid.") from None
        user_id, _, rest = payload.partition(FIELD_SEPARATOR)
        account_key, _, extra = rest.partition(FIELD_SEPARATOR)
        if not user_id.isdigit() or not account_key:
            raise LinkError("This link is not valid.")
        return Signed(int(user_id), account_key, tuple(extra.split(FIELD_SEPARATOR)) if extra else ())

    def day_token(self, user_id: int, account_key: str, day: dt.date) -> str:
        return self.sign(Purpose.DAY, user_id, account_key, day.isoformat())

    def snooze_token(self, user_id: int, account_key: str, day: dt.date, number: int) -> str:
        """A snooze link of the message numbered ``number`` (0: the day's message, 1: after one snooze)."""
        return self.sign(Purpose.SNOOZE, user_id, account_key, day.isoformat(), str(number))

    def unsubscribe_token(self, user_id: int, account_key: str) -> str:
        return self.sign(Purpose.UNSUBSCRIBE, user_id, account_key)

    def checkin_token(self, user_id: int, account_key: str, day: dt.date, procedure_id: int) -> str:
        """A check-in link: the answer for one procedure on one day (the path says which answer)."""
        return self.sign(Purpose.CHECKIN, user_id, account_key, day.isoformat(), str(procedure_id))

    # -- URLs --------------------------------------------------------------------------------

    def url(self, endpoint: str, **values) -> str:
        """The public, absolute URL of a route, built by the URL map."""
        return self._urls.build(endpoint, values, force_external=True)

    def filled(self, endpoint: str, field: str, value: str, **fixed) -> str:
        """``url(endpoint, field=value, **fixed)`` for URL-safe values, at a string concatenation's cost.

        The route's shape is built once through the URL map with a placeholder; tokens (base64url
        and ".") and ISO dates need no quoting, so appending them gives the same URL.
        """
        key = (endpoint, field, *sorted(fixed.items()))
        shape = self._shapes.get(key)
        if shape is None:
            before, _, after = self.url(endpoint, **{field: _PLACEHOLDER}, **fixed).partition(_PLACEHOLDER)
            shape = self._shapes[key] = (before, after)
        return shape[0] + value + shape[1]

    def fixed(self, endpoint: str, **values) -> str:
        """``url(...)`` built once per Links (for URLs every message of a batch shares)."""
        key = (endpoint, "", *sorted(values.items()))
        shape = self._shapes.get(key)
        if shape is None:
            shape = self._shapes[key] = (self.url(endpoint, **values), "")
        return shape[0]

    def day_url(self, token: str, action: str) -> str:
        return self.filled("email_actions.day", "token", token, action=action)

    def snooze_url(self, token: str, choice: str) -> str:
        return self.filled("email_actions.snooze", "token", token, choice=choice)

    def unsubscribe_url(self, token: str) -> str:
        return self.filled("email_actions.unsubscribe", "token", token)

    def checkin_url(self, token: str, answer: str) -> str:
        return self.filled("email_actions.checkin", "token", token, answer=answer)


def keys_match(signed: Signed, account_key: str) -> bool:
    """Constant-time: the link was made for this very account, not one that had its id before."""
    return secrets.compare_digest(signed.account_key.encode(), account_key.encode())


def user_for(links: Links, purpose: Purpose, token: str) -> tuple[User, Signed]:
    """The live account a token was made for, and what it says; LinkError otherwise.

    An account that is gone, or an id that now belongs to another account (its key differs),
    is refused the same way.
    """
    signed = links.check(purpose, token)
    user = db.session.get(User, signed.user_id)
    if user is None or not keys_match(signed, user.account_key):
        raise LinkError("This link belongs to an account that no longer exists.", gone=True)
    return user, signed


def day_of(signed: Signed) -> dt.date:
    """The local date a day link is for."""
    try:
        (day,) = signed.extra
        return dt.date.fromisoformat(day)
    except ValueError:
        raise LinkError("This link is not valid.") from None


def checkin_of(signed: Signed) -> tuple[dt.date, int]:
    """The local date and procedure id a check-in link is for."""
    try:
        day, procedure_id = signed.extra
        return dt.date.fromisoformat(day), int(procedure_id)
    except ValueError:
        raise LinkError("This link is not valid.") from None


@dataclass(frozen=True)
class SnoozeLink:
    """A checked snooze link: the user, the day and which message's link it was.

    The number makes each snooze exactly once: every tap on the same message's link asks for the
    same snooze (ledger kind ``snooze{number + 1}``), and only the message it sends can ask for
    the next one.
    """

    user_id: int
    day: dt.date
    number: int


def snooze_of(signed: Signed) -> SnoozeLink:
    """The day and message number a snooze link is for."""
    try:
        day, number = signed.extra
        link = SnoozeLink(signed.user_id, dt.date.fromisoformat(day), int(number))
    except ValueError:
        raise LinkError("This link is not valid.") from None
    if not 0 <= link.number < MAX_SNOOZES:
        raise LinkError("This link is not valid.")
    return link


def _fingerprint(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def password_reset_token(links: Links, user: User) -> str:
    """Bound to the current password hash too, so the link dies once the password changes (used)."""
    return links.sign(Purpose.PASSWORD_RESET, user.id, user.account_key, _fingerprint(user.password_hash))


def confirmation_token(links: Links, user: User) -> str:
    """Bound to the address too (as a hash: no address in URLs), so it confirms only that one."""
    return links.sign(Purpose.CONFIRM_EMAIL, user.id, user.account_key, _fingerprint(user.email))


def user_for_password_reset(links: Links, token: str) -> User:
    user, signed = user_for(links, Purpose.PASSWORD_RESET, token)
    if signed.extra != (_fingerprint(user.password_hash),):
        raise LinkError("This link was already used.")
    return user


def user_for_confirmation(links: Links, token: str) -> User:
    user, signed = user_for(links, Purpose.CONFIRM_EMAIL, token)
    if signed.extra != (_fingerprint(user.email),):
        raise LinkError("This link is for another address.")
    return user
