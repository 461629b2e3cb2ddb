"""The outbox sender: delivers recorded mails, retrying with exponential back-off.

At-least-once: a mail is marked sent only after the SMTP server accepted it, so a
process killed in between sends it again on restart, with the same Message-ID.
One sender leads (the lead is the same kind of lock the projector uses); the others
stand by. Without an SMTP URL, mails are written as .eml files and logged.
"""

from __future__ import annotations

import logging
import smtplib
import socket
import ssl
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import format_datetime
from functools import cached_property
from pathlib import Path
from typing import Protocol
from urllib.parse import unquote, urlsplit

from storage.outbox import Message, Outbox

log = logging.getLogger(__name__)
#: A mail whose aggregate has not appeared by then is dropped: its command failed.
REQUIRED_WITHIN = timedelta(minutes=10)


class Transport(Protocol):
    def send(self, mail: EmailMessage, link: str | None) -> None:
        """Hand the mail over, or raise (OSError, smtplib.SMTPException); `link` is
        the link it carries, for transports that show it."""


class Lead(Protocol):
    def acquire(self) -> bool: ...

    def release(self) -> None: ...


class SmtpTransport:
    """smtp://host:port, smtp+starttls://user:pass@host:587, smtps://user:pass@host:465."""

    SCHEMES = ("smtp", "smtp+starttls", "smtps")

    def __init__(self, url: str, timeout: float = 10.0) -> None:
        parts = urlsplit(url)
        if parts.scheme not in self.SCHEMES or not parts.hostname:
            raise ValueError("SPRACHROHR_SMTP_URL must be smtp://, smtp+starttls:// or smtps://")
        self.scheme = parts.scheme
        self.host = parts.hostname
        self.port = parts.port or {"smtp": 25, "smtp+starttls": 587, "smtps": 465}[parts.scheme]
        self.user = unquote(parts.username) if parts.username else None
        self.password = unquote(parts.password or "")
        self.timeout = timeout
        #: The name we greet with (EHLO), looked up once: smtplib would call
        #: socket.getfqdn() per connection, a DNS round trip (~0.1 s) per mail.
        self.local_hostname = socket.getfqdn()

    @cached_property
    def tls(self) -> ssl.SSLContext:
        """Made once: loading the CA certificates takes ~50 ms (it was once per mail)."""
        return ssl.create_default_context()

    def send(self, mail: EmailMessage, link: str | None) -> None:
        name = self.local_hostname
        if self.scheme == "smtps":
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                self.host, self.port, timeout=self.timeout, context=self.tls, local_hostname=name
            )
        else:
            smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout, local_hostname=name)
        with smtp:
            if self.scheme == "smtp+starttls":
                smtp.starttls(context=self.tls)
            if self.user:
                smtp.login(self.user, self.password)
            smtp.send_message(mail)


class FileTransport:
    """Writes each mail to DIR/<id>.eml and logs one line with its link."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def send(self, mail: EmailMessage, link: str | None) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        name = mail["Message-ID"].strip("<>").split("@")[0]
        path = self.directory / f"{name}.eml"
        path.write_bytes(bytes(mail))
        log.warning("mail to %s: %s %s (%s)", mail["To"], mail["Subject"], link or "", path)


def forget_mail_files(directory: Path, recipient: str) -> int:
    """Delete the .eml files a FileTransport wrote to an erased person; how many."""
    if not directory.is_dir():
        return 0
    deleted = 0
    for path in sorted(directory.glob("*.eml")):
        mail = message_from_bytes(path.read_bytes(), policy=policy.default)
        if str(mail["To"] or "").strip().casefold() == recipient.strip().casefold():
            path.unlink()
            deleted += 1
    return deleted


def build_mail(message: Message, mail_from: str) -> EmailMessage:
    """The MIME mail of an outbox message: text and HTML alternatives."""
    payload = message.payload
    mail = EmailMessage()
    mail["From"] = mail_from
    mail["To"] = message.recipient
    mail["Subject"] = payload["subject"]
    mail["Message-ID"] = payload["message_id_header"]
    mail["Date"] = format_datetime(message.created_at)
    mail["Auto-Submitted"] = "auto-generated"
    mail["Content-Language"] = payload["language"]
    for name, value in payload.get("headers", {}).items():
        mail[name] = value
    mail.set_content(payload["text"])
    mail.add_alternative(payload["html"], subtype="html")
    return mail


class MailSender:
    """Sends due mails from the outbox; `send_due` is one pass, `run` the loop."""

    def __init__(
        self,
        outbox: Outbox,
        transport: Transport,
        *,
        mail_from: str,
        clock: Callable[[], datetime],
        exists: Callable[[str], bool],
        backoff: timedelta = timedelta(seconds=2),
        backoff_cap: timedelta = timedelta(minutes=15),
        poll_seconds: float = 1.0,
    ) -> None:
        self.outbox = outbox
        self.transport = transport
        self.mail_from = mail_from
        self.clock = clock
        self.exists = exists
        self.backoff = backoff
        self.backoff_cap = backoff_cap
        self.poll_seconds = poll_seconds
        self.wake = threading.Event()
        #: Further passes of the same loop (the webhooks' sender).
        self.also: list[Callable[[], int]] = []

    def retry_delay(self, attempts: int) -> timedelta:
        """After a failure with `attempts` earlier ones: backoff · 2^attempts, capped."""
        return min(self.backoff * (1 << min(attempts, 30)), self.backoff_cap)

    def send_due(self) -> int:
        """Send every mail that is due now; how many were sent."""
        sent = 0
        now = self.clock()
        for message in self.outbox.due(now, kind="mail"):
            if message.requires and not self.exists(message.requires):
                if now - message.created_at > REQUIRED_WITHIN:
                    self.outbox.abandon(message, "what it was about was never saved", now)
                else:
                    self.outbox.postpone(message, now + timedelta(seconds=1))
                continue
            try:
                mail = build_mail(message, self.mail_from)
            except (ValueError, KeyError) as error:  # a malformed message never sends
                log.error("mail %s cannot be built (%s); abandoned", message.id, error)
                self.outbox.abandon(message, f"malformed: {error}", now)
                continue
            try:
                self.transport.send(mail, message.payload.get("link"))
            except (OSError, smtplib.SMTPException) as error:
                delay = self.retry_delay(message.attempts)
                log.warning("mail %s not sent (%s); retry in %s", message.id, error, delay)
                self.outbox.mark_failed(message, str(error) or type(error).__name__, now + delay)
                continue
            self.outbox.mark_sent(message, self.clock())
            sent += 1
        return sent

    def run(self, stop: threading.Event, lead: Lead) -> None:
        """Send while leading; stand by while another process does."""
        try:
            while not stop.is_set():
                if lead.acquire():
                    for send in (self.send_due, *self.also):
                        try:
                            send()
                        except Exception:
                            log.exception("the outbox sender failed a pass; trying again")
                self.wake.wait(self.poll_seconds)
                self.wake.clear()
        finally:
            lead.release()
