"""What changed between two moments (e.g. since the last vendor board meeting).

New pain points, rank moves with their causes, status changes, the vendor's new
answers and settled commitments, and newly published curated-list editions, in the
given working groups. The window is (start, end]: what happened exactly at `start`
belongs to the previous window. Moments are integer microseconds since the epoch.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from domain.workflow import MERGED, OPEN_STATUSES, WITHDRAWN
from dossiers.versions.v1.projections.ranking_view import RankedItem, ranking_as_of
from dossiers.versions.v1.projections.store import Cursor, marks, rows_as_dicts

EVERYTHING = 1 << 31
STATUS_KINDS = ("status-changed", "withdrawn", "merged-into", "unmerged")


def changes_between(
    cur: Cursor, start: int, end: int, group_ids: Sequence[str]
) -> dict[str, list[dict[str, Any]]]:
    groups = sorted(set(group_ids))
    if not groups or end <= start:
        return {
            key: []
            for key in (
                "new_pain_points",
                "rank_moves",
                "status_changes",
                "vendor_responses",
                "settled_commitments",
                "curated_editions",
            )
        }
    window = (start, end)
    status_changes = _status_changes(cur, window, groups)
    return {
        "new_pain_points": rows_as_dicts(
            cur,
            f"SELECT id AS pain_point_id, group_id, title, status, submitted_at"
            f" FROM v_pain_points WHERE group_id IN ({marks(groups)})"
            f" AND submitted_at > ? AND submitted_at <= ? ORDER BY submitted_at, id",
            (*groups, *window),
        ),
        "rank_moves": [
            move for group in groups for move in _rank_moves(cur, window, group, status_changes)
        ],
        "status_changes": status_changes,
        "vendor_responses": _responses(cur, "posted_at", window, groups),
        "settled_commitments": _responses(cur, "settled_at", window, groups),
        "curated_editions": rows_as_dicts(
            cur,
            f"SELECT e.group_id, e.edition, e.published_at, e.published_by, e.note,"
            f" (SELECT COUNT(*) FROM v_curated_rows c WHERE c.group_id = e.group_id"
            f" AND c.edition = e.edition) AS items FROM v_curated_editions e"
            f" WHERE e.group_id IN ({marks(groups)}) AND e.published_at > ?"
            f" AND e.published_at <= ? ORDER BY e.published_at, e.group_id",
            (*groups, *window),
        ),
    }


def _responses(
    cur: Cursor, column: str, window: tuple[int, int], groups: list[str]
) -> list[dict[str, Any]]:
    return rows_as_dicts(
        cur,
        f"SELECT r.id AS response_id, r.pain_point_id, r.group_id,"
        f" COALESCE(p.title, '') AS title, r.kind, r.product_group, r.commitment, r.due_on,"
        f" r.state, r.posted_at, r.settled_at, r.settle_note FROM v_vendor_responses r"
        f" LEFT JOIN v_pain_points p ON p.id = r.pain_point_id"
        f" WHERE r.group_id IN ({marks(groups)}) AND r.{column} > ? AND r.{column} <= ?"
        f" ORDER BY r.{column}, r.id",
        (*groups, *window),
    )


def _status_changes(
    cur: Cursor, window: tuple[int, int], groups: list[str]
) -> list[dict[str, Any]]:
    """Moves from one status to another (a submission is not a move), with reasons."""
    rows = rows_as_dicts(
        cur,
        f"SELECT h.pain_point_id, h.group_id, p.title, b.status AS from_status,"
        f" h.status AS to_status, h.since AS at FROM v_status_history h"
        f" JOIN v_status_history b ON b.pain_point_id = h.pain_point_id AND b.until = h.since"
        f" JOIN v_pain_points p ON p.id = h.pain_point_id"
        f" WHERE h.group_id IN ({marks(groups)}) AND h.since > ? AND h.since <= ?"
        f" ORDER BY h.since, h.pain_point_id",
        (*groups, *window),
    )
    cur.execute(
        f"SELECT pain_point_id, at, detail FROM v_history WHERE kind IN ({marks(STATUS_KINDS)})"
        f" AND at > ? AND at <= ?",
        (*STATUS_KINDS, *window),
    )
    reasons = {
        (pid, at): json.loads(detail).get("reason", "") for pid, at, detail in cur.fetchall()
    }
    return [{**row, "reason": reasons.get((row["pain_point_id"], row["at"]), "")} for row in rows]


def _rank_moves(
    cur: Cursor, window: tuple[int, int], group: str, status_changes: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    start, end = window
    before = _ranked(cur, group, start)
    after = _ranked(cur, group, end)
    companies = (_companies(cur, group, start), _companies(cur, group, end))
    cur.execute(
        "SELECT id FROM v_pain_points WHERE group_id = ? AND submitted_at > ?"
        " AND submitted_at <= ?",
        (group, *window),
    )
    new = {row[0] for row in cur.fetchall()}
    merges = rows_as_dicts(
        cur,
        "SELECT m.source_id, m.target_id, m.merged_at, m.unmerged_at FROM v_merges m"
        " JOIN v_pain_points p ON p.id = m.source_id WHERE p.group_id = ?"
        " AND ((m.merged_at > ? AND m.merged_at <= ?)"
        " OR (m.unmerged_at > ? AND m.unmerged_at <= ?))",
        (group, *window, *window),
    )
    moves = []
    for pid in sorted(set(before) | set(after)):
        was, now = before.get(pid), after.get(pid)
        either = now or was
        if either is None or (was is not None and now is not None and was.rank == now.rank):
            continue
        causes = _causes(pid, was, now, pid in new, companies, merges, window)
        if was is None or now is None:
            causes += _status_causes(pid, status_changes)
        moves.append(
            {
                "pain_point_id": pid,
                "group_id": group,
                "title": either.title,
                "rank_before": was.rank if was else None,
                "rank_after": now.rank if now else None,
                "companies_before": was.tally.companies if was else 0,
                "companies_after": now.tally.companies if now else 0,
                "supporters_before": was.tally.supporters if was else 0,
                "supporters_after": now.tally.supporters if now else 0,
                "causes": causes or [{"kind": "others-moved"}],
            }
        )
    return sorted(moves, key=_move_order)


def _move_order(move: dict[str, Any]) -> tuple[bool, int, int, str]:
    after, before = move["rank_after"], move["rank_before"]
    return (after is None, after or 0, before or 0, move["pain_point_id"])


def _causes(
    pid: str,
    was: RankedItem | None,
    now: RankedItem | None,
    is_new: bool,
    companies: tuple[dict[str, set[str]], dict[str, set[str]]],
    merges: list[dict[str, Any]],
    window: tuple[int, int],
) -> list[dict[str, Any]]:
    causes: list[dict[str, Any]] = [{"kind": "new"}] if is_new else []
    earlier, later = companies[0].get(pid, set()), companies[1].get(pid, set())
    if gained := len(later - earlier):
        causes.append({"kind": "companies-gained", "count": gained})
    if lost := len(earlier - later):
        causes.append({"kind": "companies-lost", "count": lost})
    people = now.tally.supporters - was.tally.supporters if now and was else 0
    if people and not (gained or lost):
        kind = "supporters-gained" if people > 0 else "supporters-lost"
        causes.append({"kind": kind, "count": abs(people)})
    start, end = window
    for m in merges:
        merged = start < m["merged_at"] <= end
        unmerged = m["unmerged_at"] is not None and start < m["unmerged_at"] <= end
        if m["target_id"] == pid:
            if merged:
                causes.append({"kind": "merged-in", "pain_point_id": m["source_id"]})
            if unmerged:
                causes.append({"kind": "merge-undone", "pain_point_id": m["source_id"]})
        elif m["source_id"] == pid:
            if merged:
                causes.append({"kind": "merged-away", "pain_point_id": m["target_id"]})
            if unmerged:
                causes.append({"kind": "unmerged", "pain_point_id": m["target_id"]})
    return causes


def _status_causes(pid: str, status_changes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Why an item entered or left the ranking, apart from merges (listed already)."""
    causes = []
    for change in status_changes:
        before, after = change["from_status"], change["to_status"]
        listing_changed = (before in OPEN_STATUSES) != (after in OPEN_STATUSES)
        if change["pain_point_id"] != pid or MERGED in (before, after) or not listing_changed:
            continue
        if change["to_status"] == WITHDRAWN:
            causes.append({"kind": "withdrawn"})
        else:
            causes.append({"kind": "status", "status": change["to_status"]})
    return causes


