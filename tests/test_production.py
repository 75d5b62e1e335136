"""The production kit, run for real: PostgreSQL, Redis, the release step, two web processes
(gunicorn with deploy/gunicorn.conf.py, separate instance folders: two hosts) and two
`flask scheduler` processes, configured by deploy/config.production.toml plus the environment.

Checks: 200 users due in the same minute each get their reminder exactly once; the day page
from one web process and the feed from the other show the same steps and pauses for a date; a
revoked feed link is refused by both web processes; one feed rate limit holds across both.
"""

from __future__ import annotations

import datetime as dt
import http.client
import os
import re
import secrets
import signal
import subprocess
import sys
import time
import tomllib
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events
import requests
import sqlalchemy as sa

from planner import create_app
from planner.extensions import db
from planner.feed import http as feed_http
from planner.feed import tokens
from planner.feed.lookup import LOOKUP_TTL_SECONDS
from planner.planning import plan_for, planner_for
from planner.storage.models import Procedure, Product, ReminderSend, User
from tests.support.app import PASSWORD, TEST_SECRET_KEY, base_config
from tests.support.feed import RETINOL
from tests.support.services import free_port, wait_for_port

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
USERS = 200
FEED_LIMIT = 4
SERUM = "Aqua, Glycerin, Rose Callus Culture Exosomes, Sodium Hyaluronate"
BIN = Path(sys.executable).parent


# --------------------------------------------------------------------------- the kit's files


def test_production_config_changes_only_documented_keys(tmp_path, monkeypatch):
    with (ROOT / "config.toml").open("rb") as fh:
        documented = tomllib.load(fh)
    with (DEPLOY / "config.production.toml").open("rb") as fh:
        production = tomllib.load(fh)
    assert production and set(production) <= set(documented)
    monkeypatch.setenv("AFTERGLOW_CONFIG", str(DEPLOY / "config.production.toml"))
    app = create_app({"INSTANCE_PATH": str(tmp_path / "instance"), "SECRET_KEY": TEST_SECRET_KEY})
    assert app.config["EMBEDDED_SCHEDULER"] is False and app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["RATELIMIT_STORAGE_URI"].startswith("redis://")
    assert app.config["REMINDER_BATCH_SIZE"] == documented["REMINDER_BATCH_SIZE"]  # the rest from config.toml


def test_release_step_migrates_in_every_kit():
    procfile = dict(line.split(": ", 1) for line in (ROOT / "Procfile").read_text().splitlines() if line)
    assert procfile["release"] == "flask --app wsgi db upgrade"
    assert "-c deploy/gunicorn.conf.py" in procfile["web"] and procfile["scheduler"] == "flask --app wsgi scheduler"
    web = (DEPLOY / "afterglow-web.service").read_text()
    assert "ExecStartPre=/opt/afterglow/.venv/bin/flask --app wsgi db upgrade" in web
    assert "ExecStart=/opt/afterglow/.venv/bin/gunicorn -c deploy/gunicorn.conf.py wsgi:app" in web
    assert "ExecStart=/opt/afterglow/.venv/bin/flask --app wsgi scheduler" in (DEPLOY / "afterglow-scheduler.service").read_text()
    containerfile = (ROOT / "Containerfile").read_text()
    assert containerfile.startswith("#") and "FROM docker.io/library/python:3.11-slim-bookworm" in containerfile
    assert "pip install --no-cache-dir -e ." in containerfile


def test_gunicorn_config_is_valid():
    result = subprocess.run([str(BIN / "gunicorn"), "--check-config", "-c", "deploy/gunicorn.conf.py", "wsgi:app"],
                            cwd=ROOT, capture_output=True, text=True, timeout=60,
                            env={**os.environ, "AFTERGLOW_EMBEDDED_SCHEDULER": "false"})
    assert result.returncode == 0, result.stderr


# --------------------------------------------------------------------------- the whole thing


