"""Database models: what a user recorded, and what the app did for them.

Instants are UTC (`*_at`, UTCDateTime); local calendar days are plain dates
(`performed_on`, `local_day`) because a procedure or a reminder belongs to the
user's own day, whatever zone they later move to.
"""

from __future__ import annotations

import datetime as dt
import secrets

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask_login import UserMixin
from werkzeug.security import check_password_hash, generate_password_hash

from planner.extensions import db
from planner.storage.types import UTCDateTime, utcnow


#: Ids that appear in sessions, links or URLs are never handed out twice, even on SQLite, whose
#: plain INTEGER PRIMARY KEY reuses the highest id after it is deleted (PostgreSQL's sequences
#: never do). AUTOINCREMENT is ignored by every other backend.
NEVER_REUSE_IDS = {"sqlite_autoincrement": True}


#: users.next_due_at meaning "a run must work this user's instant out again" (reminders/next_due.py).
NEXT_DUE_EVALUATE = dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)


def new_account_key() -> str:
    """128 random bits: the identity sessions and signed links are bound to (see User.account_key)."""
    return secrets.token_urlsafe(16)


class User(UserMixin, db.Model):
    __tablename__ = "users"
    __table_args__ = NEVER_REUSE_IDS

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    #: Random, unique, never reused: every session id and signed link carries it, so a cookie or
    #: link of a deleted account can never open another account, whatever id that one has.
    account_key: so.Mapped[str] = so.mapped_column(sa.String(32), unique=True, default=new_account_key)
    #: Lower-cased, unique.
    email: so.Mapped[str] = so.mapped_column(sa.String(254), unique=True)
    #: When the user proved the address is theirs; no reminder goes to an unconfirmed address.
    email_verified_at: so.Mapped[dt.datetime | None] = so.mapped_column(UTCDateTime())
    password_hash: so.Mapped[str] = so.mapped_column(sa.String(255))
    #: The session generation: bumped at log-out and on password change, so every session
    #: cookie issued before stops working (sessions end on the server, not just in the browser).
    login_version: so.Mapped[int] = so.mapped_column(default=1)
    created_at: so.Mapped[dt.datetime] = so.mapped_column(UTCDateTime(), default=utcnow)

    #: IANA zone name; every plan is made in this zone.
    timezone: so.Mapped[str] = so.mapped_column(sa.String(64), default="UTC")
    #: "morning" or "evening": when the daily serum goes on.
    serum_slot: so.Mapped[str] = so.mapped_column(sa.String(10), default="evening")
    morning_time: so.Mapped[dt.time] = so.mapped_column(sa.Time(), default=dt.time(7, 30))
    evening_time: so.Mapped[dt.time] = so.mapped_column(sa.Time(), default=dt.time(21, 0))
    #: Local wall-clock time of the daily message when it goes at a fixed time.
    reminder_time: so.Mapped[dt.time] = so.mapped_column(sa.Time(), default=dt.time(7, 0))
    #: When the daily message goes: "fixed" (at reminder_time), or "morning" / "evening":
    #: reminder_lead_minutes before that routine's time.
    reminder_anchor: so.Mapped[str] = so.mapped_column(sa.String(10), default="fixed")
    reminder_lead_minutes: so.Mapped[int] = so.mapped_column(default=30)
    #: Holiday switch: no message of any kind up to and including this local date.
    reminders_paused_until: so.Mapped[dt.date | None] = so.mapped_column(sa.Date())
    #: Quiet hours (local wall times; may wrap midnight): nothing is sent inside them.
    quiet_start: so.Mapped[dt.time | None] = so.mapped_column(sa.Time())
    quiet_end: so.Mapped[dt.time | None] = so.mapped_column(sa.Time())

    # Safety screening answers (profile questions).
    active_cancer: so.Mapped[bool] = so.mapped_column(default=False)
    active_skin_infection: so.Mapped[bool] = so.mapped_column(default=False)
    pregnant: so.Mapped[bool] = so.mapped_column(default=False)
    breastfeeding: so.Mapped[bool] = so.mapped_column(default=False)
    skin_cancer_history: so.Mapped[bool] = so.mapped_column(default=False)
    isotretinoin_last_6_months: so.Mapped[bool] = so.mapped_column(default=False)
    #: When the user confirmed a dermatologist approved the plan; None = not confirmed.
    dermatologist_approved_at: so.Mapped[dt.datetime | None] = so.mapped_column(UTCDateTime())

    # The parts of the daily message. remind_daily: the day's steps, every day; the others: a
    # changeover on the day it happens (the message goes on such a day even without the steps).
    remind_daily: so.Mapped[bool] = so.mapped_column(default=True)
    remind_washout: so.Mapped[bool] = so.mapped_column(default=True)
    remind_procedure_day: so.Mapped[bool] = so.mapped_column(default=True)
    remind_recovery_end: so.Mapped[bool] = so.mapped_column(default=True)
    remind_ramp: so.Mapped[bool] = so.mapped_column(default=True)
    #: Send the daily message as a Web Push notification to every subscribed browser too.
    push_enabled: so.Mapped[bool] = so.mapped_column(default=False)
    #: Set by the one-click unsubscribe link; no email of any kind is sent after it.
    email_unsubscribed_at: so.Mapped[dt.datetime | None] = so.mapped_column(UTCDateTime())

    #: The earliest instant a reminder run must look at this user again (UTC; None: nothing to
    #: send until a setting changes). Indexed: a run reads only who is due (reminders/next_due.py).
    next_due_at: so.Mapped[dt.datetime | None] = so.mapped_column(UTCDateTime(), index=True, default=NEXT_DUE_EVALUATE)

    # Calendar feed preferences.
    feed_alarms: so.Mapped[bool] = so.mapped_column(default=False)
    discreet_titles: so.Mapped[bool] = so.mapped_column(default=False)

    procedures: so.WriteOnlyMapped[Procedure] = so.relationship(
        back_populates="user", cascade="all, delete-orphan", passive_deletes=True
    )
    products: so.WriteOnlyMapped[Product] = so.relationship(
        back_populates="user", cascade="all, delete-orphan", passive_deletes=True
    )

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def get_id(self) -> str:
        """The session id: account key and session generation (see planner.accounts.sessions)."""
        return f"{self.id}:{self.account_key}:{self.login_version}"

    @property
    def emails_allowed(self) -> bool:
        return self.email_unsubscribed_at is None


