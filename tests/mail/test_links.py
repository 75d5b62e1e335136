"""Signed links: whose they are, which day, how long they work, and the URLs they sit in."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from planner.links import LinkError, Links, Purpose, day_of, user_for

DAY = dt.date(2026, 3, 16)
KEY = "k3y-of-account-42"


@pytest.fixture
def links(app) -> Links:
    return Links.for_app(app)


def test_day_token_round_trip_and_url_from_the_url_map(links):
    token = links.day_token(42, KEY, DAY)
    signed = links.check(Purpose.DAY, token)
    assert (signed.user_id, signed.account_key, day_of(signed)) == (42, KEY, DAY)
    assert links.day_url(token, "done") == f"http://afterglow.test/email/day/{token}/done"
    assert links.day_url(token, "done") == links.url("email_actions.day", token=token, action="done")
    assert token.replace("-", "").replace("_", "").replace(".", "").isalnum()  # URL-safe as it is


def test_urls_follow_the_public_base_url_with_a_path(app):
    app.config["PUBLIC_BASE_URL"] = "https://example.org/afterglow/"
    links = Links.for_app(app)
    token = links.unsubscribe_token(7, KEY)
    assert links.unsubscribe_url(token) == f"https://example.org/afterglow/email/unsubscribe/{token}"
    assert links.filled("plan.day", "day", "2026-03-16") == "https://example.org/afterglow/plan/day/2026-03-16"
    assert links.fixed("settings.profile") == "https://example.org/afterglow/settings/profile"


def test_day_token_expires_after_the_configured_days(app):
    now = time.time()
    old = Links.for_app(app, clock=lambda: now - 14.1 * 86400).day_token(42, KEY, DAY)
    recent = Links.for_app(app, clock=lambda: now - 13.9 * 86400).day_token(42, KEY, DAY)
    links = Links.for_app(app, clock=lambda: now)
    assert links.check(Purpose.DAY, recent).user_id == 42
    with pytest.raises(LinkError) as caught:
        links.check(Purpose.DAY, old)
    assert caught.value.expired


def test_unsubscribe_token_does_not_expire(app):
    token = Links.for_app(app, clock=lambda: time.time() - 3 * 365 * 86400).unsubscribe_token(42, KEY)
    assert Links.for_app(app).check(Purpose.UNSUBSCRIBE, token).user_id == 42


@pytest.mark.parametrize("mangle", [
    lambda t: t.replace("42.", "43.", 1),
    lambda t: t.replace(KEY, "another-key", 1),
    lambda t: t.replace("2026-03-16", "2026-03-17"),
    lambda t: t[:-3],
    lambda t: "",
    lambda t: t + "x",
])
def test_tampered_day_tokens_are_refused(links, mangle):
    token = links.day_token(42, KEY, DAY)
    with pytest.raises(LinkError) as caught:
        links.check(Purpose.DAY, mangle(token))
    assert not caught.value.expired


def test_tokens_of_one_purpose_open_no_other_and_die_with_the_secret(app, links):
    tokens = {purpose: links.sign(purpose, 42, KEY, "x") for purpose in Purpose}
    for made_for, token in tokens.items():
        assert links.check(made_for, token).user_id == 42
        for other in set(Purpose) - {made_for}:
            with pytest.raises(LinkError):
                links.check(other, token)
    app.config["SECRET_KEY"] = "another secret"
    rotated = Links.for_app(app)
    for purpose, token in tokens.items():
        with pytest.raises(LinkError):
            rotated.check(purpose, token)


def test_a_link_opens_only_the_account_it_was_made_for(links, factory):
    """Same id, different account key (an id reused after a deletion): refused as gone."""
    ada = factory.user(email="ada@example.com")
    good = links.unsubscribe_token(ada.id, ada.account_key)
    assert user_for(links, Purpose.UNSUBSCRIBE, good)[0].id == ada.id
    with pytest.raises(LinkError) as caught:
        user_for(links, Purpose.UNSUBSCRIBE, links.unsubscribe_token(ada.id, "key-of-a-deleted-account"))
    assert caught.value.gone
    with pytest.raises(LinkError) as caught:
        user_for(links, Purpose.UNSUBSCRIBE, links.unsubscribe_token(ada.id + 1000, ada.account_key))
    assert caught.value.gone
