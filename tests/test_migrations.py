"""Migrations are the schema's truth: upgrading an empty database must give exactly the models."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from planner import create_app
from planner.extensions import db
from tests.support.app import base_config


def _schema_diff(engine) -> list:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True, "compare_server_default": True})
        return compare_metadata(context, db.metadata)


def _check_round_trip(app) -> None:
    with app.app_context():
        upgrade()
        tables = set(sa.inspect(db.engine).get_table_names())
        assert {t.name for t in db.metadata.sorted_tables} <= tables
        assert _schema_diff(db.engine) == []
        downgrade(revision="base")
        left = set(sa.inspect(db.engine).get_table_names()) - {"alembic_version"}
        assert left == set()
        db.engine.dispose()


def test_sqlite_migrations_match_models(tmp_path):
    app = create_app(base_config(tmp_path, f"sqlite:///{tmp_path / 'migrated.sqlite3'}"))
    _check_round_trip(app)


@pytest.mark.postgres
def test_postgres_migrations_match_models(tmp_path, postgres):
    url = postgres.create_database("afterglow_migrations")
    app = create_app(base_config(tmp_path, url))
    _check_round_trip(app)


def test_sqlite_upgrade_keeps_data_and_confirms_existing_addresses(tmp_path):
    """0003 adds email_verified_at: existing accounts count as confirmed, and the batch
    rebuild of `users` on downgrade must not cascade-delete their procedures."""
    app = create_app(base_config(tmp_path, f"sqlite:///{tmp_path / 'data.sqlite3'}"))
    with app.app_context():
        upgrade(revision="0002_feed")
        with db.engine.begin() as conn:
            conn.execute(sa.text(
                "INSERT INTO users (id, email, password_hash, login_version, created_at, timezone, serum_slot, morning_time, "
                "evening_time, reminder_time, active_cancer, active_skin_infection, pregnant, breastfeeding, "
                "skin_cancer_history, isotretinoin_last_6_months, remind_daily, remind_washout, remind_recovery_end, "
                "feed_alarms, discreet_titles) VALUES (1, 'old@example.com', 'x', 1, '2025-05-01 10:00:00', 'UTC', "
                "'evening', '07:30:00', '21:00:00', '07:00:00', 0, 0, 0, 0, 0, 0, 1, 1, 1, 0, 0)"
            ))
            conn.execute(sa.text(
                "INSERT INTO procedures (id, user_id, kind, performed_on, intensity, clinic, notes, created_at, updated_at) "
                "VALUES (1, 1, 'microneedling', '2026-03-12', 'standard', '', '', '2025-05-01 10:00:00', '2025-05-01 10:00:00')"
            ))
        upgrade()
        with db.engine.connect() as conn:
            assert str(conn.execute(sa.text("SELECT email_verified_at FROM users")).scalar()).startswith("2025-05-01 10:00:00")
        downgrade(revision="0002_feed")
        with db.engine.connect() as conn:
            assert conn.execute(sa.text("SELECT count(*) FROM procedures")).scalar() == 1
            assert conn.execute(sa.text("PRAGMA foreign_keys")).scalar() == 1  # back on for the app
        db.engine.dispose()


def test_sqlite_0004_never_reuses_ids_and_gives_each_account_its_own_key(tmp_path):
    """0004 rebuilds users, procedures and products with AUTOINCREMENT, keeping their rows, and
    gives every existing account a distinct random key."""
    app = create_app(base_config(tmp_path, f"sqlite:///{tmp_path / 'keys.sqlite3'}"))
    with app.app_context():
        upgrade(revision="0003_email_verified")
        with db.engine.begin() as conn:
            for user_id in (1, 2):
                conn.execute(sa.text(
                    "INSERT INTO users (id, email, password_hash, login_version, created_at, timezone, serum_slot, "
                    "morning_time, evening_time, reminder_time, active_cancer, active_skin_infection, pregnant, "
                    "breastfeeding, skin_cancer_history, isotretinoin_last_6_months, remind_daily, remind_washout, "
                    "remind_recovery_end, feed_alarms, discreet_titles) VALUES (:id, :email, 'x', 1, "
                    "'2025-05-01 10:00:00', 'UTC', 'evening', '07:30:00', '21:00:00', '07:00:00', 0, 0, 0, 0, 0, 0, "
                    "1, 1, 1, 0, 0)"), {"id": user_id, "email": ("u1@example.com", "u2@bücher.example")[user_id - 1]})
            conn.execute(sa.text(
                "INSERT INTO procedures (id, user_id, kind, performed_on, intensity, clinic, notes, created_at, updated_at) "
                "VALUES (1, 2, 'microneedling', '2026-03-12', 'standard', '', '', '2025-05-01 10:00:00', '2025-05-01 10:00:00')"
            ))
        upgrade(revision="0004_account_secrets")
        with db.engine.begin() as conn:
            for table in ("users", "procedures", "products"):
                sql = conn.execute(sa.text("SELECT sql FROM sqlite_master WHERE name = :t"), {"t": table}).scalar()
                assert "AUTOINCREMENT" in sql, table
            keys = conn.execute(sa.text("SELECT account_key FROM users ORDER BY id")).scalars().all()
            assert len(keys) == 2 and len(set(keys)) == 2 and all(len(k) >= 20 for k in keys)
            assert conn.execute(sa.text("SELECT user_id FROM procedures")).scalar() == 2
            emails = conn.execute(sa.text("SELECT email FROM users ORDER BY id")).scalars().all()
            assert emails == ["u1@example.com", "u2@xn--bcher-kva.example"]  # the form sign-up stores now
            conn.execute(sa.text("DELETE FROM users WHERE id = 2"))
            conn.execute(sa.text(
                "INSERT INTO users (email, account_key, password_hash, login_version, created_at, timezone, serum_slot, "
                "morning_time, evening_time, reminder_time, active_cancer, active_skin_infection, pregnant, "
                "breastfeeding, skin_cancer_history, isotretinoin_last_6_months, remind_daily, remind_washout, "
                "remind_recovery_end, feed_alarms, discreet_titles) VALUES ('new@example.com', 'k', 'x', 1, "
                "'2026-05-01 10:00:00', 'UTC', 'evening', '07:30:00', '21:00:00', '07:00:00', 0, 0, 0, 0, 0, 0, "
                "1, 1, 1, 0, 0)"))
            assert conn.execute(sa.text("SELECT id FROM users WHERE email = 'new@example.com'")).scalar() == 3
        upgrade()  # later migrations rebuild these tables on SQLite: they must keep AUTOINCREMENT
        with db.engine.begin() as conn:
            for table in ("users", "procedures", "products"):
                sql = conn.execute(sa.text("SELECT sql FROM sqlite_master WHERE name = :t"), {"t": table}).scalar()
                assert "AUTOINCREMENT" in sql, table
        downgrade(revision="0003_email_verified")
        with db.engine.connect() as conn:
            assert conn.execute(sa.text("SELECT count(*) FROM users")).scalar() == 2


def test_sqlite_upgrade_to_the_daily_message_keeps_one_row_per_day(tmp_path):
    """0006_messaging: existing ledger rows become email rows; a day that had only notices keeps one
    of them as its daily row (so the upgrade day sends no second message); new parts are on."""
    app = create_app(base_config(tmp_path, f"sqlite:///{tmp_path / 'ledger.sqlite3'}"))
    with app.app_context():
        upgrade(revision="0003_email_verified")
        with db.engine.begin() as conn:
            conn.execute(sa.text(
                "INSERT INTO users (id, email, password_hash, login_version, created_at, timezone, serum_slot, morning_time, "
                "evening_time, reminder_time, active_cancer, active_skin_infection, pregnant, breastfeeding, "
                "skin_cancer_history, isotretinoin_last_6_months, remind_daily, remind_washout, remind_recovery_end, "
                "feed_alarms, discreet_titles) VALUES (1, 'old@example.com', 'x', 1, '2025-05-01 10:00:00', 'UTC', "
                "'evening', '07:30:00', '21:00:00', '07:00:00', 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0)"
            ))
            for row_id, day, kind in ((1, "2026-11-30", "daily"), (2, "2026-11-30", "washout"),
                                      (3, "2026-12-01", "washout"), (4, "2026-12-01", "recovery_end")):
                conn.execute(sa.text(
                    "INSERT INTO reminder_sends (id, user_id, local_day, kind, status, due_at, attempts) "
                    f"VALUES ({row_id}, 1, '{day}', '{kind}', 'sent', '{day} 07:00:00', 1)"
                ))
        upgrade()
        with db.engine.connect() as conn:
            rows = conn.execute(sa.text("SELECT id, local_day, kind, channel FROM reminder_sends ORDER BY id")).all()
            assert [tuple(r) for r in rows] == [
                (1, "2026-11-30", "daily", "email"), (2, "2026-11-30", "washout", "email"),
                (3, "2026-12-01", "daily", "email"), (4, "2026-12-01", "recovery_end", "email"),
            ]
            user = conn.execute(sa.text(
                "SELECT remind_daily, remind_procedure_day, remind_ramp, push_enabled, reminder_anchor, "
                "reminder_lead_minutes FROM users")).one()
            assert tuple(user) == (0, 1, 1, 0, "fixed", 30)
        downgrade(revision="0003_email_verified")
        with db.engine.connect() as conn:
            assert conn.execute(sa.text("SELECT count(*) FROM reminder_sends")).scalar() == 4
        db.engine.dispose()
