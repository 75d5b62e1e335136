"""Every throttle counts in one shared store: two app instances (two hosts, separate instance
folders) pointed at one Redis share each limit; with the default memory:// each counts alone."""

from __future__ import annotations

import logging
import pickle
import secrets
import time

import pytest
from limits import RateLimitItemPerSecond
from limits.strategies import MovingWindowRateLimiter

from planner import create_app, ratelimit
from planner.extensions import db
from planner.ratelimit import MemoryStore, RateLimiter
from planner.storage.models import User
from tests.support.app import PASSWORD, base_config
from tests.support.services import free_port


def two_apps(tmp_path, storage_uri: str, **extra):
    """Two apps ("two hosts") with their own instance folders, on one database."""
    url = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    apps = [create_app(base_config(tmp_path / name, url, RATELIMIT_STORAGE_URI=storage_uri, **extra)) for name in ("a", "b")]
    assert apps[0].instance_path != apps[1].instance_path
    with apps[0].app_context():
        db.create_all()
    return apps


def feed_status(app, address: str) -> int:
    path = f"/feed/{secrets.token_urlsafe(32)}.ics"  # an unknown link: 404 unless limited first
    return app.test_client().get(path, environ_base={"REMOTE_ADDR": address}).status_code


def test_two_apps_share_the_feed_limit_through_redis(tmp_path, redis_url):
    a, b = two_apps(tmp_path, redis_url, FEED_RATE_LIMIT_PER_MINUTE=3)
    assert [feed_status(a, "198.51.100.1"), feed_status(b, "198.51.100.1"), feed_status(a, "198.51.100.1")] == [404, 404, 404]
    assert feed_status(b, "198.51.100.1") == 429  # the fourth request, on the other host
    assert feed_status(a, "198.51.100.1") == 429
    assert feed_status(b, "198.51.100.2") == 404  # another client has its own count


def test_two_apps_share_the_login_limit_through_redis(tmp_path, redis_url):
    a, b = two_apps(tmp_path, redis_url, LOGIN_ATTEMPTS_PER_MINUTE=2)
    with a.app_context():
        user = User(email="ada@example.com", timezone="UTC")
        user.set_password(PASSWORD)
        db.session.add(user)
        db.session.commit()

    def login(app, password: str):
        return app.test_client().post("/login", data={"email": "ada@example.com", "password": password})

    assert "do not match an account" in login(a, "wrong guess!").text
    assert "do not match an account" in login(b, "wrong guess!").text
    refused = login(a, PASSWORD)  # the third attempt in a minute, whichever host takes it
    assert refused.status_code == 429 and "Too many attempts" in refused.text
    assert login(b, PASSWORD).status_code == 429


def test_with_memory_storage_each_app_counts_alone(tmp_path):
    a, b = two_apps(tmp_path, "memory://", FEED_RATE_LIMIT_PER_MINUTE=1)
    assert feed_status(a, "198.51.100.1") == 404
    assert feed_status(a, "198.51.100.1") == 429
    assert feed_status(b, "198.51.100.1") == 404  # b never heard of a's request


def test_a_limiter_in_an_app_counts_in_its_store(tmp_path, redis_url):
    a, b = two_apps(tmp_path, redis_url)
    limiter = RateLimiter(2, name="test")
    with a.app_context():
        assert limiter.hit("key") == 0.0
    with b.app_context():
        assert limiter.hit("key") == 0.0
        assert 0 < limiter.hit("key") <= 60
    with a.app_context():
        assert RateLimiter(2, name="other").hit("key") == 0.0  # a name keeps limiters apart


def test_an_unreachable_store_lets_requests_through_and_says_so(tmp_path, caplog):
    [a, _] = two_apps(tmp_path, f"redis://127.0.0.1:{free_port()}/0", FEED_RATE_LIMIT_PER_MINUTE=1)
    with caplog.at_level(logging.WARNING, logger="planner.ratelimit"):
        assert [feed_status(a, "198.51.100.1") for _ in range(3)] == [404, 404, 404]
    assert "Rate limit store unavailable" in caplog.text
    assert "198.51.100.1" not in caplog.text


def test_the_memory_store_keeps_the_moving_window_and_forgets_what_expired():
    """The memory store's upkeep is bounded per tick, yet a key keeps exactly its limit and an
    expired key is forgotten (the feed's many distinct tokens must not pile up)."""
    store = MemoryStore()
    strategy = MovingWindowRateLimiter(store)
    item = RateLimitItemPerSecond(3, 1, namespace="test-memory")
    assert [strategy.hit(item, "a") for _ in range(4)] == [True, True, True, False]
    assert all(strategy.hit(item, f"k{n}") for n in range(50))
    assert len(store.events[item.key_for("a")]) == 3  # trimmed to the limit as it is hit
    time.sleep(1.1)  # the window (1 s) has passed for every key
    store._MemoryStorage__expire_events()
    assert store.events == {}  # every expired key forgotten in one tick (fewer than TICK_KEYS)
    assert strategy.hit(item, "a")  # a new window
    assert list(store.events) == [item.key_for("a")]


