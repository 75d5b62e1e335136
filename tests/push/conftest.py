"""The reminder fixtures (app wired to the SMTP sink) for the push tests."""

from tests.reminders.conftest import mail_app  # noqa: F401
