"""Reminders: what is due (from database state), the send ledger, dispatch, and the scheduler process."""
