"""Reminder emails from templates: text and HTML parts, signed links, list headers.

Templates live in ``templates/mail/<kind>.txt`` and ``.html``; the HTML ones are autoescaped,
the text ones are not. They render in a small Jinja environment of their own (see
``mail_environment``), without Flask's globals, signals and context processors: a dispatch run
renders thousands of messages and needs none of them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import jinja2
from flask import Flask

from planner.mail import mime
from planner.links import CHECKIN_ANSWERS, MAX_SNOOZES, SNOOZE_CHOICES, Links

#: The templates of reminder messages (there is one: the daily message).
KINDS = ("daily",)
#: RFC 8058: a mail client may unsubscribe with one POST to the List-Unsubscribe URL.
ONE_CLICK = "List-Unsubscribe=One-Click"


@dataclass
class Content:
    """What one reminder says: its kind (the template), subject and the values for the template."""

    kind: str
    subject: str
    values: dict = field(default_factory=dict)
    #: Whether the message carries the done/skip links for its day.
    has_day_links: bool = False


def mail_environment(app: Flask) -> jinja2.Environment:
    """A Jinja environment for the mail templates alone, made once per app.

    Flask's own environment copies its ~30 globals (url_for, request, session …) into every
    render's context; mail needs none of them, and renders 20,000 templates in a morning rush.
    StrictUndefined turns a misspelt variable into an error in the tests instead of a blank.
    """
    env = app.extensions.get("afterglow.mail")
    if env is None:
        reload = app.config.get("TEMPLATES_AUTO_RELOAD")  # as Flask decides for its own templates
        env = app.extensions["afterglow.mail"] = jinja2.Environment(
            loader=app.jinja_loader,
            autoescape=jinja2.select_autoescape(["html"], default_for_string=False, default=False),
            undefined=jinja2.StrictUndefined,
            auto_reload=app.debug if reload is None else bool(reload),  # else every {% extends %} stats a file
        )
    return env


class Composer:
    """Turns a reminder's content into a message for one recipient; one per dispatch run."""

    def __init__(self, app: Flask):
        env = mail_environment(app)
        self.templates = {k: (env.get_template(f"mail/{k}.txt"), env.get_template(f"mail/{k}.html")) for k in KINDS}
        for template in (t for pair in self.templates.values() for t in pair):
            # Jinja keeps a template's globals as a ChainMap (its own over the environment's) and
            # copies it key by key in Python into every render's context: about a fifth of a
            # message's render. This environment's globals never change, so a plain dict holds
            # the same names and copies in C.
            template.globals = dict(template.globals)
        self.links = Links.for_app(app)
        self.sender = app.config["MAIL_SENDER"]
        self.domain = mime.address_domain(self.sender)

    def message_id(self, row_id: int, kind: str, day: dt.date) -> str:
        """Stable for a ledger row, so a copy that did go out twice is recognisably the same message."""
        return f"<afterglow.{row_id}.{kind}.{day.year:04d}{day.month:02d}{day.day:02d}@{self.domain}>"

    def action_urls(self, user_id: int, account_key: str, content: Content, day: dt.date) -> dict[str, str | None]:
        """The links a message carries, the same in the email and the push notification."""
        links = self.links
        urls: dict[str, str | None] = {
            "plan_url": links.filled("plan.day", "day", day.isoformat()), "profile_url": links.fixed("settings.profile"),
            "done_url": None, "skipped_url": None, "snooze_hour_url": None, "snooze_tonight_url": None,
        }
        if content.has_day_links:
            token = links.day_token(user_id, account_key, day)
            urls["done_url"] = links.day_url(token, "done")
            urls["skipped_url"] = links.day_url(token, "skipped")
        number = content.values.get("snooze", 0)
        if number < MAX_SNOOZES:
            token = links.snooze_token(user_id, account_key, day, number)
            for choice in SNOOZE_CHOICES:
                urls[f"snooze_{choice}_url"] = links.snooze_url(token, choice)
        return urls

    def checkin_links(self, user_id: int, account_key: str, content: Content, day: dt.date) -> list[dict]:
        """Each skin check-in of the day with its two signed answer links ("still", "settled")."""
        found = []
        for question in content.values.get("checkins", ()):
            token = self.links.checkin_token(user_id, account_key, day, question.procedure_id)
            found.append({"about": question.about, "answer": question.answer,
                          **{f"{answer}_url": self.links.checkin_url(token, answer) for answer in CHECKIN_ANSWERS}})
        return found

    def compose(self, *, row_id: int, user_id: int, account_key: str, recipient: str, discreet: bool,
                content: Content, day: dt.date, sent_local: dt.datetime) -> mime.Outgoing:
        """One message. ``sent_local`` is the send time as a wall time in the user's zone (the Date header shows it)."""
        links = self.links
        unsubscribe_url = links.unsubscribe_url(links.unsubscribe_token(user_id, account_key))
        values = {
            **content.values,
            **self.action_urls(user_id, account_key, content, day),
            "checkin_links": self.checkin_links(user_id, account_key, content, day),
            "kind": content.kind,
            "subject": content.subject,
            "discreet": discreet,
            "recipient": recipient,
            "unsubscribe_url": unsubscribe_url,
        }
        text_template, html_template = self.templates[content.kind]
        return mime.build(
            sender=self.sender,
            recipient=recipient,
            subject=content.subject,
            text=text_template.render(values),
            html=html_template.render(values),
            message_id=self.message_id(row_id, content.kind, day),
            sent_local=sent_local,
            user_id=user_id,
            headers={
                "List-Unsubscribe": f"<{unsubscribe_url}>",
                "List-Unsubscribe-Post": ONE_CLICK,
                "Auto-Submitted": "auto-generated",  # RFC 3834: no vacation auto-replies
            },
        )
