"""Reminders end to end: due rows from the database, real messages received by aiosmtpd."""

from __future__ import annotations

import datetime as dt
import email.utils
import html as html_module
import logging
import re

import pytest
import sqlalchemy as sa

from planner.extensions import db
from planner.reminders import ledger
from planner.storage.models import ReminderSend, User
from tests.support.reminders import at, html_of, ledger_rows, message_ids, routine_user, send_due, text_of
from tests.support.services import free_port
from tests.support.smtp import SinkHandler, SinkWith

MONDAY = "2026-03-16T06:00:00Z"  # 07:00 in Berlin; day 4 of the washout before microneedling on the 20th


@pytest.fixture
def ada(factory):
    user = routine_user(factory, email="ada@example.com")
    factory.procedure(user, kind="microneedling", performed_on=dt.date(2026, 3, 20))
    return user


# --------------------------------------------------------------------------- what is sent


def test_daily_reminder_content_and_headers(mail_app, smtp_server, ada):
    report = send_due(mail_app, MONDAY)
    assert (report.created, report.sent) == (1, 1)
    [received] = smtp_server.messages
    message = received.message
    assert received.mail_from == "reminders@afterglow.localhost"
    assert received.rcpt_tos == ["ada@example.com"]

    assert message.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in message.iter_parts()] == ["text/plain", "text/html"]
    assert message["Subject"] == "Your routine for Monday 16 March"  # no change today: under 60 characters
    assert message["From"] == "Afterglow <reminders@afterglow.localhost>"
    assert message["To"] == "ada@example.com"
    # the Date header is the sending instant in the user's own zone
    assert email.utils.parsedate_to_datetime(message["Date"]) == at(MONDAY)
    assert message["Date"].endswith("+0100")
    [row] = ledger_rows()
    assert row.status == "sent" and row.kind == "daily" and row.local_day == dt.date(2026, 3, 16)
    assert message["Message-ID"] == row.message_id
    assert re.fullmatch(r"<afterglow\.\d+\.daily\.20260316@afterglow\.localhost>", row.message_id)
    assert re.fullmatch(r"<http://afterglow\.test/email/unsubscribe/[\w.-]+>", message["List-Unsubscribe"])
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["Auto-Submitted"] == "auto-generated"

    text, html = text_of(message), html_of(message)
    for part in (text, html):
        assert "Monday 16 March" in part
        assert "Glow Exosome Serum" in part and "Barrier Cream" in part
        assert "Retinol Night" in part and "no retinoid: washout, 4 days before microneedling on 20 March" in part
        assert "Glycolic Toner" in part and "no AHA: washout, 4 days before microneedling on 20 March" in part
        assert "Washout before microneedling (day 4 of 7)" in part
        assert "http://afterglow.test/email/day/" in part and "/done" in part and "/skipped" in part
        assert "http://afterglow.test/plan/day/2026-03-16" in part
        assert "http://afterglow.test/email/snooze/" in part and "/hour" in part and "/tonight" in part
        assert "not medical advice" in part
    assert "Evening (21:00)" in text
    assert html.lstrip().startswith("<!doctype html>")


def test_the_plan_page_and_the_email_agree(mail_app, smtp_server, ada, client, auth):
    """Both faces ask the same engine: every pause reason in the email is on the day page."""
    send_due(mail_app, MONDAY)
    text = text_of(smtp_server.messages[0].message)
    auth.login("ada@example.com")
    page = client.get("/plan/day/2026-03-16").text
    reasons = re.findall(r"^  - [^:]+: (.+)$", text, flags=re.MULTILINE)
    assert reasons and all(reason in page for reason in reasons)