class Procedure(db.Model):
    __tablename__ = "procedures"
    __table_args__ = NEVER_REUSE_IDS

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    user_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: Catalog key, e.g. "microneedling".
    kind: so.Mapped[str] = so.mapped_column(sa.String(40))
    #: The user's local date of the treatment.
    performed_on: so.Mapped[dt.date] = so.mapped_column(sa.Date())
    intensity: so.Mapped[str] = so.mapped_column(sa.String(12), default="standard")
    clinic: so.Mapped[str] = so.mapped_column(sa.String(120), default="")
    notes: so.Mapped[str] = so.mapped_column(sa.Text(), default="")
    #: A clinician's own numbers; None = use the catalog.
    washout_days_override: so.Mapped[int | None] = so.mapped_column()
    retinoid_days_override: so.Mapped[int | None] = so.mapped_column()
    actives_days_override: so.Mapped[int | None] = so.mapped_column()
    #: "Home serum allowed from day N" after an open-wound procedure (D = day 0); None = the catalog.
    home_serum_day_override: so.Mapped[int | None] = so.mapped_column()
    #: Where it was done: "face", "neck", "chest", "hands" or "body" (core.model.Area).
    area: so.Mapped[str] = so.mapped_column(sa.String(10), default="face")
    created_at: so.Mapped[dt.datetime] = so.mapped_column(UTCDateTime(), default=utcnow)
    updated_at: so.Mapped[dt.datetime] = so.mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    user: so.Mapped[User] = so.relationship(back_populates="procedures")


class Product(db.Model):
    __tablename__ = "products"
    __table_args__ = NEVER_REUSE_IDS

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    user_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: so.Mapped[str] = so.mapped_column(sa.String(120))
    brand: so.Mapped[str] = so.mapped_column(sa.String(120), default="")
    #: The ingredient list as pasted (INCI).
    ingredients: so.Mapped[str] = so.mapped_column(sa.Text(), default="")
    #: For exosome serums: "human", "animal", "plant" or "unknown".
    exosome_source: so.Mapped[str | None] = so.mapped_column(sa.String(10))
    is_plated: so.Mapped[bool | None] = so.mapped_column()
    #: The user's correction of the detected classes, comma-separated; None = trust detection.
    classes_override: so.Mapped[str | None] = so.mapped_column(sa.String(200))
    #: How often an exfoliant is used: "daily", "every_other_day", "weekdays", "every_n_days".
    cadence_kind: so.Mapped[str] = so.mapped_column(sa.String(20), default="daily")
    cadence_every_n: so.Mapped[int] = so.mapped_column(default=1)
    #: Weekdays for the "weekdays" cadence, e.g. "0,2,4" (Monday = 0).
    cadence_weekdays: so.Mapped[str] = so.mapped_column(sa.String(20), default="")
    #: First day of the cadence count, so "every other day" is stable whatever range is shown.
    cadence_anchor: so.Mapped[dt.date] = so.mapped_column(sa.Date(), default=dt.date(2000, 1, 3))
    #: "morning", "evening", "both" or None (the planner chooses from the type).
    slot: so.Mapped[str | None] = so.mapped_column(sa.String(10))
    #: "cleanser", "toner", … (core.model.ProductType); None = guessed from the name.
    product_type: so.Mapped[str | None] = so.mapped_column(sa.String(20))
    #: Where it is used, comma-separated (core.model.Area): "face", "face,neck"…
    areas: so.Mapped[str] = so.mapped_column(sa.String(60), default="face")
    #: Products the user stopped using stay listed but leave the plan.
    is_active: so.Mapped[bool] = so.mapped_column(default=True)
    #: "Provided or approved by my clinic for healing skin": may go on open skin after a procedure.
    clinic_approved: so.Mapped[bool] = so.mapped_column(default=False)
    created_at: so.Mapped[dt.datetime] = so.mapped_column(UTCDateTime(), default=utcnow)
    updated_at: so.Mapped[dt.datetime] = so.mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    user: so.Mapped[User] = so.relationship(back_populates="products")


