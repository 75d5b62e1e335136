"""Reminder fixtures: a sink that can hold a message (to kill a sender mid-send). The app wired to
the SMTP sink (`mail_app`) is in the root conftest; the helpers are in tests/support/reminders.py."""

from __future__ import annotations

import pytest

from tests.support.services import free_port
from tests.support.smtp import GatedSink


@pytest.fixture
def gated_sink(request):
    with GatedSink(free_port(), getattr(request, "param", 10)) as sink:
        yield sink
        sink.handler.release.set()
