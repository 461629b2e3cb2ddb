"""The notification centre's queries: what a person's bell and page show.

Reads and writes `n_notifications` (notify/processor.py). Marking as read is the one
write outside the processor: whether someone has seen a notification is their
reading state, not an event of the association.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID, uuid5

from domain.ids import NAMESPACE
from projections.store import Cursor, ViewStore, marks
from projections.view import micros, moment

COLUMNS = "id, kind, subject_id, group_id, title, detail, link, created_at, read_at, digest_only"


@dataclass(frozen=True)
class Notification:
    id: UUID
    kind: str
    subject_id: UUID
    group_id: UUID | None
    title: str
    detail: str
    link: str
    created_at: datetime
    read_at: datetime | None
    digest_only: bool

    @property
    def unread(self) -> bool:
        return self.read_at is None


def _notification(row: Any) -> Notification:
    return Notification(
        id=UUID(row[0]),
        kind=row[1],
        subject_id=UUID(row[2]),
        group_id=UUID(row[3]) if row[3] else None,
        title=row[4],
        detail=row[5],
        link=row[6],
        created_at=moment(row[7]),
        read_at=moment(row[8]) if row[8] is not None else None,
        digest_only=bool(row[9]),
    )


def unread_count(cur: Cursor, person_id: UUID) -> int:
    """The bell's number: unread notifications shown in the app (not digest-only ones)."""
    cur.execute(
        "SELECT COUNT(*) FROM n_notifications WHERE person_id = ? AND read_at IS NULL"
        " AND digest_only = 0",
        (person_id.hex,),
    )
    row = cur.fetchone()
    return int(row[0]) if row else 0


def notifications(
    cur: Cursor, person_id: UUID, *, unread: bool = False, limit: int = 50, offset: int = 0
) -> tuple[list[Notification], int]:
    """One page of a person's in-app notifications, newest first, and how many in all."""
    where = "person_id = ? AND digest_only = 0"
    if unread:
        where += " AND read_at IS NULL"
    cur.execute(f"SELECT COUNT(*) FROM n_notifications WHERE {where}", (person_id.hex,))
    row = cur.fetchone()
    total = int(row[0]) if row else 0
    cur.execute(
        f"SELECT {COLUMNS} FROM n_notifications WHERE {where}"
        " ORDER BY created_at DESC, position DESC, id LIMIT ? OFFSET ?",
        (person_id.hex, limit, offset),
    )
    return [_notification(r) for r in cur.fetchall()], total


def mark_read(store: ViewStore, person_id: UUID, ids: list[UUID] | None, at: datetime) -> int:
    """Mark the person's notifications `ids` (all of them with None) read; how many."""
    with store.writing() as cur:
        if ids is None:
            cur.execute(
                "UPDATE n_notifications SET read_at = ? WHERE person_id = ? AND read_at IS NULL",
                (micros(at), person_id.hex),
            )
            return int(cur.rowcount)
        if not ids:
            return 0
        values = [i.hex for i in ids]
        cur.execute(
            "UPDATE n_notifications SET read_at = ? WHERE person_id = ? AND read_at IS NULL"
            f" AND id IN ({marks(values)})",
            (micros(at), person_id.hex, *values),
        )
        return int(cur.rowcount)


def following(cur: Cursor, person_id: UUID, target_id: UUID) -> bool | None:
    """Whether the person follows the target explicitly or as author/supporter:
    True, False (stopped) or None (never followed)."""
    cur.execute(
        "SELECT active FROM n_follows WHERE person_id = ? AND target_id = ?",
        (person_id.hex, target_id.hex),
    )
    row = cur.fetchone()
    return None if row is None else bool(row[0])


def tell_admins(store: ViewStore, kind: str, subject: str, title: str, detail: str,
                link: str, at: datetime) -> None:  # fmt: skip
    """An in-app notification (and digest line) for every admin, e.g. a disabled webhook."""
    from projections.directory_queries import people_with_role

    with store.writing() as cur:
        for admin in people_with_role(cur, "admin"):
            cur.execute(
                "INSERT INTO n_notifications (id, person_id, position, kind, subject_id,"
                " group_id, title, detail, link, created_at, digest_only)"
                " VALUES (?, ?, 0, ?, ?, NULL, ?, ?, ?, ?, 0) ON CONFLICT (id) DO NOTHING",
                (uuid5(NAMESPACE, f"{kind}:{subject}:{admin}:{micros(at)}").hex, admin, kind,
                 subject, title, detail, link, micros(at)),
            )  # fmt: skip
