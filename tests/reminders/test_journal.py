"""The dispatcher's journal reads back what it wrote, scrubbed, and survives a cut-off last line."""

from __future__ import annotations

import datetime as dt

from planner.reminders.journal import Journal, read
from planner.reminders.ledger import Outcome, SendStatus

SENT_AT = dt.datetime(2026, 3, 16, 6, 0, 5, tzinfo=dt.timezone.utc)


def test_outcomes_and_the_message_in_flight_read_back(tmp_path):
    journal = Journal(tmp_path, "host:123:abcd")
    journal.started(7)
    journal.answered(Outcome(7, SendStatus.SENT, sent_at=SENT_AT, message_id="<afterglow.7@x>"))
    journal.started(8)
    journal.answered(Outcome(8, SendStatus.DROPPED, error="RCPT TO refused: 550 <ada@example.com> unknown"))
    journal.started(9)  # in flight when the process died
    journal.close(recorded=False)
    (path,) = tmp_path.glob("*.log")
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    with path.open("a") as fh:
        fh.write('O {"row_id": 9, "sta')  # a write cut short
    worker, outcomes, in_flight = read(path)
    assert worker == "host:123:abcd"
    assert [(o.row_id, o.status, o.sent_at, o.message_id) for o in outcomes] == [
        (7, SendStatus.SENT, SENT_AT, "<afterglow.7@x>"), (8, SendStatus.DROPPED, None, None)]
    assert "ada@example.com" not in outcomes[1].error and "550" in outcomes[1].error
    assert in_flight == {9}


def test_a_recorded_journal_is_removed(tmp_path):
    journal = Journal(tmp_path, "host:1:ef")
    journal.started(1)
    journal.close(recorded=True)
    assert list(tmp_path.iterdir()) == []
