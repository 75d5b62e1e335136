"""The account rules the forms and the CLI share: addresses, passwords, zones."""

from __future__ import annotations

import pytest

from planner.accounts import rules


def test_the_zone_list_and_the_zone_check_are_the_same_set():
    names = rules.zone_names()
    assert names == tuple(sorted(rules.zones())) and "Europe/Berlin" in names and "UTC" in names
    assert all(rules.is_zone(name) for name in names)
    for refused in ("Etc/GMT+5", "Etc/UTC", "Mars/Olympus_Mons", "", "europe/berlin", "posix/Europe/Berlin"):
        assert not rules.is_zone(refused), refused
    assert rules.zones() is rules.zones()  # computed once


@pytest.mark.parametrize("typed, stored", [
    ("  Ada@Example.COM ", "ada@example.com"),
    ("lea@Bücher.example", "lea@xn--bcher-kva.example"),
    ("lea@xn--bcher-kva.example", "lea@xn--bcher-kva.example"),
])
def test_addresses_are_stored_lower_case_in_ascii(typed, stored):
    assert rules.check_email(typed) == stored
    assert rules.normalise_email(typed) == stored


@pytest.mark.parametrize("typed, message", [
    ("léa@example.com", "part before the @ uses plain letters"),
    ("not-an-email", "Enter a valid email address"),
    ("a@b", "Enter a valid email address"),
    ("x" * 250 + "@example.com", "at most 254 characters"),
])
def test_unusable_addresses_are_refused_with_a_reason(typed, message):
    with pytest.raises(rules.InvalidEmail, match=message):
        rules.check_email(typed)
    assert rules.normalise_email(typed) == typed.strip().lower()  # look-ups simply find nothing


def test_password_limits():
    assert rules.password_problem("x" * 9) == rules.password_problem("x" * 201) == "Use 10 to 200 characters."
    assert rules.password_problem("x" * 10) is None and rules.password_problem("x" * 200) is None
