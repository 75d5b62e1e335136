"""Signed links: whose they are, which day, how long they work."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from planner.mail.links import LinkError, Links

DAY = dt.date(2026, 3, 16)


@pytest.fixture
def links() -> Links:
    return Links("secret", "http://afterglow.test/", 14)


def test_day_token_round_trip(links):
    token = links.day_token(42, DAY)
    assert links.check_day_token(token).user_id == 42 and links.check_day_token(token).day == DAY
    assert links.day_url(token, "done") == f"http://afterglow.test/email/day/{token}/done"
    assert token.replace("-", "").replace("_", "").replace(".", "").isalnum()  # URL-safe as it is


def test_day_token_expires_after_the_configured_days(links):
    assert links.check_day_token(links.day_token(42, DAY, issued_at=time.time() - 13.9 * 86400)).user_id == 42
    with pytest.raises(LinkError) as caught:
        links.check_day_token(links.day_token(42, DAY, issued_at=time.time() - 14.1 * 86400))
    assert caught.value.expired


def test_unsubscribe_token_does_not_expire(links):
    token = links.unsubscribe_token(42)
    assert links.check_unsubscribe_token(token) == 42
    assert links.unsubscribe_url(token) == f"http://afterglow.test/email/unsubscribe/{token}"


@pytest.mark.parametrize("mangle", [
    lambda t: t.replace("42_", "43_", 1),
    lambda t: t.replace("2026-03-16", "2026-03-17"),
    lambda t: t[:-3],
    lambda t: "",
    lambda t: t + "x",
])
def test_tampered_day_tokens_are_refused(links, mangle):
    with pytest.raises(LinkError) as caught:
        links.check_day_token(mangle(links.day_token(42, DAY)))
    assert not caught.value.expired


def test_tokens_are_not_interchangeable_and_die_with_the_secret(links):
    day, unsubscribe = links.day_token(42, DAY), links.unsubscribe_token(42)
    with pytest.raises(LinkError):
        links.check_unsubscribe_token(day)
    with pytest.raises(LinkError):
        links.check_day_token(unsubscribe)
    rotated = Links("another secret", "http://afterglow.test", 14)
    with pytest.raises(LinkError):
        rotated.check_day_token(day)
    with pytest.raises(LinkError):
        rotated.check_unsubscribe_token(unsubscribe)
