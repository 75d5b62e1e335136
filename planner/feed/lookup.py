"""From a token to what its feed depends on: one query, a fingerprint, a short per-process cache.

The query reads the token's row, the user's settings, the count and latest edit time of their
procedures and products, and what the feed last published (FeedState). Hashed together with
the horizon, the config and the code, they make the feed's fingerprint: when it equals what
was published, the ETag and Last-Modified are known without rendering anything.

This runs on every feed request, so it is cheap: the statement is compiled once per dialect
and run on a DBAPI connection from a small autocommit pool of its own (the ORM session costs
several times the query; the app's pool would add a ping and a rollback, two more round
trips, to every request; a dead connection is replaced and the query retried once), and its
answer is kept per process for at most LOOKUP_TTL_SECONDS, counted from before the query (and
dropped at once when this process commits a change: changes.py). A cached answer is keyed by
the exact token that passed the HMAC check, so a regenerated or revoked link is refused by
every process on every host within a second. The cache is bounded (LOOKUP_CACHE_ENTRIES): it
serves bursts of one token, while the many distinct tokens of hourly polling go to the query.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa
from flask import current_app

from planner.extensions import db
from planner.feed import tokens
from planner.planning import zones
from planner.storage.models import FeedState, FeedToken, Procedure, Product, User

#: How long any process may answer from a cached lookup: the bound on how late it learns of a
#: revoked link or an edited plan committed elsewhere.
LOOKUP_TTL_SECONDS = 1.0
LOOKUP_CACHE_ENTRIES = 4096
#: User columns that never change the feed (and that should not be hashed anywhere).
_IGNORED_USER_COLUMNS = frozenset({"password_hash", "email", "login_version", "created_at"})


def _code_fingerprint() -> str:
    """Changes when the engine, the catalog or the feed code changes (a deploy re-renders feeds)."""
    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for folder in ("core", "feed", "storage"):
        for path in sorted((root / folder).iterdir()):
            if path.suffix in (".py", ".toml"):
                digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


CODE_FINGERPRINT = _code_fingerprint()


@dataclass(frozen=True)
class Lookup:
    """What a request needs to know about a token that passed the check."""

    token_id: int
    user_id: int
    timezone: str
    inputs_sha256: str  # fingerprint of the feed as it would be rendered now
    published_sha256: str | None  # … and as it was last published
    version: int | None
    changed_at: dt.datetime | None
    last_fetched_at: dt.datetime | None
    last_user_agent: str | None
    #: True when what was last published is what would be rendered now.
    is_current: bool = field(init=False)
    #: The ETag of the published feed when it is current, else None.
    etag: str | None = field(init=False)

    def __post_init__(self) -> None:
        current = self.published_sha256 == self.inputs_sha256 and self.version is not None
        object.__setattr__(self, "is_current", current)
        object.__setattr__(self, "etag", make_etag(self.inputs_sha256, self.version) if current else None)


def make_etag(inputs_sha256: str, version: int) -> str:
    return f"{inputs_sha256[:24]}.{version}"


def horizon(today: dt.date) -> tuple[dt.date, dt.date]:
    """[start, end) of the feed: whole months around FEED_DAYS_BACK … FEED_DAYS_AHEAD.

    Whole months keep the monthly series (and the ETag) stable from one day to the next."""
    config = current_app.config
    start = (today - dt.timedelta(days=int(config["FEED_DAYS_BACK"]))).replace(day=1)
    last = today + dt.timedelta(days=int(config["FEED_DAYS_AHEAD"]))
    end = (last.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    return start, end


def fingerprint(user_id: int, values: tuple, span: tuple[dt.date, dt.date]) -> str:
    config = current_app.config
    material = (CODE_FINGERPRINT, user_id, span, tuple(values), config["FEED_REFRESH_MINUTES"],
                config["PUBLIC_BASE_URL"], tokens.uid_suffix(user_id, "x"))
    return hashlib.sha256(repr(material).encode()).hexdigest()


def local_today(zone_name: str) -> dt.date:
    return zones.local_today(zone_name)


# -- The query ------------------------------------------------------------------------------------


def _statement() -> sa.Select:
    def stat(func, column, model):
        return sa.select(func(column)).where(model.user_id == FeedToken.user_id).scalar_subquery()

    return (
        sa.select(
            FeedToken.id, FeedToken.user_id, FeedToken.nonce, FeedToken.last_fetched_at, FeedToken.last_user_agent,
            FeedState.inputs_sha256, FeedState.version, FeedState.changed_at,
            stat(sa.func.count, Procedure.id, Procedure), stat(sa.func.max, Procedure.updated_at, Procedure),
            stat(sa.func.count, Product.id, Product), stat(sa.func.max, Product.updated_at, Product),
            *(c for c in User.__table__.c if c.name not in _IGNORED_USER_COLUMNS),
        )
        .select_from(FeedToken)
        .join(User, User.id == FeedToken.user_id)
        .outerjoin(FeedState, FeedState.user_id == FeedToken.user_id)
        .where(FeedToken.token_sha256 == sa.bindparam("token_sha256"))
    )


_STATEMENT = _statement()
#: Positions in the raw row the statement returns (the raw cursor skips the Row machinery).
_TOKEN_ID, _USER_ID, _NONCE, _LAST_FETCHED_AT, _LAST_USER_AGENT = 0, 1, 2, 3, 4
_INPUTS_SHA256, _STATE_VERSION, _STATE_CHANGED_AT = 5, 6, 7
_FINGERPRINTED = 8  # from here on: record counts and last changes, then the user's columns
_USER_COLUMNS_START = 12
_TZ_INDEX = _USER_COLUMNS_START + [c.name for c in User.__table__.c
                                   if c.name not in _IGNORED_USER_COLUMNS].index("timezone")


@dataclass(frozen=True)
class _Compiled:
    """The statement compiled for one dialect, with converters for the two instants it reads."""

    sql: str
    positional: bool
    fetched_at: Callable[[object], dt.datetime | None]
    changed_at: Callable[[object], dt.datetime | None]

    def run(self, token_sha256: str) -> tuple | None:
        parameters = (token_sha256,) if self.positional else {"token_sha256": token_sha256}
        engine = lookup_engine()
        dbapi_error = engine.dialect.loaded_dbapi.OperationalError
        for attempt in (1, 2):
            try:
                connection = engine.raw_connection()
            except dbapi_error as error:  # the raw pool does not wrap it: the app's 503 handler needs SQLAlchemy's
                if attempt == 2:
                    raise sa.exc.OperationalError(self.sql, None, error) from error
                continue
            try:
                cursor = connection.cursor()
                try:
                    cursor.execute(self.sql, parameters)
                    return cursor.fetchone()
                finally:
                    cursor.close()
            except dbapi_error as error:
                connection.invalidate()  # a restarted database: a new connection, once
                if attempt == 2:
                    raise sa.exc.OperationalError(self.sql, None, error) from error
            finally:
                connection.close()
        raise AssertionError("unreachable")

    def answer(self, row: tuple, today: dt.date) -> Lookup:
        inputs = fingerprint(row[_USER_ID], row[_FINGERPRINTED:], horizon(today))
        return Lookup(row[_TOKEN_ID], row[_USER_ID], row[_TZ_INDEX], inputs, row[_INPUTS_SHA256], row[_STATE_VERSION],
                      self.changed_at(row[_STATE_CHANGED_AT]), self.fetched_at(row[_LAST_FETCHED_AT]),
                      row[_LAST_USER_AGENT])


ENGINE_KEY = "afterglow_feed_lookup_engine"
LOOKUP_POOL_SIZE = 4


def lookup_engine() -> sa.Engine:
    """The app's lookup pool: autocommit (nothing to roll back), no ping (a failure retries)."""
    engine = current_app.extensions.get(ENGINE_KEY)
    if engine is None:
        engine = sa.create_engine(db.engine.url, isolation_level="AUTOCOMMIT", pool_pre_ping=False,
                                  pool_reset_on_return=None, pool_size=LOOKUP_POOL_SIZE, max_overflow=LOOKUP_POOL_SIZE)
        engine = current_app.extensions.setdefault(ENGINE_KEY, engine)
    return engine


