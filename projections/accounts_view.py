"""Invitations and sign-in sessions: who was invited (and what became of it), who is
signed in where. Status "expired" is decided when read, against the reader's clock."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from domain.invitation import Invitation
from domain.person import Person
from domain.session import SignInSession
from projections.store import Cursor, rows_as_dicts
from projections.view import Handler, View, micros, moment, topic

DDL = (
    "CREATE TABLE IF NOT EXISTS v_invitations (id TEXT PRIMARY KEY, email TEXT NOT NULL,"
    " display_name TEXT NOT NULL, company_id TEXT, group_ids TEXT NOT NULL,"
    " language TEXT NOT NULL, issued_by TEXT NOT NULL, issued_at BIGINT NOT NULL,"
    " expires_at BIGINT NOT NULL, accepted_at BIGINT, person_id TEXT, revoked_at BIGINT)",
    "CREATE INDEX IF NOT EXISTS v_invitations_issuer ON v_invitations (issued_by, issued_at)",
    "CREATE TABLE IF NOT EXISTS v_sessions (id TEXT PRIMARY KEY, person_id TEXT NOT NULL,"
    " opened_at BIGINT NOT NULL, expires_at BIGINT NOT NULL, closed_at BIGINT)",
    "CREATE INDEX IF NOT EXISTS v_sessions_person ON v_sessions (person_id, opened_at)",
)
STATUS = (
    "CASE WHEN accepted_at IS NOT NULL THEN 'accepted'"
    " WHEN revoked_at IS NOT NULL THEN 'revoked'"
    " WHEN expires_at <= ? THEN 'expired' ELSE 'pending' END"
)


class AccountsView(View):
    tables = ("v_invitations", "v_sessions")

    def create(self, cur: Cursor) -> None:
        for statement in DDL:
            cur.execute(statement)

    def handlers(self) -> Mapping[str, Handler]:
        return {
            topic(Invitation, "Issued"): self._issued,
            topic(Invitation, "Accepted"): self._accepted,
            topic(Invitation, "Revoked"): self._revoked,
            topic(SignInSession, "Opened"): self._opened,
            topic(SignInSession, "Closed"): self._closed,
            topic(Person, "PasswordChanged"): self._password_changed,
            topic(Person, "Erased"): self._erased,
        }

    def _erased(self, cur: Cursor, e: Any, position: int) -> None:
        """An invitation's copy of the address and name goes with the person erased."""
        cur.execute(
            "UPDATE v_invitations SET email = '', display_name = '' WHERE person_id = ?",
            (e.originator_id.hex,),
        )

    def _issued(self, cur: Cursor, e: Any, position: int) -> None:
        cur.execute(
            "INSERT INTO v_invitations (id, email, display_name, company_id, group_ids,"
            " language, issued_by, issued_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                e.originator_id.hex,
                e.email.shown,
                e.display_name.shown,
                e.company_id.hex if e.company_id else None,
                json.dumps([g.hex for g in e.group_ids]),
                e.language,
                e.by.hex,
                micros(e.timestamp),
                micros(e.expires_at),
            ),
        )

    def _accepted(self, cur: Cursor, e: Any, position: int) -> None:
        cur.execute(
            "UPDATE v_invitations SET accepted_at = ?, person_id = ? WHERE id = ?",
            (micros(e.timestamp), e.person_id.hex, e.originator_id.hex),
        )

    def _revoked(self, cur: Cursor, e: Any, position: int) -> None:
        cur.execute(
            "UPDATE v_invitations SET revoked_at = ? WHERE id = ?",
            (micros(e.timestamp), e.originator_id.hex),
        )

    def _opened(self, cur: Cursor, e: Any, position: int) -> None:
        cur.execute(
            "INSERT INTO v_sessions (id, person_id, opened_at, expires_at) VALUES (?, ?, ?, ?)",
            (e.originator_id.hex, e.person_id.hex, micros(e.timestamp), micros(e.expires_at)),
        )

    def _closed(self, cur: Cursor, e: Any, position: int) -> None:
        cur.execute(
            "UPDATE v_sessions SET closed_at = ? WHERE id = ? AND closed_at IS NULL",
            (micros(e.timestamp), e.originator_id.hex),
        )

    def _password_changed(self, cur: Cursor, e: Any, position: int) -> None:
        """A new password ends every earlier session but the one it was changed in."""
        kept = e.keep_session.hex if e.keep_session else ""
        cur.execute(
            "UPDATE v_sessions SET closed_at = ? WHERE person_id = ? AND closed_at IS NULL"
            " AND opened_at < ? AND id <> ?",
            (micros(e.timestamp), e.originator_id.hex, micros(e.timestamp), kept),
        )


def invitations(
    cur: Cursor, now: datetime, *, issued_by: str | None = None, limit: int = 100, offset: int = 0
) -> list[dict[str, Any]]:
    """Invitations, newest first, each with its status as of `now`."""
    where, params = ("WHERE issued_by = ?", (issued_by,)) if issued_by else ("", ())
    rows = rows_as_dicts(
        cur,
        f"SELECT id, email, display_name, company_id, group_ids, language, issued_by,"
        f" issued_at, expires_at, accepted_at, person_id, revoked_at, {STATUS} AS status"
        f" FROM v_invitations {where} ORDER BY issued_at DESC, id LIMIT ? OFFSET ?",
        (micros(now), *params, limit, offset),
    )
    for row in rows:
        row["group_ids"] = json.loads(row["group_ids"])
        for column in ("issued_at", "expires_at", "accepted_at", "revoked_at"):
            row[column] = moment(row[column]) if row[column] is not None else None
    return rows


def open_sessions(cur: Cursor, person_id: str, now: datetime) -> list[dict[str, Any]]:
    """A person's sessions that are neither closed nor expired, newest first."""
    rows = rows_as_dicts(
        cur,
        "SELECT id, opened_at, expires_at FROM v_sessions WHERE person_id = ?"
        " AND closed_at IS NULL AND expires_at > ? ORDER BY opened_at DESC, id LIMIT 100",
        (person_id, micros(now)),
    )
    for row in rows:
        row["opened_at"] = moment(row["opened_at"])
        row["expires_at"] = moment(row["expires_at"])
    return rows
