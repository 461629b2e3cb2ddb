"""A real SMTP server for tests: aiosmtpd on a free loopback port, in this process."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Callable
from email import message_from_bytes, policy
from email.message import Message
from typing import Any

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Inbox:
    """The aiosmtpd handler: keeps every mail it accepted. `hold`, when set, makes
    DATA wait until it is cleared (a mail "mid-send")."""

    def __init__(self) -> None:
        self.mails: list[Message] = []
        self.arrived = threading.Condition()
        self.hold = threading.Event()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.arrived:
            self.mails.append(message_from_bytes(envelope.content, policy=policy.default))
            self.arrived.notify_all()
        while self.hold.is_set():
            await asyncio.sleep(0.05)
        return "250 OK"

    def wait_for(self, count: int, timeout: float = 15) -> list[Message]:
        with self.arrived:
            self.arrived.wait_for(lambda: len(self.mails) >= count, timeout)
        return list(self.mails)

    def links(self) -> list[str]:
        return [line for mail in self.mails for line in text_of(mail).split() if "://" in line]


def text_of(mail: Message) -> str:
    for part in mail.walk():
        if part.get_content_type() == "text/plain":
            payload = part.get_payload(decode=True)
            assert isinstance(payload, bytes)
            return payload.decode(part.get_content_charset() or "utf-8")
    raise AssertionError("the mail has no text part")


class SmtpServer:
    """Start and stop aiosmtpd on a fixed port (so a test can take it down and up)."""

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.inbox = Inbox()
        self._controller: Controller | None = None

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def start(self) -> SmtpServer:
        self._controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None


def eventually(check: Callable[[], bool], timeout: float = 15) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.05)
    return check()