def close_lookup_engine(app) -> None:
    engine = app.extensions.pop(ENGINE_KEY, None)
    if engine is not None:
        engine.dispose()


@functools.lru_cache(maxsize=4)
def _compiled(dialect) -> _Compiled:
    def converter(column):
        process = column.type.dialect_impl(dialect).result_processor(dialect, None)
        return process or (lambda value: value)

    return _Compiled(str(_STATEMENT.compile(dialect=dialect)), dialect.positional,
                     converter(FeedToken.__table__.c.last_fetched_at), converter(FeedState.__table__.c.changed_at))


# -- The cache ------------------------------------------------------------------------------------


@dataclass
class _CachedLookup:
    expires: float
    row: tuple
    today: dt.date
    found: Lookup


class LookupCache:
    """Token → lookup answer, per process, bounded; see the module docstring for when it is trusted."""

    def __init__(self, ttl: float = LOOKUP_TTL_SECONDS, size: int = LOOKUP_CACHE_ENTRIES,
                 clock: Callable[[], float] = time.monotonic):
        self.ttl = ttl
        self.size = size
        self.clock = clock
        self._entries: dict[str, _CachedLookup] = {}

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, token: str) -> _CachedLookup | None:
        entry = self._entries.get(token)
        if entry is None or entry.expires <= self.clock():
            return None
        return entry

    def put(self, token: str, entry: _CachedLookup) -> None:
        self._entries[token] = entry
        while len(self._entries) > self.size:
            self._entries.pop(next(iter(self._entries)), None)  # the oldest insertion

    def discard(self, token: str) -> None:
        self._entries.pop(token, None)

    def clear(self) -> None:
        self._entries.clear()


def lookup(token: str, today: dt.date | None = None, cache: LookupCache | None = None) -> Lookup | None:
    """The token's feed facts, or None for a malformed, unknown, revoked or stale token."""
    if not tokens.is_well_formed(token):
        return None
    if cache is not None and (entry := cache.get(token)) is not None:
        day = today or local_today(entry.found.timezone)
        if day != entry.today:
            entry.today, entry.found = day, _compiled(db.engine.dialect).answer(entry.row, day)
        return entry.found
    asked_at = cache.clock() if cache is not None else 0.0  # before the query: see the module docstring
    query = _compiled(db.engine.dialect)
    row = query.run(tokens.token_sha256(token))
    if row is None or not tokens.matches(token, row[_NONCE]):
        if cache is not None:
            cache.discard(token)
        return None
    day = today or local_today(row[_TZ_INDEX])
    found = query.answer(row, day)
    if cache is not None:
        cache.put(token, _CachedLookup(asked_at + cache.ttl, row, day, found))
    return found
