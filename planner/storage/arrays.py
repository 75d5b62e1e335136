"""Lists of values as one array parameter on PostgreSQL, so a long statement costs nothing to send.

psycopg turns a statement's ``%(name)s`` placeholders into ``$n`` in Python, and remembers the
result only for statements under 4,096 characters with at most 50 parameters. A 500-id
``IN (…)`` list or a 500-row multi-VALUES INSERT is therefore parsed again, character by
character, on every execution: 3.2 s of a 28 s peak-minute run at 100,000 users. Sent as one
array (``= ANY(%(ids)s)``, ``unnest(%(a)s, %(b)s)``) the statement is short and the same every
time: psycopg's cache hits, and the server gets one value per column instead of one per cell.

SQLite has no arrays and binds parameters in C, so there the same helpers give an ordinary
``IN`` list (SQLAlchemy expands it at execution; the compiled statement is cached). The callers
still chunk their lists: no statement carries more values than a chunk, whatever the batch.
"""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from planner.extensions import db


def on_postgresql() -> bool:
    return db.engine.dialect.name == "postgresql"


def array_param(name: str | None, values: Iterable | None, item_type: sa.types.TypeEngine) -> sa.BindParameter:
    """One parameter holding a list (PostgreSQL only); ``values`` None leaves it to execution."""
    if values is None:
        return sa.bindparam(name, type_=postgresql.ARRAY(item_type))
    return sa.bindparam(name, list(values), type_=postgresql.ARRAY(item_type))


def among(column: sa.ColumnElement, values: Iterable) -> sa.ColumnElement[bool]:
    """``column IN values``: ``column = ANY(array)`` on PostgreSQL, an expanding IN elsewhere."""
    if on_postgresql():
        return column == sa.any_(array_param(None, values, column.type))
    return column.in_(list(values))


def not_among(column: sa.ColumnElement, values: Iterable) -> sa.ColumnElement[bool]:
    """``column NOT IN values`` (``<> ALL(array)`` on PostgreSQL)."""
    if on_postgresql():
        return column != sa.all_(array_param(None, values, column.type))
    return column.not_in(list(values))


def unnested(name: str, **columns: sa.types.TypeEngine) -> sa.TableValuedAlias:
    """``unnest(%(<name>_<column>)s, …) AS name(column, …)``: rows from one array per column
    (PostgreSQL), for an INSERT … SELECT or an UPDATE … FROM that carries a value per row.

    Each column's array is the parameter ``<name>_<column>``, given at execution.
    """
    arrays = [array_param(f"{name}_{column}", None, item_type) for column, item_type in columns.items()]
    return sa.func.unnest(*arrays).table_valued(*columns).render_derived(name=name)


def unnest_values(name: str, **columns: list) -> dict[str, list]:
    """The execution parameters of ``unnested(name, …)``: each column's list under its name."""
    return {f"{name}_{column}": values for column, values in columns.items()}
