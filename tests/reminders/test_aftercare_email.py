"""Aftercare in the daily email, received by the real SMTP sink: the sun days, the no-sunscreen
warning, the times, and the standing information; nothing of it in a discreet subject or preview."""

from __future__ import annotations

import datetime as dt
import html as html_module
import re

from planner.core.catalog import get_kind
from planner.core.model import Intensity
from tests.support.reminders import html_of, routine_user, send_due, text_of

LASER_DAY = dt.date(2026, 3, 20)
SUN_DAYS = get_kind("nonablative_fractional_laser").sun.values[Intensity.STANDARD]


def test_the_daily_email_carries_the_days_aftercare(mail_app, smtp_server, factory):
    user = routine_user(factory)
    factory.procedure(user, kind="nonablative_fractional_laser", performed_on=LASER_DAY)
    send_due(mail_app, "2026-03-23T06:00:00Z")  # 07:00 in Berlin, day 3 after the laser
    [received] = smtp_server.messages
    text = text_of(received.message)
    assert "Aftercare today" in text
    assert f"  - Sunscreen and no direct sun: day 3 of {SUN_DAYS} after non-ablative fractional laser." in text
    assert "  Please note: You have no sunscreen on your shelf" in text
    assert "Don't pick, scratch or peel flaking skin through Wed 25 March" in text
    assert "Peptides are the more established alternative to exosomes" in text  # the user has an exosome serum
    assert "not medical advice" in text and "FDA" in text
    page = html_module.unescape(html_of(received.message))
    assert "Aftercare today" in page and f"day 3 of {SUN_DAYS} after non-ablative fractional laser" in page


def test_the_procedure_days_email_gives_the_times(mail_app, smtp_server, factory):
    user = routine_user(factory)
    factory.procedure(user, kind="nonablative_fractional_laser", performed_on=LASER_DAY)
    factory.product(user, name="Sun Fluid SPF 50", ingredients="Aqua, Zinc Oxide, Glycerin")
    send_due(mail_app, "2026-03-20T06:00:00Z")
    text = text_of(smtp_server.messages[0].message)
    assert "No makeup until tomorrow evening (after non-ablative fractional laser on 20 March)." in text
    assert "No swimming pools (chlorine) until the evening of Sun 22 March" in text
    assert "no sunscreen on your shelf" not in text


def test_discreet_subject_and_preview_name_no_aftercare(mail_app, smtp_server, factory):
    user = routine_user(factory, discreet_titles=True)
    factory.procedure(user, kind="nonablative_fractional_laser", performed_on=LASER_DAY)
    send_due(mail_app, "2026-03-23T06:00:00Z")
    [received] = smtp_server.messages
    subject = received.message["Subject"]
    assert subject == "Your routine for Monday 23 March"
    preheader = re.search(r'<div style="display:none[^>]*>(.*?)</div>', html_of(received.message), flags=re.S).group(1)
    for shown in (subject, html_module.unescape(preheader)):
        assert not any(word in shown.lower() for word in ("laser", "sun", "makeup", "sauna")), shown
    assert "Sunscreen and no direct sun" in text_of(received.message)  # the body, read by the user alone
