"""Calendar clients nobody here wrote, against the running app: vdirsyncer syncs the feed over
HTTP into a folder, khal lists it. Chromium drives the Calendar page."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from planner.feed import tokens
from tests.support.app import PASSWORD, Factory
from tests.support.browser import screenshot
from tests.support.feed import EXOSOME, RETINOL
from tests.support.services import unavailable

NEW_YORK = ZoneInfo("America/New_York")
BIN = Path(sys.executable).parent


def status_of(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def next_dst_change(zone: ZoneInfo, after: dt.date) -> dt.date:
    """The first local date whose noon has a different UTC offset than the day before."""
    def offset(day: dt.date) -> dt.timedelta:
        return dt.datetime.combine(day, dt.time(12), tzinfo=zone).utcoffset()

    day = after
    while offset(day) == offset(day + dt.timedelta(days=1)):
        day += dt.timedelta(days=1)
    return day + dt.timedelta(days=1)


def run(*command: str, cwd: Path) -> str:
    result = subprocess.run(command, cwd=cwd, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120,
                            env={"HOME": str(cwd), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"})
    assert result.returncode == 0, f"{command[0]} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def khal_list(folder: Path, calendars: Path, zone: str, first: dt.date, last: dt.date) -> list[list[str]]:
    config = folder / f"khal-{zone.replace('/', '_')}.conf"
    config.write_text(f"""
[calendars]
[[afterglow]]
path = {calendars}
type = calendar

[locale]
timeformat = %H:%M
dateformat = %Y-%m-%d
longdateformat = %Y-%m-%d
datetimeformat = %Y-%m-%d %H:%M
longdatetimeformat = %Y-%m-%d %H:%M
local_timezone = {zone}
default_timezone = {zone}

[sqlite]
path = {folder / f"khal-{zone.replace('/', '_')}.db"}
""")
    output = run(str(BIN / "khal"), "-c", str(config), "list", "--day-format", "",
                 "--format", "{start}|{end}|{title}|{categories}", first.isoformat(), last.isoformat(), cwd=folder)
    return [line.split("|") for line in output.splitlines() if "|" in line]


def test_vdirsyncer_and_khal_show_the_serum_at_local_time_across_dst(live_server, tmp_path):
    for tool in ("vdirsyncer", "khal"):
        if not (BIN / tool).exists():
            unavailable(f"{tool} is not installed in {BIN}: pip install -e '.[test]'")
    today = dt.datetime.now(NEW_YORK).date()
    change = next_dst_change(NEW_YORK, today + dt.timedelta(days=1))
    with live_server.app.app_context():
        factory = Factory()
        user = factory.user(email=f"ny-{change}@example.com", timezone="America/New_York",
                            evening_time=dt.time(21, 0), morning_time=dt.time(7, 15))
        factory.product(user, "Exo serum", EXOSOME, exosome_source="human")
        factory.product(user, "Retinol serum", RETINOL, cadence_kind="every_other_day")
        factory.procedure(user, "microneedling", change + dt.timedelta(days=20), clinic="Glow Clinic")
        url, _ = tokens.feed_links(tokens.issue(user))

    calendars = tmp_path / "calendars" / "afterglow"
    calendars.mkdir(parents=True)
    config = tmp_path / "vdirsyncer.conf"
    config.write_text(f"""
[general]
status_path = "{tmp_path / 'status'}/"

[pair afterglow]
a = "afterglow_feed"
b = "afterglow_local"
collections = null

[storage afterglow_feed]
type = "http"
url = "{url}"

[storage afterglow_local]
type = "filesystem"
path = "{calendars}/"
fileext = ".ics"
""")
    run(str(BIN / "vdirsyncer"), "-c", str(config), "discover", cwd=tmp_path)
    run(str(BIN / "vdirsyncer"), "-c", str(config), "sync", cwd=tmp_path)
    assert len(list(calendars.glob("*.ics"))) > 10

    before, after = change - dt.timedelta(days=1), change + dt.timedelta(days=1)
    local = khal_list(tmp_path, calendars, "America/New_York", before, after)
    serum = {start for start, _, title, category in local if title == "Exo serum" and category == "Serum"}
    assert {f"{before} 21:00", f"{change} 21:00", f"{after} 21:00"} <= serum, local

    # Seen from UTC the same wall-clock time moves by the DST shift: the times are zoned.
    utc = khal_list(tmp_path, calendars, "UTC", before, after + dt.timedelta(days=1))
    # 21:00 in New York is the next day in UTC: 02:00 under EST, 01:00 under EDT.
    next_days = (str(before + dt.timedelta(days=1)), str(after + dt.timedelta(days=1)))
    utc_times = {start.split(" ")[1] for start, _, title, _ in utc if title == "Exo serum" and start.split(" ")[0] in next_days}
    assert utc_times == {"01:00", "02:00"}, utc

    # The procedure and its windows arrive as all-day events.
    window = khal_list(tmp_path, calendars, "America/New_York", change + dt.timedelta(days=10), change + dt.timedelta(days=30))
    categories = {category for *_, category in window}
    assert {"Washout", "Procedure", "Recovery"} <= categories
    assert any(title == "Microneedling" for _, _, title, _ in window)


@pytest.mark.browser
def test_the_calendar_page_shows_links_and_regenerating_changes_them(page, live_server):
    email = "calendar-browser@example.com"
    with live_server.app.app_context():
        Factory().user(email=email)
    page.goto("/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.get_by_role("link", name="Calendar feed").click()
    page.get_by_role("button", name="Create my calendar link").click()
    first = page.input_value("#feed-url")
    webcal = page.input_value("#webcal-url")
    assert first.startswith(live_server.url + "/feed/") and first.endswith(".ics")
    assert webcal == "webcal://" + first.split("://", 1)[1]
    assert status_of(first) == 200

    from playwright.sync_api import expect

    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page.get_by_role("button", name="Copy").first.click()
    expect(page.locator(".copy-status").first).to_have_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()") == first
    screenshot(page, "feed_calendar_page")

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Make a new link").click()
    page.wait_for_selector("text=The old link no longer works")
    second = page.input_value("#feed-url")
    assert second != first and second.startswith(live_server.url + "/feed/")
    assert status_of(first) == 404 and status_of(second) == 200
