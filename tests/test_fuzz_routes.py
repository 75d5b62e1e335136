"""Fuzzing every route: random values in every form field and query parameter, never a 5xx.

The routes come from the app's url_map, so a new route is fuzzed without touching this file.
The form fields of each route come from the forms the app itself renders (every page is
fetched once, logged in and logged out, and its <form>s parsed); query parameters from the
links it renders, plus `next` and made-up names. Values mix the kinds of input that once
answered 500 (400-digit numbers, ids past 2^63, blank dates, line breaks, NUL characters,
20,000+ character pastes, files are in tests/web/test_bad_input.py) with anything Hypothesis
invents. The fuzzing user is logged in, with procedures, products, marks and a feed link, so
the pages behind the login do their real work; CSRF is off here, and the last test proves it
is enforced where it is on. Runs on SQLite and PostgreSQL: a sweep of every route with a few
hostile values in every field at once, then 900 random requests, over 1,000 each.
"""

from __future__ import annotations

import datetime as dt
import string
from collections import defaultdict
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.exceptions import HTTPException
from werkzeug.routing import BuildError, IntegerConverter

from planner.feed import tokens
from planner import links as signed_links
from planner.links import Links
from planner.storage.adherence import record_marks
from tests.support.app import PASSWORD

EXAMPLES_PER_BACKEND = 900  # random requests; the sweep adds 3 per route and method (about 150)
#: Every field and query parameter of every route gets each of these at once, before the random part.
SWEEP_VALUES = ["9" * 400, " ", "a\r\nb"]
SKIPPED_METHODS = {"HEAD", "OPTIONS"}

SPECIAL_VALUES = [
    "", " ", "   ", "\t", "\u00a0", "0", "-1", "1", "2", "3", "7", "30", "31", "365", "366", "1.5", "1e309", "NaN",
    "9" * 400, "-" + "9" * 400, str(2**31), str(2**63), str(2**64),
    "2026-03-12", "2026-02-30", "2026-13-01", "0000-01-01", "9999-12-31", "1989-12-31", "2101-01-01", "2026-03",
    "07:30", "24:00", "25:99", "7", "y", "on", "yes", "no", "true", "false",
    "daily", "every_other_day", "weekdays", "every_n_days", "microneedling", "ablative_fractional_laser", "light", "standard",
    "aggressive", "human", "animal", "plant", "unknown", "morning", "evening", "done", "skipped", "clear",
    "retinoid", "aha", "exosome", "Europe/Berlin", "America/New_York", "Not/AZone", "UTC",
    "/plan/", "/plan/\r\nX: y", "//evil.example", "/\\evil.example", "https://evil.example/", "javascript:alert(1)",
    "a@b.c", "ada@example.com", "<script>alert(1)</script>", "'; DROP TABLE users; --", "\r\n", "\x00", "a\x00b",
    "%00", "..", "../../etc/passwd", "😀" * 50, "Aqua, Retinol, Glycolic Acid", "x" * 25_000, "é" * 20_001,
]


class FormCollector(HTMLParser):
    """The forms of a page: (action, method) → field names; and the query names of its links."""

    def __init__(self, page_path: str):
        super().__init__()
        self.page_path = page_path
        self.forms: list[tuple[str, str, set[str]]] = []
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        found = dict(attrs)
        if tag == "form":
            self.forms.append((found.get("action") or self.page_path, (found.get("method") or "get").upper(), set()))
        elif tag in ("input", "select", "textarea", "button") and found.get("name") and self.forms:
            self.forms[-1][2].add(found["name"])
        elif tag == "a" and found.get("href", "").startswith("/"):
            self.links.append(found["href"])


