"""The mail tests share the reminder tests' fixtures (the app wired to the SMTP sink)."""

from tests.reminders.conftest import mail_app  # noqa: F401