class DispatchState(db.Model):
    """What the reminder dispatch must remember across processes, by name: the newest tz
    database version it has seen (a newer one makes it recompute every next-due instant)."""

    __tablename__ = "dispatch_state"

    key: so.Mapped[str] = so.mapped_column(sa.String(40), primary_key=True)
    value: so.Mapped[str] = so.mapped_column(sa.String(200))


class AdherenceMark(db.Model):
    """The user's record that a day's step was done or skipped."""

    __tablename__ = "adherence_marks"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "local_day", "step_key"),
        sa.Index("ix_adherence_marks_local_day", "local_day"),  # retention prunes by day
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    user_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    local_day: so.Mapped[dt.date] = so.mapped_column(sa.Date())
    #: "serum" or "product:<id>".
    step_key: so.Mapped[str] = so.mapped_column(sa.String(40))
    #: "done" or "skipped".
    status: so.Mapped[str] = so.mapped_column(sa.String(10))
    recorded_at: so.Mapped[dt.datetime] = so.mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class FeedToken(db.Model):
    """A user's private calendar feed link.

    The link's token is HMAC(secret key, nonce): the database keeps the nonce
    (to show the link again) and a SHA-256 of the token (to find it), so a
    database leak alone reveals no working link.
    """

    __tablename__ = "feed_tokens"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    user_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), unique=True
    )
    nonce: so.Mapped[str] = so.mapped_column(sa.String(64))
    token_sha256: so.Mapped[str] = so.mapped_column(sa.String(64), unique=True)
    created_at: so.Mapped[dt.datetime] = so.mapped_column(UTCDateTime(), default=utcnow)
    last_fetched_at: so.Mapped[dt.datetime | None] = so.mapped_column(UTCDateTime())
    last_user_agent: so.Mapped[str | None] = so.mapped_column(sa.String(200))
    fetch_count: so.Mapped[int] = so.mapped_column(default=0)


class ReminderSend(db.Model):
    """The send ledger: one row per user, local day, kind and channel, so nothing goes out twice."""

    __tablename__ = "reminder_sends"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "local_day", "kind", "channel"),
        #: The claim reads only open rows, oldest due first: a day of sent history is not in it.
        sa.Index("ix_reminder_sends_open", "due_at", "id",
                 postgresql_where=sa.text("status IN ('pending', 'failed')"),
                 sqlite_where=sa.text("status IN ('pending', 'failed')")),
        sa.Index("ix_reminder_sends_local_day", "local_day"),  # retention prunes by day
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    user_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: The user's local date the reminder is for.
    local_day: so.Mapped[dt.date] = so.mapped_column(sa.Date())
    #: "daily" (the day's message), "snooze1" / "snooze2" (the same message again, asked for
    #: from a snooze link); "washout" / "recovery_end" only in rows from before the merged message.
    kind: so.Mapped[str] = so.mapped_column(sa.String(20))
    #: "email" or "push".
    channel: so.Mapped[str] = so.mapped_column(sa.String(10), default="email")
    #: "pending" → "sending" → "sent"; or "failed" (will retry) / "dropped" (too late or gave up).
    status: so.Mapped[str] = so.mapped_column(sa.String(10), default="pending", index=True)
    due_at: so.Mapped[dt.datetime] = so.mapped_column(UTCDateTime())
    claimed_at: so.Mapped[dt.datetime | None] = so.mapped_column(UTCDateTime())
    claimed_by: so.Mapped[str | None] = so.mapped_column(sa.String(80))
    attempts: so.Mapped[int] = so.mapped_column(default=0)
    next_attempt_at: so.Mapped[dt.datetime | None] = so.mapped_column(UTCDateTime())
    sent_at: so.Mapped[dt.datetime | None] = so.mapped_column(UTCDateTime())
    last_error: so.Mapped[str | None] = so.mapped_column(sa.Text())
    message_id: so.Mapped[str | None] = so.mapped_column(sa.String(200))