class Fuzzer:
    """Knows the app's routes, real values for their arguments, and the fields each accepts."""

    def __init__(self, app, client, samples: dict[str, list[str]]):
        self.app = app
        self.client = client
        self.samples = samples
        self.adapter = app.url_map.bind("afterglow.test")
        self.targets = [(rule, method) for rule in app.url_map.iter_rules()
                        for method in sorted(rule.methods - SKIPPED_METHODS)]
        self.fields: dict[str, set[str]] = defaultdict(set)
        self.query_names: dict[str, set[str]] = defaultdict(lambda: {"next"})
        self.hit: set[str] = set()

    def real_args(self, rule) -> dict[str, str]:
        return {name: self.samples[name][0] for name in rule.arguments}

    def learn(self, anonymous_client) -> None:
        """Fetch every GET route with real arguments, as the user and anonymously; parse what it renders."""
        for client in (self.client, anonymous_client):
            for rule, method in self.targets:
                if method != "GET" or rule.endpoint == "static":
                    continue
                path = self.adapter.build(rule.endpoint, self.real_args(rule))
                page = client.get(path)
                page.close()  # static files are streamed from disk
                assert page.status_code < 500, path
                if not page.mimetype == "text/html":
                    continue
                collector = FormCollector(path)
                collector.feed(page.text)
                for action, form_method, names in collector.forms:
                    endpoint = self._endpoint(action, form_method)
                    if endpoint:
                        self.fields[endpoint] |= names
                for href in collector.links:
                    endpoint = self._endpoint(href, "GET")
                    if endpoint:
                        self.query_names[endpoint] |= {name for name, _ in parse_qsl(urlsplit(href).query)}
        # Pages that only the logged-out see (and forms the fuzzing user never gets) are known too.
        assert {"email", "password"} <= self.fields["auth.login"] and "ingredients" in self.fields["products.new"]
        assert "month" in self.query_names["plan.month"]

    def _endpoint(self, url: str, method: str) -> str | None:
        try:
            endpoint, _ = self.adapter.match(urlsplit(url).path, method=method)
        except HTTPException:
            return None
        return endpoint

    def values(self):
        return st.one_of(st.sampled_from(SPECIAL_VALUES), st.text(max_size=30), st.integers().map(str),
                         st.text(alphabet=string.printable, max_size=300))

    def path_value(self, name: str, converter):
        if isinstance(converter, IntegerConverter):
            return st.one_of(st.sampled_from(self.samples[name]), st.integers(min_value=-5, max_value=2**70))
        return st.one_of(st.sampled_from(self.samples.get(name) or ["x"]),
                         st.text(st.characters(blacklist_characters="/", blacklist_categories=("Cs",)), min_size=1, max_size=60),
                         st.sampled_from(SPECIAL_VALUES).filter(lambda v: v and "/" not in v))

    @st.composite
    def request(draw, self):
        rule, method = draw(st.sampled_from(self.targets))
        args = {name: draw(self.path_value(name, rule._converters[name])) for name in rule.arguments}
        known_fields = sorted(self.fields[rule.endpoint])
        field_names = draw(st.lists(st.sampled_from(known_fields), unique=True)) if known_fields else []
        field_names += draw(st.lists(st.text(min_size=1, max_size=12), max_size=2))
        form = {name: draw(st.lists(self.values(), min_size=1, max_size=2)) for name in field_names}
        query_names = draw(st.lists(st.sampled_from(sorted(self.query_names[rule.endpoint])), unique=True))
        query_names += draw(st.lists(st.text(min_size=1, max_size=12), max_size=1))
        query = {name: draw(self.values()) for name in query_names}
        return rule, method, args, form, query

    def sweep(self) -> list[tuple]:
        """Each route and method once per SWEEP_VALUES, in every field and query name: all are reached."""
        return [(rule, method, self.real_args(rule), {name: [value] for name in self.fields[rule.endpoint]},
                 {name: value for name in self.query_names[rule.endpoint]})
                for rule, method in self.targets for value in SWEEP_VALUES]

    def send(self, rule, method, args, form, query):
        try:
            path = self.adapter.build(rule.endpoint, args)
        except (BuildError, ValueError):
            path = None
        if path is None:
            return None
        self.hit.add(rule.endpoint)
        return self.client.open(path, method=method, query_string=query, data=form if method != "GET" else None)


@pytest.fixture
def fuzz_user(factory):
    """Ada with everything a page can show: procedures around today, products of each kind, marks."""
    ada = factory.user(email="ada@example.com")
    today = dt.date.today()
    procedures = [factory.procedure(ada, kind="microneedling", performed_on=today + dt.timedelta(days=5), clinic="Glow"),
                  factory.procedure(ada, kind="superficial_chemical_peel", performed_on=today - dt.timedelta(days=3))]
    products = [factory.product(ada, name="Exosome serum", ingredients="Aqua, Rose Callus Culture Exosomes", exosome_source="plant"),
                factory.product(ada, name="Retinol", ingredients="Aqua, Retinol", cadence_kind="every_n_days", cadence_every_n=3),
                factory.product(ada, name="Toner", ingredients="Aqua, Glycolic Acid", cadence_kind="weekdays", cadence_weekdays="0,3")]
    record_marks(ada, today, ["serum"], "done")
    return ada, procedures, products


