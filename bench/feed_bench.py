"""Feed speed: a cold render of a year's feed, and requests/s under gunicorn next to a hello-world.

Targets (issue 4):
- median cold render of a one-year feed, 12 procedures and 6 products: under 10 ms
  (in-process, SQLite; "cold" = no rendered-feed cache, so it includes loading the records,
  the engine, the events, the SEQUENCE check and the text; the zone's VTIMEZONE, built once
  per process by design, is warm);
- under gunicorn with 2 workers and wrk on 127.0.0.1, the feed's requests/s with a warm cache
  at least 0.5 of /healthz's, and for 304 answers at least 0.8, measured in the same run.

The rate limiter stays on during the HTTP runs, with a limit no run can reach, so its cost
is counted. Loops are bounded (RENDER_RUNS renders, ROUNDS × WRK_SECONDS of wrk per figure)
and every server listens on loopback only.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from zoneinfo import ZoneInfo

from bench import fixtures

ROOT = Path(__file__).resolve().parent.parent
RENDER_RUNS = 100
ROUNDS = 5
WRK_SECONDS = 3
WRK = shutil.which("wrk") or "/usr/bin/wrk"
SECRET = "feed-bench-secret"
ZONE = "Europe/Berlin"


def seed(database_url: str, instance: Path) -> str:
    """A migrated database with the heavy user of bench/fixtures.py around today; returns the feed token."""
    from flask_migrate import upgrade

    from planner import create_app
    from planner.extensions import db
    from planner.feed import tokens
    from planner.storage.models import Procedure, Product, User

    app = create_app({"DATABASE_URL": database_url, "SECRET_KEY": SECRET, "INSTANCE_PATH": str(instance),
                      "EMBEDDED_SCHEDULER": False})
    today = dt.datetime.now(ZoneInfo(ZONE)).date()
    with app.app_context():
        upgrade()
        user = User(email="feed-bench@example.com", timezone=ZONE)
        user.set_password("benchmark password")
        db.session.add(user)
        db.session.commit()
        for i, p in enumerate(fixtures.procedures()):  # one a month across the feed's year
            day = today - dt.timedelta(days=20) + dt.timedelta(days=30 * i)
            db.session.add(Procedure(user_id=user.id, kind=p.kind, performed_on=day, intensity=p.intensity.value))
        for name, inci, cadence, weekdays, source in fixtures.PRODUCTS:
            db.session.add(Product(
                user_id=user.id, name=name, ingredients=inci, cadence_kind=cadence.value, cadence_every_n=2,
                cadence_weekdays=",".join(str(d) for d in sorted(weekdays or ())),
                exosome_source=source.value if source else None,
            ))
        db.session.commit()
        token = tokens.issue(user)
        db.engine.dispose()
    return token


def time_cold_render(database_url: str, instance: Path, token: str) -> dict[str, float]:
    from planner import create_app
    from planner.extensions import db
    from planner.feed import publish
    from planner.feed.lookup import horizon, lookup
    from planner.storage.models import User
    from planner.planning import plan_for

    app = create_app({"DATABASE_URL": database_url, "SECRET_KEY": SECRET, "INSTANCE_PATH": str(instance),
                      "EMBEDDED_SCHEDULER": False})
    figures: dict[str, float] = {}
    with app.app_context():
        found = lookup(token)
        user = db.session.get(User, found.user_id)
        t0 = time.perf_counter()
        rendered = publish.render(user, found.inputs_sha256)  # builds the VTIMEZONE, inserts the states
        figures["first"] = (time.perf_counter() - t0) * 1000
        figures["bytes"] = len(rendered.body)
        figures["events"] = rendered.body.count(b"BEGIN:VEVENT")
        renders, engine = [], []
        start, end = horizon(dt.datetime.now(ZoneInfo(ZONE)).date())
        for _ in range(RENDER_RUNS):
            db.session.expire_all()  # nothing loaded from an earlier round
            t0 = time.perf_counter()
            publish.render(user, found.inputs_sha256)
            renders.append(time.perf_counter() - t0)
            db.session.expire_all()
            t0 = time.perf_counter()
            plan_for(user, start, end)
            engine.append(time.perf_counter() - t0)
        figures["render"] = statistics.median(renders) * 1000
        figures["engine"] = statistics.median(engine) * 1000
        figures["days"] = (end - start).days
        db.engine.dispose()
    return figures


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"nothing answers at {url}")


def wrk(url: str, *headers: str) -> float:
    command = [WRK, "-t2", "-c8", f"-d{WRK_SECONDS}s"]
    for header in headers:
        command += ["-H", header]
    output = subprocess.run([*command, url], capture_output=True, text=True, timeout=WRK_SECONDS + 30, check=True).stdout
    if "Non-2xx or 3xx responses" in output or "Socket errors" in output:
        raise RuntimeError(f"wrk saw failed requests:\n{output}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))


def time_http(database_url: str, instance: Path, token: str) -> dict[str, float]:
    """Requests/s of /healthz, the warm feed and its 304, and each feed figure's ratio to hello-world.

    Each round measures hello-world before and after the two feed runs, and the ratios use their
    mean, so a neighbour's load that comes and goes during the run shifts both sides alike; the
    figures are the medians over the rounds."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "AFTERGLOW_DATABASE_URL": database_url, "AFTERGLOW_SECRET_KEY": SECRET,
        "AFTERGLOW_INSTANCE_PATH": str(instance), "AFTERGLOW_EMBEDDED_SCHEDULER": "false",
        "AFTERGLOW_PUBLIC_BASE_URL": base, "AFTERGLOW_FEED_RATE_LIMIT_PER_MINUTE": str(10**9),
    }
    gunicorn = Path(sys.executable).parent / "gunicorn"
    server = subprocess.Popen([str(gunicorn), "-w", "2", "-b", f"127.0.0.1:{port}", "--log-level", "warning", "wsgi:app"],
                              cwd=ROOT, env=env, start_new_session=True)
    try:
        wait_for(f"{base}/healthz")
        feed = f"{base}/feed/{token}.ics"
        for _ in range(20):  # both workers render once and keep it
            with urllib.request.urlopen(feed, timeout=10) as response:
                etag = response.headers["ETag"]
        runs: dict[str, list[float]] = {"hello": [], "warm": [], "304": [], "warm ratio": [], "304 ratio": []}
        for _ in range(ROUNDS):
            before = wrk(f"{base}/healthz")
            warm = wrk(feed)
            not_modified = wrk(feed, f"If-None-Match: {etag}")
            hello = (before + wrk(f"{base}/healthz")) / 2
            runs["hello"].append(hello)
            runs["warm"].append(warm)
            runs["304"].append(not_modified)
            runs["warm ratio"].append(warm / hello)
            runs["304 ratio"].append(not_modified / hello)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    return {name: statistics.median(values) for name, values in runs.items()}


