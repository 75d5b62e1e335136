"""Accounts: the rules every way in (web forms, CLI) applies, sessions, throttles, emails, export."""