#: The fuzzer logs Ada back in after each fuzzed log-out; the log-in throttle would refuse that.
@pytest.mark.parametrize("app", [{"LOGIN_ATTEMPTS_PER_MINUTE": 1_000_000}], indirect=True)
def test_no_route_answers_5xx_to_random_input(app, client, fuzz_user, factory):
    ada, procedures, products = fuzz_user
    other = factory.user(email="bo@example.com")  # owns the reset token: a reset logs in as Bo, not out of Ada
    links = Links.for_app(app)
    today = dt.date.today()
    samples = {
        "procedure_id": [str(p.id) for p in procedures],
        "product_id": [str(p.id) for p in products],
        "day": [today.isoformat(), "2026-03-12", "2026-02-29", "1989-12-31"],
        "action": ["done", "skipped", "clear", "bogus"],
        "choice": ["hour", "tonight", "bogus"],
        "answer": ["still", "settled", "bogus"],
        "kind": ["microneedling", "deep_chemical_peel", "nope"],
        "step": ["serum", f"product:{products[0].id}", "product:999999999", "bogus"],
        "token_id": ["1", "2147483647", "9" * 25],
        "filename": ["app.css", "calendar.js", "../config.toml", "nope.js"],
    }
    token_of = {"feed.feed": tokens.issue(ada), "email_actions.day": links.day_token(ada.id, ada.account_key, today),
                "email_actions.unsubscribe": links.unsubscribe_token(ada.id, ada.account_key),
                "email_actions.snooze": links.snooze_token(ada.id, ada.account_key, today, 0),
                "email_actions.checkin": links.checkin_token(ada.id, ada.account_key, today, procedures[1].id),
                "password_reset.reset": signed_links.password_reset_token(links, other),
                "email_confirmation.confirm": signed_links.confirmation_token(links, ada)}
    samples["token"] = sorted(set(token_of.values()))
    def log_in() -> str:
        assert client.post("/login", data={"email": ada.email, "password": PASSWORD}).status_code == 302
        return client.get_cookie("session").value

    session = {"cookie": log_in()}

    fuzzer = Fuzzer(app, client, samples)
    fuzzer.learn(app.test_client())
    failures: list[str] = []

    def check(case) -> None:
        client.set_cookie("session", session["cookie"])  # Ada again, whatever the last request did
        response = fuzzer.send(*case)
        if case[0].endpoint == "auth.logout":  # a log-out may end the session on the server too
            session["cookie"] = log_in()
        if response is not None:
            response.close()
        if response is not None and response.status_code >= 500:
            rule, method, args, form, query = case
            failures.append(f"{method} {rule.rule} {args} form={form!r:.300} query={query!r:.200} → {response.status_code}")
        assert response is None or response.status_code < 500, failures[-1]

    sweep = fuzzer.sweep()
    for case in sweep:
        check(case)

    @settings(max_examples=EXAMPLES_PER_BACKEND, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(fuzzer.request())
    def fuzz(case):
        check(case)

    fuzz()
    assert not failures
    assert len(sweep) + EXAMPLES_PER_BACKEND >= 1000  # per database: 2,000 requests a run at least
    never_reached = {rule.endpoint for rule, _ in fuzzer.targets} - fuzzer.hit
    assert not never_reached, f"routes the fuzzer never reached: {sorted(never_reached)}"


def test_csrf_is_enforced_when_on(app, client, logged_in):
    """The fuzzing above runs with CSRF off; in production it is on, and a form without the token fails."""
    app.config["WTF_CSRF_ENABLED"] = True
    refused = client.post("/products/new", data={"name": "Serum", "cadence_kind": "daily"})
    assert refused.status_code == 400 and "This form expired or was sent from another site" in refused.text
    page = client.get("/products/new")
    token = page.text.split('name="csrf_token" type="hidden" value="', 1)[1].split('"', 1)[0]
    accepted = client.post("/products/new", data={"name": "Serum", "cadence_kind": "daily", "csrf_token": token,
                                                  "is_active": "y"})
    assert accepted.status_code == 302
