"""The digest job: mails notifications immediately or as one digest per period.

The rules (settings, due times, coalescing, unsubscribe tokens) are notify/digest.py;
this use case reads the notifications table, renders the mails (service/mail.py) and
records them in the outbox. See notify/digest.py for the exactly-once argument.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime
from typing import Any
from uuid import UUID, uuid5
from zoneinfo import ZoneInfo

from domain.ids import NAMESPACE
from domain.person import Person
from notify.digest import (
    DEFAULT_HOUR,
    DEFAULT_MODE,
    Settings,
    is_due,
    lines_of,
    oldest_pending,
    pending,
    settings_of,
    unsubscribe_token,
)
from notify.texts import catalog, status_label
from projections.store import ViewStore, marks
from projections.view import micros, moment
from service.mail import Mail, enqueue_mail
from storage.outbox import Outbox


class DigestJob:
    """Mails what is due; `run(now)` is one pass."""

    def __init__(
        self,
        store: ViewStore,
        outbox: Outbox,
        *,
        find_person: Callable[[UUID], Person | None],
        secret: Callable[[], bytes],
        public_base: str,
        association: str,
        time_zone: str,
        mail_recorded: Callable[[], None] = lambda: None,
    ) -> None:
        self.store = store
        self.outbox = outbox
        self.find_person = find_person
        self.secret = secret
        self.public_base = public_base.rstrip("/")
        self.association = association
        self.zone = ZoneInfo(time_zone)
        self.mail_recorded = mail_recorded
        self._running = threading.Lock()

    def run(self, now: datetime) -> int:
        """Record every mail that is due now; how many were recorded. One pass at a
        time: two overlapping passes would mail a notification in two different mails."""
        with self._running:
            return self._run(now)

    def _run(self, now: datetime) -> int:
        # Whose mail is due follows from each person's oldest waiting notification: only
        # their notifications are read (most wait for a daily or weekly digest, and a
        # pass runs every few seconds).
        with self.store.reading() as cur:
            due = {}
            for person_hex, created_at in sorted(oldest_pending(cur).items()):
                settings = settings_of(cur, UUID(person_hex))
                if settings.email == "off" or is_due(now, settings, self.zone, moment(created_at)):
                    due[person_hex] = (settings, pending(cur, person_hex))
        recorded = 0
        for person_hex, (settings, items) in due.items():
            if settings.email != "off" and self._mail(UUID(person_hex), settings, items, now):
                recorded += 1
            self._mark(person_hex, [row["id"] for row in items], now, settings.email != "off")
        if recorded:
            self.mail_recorded()
        return recorded

    def _mail(
        self, person_id: UUID, settings: Settings, items: list[dict[str, Any]], now: datetime
    ) -> bool:
        person = self.find_person(person_id)
        if person is None or person.erased or not person.is_active:
            return False
        language = person.language or "de"
        gettext = catalog(language).gettext
        lines = lines_of(items, gettext, lambda status: status_label(status, gettext))
        if not lines:
            return False
        token = unsubscribe_token(self.secret(), person_id)
        unsubscribe = f"{self.public_base}/unsubscribe/{token}"
        last = max(int(row["position"]) for row in items)
        message_id = uuid5(NAMESPACE, f"mail:digest:{person_id}:{last}").hex
        context = {
            "association": self.association,
            "display_name": person.display_name,
            "lines": [
                {"title": line.title, "text": line.text, "link": self.public_base + line.link}
                for line in lines
            ],
            "immediately": settings.email == "immediately",
            "count": len(lines),
            "unsubscribe": unsubscribe,
            "settings_link": f"{self.public_base}/notifications/settings",
        }
        mail = Mail(
            message_id=message_id,
            to=person.email,
            template="digest",
            language=language,
            context=context,
            link=f"{self.public_base}/notifications",
            headers={
                "List-Unsubscribe": f"<{unsubscribe}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            },
        )
        return enqueue_mail(self.outbox, mail, now=now, public_base=self.public_base)

    def _mark(self, person_hex: str, ids: list[str], now: datetime, digest: bool) -> None:
        with self.store.writing() as cur:
            cur.execute(
                f"UPDATE n_notifications SET mailed_at = ? WHERE id IN ({marks(ids)})",
                (micros(now), *ids),
            )
            if digest:
                cur.execute(
                    "INSERT INTO n_settings (person_id, email, digest_hour, last_digest_at)"
                    " VALUES (?, ?, ?, ?) ON CONFLICT (person_id)"
                    " DO UPDATE SET last_digest_at = excluded.last_digest_at",
                    (person_hex, DEFAULT_MODE, DEFAULT_HOUR, micros(now)),
                )