def verdict(ok: bool) -> str:
    return "OK" if ok else "MISSED"


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="afterglow-feed-bench-") as tmp:
        database_url = f"sqlite:///{Path(tmp) / 'feed.sqlite3'}"
        instance = Path(tmp) / "instance"
        token = seed(database_url, instance)
        r = time_cold_render(database_url, instance, token)
        print(f"feed of {r['days']:.0f} days: {r['events']:.0f} events, {r['bytes'] / 1024:.0f} KiB; "
              f"first render in a process {r['first']:.1f} ms")
        print(f"cold render, 12 procedures x 6 products: median {r['render']:6.2f} ms   (target < 10 ms)  {verdict(r['render'] < 10)}")
        print(f"  of which plan_for (records + engine):  median {r['engine']:6.2f} ms;"
              f" the feed's own share {r['render'] - r['engine']:.2f} ms")
        if not Path(WRK).exists():
            print("wrk not found (apt-get install wrk): HTTP figures skipped")
            return
        h = time_http(database_url, instance, token)
        warm, not_modified = h["warm ratio"], h["304 ratio"]
        print(f"gunicorn -w 2, wrk -t2 -c8 {WRK_SECONDS}s x {ROUNDS} rounds (median req/s): hello {h['hello']:.0f}, "
              f"feed warm {h['warm']:.0f}, feed 304 {h['304']:.0f}")
        print(f"feed warm cache / hello-world:  {warm:4.2f}   (target >= 0.5)  {verdict(warm >= 0.5)}")
        print(f"feed 304 / hello-world:         {not_modified:4.2f}   (target >= 0.8)  {verdict(not_modified >= 0.8)}")


if __name__ == "__main__":
    main()
