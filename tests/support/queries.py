"""Counting what the app asks of the database (Indico's count_queries idea): a page that grows a
query per row shows up here long before it shows up in production."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import sqlalchemy as sa


@dataclass
class QueryCounter:
    """The SQL statements sent while it listens, in order."""

    statements: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.statements)

    def clear(self) -> None:
        self.statements.clear()


@contextmanager
def counting_queries(engine: sa.Engine) -> Iterator[QueryCounter]:
    """Record every statement the engine sends until the block ends."""
    counter = QueryCounter()

    def record(conn, cursor, statement, parameters, context, executemany):
        counter.statements.append(statement)

    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        yield counter
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)
