"""The API's plan endpoint next to the engine it wraps.

Target (issue 15): GET /api/v1/plan for 365 days (12 procedures x 6 products), median
server time in-process (WSGI, SQLite, bearer token), at most 3 ms above the engine's own
median for the same year. The difference is everything the API adds: the token lookup,
loading the rows, validation, shaping and serialising ~2,500 steps.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
import time

from bench import fixtures
from bench.plan_bench import median_ms

RUNS = 100
BUDGET_MS = 3.0


class Samples:
    """Wall-clock and CPU time of each run of a ``with`` block.

    The CPU time (this process only) is what a run costs whatever else the machine is doing;
    on a shared machine it is the steadier of the two.
    """

    def __init__(self):
        self.wall: list[float] = []
        self.cpu: list[float] = []

    def __enter__(self):
        self._wall, self._cpu = time.perf_counter(), time.process_time()

    def __exit__(self, *exc):
        self.wall.append(time.perf_counter() - self._wall)
        self.cpu.append(time.process_time() - self._cpu)


def time_engine_and_endpoint() -> tuple[Samples, Samples]:
    """Samples of the engine alone and of the whole endpoint, taken in turns.

    Taking them in turns lets both see the same machine: on a shared, busy machine a burst of
    load then slows both rather than only one of them.
    """
    from planner.api import tokens
    from planner.core import schedule
    from planner.extensions import db

    with tempfile.TemporaryDirectory() as tmp:
        app = fixtures.sqlite_app(tmp, API_RATE_LIMIT_PER_MINUTE=1_000_000)
        with app.app_context():
            token = tokens.create(fixtures.add_heavy_user(), "bench", "read")[1]
        client = app.test_client()
        url = f"/api/v1/plan?start={fixtures.START.isoformat()}&days=365"
        headers = {"Authorization": f"Bearer {token}"}
        first = client.get(url, headers=headers)
        assert first.status_code == 200 and len(first.get_json()["days"]) == 365, first.text[:500]
        procedures, products, profile = fixtures.procedures(), fixtures.products(), fixtures.profile()
        start, end = fixtures.START, fixtures.START + dt.timedelta(days=365)
        engine, endpoint = Samples(), Samples()
        for _ in range(RUNS):
            with engine:
                schedule.plan(profile, procedures, products, start, end, today=start)
            with endpoint:
                response = client.get(url, headers=headers)
            assert response.status_code == 200
        with app.app_context():
            db.engine.dispose()
    return engine, endpoint


def main() -> None:
    engine, endpoint = time_engine_and_endpoint()
    print("load average (1, 5, 15 min): {:.2f} {:.2f} {:.2f}: other work on the machine slows both sides".format(
        *os.getloadavg()))
    # The medians of wall and CPU time, and the fastest CPU time: load from other processes only
    # ever adds time (to wall time by taking the cores, to CPU time by taking the caches), so on
    # a shared machine the fastest of 100 runs is the steadiest figure of what a run costs.
    for label, pick, stat in (("wall median", lambda s: s.wall, median_ms), ("cpu median ", lambda s: s.cpu, median_ms),
                              ("cpu fastest", lambda s: s.cpu, lambda xs: min(xs) * 1000)):
        engine_ms, endpoint_ms = stat(pick(engine)), stat(pick(endpoint))
        added = endpoint_ms - engine_ms
        print(f"[{label}] engine, 365 days, 12 procedures x 6 products: {engine_ms:6.2f} ms;  "
              f"GET /api/v1/plan?days=365 (in-process WSGI): {endpoint_ms:6.2f} ms;  "
              f"the API adds {added:5.2f} ms (target <= {BUDGET_MS:.0f} ms) {'OK' if added <= BUDGET_MS else 'MISSED'}")
