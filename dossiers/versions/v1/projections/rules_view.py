"""Each group's voting rules (every version, with its moment) and voting rounds.

A closed round's result is the group's ranking as of its close, so it is computed by
`ranking_as_of` and never stored: later rule changes, supports and merges cannot
change it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from domain.workinggroup import WorkingGroup
from dossiers.versions.v1.projections.store import Cursor, rows_as_dicts
from dossiers.versions.v1.projections.view import Handler, View, micros, topic

DDL = (
    "CREATE TABLE IF NOT EXISTS v_group_rules (group_id TEXT NOT NULL, version INTEGER NOT NULL,"
    " vote_budget INTEGER, rounds INTEGER NOT NULL, effective_from BIGINT NOT NULL,"
    " recorded_at BIGINT NOT NULL, reason TEXT NOT NULL, PRIMARY KEY (group_id, version))",
    "CREATE TABLE IF NOT EXISTS v_rounds (group_id TEXT NOT NULL, number INTEGER NOT NULL,"
    " title TEXT NOT NULL, opened_at BIGINT NOT NULL, closed_at BIGINT,"
    " PRIMARY KEY (group_id, number))",
)


class RulesView(View):
    tables = ("v_group_rules", "v_rounds")

    def create(self, cur: Cursor) -> None:
        for statement in DDL:
            cur.execute(statement)

    def handlers(self) -> Mapping[str, Handler]:
        return {
            topic(WorkingGroup, "RulesChanged"): self._rules_changed,
            topic(WorkingGroup, "RoundOpened"): self._round_opened,
            topic(WorkingGroup, "RoundClosed"): self._round_closed,
        }

    def _rules_changed(self, cur: Cursor, e: Any, position: int) -> None:
        cur.execute(
            "INSERT INTO v_group_rules (group_id, version, vote_budget, rounds, effective_from,"
            " recorded_at, reason) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                e.originator_id.hex,
                e.version,
                e.vote_budget,
                int(e.rounds),
                micros(e.effective_from),
                micros(e.timestamp),
                e.reason,
            ),
        )

    def _round_opened(self, cur: Cursor, e: Any, position: int) -> None:
        cur.execute(
            "INSERT INTO v_rounds (group_id, number, title, opened_at) VALUES (?, ?, ?, ?)",
            (e.originator_id.hex, e.number, e.title, micros(e.timestamp)),
        )

    def _round_closed(self, cur: Cursor, e: Any, position: int) -> None:
        cur.execute(
            "UPDATE v_rounds SET closed_at = ? WHERE group_id = ? AND number = ?",
            (micros(e.timestamp), e.originator_id.hex, e.number),
        )


def rule_versions(
    cur: Cursor, group_id: str, recorded_by: int | None = None
) -> list[dict[str, Any]]:
    """Every version of the group's rules, oldest first; only those recorded by
    `recorded_by` when given (what was known then)."""
    sql = (
        "SELECT version, vote_budget, rounds, effective_from, recorded_at, reason"
        " FROM v_group_rules WHERE group_id = ?"
    )
    params: list[Any] = [group_id]
    if recorded_by is not None:
        sql += " AND recorded_at <= ?"
        params.append(recorded_by)
    rows = rows_as_dicts(cur, sql + " ORDER BY version", params)
    for row in rows:
        row["rounds"] = bool(row["rounds"])
    return rows


def rules_in_force(cur: Cursor, group_id: str, at: int) -> dict[str, Any]:
    """The rules in force at `at`: the latest version effective and recorded by then."""
    in_force: dict[str, Any] = {
        "version": 0,
        "vote_budget": None,
        "rounds": False,
        "effective_from": None,
        "recorded_at": None,
        "reason": "",
    }
    for row in rule_versions(cur, group_id, recorded_by=at):
        if row["effective_from"] <= at:
            in_force = row
    return in_force


def rounds(cur: Cursor, group_id: str, at: int | None = None) -> list[dict[str, Any]]:
    """The group's voting rounds, newest first; as they stood at `at` when given."""
    rows = rows_as_dicts(
        cur,
        "SELECT number, title, opened_at, closed_at FROM v_rounds WHERE group_id = ?"
        " ORDER BY number DESC",
        (group_id,),
    )
    if at is None:
        return rows
    held = []
    for row in rows:
        if row["opened_at"] <= at:
            if row["closed_at"] is not None and row["closed_at"] > at:
                row["closed_at"] = None
            held.append(row)
    return held


def find_round(cur: Cursor, group_id: str, number: int) -> dict[str, Any] | None:
    rows = rows_as_dicts(
        cur,
        "SELECT number, title, opened_at, closed_at FROM v_rounds"
        " WHERE group_id = ? AND number = ?",
        (group_id, number),
    )
    return rows[0] if rows else None
