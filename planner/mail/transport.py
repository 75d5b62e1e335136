"""Getting messages out: SMTP (one connection reused for a whole run), or an outbox folder.

A send is split in two, ``start`` (envelope and data written) and ``finish`` (the server's
answer read), so the dispatcher can do its bookkeeping and compose the next message while the
server is still digesting this one. Failures come back as ``SendError`` with what is known:

* ``retry``: the server said "not now" (4xx) or could not be reached; not delivered;
* ``permanent``: the server refused for good (5xx, e.g. an unknown recipient); not delivered;
* ``unknown``: the data went out but no answer came back; it may or may not have been delivered.

With no SMTP_HOST every message is written as ``<Message-ID>.eml`` into OUTBOX_PATH and logged,
so the quick start works offline. The file name is the message's stable Message-ID: writing the
same reminder again replaces the file instead of adding a second one.
"""

from __future__ import annotations

import logging
import os
import re
import smtplib
import ssl
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from planner.mail.mime import Outgoing

log = logging.getLogger(__name__)

SECURITY_MODES = ("starttls", "tls", "none")
_LEADING_DOT = re.compile(rb"^\.", re.MULTILINE)
_SAFE_ADDRESS = re.compile(r"[^\s<>]+@[^\s<>]+")


class SendError(Exception):
    def __init__(self, outcome: str, message: str, *, reconnect: bool = False):
        super().__init__(message)
        self.outcome = outcome  # "retry", "permanent" or "unknown"
        self.reconnect = reconnect  # the connection is unusable after this


class Transport(Protocol):
    """What dispatch needs of a way to send: hand a message over, wait for its answer, close."""

    def start(self, message: Outgoing, while_waiting: Callable[[], None] | None = None) -> None: ...
    def finish(self) -> None: ...
    def close(self) -> None: ...


def from_config(config) -> Transport:
    """SMTP when SMTP_HOST is set, else the outbox folder."""
    if config.get("SMTP_HOST"):
        return SmtpTransport(
            host=config["SMTP_HOST"],
            port=int(config["SMTP_PORT"]),
            security=str(config.get("SMTP_SECURITY") or "starttls").lower(),
            username=str(config.get("SMTP_USERNAME") or ""),
            # Read raw: AFTERGLOW_* values are parsed as JSON, which would turn "123" into a number.
            password=os.environ.get("AFTERGLOW_SMTP_PASSWORD", str(config.get("SMTP_PASSWORD") or "")),
            timeout=float(config.get("SMTP_TIMEOUT_SECONDS") or 20),
        )
    return OutboxTransport(Path(config["OUTBOX_PATH"]))


class OutboxTransport:
    """Writes each message to the outbox folder (atomically: a temporary file, then a rename)."""

    def __init__(self, folder: Path):
        self.folder = folder

    def start(self, message: Outgoing, while_waiting: Callable[[], None] | None = None) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        stem = re.sub(r"[^A-Za-z0-9._-]+", "_", message.message_id.strip("<>"))
        path = self.folder / f"{stem}.eml"
        temporary = path.with_suffix(".eml.tmp")
        try:
            temporary.write_bytes(message.data)
            os.replace(temporary, path)
        except OSError as error:
            raise SendError("retry", f"could not write {path}: {error}") from error
        log.info("Reminder for %s written to %s", message.recipient, path)

    def finish(self) -> None:
        pass

    def close(self) -> None:
        pass


