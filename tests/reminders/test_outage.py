"""The database goes away in the middle of a dispatch run: the reminders it interrupted go out
at the next run after the database is back, not REMINDER_CLAIM_TIMEOUT_SECONDS (900 s) later."""

from __future__ import annotations

import asyncio
import collections
import datetime as dt

import pytest
import sqlalchemy as sa

from planner.extensions import db
from planner.reminders import ledger
from tests.support.app import Factory
from tests.support.reminders import at, ledger_rows, routine_user, send_due
from tests.support.smtp import SinkWith
from tests.support.services import free_port
from tests.support.smtp import SinkHandler

pytestmark = pytest.mark.postgres

MONDAY = "2026-03-16T06:00:00Z"
USERS = 8


class StopsDatabaseHandler(SinkHandler):
    """Accepts every message; after the second one, stops PostgreSQL before answering."""

    def __init__(self, cluster):
        super().__init__()
        self.cluster = cluster

    async def handle_DATA(self, server, session, envelope):
        answer = await super().handle_DATA(server, session, envelope)
        if len(self.messages) == 2:
            await asyncio.get_running_loop().run_in_executor(None, self.cluster.stop_server)
        return answer


def test_reminders_cut_off_by_an_outage_go_out_at_the_next_run(outage_app, stoppable_postgres):
    factory = Factory()
    for i in range(USERS):
        routine_user(factory, email=f"user{i}@example.com")
    emails = {f"user{i}@example.com" for i in range(USERS)}
    with SinkWith(free_port(), StopsDatabaseHandler(stoppable_postgres)) as sink:
        outage_app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=sink.port, SMTP_SECURITY="none")
        try:
            with pytest.raises(sa.exc.OperationalError):
                send_due(outage_app, MONDAY)
        finally:
            stoppable_postgres.start_server()
        db.session.remove()  # the scheduler runs each dispatch with a fresh session
        assert {r.status for r in ledger_rows()} == {"sent", "sending"}  # claims left by the run that failed

        # Ninety seconds later: well inside the 900 s after which a claim counts as stale.
        later = at(MONDAY) + dt.timedelta(seconds=90)
        assert ledger.recover_stale(later, dt.timedelta(seconds=900)) == (0, 0)  # by age alone: not yet
        report = send_due(outage_app, later)

    rows = ledger_rows()
    received = collections.Counter(r.rcpt_tos[0] for r in sink.messages)
    assert set(received) == emails and max(received.values()) == 1  # everyone once, nobody twice
    # The message the server accepted while the database was down is recorded as sent by the
    # next run (the process kept its outcome), not dropped as "outcome unknown".
    assert [r.status for r in rows] == ["sent"] * USERS
    assert report.lost == 0 and report.requeued >= 1 and report.sent == report.requeued
    assert {r.message_id for r in rows} == {str(m.message["Message-ID"]) for m in sink.messages}
