"""Plan speed: the engine for a year, and the month page's server time.

Targets (issue 3): planning 365 days for 12 procedures and 6 products under 5 ms
(median); the month page under 25 ms median server time (in-process WSGI, SQLite).
"""

from __future__ import annotations

import datetime as dt
import statistics
import tempfile
import time

from bench import fixtures

ENGINE_RUNS = 200
PAGE_RUNS = 100


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def time_engine() -> float:
    from planner.core import schedule

    procedures, products, profile = fixtures.procedures(), fixtures.products(), fixtures.profile()
    start, end = fixtures.START, fixtures.START + dt.timedelta(days=365)
    schedule.plan(profile, procedures, products, start, end, today=start)  # warm caches (catalog load)
    samples = []
    for _ in range(ENGINE_RUNS):
        t0 = time.perf_counter()
        schedule.plan(profile, procedures, products, start, end, today=start)
        samples.append(time.perf_counter() - t0)
    return median_ms(samples)


def time_month_page() -> float:
    from planner.extensions import db

    with tempfile.TemporaryDirectory() as tmp:
        app = fixtures.sqlite_app(tmp, WTF_CSRF_ENABLED=False)
        with app.app_context():
            fixtures.add_heavy_user()
        client = app.test_client()
        client.post("/login", data={"email": fixtures.EMAIL, "password": fixtures.PASSWORD})
        url = "/plan/month?month=2026-06"
        assert client.get(url).status_code == 200
        samples = []
        for _ in range(PAGE_RUNS):
            t0 = time.perf_counter()
            response = client.get(url)
            samples.append(time.perf_counter() - t0)
            assert response.status_code == 200
        with app.app_context():
            db.engine.dispose()
    return median_ms(samples)


def main() -> None:
    engine = time_engine()
    print(f"plan 365 days, 12 procedures x 6 products: median {engine:6.2f} ms   (target < 5 ms)  {'OK' if engine < 5 else 'MISSED'}")
    page = time_month_page()
    print(f"month page server time (in-process WSGI):   median {page:6.2f} ms   (target < 25 ms) {'OK' if page < 25 else 'MISSED'}")
