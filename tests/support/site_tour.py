"""Every page of the app, for the accessibility and small-screen tests: a seeded account with
procedures around its own "today", products, a calendar link, and the signed links from emails.

Dates are relative to the user's today, so the tour shows windows on whatever date it runs.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from flask import url_for
from playwright.sync_api import expect

from planner.extensions import db
from planner.feed import tokens as feed_tokens
from planner import links as signed_links
from planner.links import Links
from planner.storage.models import Product
from tests.support.app import PASSWORD, Factory

RETINOL = "Aqua, Squalane, Glycerin, Retinol, Tocopherol, Phenoxyethanol"
EXOSOME = "Water, Human Adipocyte Conditioned Media Extract, Glycerin, Sodium Hyaluronate"
GLYCOLIC = "Aqua, Glycolic Acid, Sodium Hydroxide, Glycerin"
_accounts = itertools.count(1)


@dataclass(frozen=True)
class Tour:
    email: str
    today: dt.date
    public: tuple[tuple[str, str], ...]  # (name, path) seen logged out
    private: tuple[tuple[str, str], ...]  # (name, path) seen logged in


def seed_tour(live_server) -> Tour:
    """A fresh account with everything a page can show, and the paths of every page."""
    app = live_server.app
    n = next(_accounts)
    with app.app_context():
        factory = Factory()
        factory.counter = 1000 * n
        user = factory.user(email=f"tour{n}@example.com", timezone="Europe/Berlin")
        unconfirmed = factory.user(email=f"tour{n}-new@example.com", email_verified_at=None)
        today = dt.datetime.now(dt.timezone.utc).astimezone(ZoneInfo(user.timezone)).date()
        factory.product(user, name="Night Retinol", ingredients=RETINOL, slot="evening")
        factory.product(user, name="Glow Exosomes", ingredients=EXOSOME, exosome_source="human")
        factory.product(user, name="Peel Toner", ingredients=GLYCOLIC, cadence_kind="every_other_day")
        past = factory.procedure(user, performed_on=today - dt.timedelta(days=3), clinic="Glow Clinic")
        factory.procedure(user, kind="superficial_chemical_peel", performed_on=today + dt.timedelta(days=9))
        product_id = _first_product_id(user.id)
        feed_tokens.issue(user)
        db.session.commit()
        links = Links.for_app(app)
        with app.test_request_context():
            public = (
                ("landing", url_for("pages.index")),
                ("sign-up", url_for("auth.signup")),
                ("log-in", url_for("auth.login")),
                ("forgot-password", url_for("password_reset.forgot")),
                ("reset-password", url_for("password_reset.reset", token=signed_links.password_reset_token(links, user))),
                ("reset-link-expired", url_for("password_reset.reset", token="expired")),
                ("confirm-email", url_for("email_confirmation.confirm", token=signed_links.confirmation_token(links, unconfirmed))),
                ("confirm-link-expired", url_for("email_confirmation.confirm", token="expired")),
                ("email-mark-day", url_for("email_actions.day", token=links.day_token(user.id, user.account_key, today), action="done")),
                ("email-unsubscribe", url_for("email_actions.unsubscribe", token=links.unsubscribe_token(user.id, user.account_key))),
                ("about", url_for("pages.about")),
                ("not-found", "/no-such-page"),
            )
            private = (
                ("week-today", url_for("plan.week")),
                ("month", url_for("plan.month")),
                ("month-next", url_for("plan.month", month=(today.replace(day=1) + dt.timedelta(days=32)).strftime("%Y-%m"))),
                ("day", url_for("plan.day", day=(today - dt.timedelta(days=3)).isoformat())),
                ("procedures", url_for("procedures.index")),
                ("procedure-new", url_for("procedures.new")),
                ("procedure-edit", url_for("procedures.edit", procedure_id=past.id)),
                ("products", url_for("products.index")),
                ("product-new", url_for("products.new")),
                ("product-show", url_for("products.show", product_id=product_id)),
                ("product-edit", url_for("products.edit", product_id=product_id)),
                ("profile", url_for("settings.profile")),
                ("password-change", url_for("settings.password")),
                ("account-delete", url_for("account.delete")),
                ("calendar-feed", url_for("calendar.index")),
                ("bad-month", url_for("plan.month", month="13-2026")),
                ("not-found-logged-in", "/plan/day/not-a-day"),
            )
        return Tour(user.email, today, public, private)


def _first_product_id(user_id: int) -> int:
    return db.session.scalars(db.select(Product.id).where(Product.user_id == user_id).order_by(Product.id)).first()


def log_in(page, email: str) -> None:
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Today and the next 7 days")
