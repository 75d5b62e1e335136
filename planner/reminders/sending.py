"""Sending one claimed batch: plan, compose and send each row, and record what happened.

A batch (REMINDER_BATCH_SIZE rows, default 500) arrives claimed (dispatch.py). Its users'
inputs are loaded in three queries, each user's plan is made once for just the days needed,
and the messages go over one SMTP connection kept open for the whole run.

Sending is split into hand-over groups. Before a group's first message goes out, one commit
records the outcomes of the previous group and marks this group as handed over (ledger.py). The
groups grow 1, 2, 4 … up to REMINDER_HANDOVER_GROUP (default 64): the few reminders of an
ordinary minute are handed over one at a time, a 07:00 rush in groups that spread one commit
over many messages (a commit per message would cost an fsync each).

Between two commits, the run's journal (journal.py: a file in the instance folder, one write
per event, no fsync) holds which message started and what the server answered, so a process
killed at any point loses nothing the server said (see dispatch.py for the recovery).

The CPU work for the next message (its plan, content, templates and MIME) runs while the server
digests the current one's data: the one long wait of a send (a relay queues the message, scans
it, the benchmark's aiosmtpd parses it). MAIL FROM, RCPT TO and DATA are answered in a fraction
of that, so work done there kept the server waiting for us. With a server that takes real time
per message most of the composing costs no wall time.

A row is sent only while everything still says so when it is prepared: the user still wants
the channel (has not unsubscribed, still has push on), is not on holiday, and it is still that
local day for them.

Push rows (channel ``push``) go through the same claims and hand-overs, to every browser the
user subscribed (planner.push): delivered when one push service accepted it; subscriptions
answered 404 or 410 are removed on the way.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from flask import Flask

from planner.core.model import Plan
from planner.mail import transport as transports
from planner.mail.compose import Composer
from planner.mail.mime import Outgoing
from planner.planning import UserPlanner, planners_for
from planner.push import payload as push_payload
from planner.push import subscriptions
from planner.push.sender import PushSender
from planner.reminders import content, due, journal, ledger
from planner.reminders.candidates import email_wanted
from planner.reminders.ledger import Channel, Claimed, Outcome, SendStatus

log = logging.getLogger(__name__)

DEFAULT_GROUP_SIZE = 64


@dataclass
class Tally:
    """What a run did with its rows (dispatch.Report adds what it queued and recovered)."""

    sent: int = 0
    failed: int = 0  # will be retried
    dropped: int = 0


class Sender:
    """Sends claimed batches for one run (one worker): one transport, journal and composer for all of them."""

    def __init__(self, app: Flask, worker: str, clock: Callable[[], dt.datetime], tally: Tally, *,
                 transport: transports.Transport, should_stop: Callable[[], bool]):
        config = app.config
        self.app = app
        self.worker = worker
        self.clock = clock
        self.report = tally
        self.transport = transport
        self.should_stop = should_stop
        self.group_size = max(1, int(config.get("REMINDER_HANDOVER_GROUP", DEFAULT_GROUP_SIZE)))
        self._next_group = 1
        self.max_attempts = int(config["MAIL_MAX_ATTEMPTS"])
        self.journal_folder = journal.folder_of(app.instance_path)
        self.journal: journal.Journal | None = None  # opened at the first message
        self.composer: Composer | None = None  # templates loaded only when there is something to send
        self.pusher: PushSender | None = None

    def close(self, *, recorded: bool) -> None:
        """Close the connections; the journal is deleted when the ledger took every outcome (``recorded``)."""
        self.transport.close()
        if self.pusher is not None:
            self.pusher.close()
        if self.journal is not None:  # kept when the ledger could not take every outcome
            self.journal.close(recorded=recorded)

    def send_batch(self, claimed: list[Claimed]) -> None:
        if self.composer is None:
            self.composer = Composer(self.app)
        batch = _Batch(claimed, planners_for([r.user_id for r in claimed], self.clock()))
        outcomes: list[Outcome] = []
        pushes = [r for r in claimed if r.channel is Channel.PUSH]
        if pushes:
            self._send_pushes(pushes, batch, outcomes)
        self._send_emails([r for r in claimed if r.channel is Channel.EMAIL], batch, outcomes)
        ledger.commit_outcomes(self.worker, outcomes)
        # Rows never handed over (a stop was requested) go back to pending for the next run.
        ledger.release(self.worker, [r.id for r in claimed])

    def _hand_over(self, outcomes: list[Outcome], message_ids: dict[int, str]) -> set[int]:
        return ledger.hand_over(self.worker, outcomes, message_ids, self.clock())

    def _answered(self, outcome: Outcome, outcomes: list[Outcome]) -> None:
        """The server's answer to a started message: in the journal at once, in the ledger at the next commit."""
        self.journal.answered(outcome)
        outcomes.append(outcome)

    def _send_pushes(self, rows: list[Claimed], batch: _Batch, outcomes: list[Outcome]) -> None:
        """Each push row to every browser of its user, handed over one row at a time (a few HTTP requests each)."""
        if self.pusher is None:
            self.pusher = PushSender(self.app)
        targets = subscriptions.of_users(sorted({r.user_id for r in rows}))
        for row in rows:
            if self.should_stop():
                return
            if row.id not in self._hand_over(outcomes, {row.id: f"push:{row.id}"}):
                continue
            prepared = self._prepare(row, batch, outcomes)
            if prepared is None:
                continue
            _, user, _, body = prepared
            browsers = targets.get(row.user_id, [])
            if not browsers:
                outcomes.append(self._dropped(row, "no browser is subscribed to notifications"))
                continue
            data = push_payload.build(body, self.composer.action_urls(user.id, user.account_key, body, row.local_day),
                                      tag=f"afterglow-{row.local_day.isoformat()}")
            results = [self.pusher.send(browser, data) for browser in browsers]
            subscriptions.forget_gone(r.subscription_id for r in results if r.outcome == "gone")
            delivered = [r.subscription_id for r in results if r.outcome == "sent"]
            subscriptions.mark_delivered(delivered, self.clock())
            if delivered:
                self.report.sent += 1
                outcomes.append(Outcome(row.id, SendStatus.SENT, sent_at=self.clock(), message_id=f"push:{row.id}"))
                continue
            worst = next((r for r in results if r.outcome == "retry"), None) or results[0]
            outcome = {"retry": "retry", "gone": "permanent", "permanent": "permanent"}[worst.outcome]
            outcomes.append(self._failed(row, transports.SendError(outcome, worst.detail)))

    def _send_emails(self, rows: list[Claimed], batch: _Batch, outcomes: list[Outcome]) -> None:
        """Send the batch's email rows on the open connection, each handed over before it goes.

        The CPU work for the next message (plan, content, rendering) runs while the server
        digests this one's data. The hand-over of the next message (one commit, which also records this message's
        outcome) follows the server's answer. Rows with nothing to send get their outcome on the way.
        """
        position = {r.id: i for i, r in enumerate(rows)}
        marked: set[int] = set()
        held: set[int] = set()
        prepared = (p for p in (self._prepare(row, batch, outcomes) for row in rows) if p is not None)
        current = self._compose(next(prepared, None), prepared, outcomes)
        while current is not None:
            row, message = current
            if self.should_stop():  # this one and the rest never started
                ledger.release(self.worker, [r.id for r in rows[position[row.id]:] if r.id in marked], handed_over=True)
                return
            if row.id not in marked:
                group = rows[position[row.id]:position[row.id] + self._next_group]
                self._next_group = min(self._next_group * 2, self.group_size)
                message_ids = {r.id: self.composer.message_id(r.id, r.kind, r.local_day) for r in group}
                marked.update(message_ids)
                held = self._hand_over(outcomes, message_ids)
            if row.id not in held:  # recovered as stale by another dispatcher: not ours to send
                current = self._compose(next(prepared, None), prepared, outcomes)
                continue
            if self.journal is None:
                self.journal = journal.Journal(self.journal_folder, self.worker)
            self.journal.started(row.id)
            try:
                self.transport.start(message)
                started = True
            except transports.SendError as error:
                self._answered(self._failed(row, error), outcomes)
                started = False
            # the next message, made while the server digests this one (its longest step)
            following = self._compose(next(prepared, None), prepared, outcomes)
            if started:
                try:
                    self.transport.finish()
                    self._answered(self._sent(row, message), outcomes)
                except transports.SendError as error:
                    self._answered(self._failed(row, error), outcomes)
            current = following

    # -- composing -----------------------------------------------------------------------------

    def _prepare(self, row: Claimed, batch: _Batch, outcomes: list[Outcome]):
        """(row, user, zone, content) for a row still worth sending; else its outcome, and None."""
        found = batch.inputs.get(row.user_id)
        if found is None:
            outcomes.append(self._dropped(row, "the account no longer exists"))
            return None
        user = found.user
        tz = found.zone
        now_at = self.clock()
        reason = self._stale_reason(row, user, tz, now_at)
        if reason:
            outcomes.append(self._dropped(row, reason))
            return None
        try:
            plan = batch.plan(found, row.user_id, row.local_day)
            body = content.build(found, plan, user.discreet_titles, snooze=row.kind.snooze_number)
        except content.NothingToSend as why:
            outcomes.append(self._dropped(row, str(why)))
            return None
        except Exception as error:  # a bug for one user must not stop everyone else's reminders
            log.exception("Could not plan the %s reminder %d for user %d", row.kind, row.id, row.user_id)
            outcomes.append(self._failed(row, transports.SendError("retry", f"could not compose: {error!r}")))
            return None
        return row, user, tz, body

    def _compose(self, prepared, rest: Iterator, outcomes: list[Outcome]) -> tuple[Claimed, Outgoing] | None:
        """The message for a prepared row; if composing fails, the next row's (None: no rows left)."""
        while prepared is not None:
            row, user, tz, body = prepared
            try:
                return row, self.composer.compose(
                    row_id=row.id, user_id=user.id, account_key=user.account_key, recipient=user.email,
                    discreet=user.discreet_titles, content=body, day=row.local_day, sent_local=self.clock().astimezone(tz),
                )
            except Exception as error:
                log.exception("Could not compose the %s reminder %d for user %d", row.kind, row.id, row.user_id)
                outcomes.append(self._failed(row, transports.SendError("retry", f"could not compose: {error!r}")))
                prepared = next(rest, None)
        return None

    @staticmethod
    def _stale_reason(row: Claimed, user, tz, now_at: dt.datetime) -> str | None:
        if row.kind.is_legacy:
            return "a separate notice from before the daily message carried every change"
        if row.channel is Channel.EMAIL and user.email_unsubscribed_at is not None:
            return "unsubscribed from all emails"
        if row.channel is Channel.EMAIL and not email_wanted(user):
            return "email address not confirmed"
        if row.channel is Channel.PUSH and not user.push_enabled:
            return "notifications switched off"
        if due.paused(row.local_day, user.reminders_paused_until):
            return "reminders paused for a holiday"
        if due.too_late(now_at, row.local_day, tz):
            return "too late: the user's local day ended before it could be sent"
        return None

    # -- outcomes ------------------------------------------------------------------------------

    def _sent(self, row: Claimed, message: Outgoing) -> Outcome:
        self.report.sent += 1
        return Outcome(row.id, SendStatus.SENT, sent_at=self.clock(), message_id=message.message_id)

    def _dropped(self, row: Claimed, reason: str) -> Outcome:
        self.report.dropped += 1
        return Outcome(row.id, SendStatus.DROPPED, attempted=False, error=reason)

    def _failed(self, row: Claimed, error: transports.SendError) -> Outcome:
        attempts = row.attempts + 1
        if error.outcome == "unknown":
            self.report.dropped += 1
            return Outcome(row.id, SendStatus.DROPPED, error=f"{ledger.UNKNOWN_OUTCOME} ({error})")
        if error.outcome == "permanent":
            self.report.dropped += 1
            return Outcome(row.id, SendStatus.DROPPED, error=f"refused for good: {error}")
        if attempts >= self.max_attempts:
            self.report.dropped += 1
            return Outcome(row.id, SendStatus.DROPPED, error=f"gave up after {attempts} attempts: {error}")
        self.report.failed += 1
        retry_at = self.clock() + dt.timedelta(minutes=2 ** (attempts - 1))  # 1, 2, 4, … minutes
        return Outcome(row.id, SendStatus.FAILED, error=str(error), next_attempt_at=retry_at)


class _Batch:
    """A claimed batch's inputs, and each user's plan made once for the days its rows need."""

    def __init__(self, rows: list[Claimed], inputs: dict[int, UserPlanner]):
        self.inputs = inputs
        self.plans: dict[tuple[int, dt.date], Plan] = {}

    def plan(self, found: UserPlanner, user_id: int, day: dt.date) -> Plan:
        key = (user_id, day)
        if key not in self.plans:
            plan = found.plan(day, day + dt.timedelta(days=1))
            if plan.days and content.needs_next_day(found.user, plan.days[0]):
                plan = found.plan(day, day + dt.timedelta(days=content.DAYS_NEEDED))
            self.plans[key] = plan
        return self.plans[key]