def test_one_message_on_the_day_a_washout_starts(mail_app, smtp_server, ada):
    """One message carries the steps and the change; the separate notices are gone."""
    send_due(mail_app, "2026-03-13T06:00:00Z")
    [received] = smtp_server.messages
    assert received.message["Subject"] == "Fri 13 Mar: Washout starts today before microneedling"
    text = text_of(received.message)
    assert "A 7-day washout before microneedling on Friday 20 March starts today." in text
    assert "Leave off your skin from today: Retinol Night and Glycolic Toner." in text
    assert "Glow Exosome Serum" in text and "Barrier Cream" in text  # the day's steps too
    assert [(r.kind, r.channel, r.status) for r in ledger_rows()] == [("daily", "email", "sent")]


def test_one_message_on_the_last_day_of_recovery(mail_app, smtp_server, factory):
    user = routine_user(factory)
    factory.procedure(user, kind="microneedling", performed_on=dt.date(2026, 3, 20))
    # 29 March is also Berlin's spring-forward day: 07:00 CEST is 05:00 UTC
    send_due(mail_app, "2026-03-29T05:00:00Z")
    [received] = smtp_server.messages
    assert received.message["Subject"] == "Sun 29 Mar: Last day of recovery after microneedling (+1)"
    text = text_of(received.message)
    assert "Today is the last day of the 9-day recovery after microneedling on 20 March." in text
    assert "From today your exfoliants come back gradually after microneedling, over 14 days." in text


def test_discreet_titles_keep_procedures_and_products_out_of_subjects(mail_app, smtp_server, factory):
    user = routine_user(factory, discreet_titles=True)
    factory.procedure(user, kind="microneedling", performed_on=dt.date(2026, 3, 20), clinic="Skin Clinic Mitte")
    send_due(mail_app, "2026-03-13T06:00:00Z")
    [received] = smtp_server.messages
    assert received.message["Subject"] == "Your routine for Friday 13 March · a change today"
    html = html_of(received.message)
    assert "<title>" + received.message["Subject"] + "</title>" in html
    # the preview an inbox shows beside the subject is neutral too
    preheader = re.search(r'<div style="display:none[^>]*>(.*?)</div>', html, flags=re.S).group(1)
    assert html_module.unescape(preheader).startswith("Open to see today's steps.")
    assert text_of(received.message).startswith("Open to see today's steps.\n")
    # the body, read by the user alone, still says what to do
    assert "Retinol Night" in text_of(received.message)


@pytest.mark.parametrize(("switch", "sentence", "present"), [
    ("remind_daily", "A 7-day washout before microneedling", True),
    ("remind_washout", "A 7-day washout before microneedling", False),
])
def test_each_part_can_be_switched_off(mail_app, smtp_server, factory, switch, sentence, present):
    user = routine_user(factory, **{switch: False})
    factory.procedure(user, kind="microneedling", performed_on=dt.date(2026, 3, 20))
    send_due(mail_app, "2026-03-13T06:00:00Z")
    [received] = smtp_server.messages
    text = text_of(received.message)
    assert (sentence in text) is present
    assert ("Evening (21:00)" in text) is (switch != "remind_daily")


def test_without_the_steps_only_changeover_days_get_a_message(mail_app, smtp_server, factory):
    user = routine_user(factory, remind_daily=False)
    factory.procedure(user, kind="microneedling", performed_on=dt.date(2026, 3, 20))
    send_due(mail_app, "2026-03-14T06:00:00Z")  # day 2 of the washout: no change
    send_due(mail_app, "2026-05-04T05:00:00Z")  # far from any procedure: not even a ledger row
    assert smtp_server.messages == []
    [row] = ledger_rows()
    assert row.status == "dropped" and "switched off" in row.last_error


def test_unsubscribed_users_get_nothing(mail_app, smtp_server, factory):
    routine_user(factory, email="eve@example.com", email_unsubscribed_at=at("2026-03-01T00:00:00Z"))
    routine_user(factory, email="ada@example.com")
    assert send_due(mail_app, MONDAY).created == 1
    assert [m.rcpt_tos for m in smtp_server.messages] == [["ada@example.com"]]