def _ranked(cur: Cursor, group: str, at: int) -> dict[str, RankedItem]:
    items, _ = ranking_as_of(cur, group, at, EVERYTHING, 0)
    return {item.pain_point_id: item for item in items}


def _companies(cur: Cursor, group: str, at: int) -> dict[str, set[str]]:
    """The member companies whose support counted for each pain point at `at`."""
    cur.execute(
        "SELECT DISTINCT COALESCE(m.target_id, s.pain_point_id), s.company_id"
        " FROM v_rank_items r JOIN v_support_intervals s ON s.pain_point_id = r.pain_point_id"
        " JOIN v_rank_companies c ON c.id = s.company_id"
        " LEFT JOIN v_merges m ON m.source_id = s.pain_point_id AND m.merged_at <= ?"
        " AND (m.unmerged_at IS NULL OR m.unmerged_at > ?)"
        " WHERE r.group_id = ? AND s.given_at <= ?"
        " AND (s.withdrawn_at IS NULL OR s.withdrawn_at > ?)"
        " AND (c.ended_at IS NULL OR c.ended_at > ?)",
        (at, at, group, at, at, at),
    )
    counted: dict[str, set[str]] = {}
    for pain_point_id, company in cur.fetchall():
        counted.setdefault(pain_point_id, set()).add(company)
    return counted
