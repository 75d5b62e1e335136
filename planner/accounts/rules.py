"""The account rules, in one place so the web forms and the CLI can never disagree.

Email addresses: stored lower-case in their ASCII form. A domain written in another script
(``user@bücher.de``) is accepted and stored as IDNA (``user@xn--bcher-kva.de``), which every
mail server takes. A local part outside ASCII (``üser@example.com``) is refused with a clear
message: it needs SMTPUTF8 at every hop, which Afterglow's transport and many relays do not
offer, and an address that cannot be mailed would leave an account stuck unconfirmed.

Time zones: one frozenset of the canonical IANA names, computed once (``available_timezones()``
reads the tz database and costs milliseconds per call); the list offered in forms and the
check agree because they are the same set.
"""

from __future__ import annotations

import datetime as dt
import functools
import zoneinfo

from email_validator import EmailNotValidError, validate_email

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 200
MAX_EMAIL_LENGTH = 254
PASSWORD_LENGTH_MESSAGE = f"Use {MIN_PASSWORD_LENGTH} to {MAX_PASSWORD_LENGTH} characters."


class InvalidEmail(ValueError):
    """An address Afterglow cannot accept; the message says why, in words for the person."""


def normalise_email(email: str) -> str:
    """The stored form of an address, for look-ups: stripped, lower-case, IDNA domain.

    Never fails: text that is not an address comes back stripped and lower-cased, so a log-in
    with it simply finds no account.
    """
    text = email.strip().lower()
    try:
        return validate_email(text, check_deliverability=False, allow_smtputf8=False).ascii_email.lower()
    except EmailNotValidError:
        return text


def check_email(email: str) -> str:
    """The stored form of a new account's address, or InvalidEmail with the reason."""
    text = email.strip()
    if len(text) > MAX_EMAIL_LENGTH:
        raise InvalidEmail(f"Use at most {MAX_EMAIL_LENGTH} characters.")
    local = text.rpartition("@")[0]
    if not local.isascii():
        raise InvalidEmail(
            "Afterglow can only send to addresses whose part before the @ uses plain letters (a–z), "
            "digits and . _ + -. Please use another address."
        )
    try:
        found = validate_email(text, check_deliverability=False, allow_smtputf8=False)
    except EmailNotValidError:
        raise InvalidEmail("Enter a valid email address, like name@example.com.") from None
    return found.ascii_email.lower()


def password_problem(password: str) -> str | None:
    """Why a new password is not acceptable, or None."""
    if not MIN_PASSWORD_LENGTH <= len(password) <= MAX_PASSWORD_LENGTH:
        return PASSWORD_LENGTH_MESSAGE
    return None


@functools.cache
def zones() -> frozenset[str]:
    """Every canonical IANA zone this machine knows (tzdata ships them everywhere).

    Etc/ zones are left out on purpose: "Etc/GMT+5" is five hours *behind* UTC, which nobody
    choosing their own zone expects; their city's zone says the same thing correctly.
    """
    names = {z for z in zoneinfo.available_timezones() if not z.startswith(("Etc/", "SystemV/", "posix/", "right/"))}
    return frozenset((names | {"UTC"}) - {"localtime", "Factory"})  # files in the zone folder that are no zone


@functools.cache
def zone_names() -> tuple[str, ...]:
    """The zones offered in forms, sorted."""
    return tuple(sorted(zones()))


def is_zone(name: str) -> bool:
    return name in zones()


def parse_hhmm(text: str) -> dt.time:
    """'07:30' → time(7, 30); raises ValueError with a readable message."""
    try:
        hours, minutes = text.strip().split(":")
        return dt.time(int(hours), int(minutes))
    except ValueError:
        raise ValueError(f"{text!r} is not a time like 07:30") from None


def apply_default_times(user, config) -> None:
    """New accounts start with the routine and reminder times from config.toml."""
    user.morning_time = parse_hhmm(config["MORNING_TIME"])
    user.evening_time = parse_hhmm(config["EVENING_TIME"])
    user.reminder_time = parse_hhmm(config["REMINDER_TIME"])
