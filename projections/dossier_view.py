"""Issued briefing dossiers: what defines each, and the hash of each rendered file."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from domain.dossier import Dossier
from projections.store import Cursor, rows_as_dicts
from projections.view import Handler, View, micros, topic

DDL = (
    "CREATE TABLE IF NOT EXISTS v_dossiers (id TEXT PRIMARY KEY, title TEXT NOT NULL,"
    " issued_at BIGINT NOT NULL, issued_by TEXT NOT NULL, meeting_id TEXT,"
    " language TEXT NOT NULL, position BIGINT NOT NULL, definition TEXT NOT NULL,"
    " files TEXT NOT NULL, content_hash TEXT NOT NULL, chain_head TEXT, key_fingerprint TEXT)",
    "CREATE INDEX IF NOT EXISTS v_dossiers_issued ON v_dossiers (issued_at)",
)
COLUMNS = (
    "id, title, issued_at, issued_by, meeting_id, language, position, definition, files,"
    " content_hash, chain_head, key_fingerprint"
)


class DossierView(View):
    tables = ("v_dossiers",)

    def create(self, cur: Cursor) -> None:
        for statement in DDL:
            cur.execute(statement)

    def handlers(self) -> Mapping[str, Handler]:
        return {topic(Dossier, "DossierIssued"): self._issued}

    def _issued(self, cur: Cursor, e: Any, position: int) -> None:
        definition = e.definition
        cur.execute(
            f"INSERT INTO v_dossiers ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                e.originator_id.hex,
                e.title,
                micros(e.timestamp),
                e.by.hex,
                definition.get("meeting_id"),
                definition["language"],
                definition["position"],
                json.dumps(definition, sort_keys=True),
                json.dumps(e.files, sort_keys=True),
                e.content_hash,
                e.chain_head,
                e.key_fingerprint,
            ),
        )


def _decoded(row: dict[str, Any]) -> dict[str, Any]:
    return {**row, "definition": json.loads(row["definition"]), "files": json.loads(row["files"])}


def list_dossiers(cur: Cursor, limit: int, offset: int) -> tuple[list[dict[str, Any]], int]:
    """Issued dossiers, latest first."""
    cur.execute("SELECT COUNT(*) FROM v_dossiers")
    total = int(cur.fetchone()[0])
    rows = rows_as_dicts(
        cur,
        f"SELECT {COLUMNS} FROM v_dossiers ORDER BY issued_at DESC, id LIMIT ? OFFSET ?",
        (limit, offset),
    )
    return [_decoded(row) for row in rows], total


def find_dossier(cur: Cursor, dossier_id: str) -> dict[str, Any] | None:
    rows = rows_as_dicts(cur, f"SELECT {COLUMNS} FROM v_dossiers WHERE id = ?", (dossier_id,))
    return _decoded(rows[0]) if rows else None