def test_switching_off_after_the_row_was_created_drops_it(mail_app, smtp_server, ada):
    smtp_server.handler.refuse = True
    send_due(mail_app, MONDAY)
    db.session.execute(sa.update(User).values(remind_daily=False))
    db.session.commit()
    smtp_server.handler.refuse = False
    send_due(mail_app, "2026-03-16T06:05:00Z")
    [row] = ledger_rows()
    assert row.status == "dropped" and "switched off" in row.last_error
    assert smtp_server.messages == []


def test_a_pregnant_user_awaiting_approval_gets_the_pauses_and_no_exosome_serum(mail_app, smtp_server, factory):
    user = routine_user(factory, pregnant=True)  # waits for a dermatologist's approval
    factory.procedure(user, kind="microneedling", performed_on=dt.date(2026, 3, 20))
    send_due(mail_app, MONDAY)
    [received] = smtp_server.messages
    for part in (text_of(received.message), html_of(received.message)):
        assert "Washout before microneedling (day 4 of 7)" in part
        assert "no retinoid: washout, 4 days before microneedling on 20 March" in part
        assert "No exosome serum until you confirm a dermatologist approved it" in part
        assert "Glow Exosome Serum" not in part and "Barrier Cream" in part
    [row] = ledger_rows()
    assert row.status == "sent"


def test_after_ablative_fractional_laser_the_email_holds_home_products(mail_app, smtp_server, factory):
    user = routine_user(factory)
    factory.procedure(user, kind="ablative_fractional_laser", performed_on=dt.date(2026, 3, 12))
    send_due(mail_app, MONDAY)  # day 4 of the 7 the catalog gives for healing over
    [received] = smtp_server.messages
    for part in (text_of(received.message), html_of(received.message)):
        assert "No home serum through 19 March after ablative fractional laser on 12 March" in part
        assert "Held while the skin heals: Barrier Cream" in part
        assert "Glow Exosome Serum" not in part
    smtp_server.messages.clear()
    send_due(mail_app, "2026-03-20T06:00:00Z")  # day 8: healed over
    daily = next(r.message for r in smtp_server.messages if r.message["Subject"].startswith("Your routine for Friday 20"))
    assert "Glow Exosome Serum" in text_of(daily) and "No home serum" not in text_of(daily)


def test_a_broken_plan_for_one_user_does_not_stop_the_others(mail_app, smtp_server, factory, caplog):
    broken = routine_user(factory, email="broken@example.com")
    factory.procedure(broken, kind="no_such_procedure", performed_on=dt.date(2026, 3, 20))
    routine_user(factory, email="fine@example.com")
    with caplog.at_level(logging.ERROR, logger="planner.reminders.sending"):
        report = send_due(mail_app, MONDAY)
    assert (report.sent, report.failed) == (1, 1)
    assert [r.rcpt_tos for r in smtp_server.messages] == [["fine@example.com"]]
    failed = ledger_rows(status="failed")[0]
    assert failed.user_id == broken.id and "could not compose" in failed.last_error
    assert "Could not plan the daily reminder" in caplog.text


# --------------------------------------------------------------------------- once, and on time


def test_running_twice_sends_once(mail_app, smtp_server, ada):
    assert send_due(mail_app, MONDAY).sent == 1
    assert send_due(mail_app, MONDAY).sent == 0  # a restart at the same instant
    assert send_due(mail_app, "2026-03-16T20:00:00Z").sent == 0  # later the same day
    assert message_ids(smtp_server) == [ledger_rows()[0].message_id]


def test_not_before_the_reminder_time(mail_app, smtp_server, ada):
    assert send_due(mail_app, "2026-03-16T05:59:00Z").created == 0
    assert send_due(mail_app, "2026-03-16T06:00:00Z").sent == 1


def test_a_missed_reminder_goes_out_late_the_same_day(mail_app, smtp_server, ada):
    send_due(mail_app, "2026-03-16T21:30:00Z")  # 22:30 in Berlin: the scheduler was down all day
    [row] = ledger_rows()
    assert row.status == "sent" and row.due_at == at(MONDAY) and row.sent_at >= at("2026-03-16T21:30:00Z")
    assert len(smtp_server.messages) == 1


