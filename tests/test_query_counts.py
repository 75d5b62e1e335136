"""How many SQL statements each face sends: the plan pages, the feed, one reminder batch.

The numbers are pinned as they are on 2026-12-01: a change that makes a page ask once per
procedure or per product, or a batch ask once per user, fails here. When a change removes or adds
a query on purpose, update the number and say why in the commit. Each test also grows the data
and counts again, to show the count does not follow the number of rows.
"""

from __future__ import annotations

import datetime as dt

import pytest

from planner.feed import tokens
from tests.support.feed import EXOSOME, GENTLE, RETINOL, make_plan_user
from tests.support.reminders import routine_user, send_due

#: A Monday, 07:00 in Berlin: every routine user's daily reminder is due.
DISPATCH_AT = "2026-03-16T06:00:00Z"


def add_records(factory, user, start: int) -> None:
    """Three more products and two more procedures in March 2026 (``start`` keeps names apart)."""
    factory.product(user, f"Exo serum {start}", EXOSOME, exosome_source="human")
    factory.product(user, f"Retinol {start}", RETINOL, cadence_kind="every_other_day")
    factory.product(user, f"Cream {start}", GENTLE)
    factory.procedure(user, "microneedling", dt.date(2026, 3, 2 + start))
    factory.procedure(user, "superficial_chemical_peel", dt.date(2026, 3, 20 + start))


def statements_for(client, count_queries, path: str) -> int:
    count_queries.clear()
    response = client.get(path)
    assert response.status_code == 200, path
    return len(count_queries)


# The user (Flask-Login), procedures and products for the plan (the plan service loads them once;
# the "getting started" hints read the same inputs), and the adherence marks.
@pytest.mark.parametrize(("path", "expected"), [
    ("/plan/", 4),
    ("/plan/month?month=2026-03", 4),
    ("/plan/day/2026-03-14", 4),
])
def test_each_plan_page(client, logged_in, factory, count_queries, path, expected):
    add_records(factory, logged_in, 0)
    assert statements_for(client, count_queries, path) == expected
    add_records(factory, logged_in, 1)
    assert statements_for(client, count_queries, path) == expected


# The token's user, the plan's procedures and products (the procedures' facts come with the
# plan), the feed state and its event states (each read twice, then written and pruned), and the
# user for the fetch record. The fetch record itself is written in batches, at most once a second
# (planner/feed/fetches.py), so whether it falls inside one request depends on the clock: it is
# left out of the count.
FEED_FIRST_FETCH = 13
FETCH_BOOKKEEPING = "UPDATE feed_tokens SET last_fetched_at"


def test_the_feed_render(client, factory, count_queries):
    small = make_plan_user(factory, dt.date(2026, 3, 10), email="small@example.com")
    large = make_plan_user(factory, dt.date(2026, 3, 10), email="large@example.com")
    add_records(factory, large, 1)
    for user in (small, large):
        path = f"/feed/{tokens.issue(user)}.ics"
        count_queries.clear()
        assert client.get(path).status_code == 200
        counted = [s for s in count_queries.statements if not s.startswith(FETCH_BOOKKEEPING)]
        assert len(counted) == FEED_FIRST_FETCH, user.email


# Who holds claims (recovery; nothing more when nobody does), the due users (by their stored
# next-due instant), their ledger rows, the new ledger rows, their next instants, the claim, the claimed users' inputs (users, procedures, products: one statement each for
# the whole batch), the batch's close, the claim that finds nothing left and whether another
# scheduler is still queueing due users (an index probe; if so, this run waits to help): 12 (the
# one daily message needs no search of procedures for notices) …
DISPATCH_FIXED = 12
# … plus two per hand-over group (mark handed over, record outcomes); groups grow 1, 2, 4 …
DISPATCH_PER_GROUP = 2


def test_one_dispatch_batch(mail_app, smtp_server, factory, count_queries):
    for n in range(3):
        routine_user(factory, email=f"early{n}@example.com")
    count_queries.clear()
    assert send_due(mail_app, DISPATCH_AT).created == 3
    assert len(smtp_server.messages) == 3
    assert len(count_queries) == DISPATCH_FIXED + DISPATCH_PER_GROUP * 2  # groups of 1 and 2

    for n in range(6):
        routine_user(factory, email=f"late{n}@example.com")
    count_queries.clear()
    assert send_due(mail_app, DISPATCH_AT).created == 6  # twice as many users, one group more
    assert len(smtp_server.messages) == 9
    assert len(count_queries) == DISPATCH_FIXED + DISPATCH_PER_GROUP * 3  # groups of 1, 2 and 3
