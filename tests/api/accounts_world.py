"""Invitations and password self-service: reading the links out of delivered mails."""

from __future__ import annotations

import re
from email.message import Message

from tests.smtp_server import SmtpServer, text_of

PUBLIC = "http://sprachrohr.test"
LINK = re.compile(rf"{re.escape(PUBLIC)}/(?:invitations|password-reset)/([A-Za-z0-9_-]+)")


def mails_to(smtp: SmtpServer, address: str, count: int = 1) -> list[Message]:
    """The first `count` mails to `address` (waiting for them), in arrival order."""
    smtp.inbox.wait_for(len(smtp.inbox.mails) + 1, timeout=0)
    mine: list[Message] = []
    for _ in range(100):
        mine = [m for m in smtp.inbox.mails if m["To"] == address]
        if len(mine) >= count:
            break
        smtp.inbox.wait_for(len(smtp.inbox.mails) + 1, timeout=0.2)
    assert len(mine) >= count, f"expected {count} mail(s) to {address}, got {len(mine)}"
    return mine[:count]


def token_in(mail: Message) -> str:
    """The one-time token of the link a mail carries."""
    found = LINK.search(text_of(mail))
    assert found, text_of(mail)
    return found.group(1)
