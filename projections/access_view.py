"""The access requests view: who asked for an account through their identity provider."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from domain.accessrequest import AccessRequest
from domain.person import Person
from projections.store import Cursor, rows_as_dicts
from projections.view import Handler, View, micros, topic

DDL = (
    "CREATE TABLE IF NOT EXISTS v_access_requests (id TEXT PRIMARY KEY,"
    " company_id TEXT NOT NULL, email TEXT NOT NULL, display_name TEXT NOT NULL,"
    " group_ids TEXT NOT NULL, status TEXT NOT NULL, requested_at BIGINT NOT NULL,"
    " decided_at BIGINT, person_id TEXT)",
    "CREATE INDEX IF NOT EXISTS v_access_requests_status ON v_access_requests"
    " (status, requested_at)",
)
COLUMNS = (
    "id, company_id, email, display_name, group_ids, status, requested_at, decided_at, person_id"
)


class AccessRequestView(View):
    tables = ("v_access_requests",)

    def create(self, cur: Cursor) -> None:
        for statement in DDL:
            cur.execute(statement)

    def handlers(self) -> Mapping[str, Handler]:
        return {
            topic(AccessRequest, "Requested"): self._requested,
            topic(AccessRequest, "RequestedAgain"): self._requested_again,
            topic(AccessRequest, "Approved"): self._approved,
            topic(AccessRequest, "Declined"): self._declined,
            topic(Person, "Erased"): self._erased,
        }

    def _requested(self, cur: Cursor, e: Any, position: int) -> None:
        cur.execute(
            f"INSERT INTO v_access_requests ({COLUMNS})"
            " VALUES (?, ?, ?, ?, ?, 'pending', ?, NULL, NULL)",
            (
                e.originator_id.hex,
                e.company_id.hex,
                e.email.shown,
                e.display_name.shown,
                json.dumps([g.hex for g in e.group_ids]),
                micros(e.timestamp),
            ),
        )

    def _requested_again(self, cur: Cursor, e: Any, position: int) -> None:
        cur.execute(
            "UPDATE v_access_requests SET display_name = ?, group_ids = ?, status = 'pending',"
            " requested_at = ?, decided_at = NULL WHERE id = ?",
            (
                e.display_name.shown,
                json.dumps([g.hex for g in e.group_ids]),
                micros(e.timestamp),
                e.originator_id.hex,
            ),
        )

    def _approved(self, cur: Cursor, e: Any, position: int) -> None:
        cur.execute(
            "UPDATE v_access_requests SET status = 'approved', decided_at = ?, person_id = ?"
            " WHERE id = ?",
            (micros(e.timestamp), e.person_id.hex, e.originator_id.hex),
        )

    def _erased(self, cur: Cursor, e: Any, position: int) -> None:
        """The request of an erased person keeps its facts, not its name and address."""
        cur.execute(
            "UPDATE v_access_requests SET email = '', display_name = '' WHERE person_id = ?",
            (e.originator_id.hex,),
        )

    def _declined(self, cur: Cursor, e: Any, position: int) -> None:
        cur.execute(
            "UPDATE v_access_requests SET status = 'declined', decided_at = ? WHERE id = ?",
            (micros(e.timestamp), e.originator_id.hex),
        )


def list_access_requests(
    cur: Cursor, status: str | None, limit: int, offset: int
) -> tuple[list[dict[str, Any]], int]:
    where, params = ("WHERE status = ?", [status]) if status else ("", [])
    cur.execute(f"SELECT COUNT(*) FROM v_access_requests {where}", params)
    total = int(cur.fetchone()[0])
    rows = rows_as_dicts(
        cur,
        f"SELECT {COLUMNS} FROM v_access_requests {where}"
        " ORDER BY requested_at, id LIMIT ? OFFSET ?",
        (*params, limit, offset),
    )
    for row in rows:
        row["group_ids"] = json.loads(row["group_ids"])
    return rows, total