class SmtpTransport:
    """One SMTP connection, opened on first use and reused for every message of a run.

    After a connection failure the transport is marked down for the rest of the run: every
    further message fails fast as ``retry`` instead of waiting for a timeout each time.
    """

    def __init__(self, host: str, port: int, security: str = "starttls", username: str = "", password: str = "",
                 timeout: float = 20.0):
        if security not in SECURITY_MODES:
            raise ValueError(f"SMTP_SECURITY must be one of {', '.join(SECURITY_MODES)}, not {security!r}")
        self.host, self.port, self.security = host, port, security
        self.username, self.password, self.timeout = username, password, timeout
        self.smtp: smtplib.SMTP | None = None
        self.down: str | None = None  # why the server is unreachable this run
        self.awaiting = False

    # -- connection ----------------------------------------------------------------------------

    def _connect(self) -> smtplib.SMTP:
        if self.down:
            raise SendError("retry", f"mail server unavailable: {self.down}")
        smtp = None
        try:
            context = ssl.create_default_context()
            if self.security == "tls":
                smtp = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout, context=context)
            else:
                smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
            smtp.ehlo()
            if self.security == "starttls":
                smtp.starttls(context=context)
                smtp.ehlo()
            if self.username:
                smtp.login(self.username, self.password)
        except (OSError, smtplib.SMTPException) as error:
            if smtp is not None:
                smtp.close()
            self.down = f"{self.host}:{self.port}: {error}"
            raise SendError("retry", f"mail server unavailable: {self.down}") from error
        return smtp

    def close(self) -> None:
        smtp, self.smtp = self.smtp, None
        if smtp is not None:
            try:
                smtp.quit()
            except (OSError, smtplib.SMTPException):
                smtp.close()

    def _broken(self, error: Exception, outcome: str) -> SendError:
        """The connection is unusable: drop it; the next message reconnects once."""
        if self.smtp is not None:
            self.smtp.close()
        self.smtp = None
        self.awaiting = False
        return SendError(outcome, f"connection lost: {error}", reconnect=True)

    # -- one message ---------------------------------------------------------------------------

    @staticmethod
    def _refused(step: str, code: int, reply: bytes) -> SendError:
        text = f"{step} refused: {code} {reply.decode('utf-8', 'replace')}"
        return SendError("permanent" if 500 <= code < 600 else "retry", text, reconnect=code == 421)

    def start(self, message: Outgoing, while_waiting: Callable[[], None] | None = None) -> None:
        """MAIL, RCPT, DATA and the message itself; the answer is read by finish().

        ``while_waiting`` runs once while the server considers MAIL FROM: the caller's chance to
        get work done in time it would otherwise spend waiting.
        """
        if self.smtp is None:
            self.smtp = self._connect()
        smtp = self.smtp
        if not _SAFE_ADDRESS.fullmatch(message.sender) or not _SAFE_ADDRESS.fullmatch(message.recipient):
            raise SendError("permanent", f"unusable address: {message.sender!r} → {message.recipient!r}")
        try:
            # smtplib's mail()/rcpt() re-parse each address (about 20 µs each); these were
            # validated when the account was created, and checked above against header injection.
            smtp.putcmd("mail", f"FROM:<{message.sender}>")
            if while_waiting is not None:
                while_waiting()
            code, reply = smtp.getreply()
            if code != 250:
                smtp.rset()
                raise self._refused("MAIL FROM", code, reply)
            smtp.putcmd("rcpt", f"TO:<{message.recipient}>")
            code, reply = smtp.getreply()
            if code not in (250, 251):
                smtp.rset()
                raise self._refused("RCPT TO", code, reply)
            smtp.putcmd("data")
            code, reply = smtp.getreply()
            if code != 354:
                smtp.rset()
                raise self._refused("DATA", code, reply)
            # Until the final "." the server discards a broken transaction: failures so far
            # are "not delivered". smtplib.SMTP.data does the same as these two lines.
            data = _LEADING_DOT.sub(b"..", message.data)
            smtp.send(data + (b"" if data.endswith(b"\r\n") else b"\r\n") + b".\r\n")
        except SendError as error:
            if error.reconnect:
                self._broken(error, error.outcome)
            raise
        except (OSError, smtplib.SMTPException) as error:
            raise self._broken(error, "retry") from error
        self.awaiting = True

    def finish(self) -> None:
        """The server's answer to the message started last."""
        if not self.awaiting:
            return
        self.awaiting = False
        try:
            code, reply = self.smtp.getreply()
        except (OSError, smtplib.SMTPException) as error:
            raise self._broken(error, "unknown") from error
        if code != 250:
            error = self._refused("message", code, reply)
            if error.reconnect:
                self._broken(error, error.outcome)
            raise error
