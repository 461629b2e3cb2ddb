"""E-mail from the notifications table: immediately, or one digest per period.

Each person chooses (`n_settings`, default: daily at 7 in the association's time
zone) how notifications reach them by e-mail. The digest job runs in the leading
notification processor's thread, between its catch-ups (`DigestJob.run`): for every
person with notifications not yet mailed whose period is due, it renders one mail
from those rows (never by re-reading the log), records it in the outbox under an id
derived from the person and the newest notification it covers, and then marks the
rows mailed. A crash in between renders the same mail under the same id again: the
outbox keeps one (exactly once into the outbox; the sender delivers at least once).

Coalescing: 30 supports or 5 comments on one item within a period are one line.
A person's preference is their own setting, not an association event: it is kept in
`n_settings` next to the notifications, and goes with them on erasure.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from notify.texts import coalesced, describe
from projections.store import Cursor, ViewStore
from projections.view import moment

log = logging.getLogger(__name__)
MODES = ("immediately", "daily", "weekly", "off")
DEFAULT_MODE, DEFAULT_HOUR = "daily", 7
#: A digest line per kind and item from this many on (fewer: one line each).
COALESCE_AT = {"pain_point.supported": 30, "pain_point.commented": 5}
SETTINGS_DDL = (
    "CREATE TABLE IF NOT EXISTS n_settings (person_id TEXT PRIMARY KEY, email TEXT NOT NULL,"
    " digest_hour INTEGER NOT NULL, last_digest_at BIGINT)"
)


@dataclass(frozen=True)
class Settings:
    email: str = DEFAULT_MODE
    digest_hour: int = DEFAULT_HOUR
    last_digest_at: datetime | None = None


def create(cur: Cursor) -> None:
    cur.execute(SETTINGS_DDL)


def settings_of(cur: Cursor, person_id: UUID) -> Settings:
    cur.execute(
        "SELECT email, digest_hour, last_digest_at FROM n_settings WHERE person_id = ?",
        (person_id.hex,),
    )
    row = cur.fetchone()
    if row is None:
        return Settings()
    return Settings(row[0], int(row[1]), moment(row[2]) if row[2] is not None else None)


def save_settings(store: ViewStore, person_id: UUID, email: str, digest_hour: int) -> Settings:
    if email not in MODES or not 0 <= digest_hour <= 23:
        raise ValueError("email must be one of MODES and digest_hour 0-23")
    with store.writing() as cur:
        cur.execute(
            "INSERT INTO n_settings (person_id, email, digest_hour) VALUES (?, ?, ?)"
            " ON CONFLICT (person_id) DO UPDATE SET email = excluded.email,"
            " digest_hour = excluded.digest_hour",
            (person_id.hex, email, digest_hour),
        )
        return settings_of(cur, person_id)


def period_start(now: datetime, settings: Settings, zone: ZoneInfo) -> datetime | None:
    """The latest moment at or before `now` when a digest of this person was due."""
    if settings.email == "immediately":
        return now
    if settings.email == "off":
        return None
    local = now.astimezone(zone)
    due = datetime.combine(local.date(), time(settings.digest_hour), zone)
    if due > local:
        due -= timedelta(days=1)
    if settings.email == "weekly":
        due -= timedelta(days=due.weekday())  # Mondays
        if due > local:
            due -= timedelta(days=7)
    return due


def is_due(now: datetime, settings: Settings, zone: ZoneInfo, oldest: datetime) -> bool:
    """Whether a mail is due now for pending notifications, the oldest from `oldest`:
    at once, or once the digest moment after it has come."""
    start = period_start(now, settings, zone)
    if start is None:
        return False
    return settings.email == "immediately" or oldest < start


# -- unsubscribing without signing in ----------------------------------------------


def unsubscribe_token(secret: bytes, person_id: UUID) -> str:
    signature = hmac.new(secret, f"unsubscribe:{person_id.hex}".encode(), hashlib.sha256)
    return f"{person_id.hex}.{signature.hexdigest()[:32]}"


def token_person(secret: bytes, token: str) -> UUID | None:
    """The person a genuine unsubscribe token names; None for anything else."""
    person_hex, _, _ = token.partition(".")
    try:
        person_id = UUID(hex=person_hex)
    except ValueError:
        return None
    expected = unsubscribe_token(secret, person_id)
    return person_id if hmac.compare_digest(expected, token) else None


# -- composing -------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    title: str
    text: str
    link: str


def lines_of(rows: list[dict[str, Any]], gettext: Callable[[str], str],
             status_label: Callable[[str], str]) -> list[Line]:  # fmt: skip
    """The digest's lines: one per notification, many of a kind on one item as one."""
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for row in rows:
        counts[(row["kind"], row["subject_id"])] += 1
    lines: list[Line] = []
    done: set[tuple[str, str]] = set()
    for row in rows:
        key = (row["kind"], row["subject_id"])
        threshold = COALESCE_AT.get(row["kind"])
        if threshold is not None and counts[key] >= threshold:
            if key not in done:
                done.add(key)
                text = coalesced(row["kind"], counts[key], gettext)
                lines.append(Line(row["title"], text, row["link"]))
            continue
        text = describe(row["kind"], row["detail"], gettext, status_label)
        lines.append(Line(row["title"], text, row["link"]))
    return lines


def oldest_pending(cur: Cursor) -> dict[str, int]:
    """Person id (hex) → when their oldest notification not yet mailed was created."""
    cur.execute(
        "SELECT person_id, min(created_at) FROM n_notifications WHERE mailed_at IS NULL"
        " GROUP BY person_id"
    )
    return {row[0]: int(row[1]) for row in cur.fetchall()}


def pending(cur: Cursor, person_id: str | None = None) -> list[dict[str, Any]]:
    where = "mailed_at IS NULL" + (" AND person_id = ?" if person_id else "")
    cur.execute(
        "SELECT id, person_id, position, kind, subject_id, title, detail, link, created_at"
        f" FROM n_notifications WHERE {where} ORDER BY person_id, position, id",
        (person_id,) if person_id else (),
    )
    names = ("id", "person_id", "position", "kind", "subject_id", "title", "detail", "link",
             "created_at")  # fmt: skip
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]
