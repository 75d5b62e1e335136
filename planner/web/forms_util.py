"""Small parsing helpers shared by forms."""

from __future__ import annotations

import datetime as dt

from wtforms import DateField, EmailField, IntegerField
from wtforms.validators import DataRequired, Length, ValidationError

from planner.accounts import rules


class CalendarDateField(DateField):
    """A date input whose error names the impossible date the person typed."""

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            self.data = None
            if valuelist and valuelist[0]:  # only spaces: typed, but not a date (InputRequired saw text)
                raise ValueError("Enter the date as year-month-day, e.g. 2026-03-12.")
            return
        text = valuelist[0].strip()
        try:
            self.data = dt.date.fromisoformat(text)
        except ValueError:
            self.data = None
            raise ValueError(f"{text} is not a real date. Use year-month-day, e.g. 2026-03-12.") from None
        if not MIN_DATE <= self.data <= MAX_DATE:
            self.data = None
            raise ValueError(f"Enter a date between {MIN_DATE.year} and {MAX_DATE.year}.")


class BoundedIntegerField(IntegerField):
    """A whole number that a range validator can safely check.

    Python reads a 400-digit number happily; WTForms' NumberRange then turns it into a float
    and overflows (a 500). Beyond a billion the exact value cannot matter: clamp it, and the
    field's range validator answers with its own message.
    """

    LIMIT = 10**9

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if isinstance(self.data, int) and abs(self.data) > self.LIMIT:
            self.data = self.LIMIT if self.data > 0 else -self.LIMIT


MIN_DATE = dt.date(1990, 1, 1)
MAX_DATE = dt.date(2100, 12, 31)


def strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


class EmailAddress:
    """Checks an email field with the account rules; the stored form lands in ``field.normalised``."""

    def __call__(self, form, field) -> None:
        try:
            field.normalised = rules.check_email(field.data or "")
        except rules.InvalidEmail as error:
            raise ValidationError(str(error)) from None


class PasswordRules:
    """Validators for a new password, so sign-up, reset and password change agree."""

    validators = [
        DataRequired(message="Choose a password."),
        Length(min=rules.MIN_PASSWORD_LENGTH, max=rules.MAX_PASSWORD_LENGTH, message=rules.PASSWORD_LENGTH_MESSAGE),
    ]


def email_field(label: str = "Email") -> EmailField:
    """The email field of every account form: same filter, same rules, same messages."""
    return EmailField(label, filters=[strip], validators=[DataRequired("Enter your email address."), EmailAddress()])
