"""A sender killed hard (SIGKILL) in the middle of a run, with the default settings, then started
again: every due reminder reaches the server exactly once, except at most the one in flight,
and the ledger says what the server received."""

from __future__ import annotations

import asyncio
import collections
import signal
import subprocess
import time
from pathlib import Path

import pytest

from planner.reminders import ledger
from tests.support.reminders import FLASK, ROOT, flask_env, ledger_rows, routine_users
from tests.support.services import free_port
from tests.support.smtp import SinkHandler, SinkWith

MONDAY = "2026-03-16T06:00:00Z"
USERS = 30


def send_due_process(app, port: int) -> subprocess.Popen:
    """`flask send-due` with the default settings (REMINDER_HANDOVER_GROUP etc. untouched)."""
    env = flask_env(app, SMTP_HOST="127.0.0.1", SMTP_PORT=port, SMTP_SECURITY="none")
    return subprocess.Popen([*FLASK, "send-due", "--at", MONDAY], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def kill(sender: subprocess.Popen) -> None:
    sender.send_signal(signal.SIGKILL)
    sender.communicate(timeout=30)  # reaped: its claims now belong to a process that is gone


def assert_ledger_matches_server(received: collections.Counter) -> None:
    """Everyone once, nobody twice; at most one row without a known outcome (the one in flight)."""
    rows = ledger_rows()
    assert len(rows) == USERS
    assert all(n == 1 for n in received.values()), received  # nothing arrived twice
    sent = [r for r in rows if r.status == "sent"]
    unknown = [r for r in rows if r.status == "dropped"]
    assert len(sent) + len(unknown) == USERS and len(unknown) <= 1
    assert all(r.last_error == ledger.UNKNOWN_OUTCOME for r in unknown)
    assert {r.message_id for r in sent} <= set(received)  # every "sent" row arrived
    # everything that arrived is recorded: as sent, or as the one whose answer the kill cut off
    assert set(received) == {r.message_id for r in sent} | ({r.message_id for r in unknown} & set(received))
    assert len(received) >= USERS - len(unknown)


@pytest.mark.parametrize("gated_sink", [10], indirect=True)
def test_killed_while_the_server_holds_a_message(app, factory, gated_sink):
    """Kill `send-due` while the server holds message 11, let the server accept it, start again."""
    routine_users(factory, USERS)
    sender = send_due_process(app, gated_sink.port)
    try:
        assert gated_sink.handler.holding.wait(60), sender.communicate(timeout=5)
        kill(sender)  # dies waiting for the server's answer to message 11
    finally:
        if sender.poll() is None:
            sender.kill()
        gated_sink.handler.release.set()  # the server lets message 11 go (the client is gone)
    gated_sink.handler.hold_at = -1
    time.sleep(0.2)
    assert len(gated_sink.messages) in (10, 11)  # whether the in-flight one lands is the server's call
    # The ledger is a hand-over behind (one commit per group); the journal holds the rest.
    assert sum(r.status == "sent" for r in ledger_rows()) < 10
    journals = list((Path(app.instance_path) / "reminder-journal").glob("*.log"))
    assert len(journals) == 1 and journals[0].read_text().count("\nO ") == 10

    restarted = send_due_process(app, gated_sink.port)  # at once: no claim timeout to wait for
    out, err = restarted.communicate(timeout=120)
    assert restarted.returncode == 0, err
    assert "1 outcome unknown" in out and "19 re-queued" in out

    received = collections.Counter(str(m.message["Message-ID"]) for m in gated_sink.messages)
    assert len(received) >= USERS - 1  # all but at most the one in flight
    assert_ledger_matches_server(received)
    in_flight = [r for r in ledger_rows() if r.status == "dropped"]
    assert [r.id for r in in_flight] == [sorted(r.id for r in ledger_rows())[10]]  # message 11, not resent
    assert not journals[0].exists()  # replayed into the ledger, then removed


class SlowHandler(SinkHandler):
    """A relay that takes 20 ms per message, so a kill lands anywhere in the run."""

    async def handle_DATA(self, server, session, envelope):
        await asyncio.sleep(0.02)
        return await super().handle_DATA(server, session, envelope)


@pytest.mark.parametrize("kill_after", [3, 16])
def test_killed_at_an_arbitrary_point(app, factory, kill_after):
    routine_users(factory, USERS)
    with SinkWith(free_port(), SlowHandler()) as sink:
        sender = send_due_process(app, sink.port)
        try:
            deadline = time.monotonic() + 60
            while len(sink.messages) < kill_after and sender.poll() is None and time.monotonic() < deadline:
                time.sleep(0.001)
            assert sender.poll() is None, sender.communicate()
            kill(sender)
        finally:
            if sender.poll() is None:
                sender.kill()
        assert kill_after <= len(sink.messages) < USERS
        time.sleep(0.1)  # a message whose data was written before the kill still lands
        restarted = send_due_process(app, sink.port)
        out, err = restarted.communicate(timeout=120)
        assert restarted.returncode == 0, err
        received = collections.Counter(str(m.message["Message-ID"]) for m in sink.messages)
    assert_ledger_matches_server(received)