def test_the_memory_store_keeps_one_upkeep_thread_while_it_holds_counts():
    """Hits in a row reuse one upkeep thread (no thread started per tick), and it ends once
    nothing is held; the next hit starts it again."""
    store = MemoryStore()
    strategy = MovingWindowRateLimiter(store)
    item = RateLimitItemPerSecond(100, 1, namespace="test-upkeep")
    assert strategy.hit(item, "a")
    upkeep = store.timer
    assert upkeep.is_alive() and upkeep.name == "afterglow-limits-upkeep"
    for _ in range(3):
        time.sleep(store.TICK_SECONDS * 1.5)
        assert strategy.hit(item, "a")
        assert store.timer is upkeep  # the same thread, ticking
    upkeep.join(timeout=5)  # the counts expire after 1 s, then the thread ends
    assert not upkeep.is_alive() and store.events == {}
    assert strategy.hit(item, "b")
    assert store.timer is not upkeep and store.timer.is_alive()
    assert pickle.loads(pickle.dumps(store)).events.keys() == store.events.keys()


def _script_calls(redis_url: str) -> int:
    import redis

    with redis.Redis.from_url(redis_url) as client:
        stats = client.info("commandstats")
    return sum(stats.get(name, {}).get("calls", 0) for name in ("cmdstat_evalsha", "cmdstat_eval"))


@pytest.mark.parametrize("store", ["memory", "redis"])
def test_several_limits_count_in_order_up_to_the_first_that_refuses(tmp_path, request, store):
    """hit_all counts as ``a.hit(x) or b.hit(y)`` would, in memory and in Redis alike, and leaves the
    counts where limits' own strategy reads them (the same keys and lists)."""
    [app, _] = two_apps(tmp_path, request.getfixturevalue("redis_url") if store == "redis" else "memory://")
    per_address, per_token = RateLimiter(2, name="test-address"), RateLimiter(1, name="test-token")
    with app.app_context():
        strategy = MovingWindowRateLimiter(app.extensions[ratelimit.EXTENSION].storage)

        def left(limiter, key):
            return strategy.get_window_stats(limiter.item, key).remaining

        assert ratelimit.hit_all((per_address, "198.51.100.1"), (per_token, "t1")) == 0.0
        assert (left(per_address, "198.51.100.1"), left(per_token, "t1")) == (1, 0)
        wait = ratelimit.hit_all((per_address, "198.51.100.1"), (per_token, "t1"))  # the token's limit refuses
        assert 58 < wait <= 60
        assert (left(per_address, "198.51.100.1"), left(per_token, "t1")) == (0, 0)
        assert 58 < ratelimit.hit_all((per_address, "198.51.100.1"), (per_token, "t2")) <= 60  # the address refuses
        assert left(per_token, "t2") == 1  # so the token behind it was not counted
        assert ratelimit.hit_all((per_address, "198.51.100.2"), (per_token, "t2")) == 0.0
        assert per_token.hit("t2") > 0 and per_address.hit("198.51.100.2") == 0.0


def test_a_feed_request_checks_both_its_limits_in_one_round_trip(tmp_path, redis_url):
    """The feed counts per address and per token: one script call to Redis, not one per limit."""
    [app, _] = two_apps(tmp_path, redis_url, FEED_RATE_LIMIT_PER_MINUTE=2)
    assert feed_status(app, "198.51.100.1") == 404  # loads the script into Redis (a first call may need two)
    before = _script_calls(redis_url)
    assert feed_status(app, "198.51.100.1") == 404
    assert _script_calls(redis_url) - before == 1
    refused = app.test_client().get(f"/feed/{secrets.token_urlsafe(32)}.ics", environ_base={"REMOTE_ADDR": "198.51.100.1"})
    assert refused.status_code == 429 and 1 <= int(refused.headers["Retry-After"]) <= 60
    assert _script_calls(redis_url) - before == 2  # the refusal's wait came with the same answer


def test_in_redis_a_window_that_passed_lets_hits_in_and_keeps_only_the_limit(tmp_path, redis_url):
    """Once the oldest hit leaves the window the next is counted, and the key's list is trimmed to
    the limit (as limits' own script keeps it)."""
    import redis

    [app, _] = two_apps(tmp_path, redis_url)
    limiter = RateLimiter(2, period_seconds=2, name="test-window")
    with app.app_context():
        assert ratelimit.hit_all((limiter, "k")) == 0.0
        time.sleep(1.2)
        assert ratelimit.hit_all((limiter, "k")) == 0.0  # the key now lives until 2 s after this hit
        assert ratelimit.hit_all((limiter, "k")) > 0  # two hits in the window: full
        time.sleep(1.0)  # the first hit has left the window, the second has not
        assert ratelimit.hit_all((limiter, "k")) == 0.0
        assert ratelimit.hit_all((limiter, "k")) > 0
        key = app.extensions[ratelimit.EXTENSION].storage.prefixed_key(limiter.item.key_for("k"))
    with redis.Redis.from_url(redis_url) as client:
        assert client.llen(key) == 2 and 0 < client.ttl(key) <= 2
