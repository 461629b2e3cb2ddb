"""Outgoing mail: composed from templates, recorded in the outbox, sent later.

The whole interface is `enqueue_mail(outbox, Mail(...), now=…)`:

    enqueue_mail(outbox, Mail(
        message_id=str(uuid5(NAMESPACE, f"mail:invitation:{invitation_id}")),
        to="anna@beispiel.example", template="invitation", language="de",
        context={"display_name": "Anna", "link": link, ...},
        one_time=True, requires=invitation_id, link=link,
    ), now=clock())

- `message_id` is deterministic (derived from the command or event that causes the
  mail): recording the same mail twice keeps one, and the mail's Message-ID header
  `<message_id@host>` is the same on every attempt, so a duplicate is recognisable.
- `template` names `service/templates/mail/<template>.<language>.txt` (first line
  "Subject: …", a blank line, the plain text) and `….html` (the HTML part).
- `one_time` mails carry a secret link: once sent, only their metadata is kept.
- `requires`: the aggregate the mail is about; it is recorded before the command
  saves it, and is sent only once that aggregate exists (storage/outbox.py).

notify/mailer.py sends what is recorded here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from uuid import UUID
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from storage.outbox import Message, Outbox

TEMPLATES = Path(__file__).resolve().parent / "templates" / "mail"
LANGUAGES = ("de", "en")
TIMEZONE = ZoneInfo("Europe/Berlin")
#: What a sent one-time mail keeps: enough to say what was sent to whom, and when.
METADATA = ("template", "language", "subject", "message_id_header")


@dataclass(frozen=True)
class Mail:
    message_id: str
    to: str
    template: str
    language: str
    context: dict[str, Any] = field(default_factory=dict)
    one_time: bool = False
    requires: UUID | None = None
    #: The link the mail is about: the file transport logs it.
    link: str | None = None
    #: Further headers (e.g. List-Unsubscribe of a digest).
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


@cache
def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def local_datetime(moment: datetime, language: str) -> str:
    """A moment as the association reads it: Berlin time, in the reader's language."""
    return format_datetime(moment, "long", tzinfo=TIMEZONE, locale=language)


def render(template: str, language: str, context: dict[str, Any]) -> Rendered:
    """Subject, text and HTML of a mail in `language` (German unless English)."""
    language = language if language in LANGUAGES else "de"
    env = _environment()
    text = env.get_template(f"{template}.{language}.txt").render(context)
    head, _, body = text.partition("\n\n")
    if not head.startswith("Subject: "):
        raise ValueError(f"{template}.{language}.txt must begin with a Subject: line")
    html = env.get_template(f"{template}.{language}.html").render(context)
    return Rendered(head.removeprefix("Subject: ").strip(), body, html)


def message_id_header(message_id: str, public_base: str) -> str:
    host = urlsplit(public_base).hostname or "sprachrohr.invalid"
    return f"<{message_id}@{host}>"


def enqueue_mail(outbox: Outbox, mail: Mail, *, now: datetime, public_base: str) -> bool:
    """Render the mail and record it in the outbox; False if it was recorded before."""
    rendered = render(mail.template, mail.language, mail.context)
    payload: dict[str, Any] = {
        "template": mail.template,
        "language": mail.language,
        "subject": rendered.subject,
        "text": rendered.text,
        "html": rendered.html,
        "message_id_header": message_id_header(mail.message_id, public_base),
        "link": mail.link,
        "keep": list(METADATA),
    }
    if mail.headers:
        payload["headers"] = dict(mail.headers)
    message = Message(
        id=mail.message_id,
        kind="mail",
        recipient=mail.to,
        payload=payload,
        created_at=now,
        requires=mail.requires.hex if mail.requires else None,
        one_time=mail.one_time,
    )
    return outbox.add(message)