class Host:
    """One web process (gunicorn, one worker) with its own instance folder."""

    def __init__(self, env: dict[str, str], instance: Path):
        self.port = free_port()
        self.env = {**env, "AFTERGLOW_INSTANCE_PATH": str(instance), "GUNICORN_BIND": f"127.0.0.1:{self.port}",
                    "GUNICORN_WORKERS": "1", "GUNICORN_LOG_LEVEL": "warning"}
        self.process = subprocess.Popen([str(BIN / "gunicorn"), "-c", "deploy/gunicorn.conf.py", "wsgi:app"],
                                        cwd=ROOT, env=self.env, start_new_session=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def get(self, path: str, source: str) -> int:
        """GET from a given loopback address (each part of the test counts as its own client)."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=20, source_address=(source, 0))
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            return response.status
        finally:
            connection.close()


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def pages_and_feed_agree(app, hosts: list[Host]) -> None:
    """A user in a washout: host A's day page and host B's feed name the plan's steps and pauses."""
    with app.app_context():
        user = User(email="agree@example.com", timezone="Europe/Berlin", email_verified_at=dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc))
        user.set_password(PASSWORD)
        db.session.add(user)
        db.session.commit()
        today = planner_for(user).today
        day = today + dt.timedelta(days=1)
        db.session.add_all([
            Product(user_id=user.id, name="Glow Exosome Serum", ingredients=SERUM, exosome_source="plant"),
            Product(user_id=user.id, name="Night Retinol", ingredients=RETINOL),
            Procedure(user_id=user.id, kind="microneedling", performed_on=today + dt.timedelta(days=3)),
        ])
        db.session.commit()
        [planned] = plan_for(user, day, day + dt.timedelta(days=1)).days
        feed_path = f"/feed/{tokens.issue(user)}.ics"
    steps, paused = {s.product_name for s in planned.steps}, {p.product_name for p in planned.pauses}
    assert "Glow Exosome Serum" in steps and paused == {"Night Retinol"}  # a washout day: something to compare

    browser = requests.Session()
    login_page = browser.get(hosts[0].url("/login"), timeout=20).text
    csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', login_page).group(1)
    browser.post(hosts[0].url("/login"), data={"email": "agree@example.com", "password": PASSWORD, "csrf_token": csrf}, timeout=20)
    page = browser.get(hosts[0].url(f"/plan/day/{day.isoformat()}"), timeout=20, allow_redirects=False)
    assert page.status_code == 200
    page_steps = set(re.findall(r'<span class="step-name">([^<]+)</span>', page.text))
    assert page_steps == steps
    assert all(name in page.text.split('class="pauses"', 1)[-1] for name in paused)

    feed = requests.get(hosts[1].url(feed_path), timeout=20)
    assert feed.status_code == 200
    zone = ZoneInfo("Europe/Berlin")
    occurrences = recurring_ical_events.of(icalendar.Calendar.from_ical(feed.content)).between(day, day + dt.timedelta(days=1))
    feed_steps = {str(o["SUMMARY"]) for o in occurrences if str(o["CATEGORIES"].cats[0]) in ("Serum", "Exfoliant")
                  and o["DTSTART"].dt.astimezone(zone).date() == day}
    assert feed_steps == {s.product_name for s in planned.steps if s.role.value != "layer"}
    washout = [o for o in occurrences if str(o["CATEGORIES"].cats[0]) == "Washout"]
    assert washout and all(name in str(washout[0]["DESCRIPTION"]) for name in paused)


def _seed(app) -> list[str]:
    """USERS confirmed users in UTC whose reminder time (00:00) has passed today: all due now."""
    emails = [f"crowd{i:03d}@example.com" for i in range(USERS)]
    verified = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
    with app.app_context():
        db.session.execute(sa.insert(User), [
            {"email": e, "password_hash": "x", "timezone": "UTC", "reminder_time": dt.time(0, 0), "email_verified_at": verified}
            for e in emails
        ])
        ids = db.session.scalars(sa.select(User.id)).all()
        db.session.execute(sa.insert(Product), [
            {"user_id": i, "name": "Glow Exosome Serum", "ingredients": SERUM, "exosome_source": "plant"} for i in ids
        ])
        db.session.commit()
    return emails