class PushSubscription(db.Model):
    """A browser's Web Push subscription (RFC 8030 endpoint + RFC 8291 keys) for one user."""

    __tablename__ = "push_subscriptions"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    user_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: The push service URL; it is a capability, so it is unique and never logged.
    endpoint: so.Mapped[str] = so.mapped_column(sa.String(1000), unique=True)
    #: The browser's P-256 public key and auth secret, base64url as the browser gives them.
    p256dh: so.Mapped[str] = so.mapped_column(sa.String(200))
    auth: so.Mapped[str] = so.mapped_column(sa.String(100))
    created_at: so.Mapped[dt.datetime] = so.mapped_column(UTCDateTime(), default=utcnow)
    last_success_at: so.Mapped[dt.datetime | None] = so.mapped_column(UTCDateTime())


class FeedState(db.Model):
    """What the calendar feed last published for a user, so a client's ETag or
    If-Modified-Since can be answered without rendering the feed again."""

    __tablename__ = "feed_states"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    user_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    #: Fingerprint of everything the feed is made from (settings, records, horizon, code).
    inputs_sha256: so.Mapped[str] = so.mapped_column(sa.String(64))
    #: Bumped whenever an event is added, changed or dropped; part of the ETag.
    version: so.Mapped[int] = so.mapped_column(default=0)
    #: When the published events last changed: the feed's Last-Modified.
    changed_at: so.Mapped[dt.datetime] = so.mapped_column(UTCDateTime(), default=utcnow)


class FeedEventState(db.Model):
    """One published calendar event: its content hash, SEQUENCE and LAST-MODIFIED.

    Calendar clients only take an update when SEQUENCE grows, so each UID keeps a
    hash of what was last published and the sequence is bumped when it differs.
    """

    __tablename__ = "feed_event_states"
    __table_args__ = (sa.UniqueConstraint("user_id", "uid"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    user_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    #: The event's UID without the per-user suffix, e.g. "serum-evening-202603".
    uid: so.Mapped[str] = so.mapped_column(sa.String(80))
    #: Hash of the event as last published; "" while the event is out of the feed.
    content_hash: so.Mapped[str] = so.mapped_column(sa.String(64))
    sequence: so.Mapped[int] = so.mapped_column(default=0)
    #: When the event last changed (its LAST-MODIFIED and DTSTAMP).
    modified_at: so.Mapped[dt.datetime] = so.mapped_column(UTCDateTime(), default=utcnow)


class ApiToken(db.Model):
    """A personal access token for the JSON API (planner/api).

    Only a SHA-256 of the token is kept: the token itself is shown once, when it is made.
    A 256-bit random token needs no slow hash (nothing to brute-force), and SHA-256 lets a
    request find its row through the unique index.
    """

    __tablename__ = "api_tokens"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    user_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: The user's label, e.g. "Clinic system".
    name: so.Mapped[str] = so.mapped_column(sa.String(80))
    #: "read" (GET only) or "write" (read and write).
    scope: so.Mapped[str] = so.mapped_column(sa.String(10))
    token_sha256: so.Mapped[str] = so.mapped_column(sa.String(64), unique=True)
    created_at: so.Mapped[dt.datetime] = so.mapped_column(UTCDateTime(), default=utcnow)
    #: Updated at most once a minute, so a busy script does not write on every request.
    last_used_at: so.Mapped[dt.datetime | None] = so.mapped_column(UTCDateTime())


class SkinCheckIn(db.Model):
    """The user's answer to "Is your skin still red, peeling, stinging or broken?" on one local day
    at the end of a procedure's recovery window; "still" extends the window (core/checkins.py).

    One row per procedure and day (a new answer for the day replaces the old one), and the
    question is only asked on a window's last days, so a procedure holds a handful of rows. They
    are not pruned by age: they are what extended the window, and go with the procedure.
    """

    __tablename__ = "skin_checkins"
    __table_args__ = (sa.UniqueConstraint("procedure_id", "local_day"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    user_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    procedure_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("procedures.id", ondelete="CASCADE"))
    #: The user's local date the answer is for (the day the question was asked).
    local_day: so.Mapped[dt.date] = so.mapped_column(sa.Date())
    #: "still" (still red, peeling, stinging or broken) or "settled".
    answer: so.Mapped[str] = so.mapped_column(sa.String(10))
    recorded_at: so.Mapped[dt.datetime] = so.mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
