"""Private links: unguessable, stored only as a hash, rotated and revoked at once, never crossed."""

from __future__ import annotations

import base64
import hashlib
import hmac

import sqlalchemy as sa

from planner import create_app
from planner.extensions import db
from planner.feed import http as feed_http
from planner.feed import tokens
from planner.feed.lookup import LOOKUP_TTL_SECONDS, lookup
from planner.storage.models import FeedToken
from tests.support.app import IsolatedClient, base_config
from tests.support.feed import EXOSOME


def path(token: str) -> str:
    return f"/feed/{token}.ics"


def test_a_token_carries_256_bits_and_only_its_hash_is_stored(user):
    token = tokens.issue(user)
    assert tokens.TOKEN_PATTERN.fullmatch(token)
    assert len(base64.urlsafe_b64decode(token + "=")) == 32
    row = tokens.token_row(user)
    assert row.token_sha256 == hashlib.sha256(token.encode()).hexdigest()
    assert len(base64.urlsafe_b64decode(row.nonce + "=")) == 32  # the randomness behind it
    stored = db.session.execute(sa.select(FeedToken.__table__)).one()
    assert not any(token in str(value) for value in stored)


def test_tokens_do_not_repeat_and_look_random(user):
    seen = {tokens.issue(user) for _ in range(200)}
    assert len(seen) == 200
    bits = "".join(f"{byte:08b}" for t in seen for byte in base64.urlsafe_b64decode(t + "="))
    assert 0.47 < bits.count("1") / len(bits) < 0.53


def test_a_database_leak_reveals_no_working_link(client, user):
    token = tokens.issue(user)
    assert client.get(path(token)).status_code == 200
    row = tokens.token_row(user)
    # What a leaked row offers: the nonce and the token's hash. Neither is a link, nor is an
    # HMAC of the nonce under any key but the server's.
    guessed = base64.urlsafe_b64encode(hmac.new(b"not-the-key", b"afterglow feed token\x00" + row.nonce.encode(),
                                                hashlib.sha256).digest()).rstrip(b"=").decode()
    for attempt in (row.nonce, row.token_sha256, guessed):
        assert client.get(path(attempt)).status_code == 404


def test_regenerating_cuts_the_old_link_at_once_even_when_cached(client, user):
    old = tokens.issue(user)
    assert client.get(path(old)).status_code == 200
    assert client.get(path(old)).status_code == 200  # now served from this worker's cache
    new = tokens.issue(user)
    assert new != old
    assert client.get(path(old)).status_code == 404
    assert client.get(path(new)).status_code == 200


def test_revoking_cuts_the_link(client, user):
    token = tokens.issue(user)
    assert tokens.revoke(user) is True
    assert client.get(path(token)).status_code == 404
    assert tokens.current_token(user) is None
    assert tokens.revoke(user) is False


def test_a_token_shows_only_its_own_users_plan(client, factory):
    ada, bob = factory.user(), factory.user()
    factory.product(ada, "Alpha exosome serum", EXOSOME, exosome_source="human")
    factory.product(bob, "Beta exosome serum", EXOSOME, exosome_source="plant")
    ada_feed = client.get(path(tokens.issue(ada))).data
    bob_feed = client.get(path(tokens.issue(bob))).data
    assert b"Alpha" in ada_feed and b"Beta" not in ada_feed
    assert b"Beta" in bob_feed and b"Alpha" not in bob_feed
    uid_suffixes = {line.split(b".", 1)[1] for body in (ada_feed, bob_feed)
                    for line in body.split(b"\r\n") if line.startswith(b"UID:")}
    assert len(uid_suffixes) == 2  # and no user id in them


def test_a_new_secret_key_cuts_every_link(app, client, user):
    token = tokens.issue(user)
    original = app.config["SECRET_KEY"]
    app.config["SECRET_KEY"] = "a rotated key"
    try:
        assert client.get(path(token)).status_code == 404
        assert tokens.current_token(user) is None  # the Calendar page offers a new link
        assert lookup(token) is None
    finally:
        app.config["SECRET_KEY"] = original


def test_another_host_refuses_a_regenerated_link_within_a_second(app, client, tmp_path, user):
    """A second app over the same database with its own instance folder plays another host.

    It answers from its lookup cache (a 304 without a query) for at most LOOKUP_TTL_SECONDS,
    counted on its cache's clock, which the test moves by hand; the app that made the change
    refuses the old link at once."""

    other = create_app(base_config(tmp_path / "other-host", app.config["DATABASE_URL"]))
    other.test_client_class = IsolatedClient
    clock = [1000.0]
    other.extensions["afterglow_feed"].lookups.clock = lambda: clock[0]
    try:
        old = tokens.issue(user)
        worker = other.test_client()
        first = worker.get(path(old))
        assert first.status_code == 200
        assert worker.get(path(old), headers={"If-None-Match": first.headers["ETag"]}).status_code == 304  # cached
        assert len(other.extensions["afterglow_feed"].lookups) == 1
        new = tokens.issue(user)  # through this app, as if the Calendar page ran on the first host
        assert client.get(path(old)).status_code == 404  # the host that made the change: at once
        clock[0] += LOOKUP_TTL_SECONDS  # one second later on the other host
        assert worker.get(path(old)).status_code == 404
        before = worker.get(path(new))
        assert before.status_code == 200 and b"SUMMARY:Exosome serum" in before.data
        user.discreet_titles = True  # any committed edit reaches the other host within the second, too
        db.session.commit()
        clock[0] += LOOKUP_TTL_SECONDS
        after = worker.get(path(new), headers={"If-None-Match": before.headers["ETag"]})
        assert after.status_code == 200 and b"SUMMARY:Evening routine" in after.data
        tokens.revoke(user)
        clock[0] += LOOKUP_TTL_SECONDS
        assert worker.get(path(new)).status_code == 404
    finally:
        feed_http.close(other)
        with other.app_context():
            db.engine.dispose()
