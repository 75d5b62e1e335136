"""A real SMTP server (aiosmtpd) on 127.0.0.1 that keeps what it receives."""

from __future__ import annotations

import asyncio
import email
import email.policy
import threading
from dataclasses import dataclass, field
from email.message import EmailMessage

from aiosmtpd.controller import Controller


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage


@dataclass
class SinkHandler:
    messages: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    #: While set, every DATA command is refused with a temporary error (SMTP "down").
    refuse: bool = False

    async def handle_DATA(self, server, session, envelope):
        if self.refuse:
            return "451 4.3.0 Try again later"
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.messages.append(Received(envelope.mail_from, list(envelope.rcpt_tos), parsed))
        return "250 OK"


class SmtpSink:
    """Starts on a concrete free port (aiosmtpd's Controller cannot use port 0)."""

    def __init__(self, port: int):
        self.handler = SinkHandler()
        self.port = port
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=port)

    def __enter__(self) -> "SmtpSink":
        self.controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self.controller.stop()

    @property
    def messages(self) -> list[Received]:
        with self.handler.lock:
            return list(self.handler.messages)

    def clear(self) -> None:
        with self.handler.lock:
            self.handler.messages.clear()


class SinkWith(SmtpSink):
    """The test sink with another handler (set before it starts)."""

    def __init__(self, port: int, handler: SinkHandler):
        super().__init__(port)
        self.handler = self.controller.handler = handler


class GatedHandler(SinkHandler):
    """Holds the DATA of message number ``hold_at`` (0-based) until ``release`` is set.

    While held, the sender sits waiting for the server's answer: the moment to kill it to
    simulate a crash after a message went out but before its outcome was recorded.
    """

    def __init__(self, hold_at: int):
        super().__init__()
        self.hold_at = hold_at
        self.holding = threading.Event()
        self.release = threading.Event()
        self.seen = 0

    async def handle_DATA(self, server, session, envelope):
        number, self.seen = self.seen, self.seen + 1
        if number == self.hold_at:
            self.holding.set()
            await asyncio.get_running_loop().run_in_executor(None, self.release.wait, 30)
        return await super().handle_DATA(server, session, envelope)


class GatedSink(SinkWith):
    def __init__(self, port: int, hold_at: int):
        super().__init__(port, GatedHandler(hold_at))