def test_a_missed_day_is_not_sent_the_next_day(mail_app, smtp_server, ada):
    smtp_server.handler.refuse = True
    send_due(mail_app, MONDAY)  # due on the 16th, but the mail server is down all day
    smtp_server.handler.refuse = False
    send_due(mail_app, "2026-03-17T06:00:00Z")
    rows = {r.local_day: r for r in ledger_rows()}
    assert rows[dt.date(2026, 3, 16)].status == "dropped"
    assert "too late" in rows[dt.date(2026, 3, 16)].last_error
    assert rows[dt.date(2026, 3, 17)].status == "sent"
    assert [r.message["Subject"][:33] for r in smtp_server.messages] == ["Your routine for Tuesday 17 March"]


def test_a_day_the_scheduler_never_ran_leaves_no_row(mail_app, smtp_server, ada):
    send_due(mail_app, "2026-03-17T06:00:00Z")
    assert [r.local_day for r in ledger_rows()] == [dt.date(2026, 3, 17)]


# --------------------------------------------------------------------------- the mail server fails


def test_smtp_down_then_up_is_retried_and_sent_once(mail_app, smtp_server, ada):
    smtp_server.handler.refuse = True
    report = send_due(mail_app, MONDAY)
    assert (report.sent, report.failed) == (0, 1)
    [row] = ledger_rows()
    assert row.status == "failed" and row.attempts == 1 and "451" in row.last_error
    assert at(MONDAY) + dt.timedelta(minutes=1) <= row.next_attempt_at < at(MONDAY) + dt.timedelta(minutes=2)

    smtp_server.handler.refuse = False
    assert send_due(mail_app, "2026-03-16T06:00:30Z").sent == 0  # not before its retry time
    assert send_due(mail_app, "2026-03-16T06:01:10Z").sent == 1
    assert send_due(mail_app, "2026-03-16T06:05:00Z").sent == 0
    [row] = ledger_rows()
    assert row.status == "sent" and row.attempts == 2 and "451" in row.last_error  # the history stays
    assert len(smtp_server.messages) == 1


def test_retries_back_off_then_give_up(mail_app, smtp_server, ada):
    mail_app.config["MAIL_MAX_ATTEMPTS"] = 3
    smtp_server.handler.refuse = True
    now = at(MONDAY)
    waits = []
    for _ in range(3):
        send_due(mail_app, now)
        [row] = ledger_rows()
        if row.status == "failed":
            waits.append(round((row.next_attempt_at - now).total_seconds() / 60))
            now = row.next_attempt_at
    assert waits == [1, 2]
    assert row.status == "dropped" and row.attempts == 3 and "gave up after 3 attempts" in row.last_error
    assert smtp_server.messages == []


def test_no_mail_server_listening_is_retried(mail_app, smtp_server, ada):
    mail_app.config["SMTP_PORT"] = free_port()  # nothing listens there
    report = send_due(mail_app, MONDAY)
    [row] = ledger_rows()
    assert report.failed == 1 and row.status == "failed" and "unavailable" in row.last_error


class RefuseRecipient(SinkHandler):
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        return "550 5.1.1 No such user"


def test_a_recipient_refused_for_good_is_dropped_not_retried(mail_app, factory):
    routine_user(factory, email="gone@example.com")
    with SinkWith(free_port(), RefuseRecipient()) as sink:
        mail_app.config["SMTP_PORT"] = sink.port
        send_due(mail_app, MONDAY)
    [row] = ledger_rows()
    assert row.status == "dropped" and "refused for good" in row.last_error and "550" in row.last_error


# --------------------------------------------------------------------------- crash recovery


def _stale_row(user, kind: str, *, handed_over: bool, claimed_at: str) -> ReminderSend:
    row = ReminderSend(user_id=user.id, local_day=dt.date(2026, 3, 16), kind=kind, status="sending",
                       due_at=at(MONDAY), claimed_at=at(claimed_at), claimed_by="dead:1:x",
                       message_id="<afterglow.x@afterglow.localhost>" if handed_over else None)
    db.session.add(row)
    db.session.commit()
    return row


