"""Pages and the feed under gunicorn, as a person and a calendar app see them: wrk percentiles.

Issue 14 (item 8): p50/p99 for the week, month and day pages and the feed, under gunicorn,
against two web processes. Two gunicorn servers (one sync worker each, their own instance
folders, as two hosts would be) share one PostgreSQL; the heavy user of bench/fixtures.py
(12 procedures, 6 products, around today) is logged in through a session cookie, and each URL
is asked by one wrk connection per server at once for WRK_SECONDS. The figures are each
server's p50 and p99 (the worse of the two is printed against the target).

Targets: a page within 50 ms at p50 and 150 ms at p99 (a click feels instant under ~100 ms);
the feed (a full answer from the worker's cache) within 20 ms at p50 and 100 ms at p99, its
304 within 10 ms and 50 ms. Run with `python -m bench web`; it starts its own PostgreSQL in a
temp folder and removes it after.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import signal
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
from pathlib import Path
from zoneinfo import ZoneInfo

from bench import fixtures
from bench.feed_bench import WRK, free_port, verdict, wait_for

ROOT = Path(__file__).resolve().parent.parent
WRK_SECONDS = 5
PAGE_TARGET_MS = (50.0, 150.0)
FEED_TARGET_MS = (20.0, 100.0)
NOT_MODIFIED_TARGET_MS = (10.0, 50.0)


def seed(database_url: str, instance: Path) -> tuple[str, str, dt.date]:
    """The heavy user around today; returns their session cookie, feed path and local today."""
    from planner.extensions import db
    from planner.feed import tokens

    today = dt.datetime.now(ZoneInfo(fixtures.profile().timezone)).date()
    app = fixtures.migrated_app(database_url, instance, WTF_CSRF_ENABLED=False)
    with app.app_context():
        user = fixtures.add_heavy_user(start=today - dt.timedelta(days=30))
        feed_path = f"/feed/{tokens.issue(user)}.ics"
        db.engine.dispose()
    client = app.test_client()
    answer = client.post("/login", data={"email": fixtures.EMAIL, "password": fixtures.PASSWORD})
    assert answer.status_code in (302, 303), answer.status_code
    cookie = client.get_cookie(app.config.get("SESSION_COOKIE_NAME", "session"))
    return f"{cookie.key}={cookie.value}", feed_path, today


def start_server(database_url: str, instance: Path, port: int) -> subprocess.Popen:
    env = {**os.environ, "AFTERGLOW_DATABASE_URL": database_url, "AFTERGLOW_SECRET_KEY": fixtures.SECRET_KEY,
           "AFTERGLOW_INSTANCE_PATH": str(instance), "AFTERGLOW_EMBEDDED_SCHEDULER": "false",
           "AFTERGLOW_FEED_RATE_LIMIT_PER_MINUTE": str(10**9)}
    gunicorn = Path(sys.executable).parent / "gunicorn"
    return subprocess.Popen([str(gunicorn), "-w", "1", "-b", f"127.0.0.1:{port}", "--log-level", "warning", "wsgi:app"],
                            cwd=ROOT, env=env, start_new_session=True)


def _ms(text: str) -> float:
    """wrk's latency ("812.00us", "3.10ms", "1.02s", "1.00m") in milliseconds."""
    found = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", text)
    if found is None:
        raise ValueError(f"unexpected latency from wrk: {text!r}")
    number, unit = found.groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}[unit]


def percentiles(bases: list[str], path: str, headers: dict[str, str]) -> list[tuple[float, float]]:
    """(p50, p99) in ms per server, one wrk connection on each at the same time."""
    command = [WRK, "-t1", "-c1", f"-d{WRK_SECONDS}s", "--latency"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    runs = [subprocess.Popen([*command, base + path], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for base in bases]
    figures = []
    for run in runs:
        output, errors = run.communicate(timeout=WRK_SECONDS + 60)
        if run.returncode or "Non-2xx or 3xx" in output or "Socket errors" in output:
            raise RuntimeError(f"wrk failed or saw failed requests:\n{output}\n{errors}")
        latency = re.search(r"Latency Distribution\s+50%\s+(\S+)\s+75%\s+\S+\s+90%\s+\S+\s+99%\s+(\S+)", output)
        if latency is None:
            raise RuntimeError(f"wrk printed no latency distribution:\n{output}")
        figures.append((_ms(latency.group(1)), _ms(latency.group(2))))
    return figures


def _check(url: str, headers: dict[str, str]) -> None:
    """The URL answers itself (no redirect to the log-in page), so wrk measures the real page."""
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=30) as response:
            assert response.status == 200 and response.url == url, (response.status, response.url)
    except urllib.error.HTTPError as error:
        assert error.code == 304 and "If-None-Match" in headers, error


def main() -> None:
    from tests.support.services import start_postgres

    if not Path(WRK).exists():
        print("wrk not found (apt-get install wrk): web figures skipped")
        return
    cluster = start_postgres()
    servers: list[subprocess.Popen] = []
    try:
        database_url = cluster.create_database("web_bench")
        with tempfile.TemporaryDirectory(prefix="afterglow-web-bench-") as tmp:
            cookie, feed_path, today = seed(database_url, Path(tmp) / "seed")
            ports = [free_port(), free_port()]
            servers = [start_server(database_url, Path(tmp) / f"host-{n}", port) for n, port in enumerate(ports)]
            bases = [f"http://127.0.0.1:{port}" for port in ports]
            for base in bases:
                wait_for(f"{base}/healthz")
                with urllib.request.urlopen(base + feed_path, timeout=30) as response:  # render once per server
                    etag = response.headers["ETag"]
            signed_in = {"Cookie": cookie}
            cases = (
                ("week page", "/plan/", signed_in, PAGE_TARGET_MS),
                ("month page", f"/plan/month?month={today:%Y-%m}", signed_in, PAGE_TARGET_MS),
                ("day page", f"/plan/day/{today.isoformat()}", signed_in, PAGE_TARGET_MS),
                ("feed (full answer)", feed_path, {}, FEED_TARGET_MS),
                ("feed (304)", feed_path, {"If-None-Match": etag}, NOT_MODIFIED_TARGET_MS),
            )
            print(f"2 gunicorn servers (1 sync worker each, own instance folders) on one PostgreSQL; "
                  f"wrk -t1 -c1 -d{WRK_SECONDS}s on each at once")
            for label, path, headers, (p50_target, p99_target) in cases:
                _check(bases[0] + path, headers)
                figures = percentiles(bases, path, headers)
                p50, p99 = max(f[0] for f in figures), max(f[1] for f in figures)
                each = "; ".join(f"{'AB'[n]}: p50 {a:.1f} ms, p99 {b:.1f} ms" for n, (a, b) in enumerate(figures))
                print(f"{label:19s} {each}   (target p50 <= {p50_target:.0f} ms, p99 <= {p99_target:.0f} ms)  "
                      f"{verdict(p50 <= p50_target and p99 <= p99_target)}")
    finally:
        for server in servers:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        cluster.stop()


if __name__ == "__main__":
    main()
