"""The board's view: curated list editions, vendor board meetings, vendor responses.

Every edition of a curated list stays readable. A commitment's state is stored as
open/met/missed; whether an open one is overdue depends on the day it is looked at,
so queries compute that from the date they are given (see board_queries).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from uuid import UUID

from domain.curation import CuratedList
from domain.meeting import BoardMeeting
from domain.vendor import MET, MISSED, OPEN, VendorResponse
from dossiers.versions.v1.projections.store import Cursor
from dossiers.versions.v1.projections.view import Handler, View, micros, topic

DDL = (
    "CREATE TABLE IF NOT EXISTS v_curated_editions (group_id TEXT NOT NULL,"
    " edition INTEGER NOT NULL, list_id TEXT NOT NULL, published_at BIGINT NOT NULL,"
    " published_by TEXT NOT NULL, note TEXT NOT NULL, PRIMARY KEY (group_id, edition))",
    "CREATE INDEX IF NOT EXISTS v_curated_editions_list ON v_curated_editions (list_id)",
    "CREATE INDEX IF NOT EXISTS v_curated_editions_time ON v_curated_editions (published_at)",
    "CREATE TABLE IF NOT EXISTS v_curated_rows (group_id TEXT NOT NULL,"
    " edition INTEGER NOT NULL, position INTEGER NOT NULL, pain_point_id TEXT NOT NULL,"
    " pinned INTEGER NOT NULL, rationale TEXT NOT NULL, community_rank INTEGER,"
    " PRIMARY KEY (group_id, edition, position))",
    "CREATE TABLE IF NOT EXISTS v_meetings (id TEXT PRIMARY KEY, name TEXT NOT NULL,"
    " kind TEXT NOT NULL, held_on TEXT NOT NULL, scheduled_at BIGINT NOT NULL,"
    " scheduled_by TEXT NOT NULL, agenda_set_at BIGINT)",
    "CREATE INDEX IF NOT EXISTS v_meetings_day ON v_meetings (held_on, scheduled_at, id)",
    "CREATE TABLE IF NOT EXISTS v_meeting_agenda (meeting_id TEXT NOT NULL,"
    " position INTEGER NOT NULL, pain_point_id TEXT NOT NULL,"
    " PRIMARY KEY (meeting_id, position))",
    "CREATE TABLE IF NOT EXISTS v_meeting_presented (meeting_id TEXT NOT NULL,"
    " pain_point_id TEXT NOT NULL, presented_at BIGINT NOT NULL, presented_by TEXT NOT NULL,"
    " PRIMARY KEY (meeting_id, pain_point_id))",
    "CREATE TABLE IF NOT EXISTS v_vendor_responses (id TEXT PRIMARY KEY,"
    " pain_point_id TEXT NOT NULL, group_id TEXT NOT NULL, kind TEXT NOT NULL,"
    " text TEXT NOT NULL, product_group TEXT NOT NULL, commitment TEXT NOT NULL,"
    " due_on TEXT, state TEXT, settled_at BIGINT, settled_by TEXT,"
    " settle_note TEXT NOT NULL, posted_at BIGINT NOT NULL, posted_by TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS v_vendor_responses_item ON v_vendor_responses"
    " (pain_point_id, posted_at)",
    "CREATE INDEX IF NOT EXISTS v_vendor_responses_time ON v_vendor_responses (posted_at)",
    "CREATE INDEX IF NOT EXISTS v_vendor_responses_due ON v_vendor_responses (due_on)",
)


def hex_id(value: Any) -> str:
    """An id from an event as hex, whether it was decoded as a UUID or kept as text."""
    return value.hex if isinstance(value, UUID) else UUID(str(value)).hex


class BoardView(View):
    tables = (
        "v_curated_editions",
        "v_curated_rows",
        "v_meetings",
        "v_meeting_agenda",
        "v_meeting_presented",
        "v_vendor_responses",
    )

    def create(self, cur: Cursor) -> None:
        for statement in DDL:
            cur.execute(statement)

    def handlers(self) -> Mapping[str, Handler]:
        return {
            topic(CuratedList, "Published"): self._published,
            topic(CuratedList, "Republished"): self._republished,
            topic(BoardMeeting, "Scheduled"): self._scheduled,
            topic(BoardMeeting, "AgendaSet"): self._agenda_set,
            topic(BoardMeeting, "ItemPresented"): self._presented,
            topic(VendorResponse, "Posted"): self._posted,
            topic(VendorResponse, "CommitmentMet"): self._settled(MET),
            topic(VendorResponse, "CommitmentMissed"): self._settled(MISSED),
        }

    # -- curated lists ---------------------------------------------------------

    def _published(self, cur: Cursor, e: Any, position: int) -> None:
        _edition(cur, e, e.group_id.hex)

    def _republished(self, cur: Cursor, e: Any, position: int) -> None:
        cur.execute(
            "SELECT group_id FROM v_curated_editions WHERE list_id = ? AND edition = 1",
            (e.originator_id.hex,),
        )
        _edition(cur, e, cur.fetchone()[0])

    # -- meetings --------------------------------------------------------------

    def _scheduled(self, cur: Cursor, e: Any, position: int) -> None:
        cur.execute(
            "INSERT INTO v_meetings (id, name, kind, held_on, scheduled_at, scheduled_by)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (e.originator_id.hex, e.name, e.kind, e.held_on, micros(e.timestamp), e.by.hex),
        )

    def _agenda_set(self, cur: Cursor, e: Any, position: int) -> None:
        meeting = e.originator_id.hex
        cur.execute("DELETE FROM v_meeting_agenda WHERE meeting_id = ?", (meeting,))
        agenda = [(meeting, n, hex_id(item)) for n, item in enumerate(e.items, start=1)]
        if agenda:
            cur.executemany(
                "INSERT INTO v_meeting_agenda (meeting_id, position, pain_point_id)"
                " VALUES (?, ?, ?)",
                agenda,
            )
        cur.execute(
            "UPDATE v_meetings SET agenda_set_at = ? WHERE id = ?",
            (micros(e.timestamp), meeting),
        )

    def _presented(self, cur: Cursor, e: Any, position: int) -> None:
        cur.execute(
            "INSERT INTO v_meeting_presented (meeting_id, pain_point_id, presented_at,"
            " presented_by) VALUES (?, ?, ?, ?)",
            (e.originator_id.hex, hex_id(e.pain_point_id), micros(e.timestamp), e.by.hex),
        )

    # -- vendor responses ------------------------------------------------------

    def _posted(self, cur: Cursor, e: Any, position: int) -> None:
        cur.execute(
            "INSERT INTO v_vendor_responses (id, pain_point_id, group_id, kind, text,"
            " product_group, commitment, due_on, state, settle_note, posted_at, posted_by)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, '', ?, ?)",
            (
                e.originator_id.hex,
                e.pain_point_id.hex,
                e.group_id.hex,
                e.kind,
                e.text,
                e.product_group,
                e.commitment,
                e.due_on,
                OPEN if e.commitment else None,
                micros(e.timestamp),
                e.by.hex,
            ),
        )

    def _settled(self, state: str) -> Handler:
        def handle(cur: Cursor, e: Any, position: int) -> None:
            cur.execute(
                "UPDATE v_vendor_responses SET state = ?, settled_at = ?, settled_by = ?,"
                " settle_note = ? WHERE id = ?",
                (state, micros(e.timestamp), e.by.hex, e.note, e.originator_id.hex),
            )

        return handle


def _edition(cur: Cursor, e: Any, group_id: str) -> None:
    """Record one published edition; its number is the list aggregate's version."""
    edition = int(e.originator_version)
    cur.execute(
        "INSERT INTO v_curated_editions (group_id, edition, list_id, published_at,"
        " published_by, note) VALUES (?, ?, ?, ?, ?, ?)",
        (group_id, edition, e.originator_id.hex, micros(e.timestamp), e.by.hex, e.note),
    )
    rows = [
        (
            group_id,
            edition,
            n,
            hex_id(item["pain_point_id"]),
            int(bool(item.get("pinned", False))),
            str(item.get("rationale", "")),
            item.get("community_rank"),
        )
        for n, item in enumerate(e.items, start=1)
    ]
    if rows:
        cur.executemany(
            "INSERT INTO v_curated_rows (group_id, edition, position, pain_point_id, pinned,"
            " rationale, community_rank) VALUES (?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