def test_stale_claims_are_recovered_without_sending_twice(mail_app, smtp_server, factory):
    never = routine_user(factory, email="never@example.com")
    maybe = routine_user(factory, email="maybe@example.com")
    busy = routine_user(factory, email="busy@example.com")
    _stale_row(never, "daily", handed_over=False, claimed_at="2026-03-16T06:00:00Z")
    _stale_row(maybe, "daily", handed_over=True, claimed_at="2026-03-16T06:00:00Z")
    _stale_row(busy, "daily", handed_over=False, claimed_at="2026-03-16T06:29:00Z")  # a live dispatcher's

    report = send_due(mail_app, "2026-03-16T06:30:00Z")  # 30 minutes later: past the 15-minute timeout
    assert (report.requeued, report.lost, report.sent) == (1, 1, 1)
    rows = {r.user_id: r for r in ledger_rows()}
    assert rows[never.id].status == "sent"
    assert rows[maybe.id].status == "dropped" and rows[maybe.id].last_error == ledger.UNKNOWN_OUTCOME
    assert rows[busy.id].status == "sending" and rows[busy.id].claimed_by == "dead:1:x"  # not stolen
    assert [r.rcpt_tos for r in smtp_server.messages] == [["never@example.com"]]


def test_a_recovered_claim_cannot_be_sent_by_its_old_owner(mail_app, smtp_server, ada):
    send_due(mail_app, "2026-03-16T05:00:00Z")  # nothing due yet: no row
    ledger.create([ledger.DueReminder(ada.id, dt.date(2026, 3, 16), "daily", at(MONDAY))])
    [claimed] = ledger.claim("slow:1:a", at(MONDAY), 10)
    ledger.recover_stale(at(MONDAY) + dt.timedelta(hours=1), dt.timedelta(minutes=15))
    # the slow dispatcher wakes up: its hand-over no longer takes
    assert ledger.hand_over("slow:1:a", [], {claimed.id: "<x@y>"}, at(MONDAY) + dt.timedelta(hours=1)) == set()
    assert ledger_rows()[0].status == "pending"


# --------------------------------------------------------------------------- cost


def test_queries_do_not_grow_with_the_number_of_users(mail_app, smtp_server, factory):
    """No query per user: 5 and 40 due reminders cost the same handful of statements, plus two
    per extra hand-over group (groups double: 1, 2, 2 for 5 users; 1, 2, 4, 8, 16, 9 for 40), and
    one per distinct move of the users' next-due instants (the 35 new users move from "look at the
    next run", the first 5 from Monday's instant: two statements instead of one)."""
    counts = []
    for users, instant in ((5, "2026-03-16T06:00:00Z"), (40, "2026-03-17T06:00:00Z")):
        for _ in range(users - sum(1 for _ in db.session.scalars(sa.select(User.id)))):
            routine_user(factory)
        statements: list[str] = []

        def listener(conn, cursor, statement, *args, statements=statements):
            statements.append(statement)

        sa.event.listen(db.engine, "before_cursor_execute", listener)
        try:
            assert send_due(mail_app, instant).sent == users
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", listener)
        counts.append(len(statements))
    assert counts[1] - counts[0] <= 2 * 3 + 1, counts


def test_product_names_are_escaped_in_html_only(mail_app, smtp_server, factory):
    user = routine_user(factory, products=False)
    factory.product(user, name="<b>Glow & Co</b> serum", ingredients="Aqua, Rose Callus Culture Exosomes",
                    exosome_source="plant")
    send_due(mail_app, MONDAY)
    message = smtp_server.messages[0].message
    assert "&lt;b&gt;Glow &amp; Co&lt;/b&gt; serum" in html_of(message) and "<b>Glow" not in html_of(message)
    assert "<b>Glow & Co</b> serum" in text_of(message)