@pytest.mark.postgres
def test_two_hosts_two_schedulers_on_postgresql_and_redis(tmp_path, postgres, redis_url, smtp_server):
    database_url = postgres.create_database("afterglow_production")
    env = {
        **os.environ,
        "AFTERGLOW_CONFIG": str(DEPLOY / "config.production.toml"),
        "AFTERGLOW_DATABASE_URL": database_url,
        "AFTERGLOW_SECRET_KEY": "production-test-secret-of-at-least-32-characters",
        "AFTERGLOW_PUBLIC_BASE_URL": "http://afterglow.test",
        "AFTERGLOW_RATELIMIT_STORAGE_URI": redis_url,
        "AFTERGLOW_SMTP_HOST": "127.0.0.1",
        "AFTERGLOW_SMTP_PORT": str(smtp_server.port),
        "AFTERGLOW_SMTP_SECURITY": "none",
        "AFTERGLOW_SMTP_USERNAME": "",
        "AFTERGLOW_SESSION_COOKIE_SECURE": "false",
        "AFTERGLOW_FEED_RATE_LIMIT_PER_MINUTE": str(FEED_LIMIT),
        "AFTERGLOW_SCHEDULER_INTERVAL_SECONDS": "2",
    }
    release = subprocess.run([str(BIN / "flask"), "--app", "wsgi", "db", "upgrade"], cwd=ROOT, capture_output=True,
                             text=True, timeout=120, env={**env, "AFTERGLOW_INSTANCE_PATH": str(tmp_path / "release")})
    assert release.returncode == 0, release.stderr

    app = create_app(base_config(tmp_path / "operator", database_url, SECRET_KEY=env["AFTERGLOW_SECRET_KEY"]))
    emails = _seed(app)
    hosts = [Host(env, tmp_path / "host-a"), Host(env, tmp_path / "host-b")]
    schedulers = [
        subprocess.Popen([str(BIN / "flask"), "--app", "wsgi", "scheduler"], cwd=ROOT, start_new_session=True,
                         env={**env, "AFTERGLOW_INSTANCE_PATH": str(tmp_path / f"scheduler-{n}")},
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for n in (1, 2)
    ]
    try:
        for host in hosts:
            wait_for_port(host.port, timeout=30)

        # -- each reminder exactly once, whichever scheduler claimed it
        deadline = time.monotonic() + 240
        while len(smtp_server.messages) < USERS and time.monotonic() < deadline:
            time.sleep(0.5)
        time.sleep(3 * 2)  # three more scheduler runs each: a second copy would show now
        for scheduler in schedulers:
            stop(scheduler)
        received = [r.rcpt_tos[0] for r in smtp_server.messages]
        assert sorted(received) == sorted(emails)  # everyone, and nobody twice
        assert len({str(r.message["Message-ID"]) for r in smtp_server.messages}) == USERS
        with app.app_context():
            statuses = db.session.execute(sa.select(ReminderSend.status, sa.func.count()).group_by(ReminderSend.status)).all()
            claimed_by = db.session.scalars(sa.select(ReminderSend.claimed_by).distinct()).all()
        assert dict(statuses) == {"sent": USERS}
        assert len(claimed_by) >= 1

        # -- the day page on host A and the feed from host B show the same steps and pauses
        pages_and_feed_agree(app, hosts)

        # -- a revoked link is refused by both hosts within the lookup TTL
        with app.app_context():
            user = db.session.scalar(sa.select(User).where(User.email == emails[0]))
            path = f"/feed/{tokens.issue(user)}.ics"
            assert [host.get(path, "127.0.0.2") for host in hosts] == [200, 200]
            assert tokens.revoke(user)
        time.sleep(LOOKUP_TTL_SECONDS)
        assert [host.get(path, "127.0.0.2") for host in hosts] == [404, 404]

        # -- one rate limit across both hosts (per client address, counted in Redis)
        unknown = [f"/feed/{secrets.token_urlsafe(32)}.ics" for _ in range(FEED_LIMIT + 2)]
        allowed = [hosts[n % 2].get(p, "127.0.0.3") for n, p in enumerate(unknown[:FEED_LIMIT])]
        assert allowed == [404] * FEED_LIMIT
        assert [hosts[0].get(unknown[-2], "127.0.0.3"), hosts[1].get(unknown[-1], "127.0.0.3")] == [429, 429]
        assert hosts[1].get(unknown[-1], "127.0.0.4") == 404  # another client is not limited
    finally:
        for process in [*schedulers, *(h.process for h in hosts)]:
            stop(process)
        feed_http.close(app)
        with app.app_context():
            db.engine.dispose()
