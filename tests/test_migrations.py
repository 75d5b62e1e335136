"""Migrations are the schema's truth: upgrading an empty database must give exactly the models."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from planner import create_app
from planner.extensions import db
from tests.conftest import base_config


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
