"""Read queries that combine several views (the start page, support trends, pain-point
summaries with their group and support)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from domain.workflow import TRIAGE_STATUSES
from projections.store import Cursor, marks, rows_as_dicts

TRIAGE_LIST = ", ".join(f"'{status}'" for status in sorted(TRIAGE_STATUSES))
#: The pain points waiting for triage (p) in the groups the person (?) leads (m).
_LED_WAITING = (
    " FROM v_group_members m JOIN v_pain_points p ON p.group_id = m.group_id"
    f" AND p.status IN ({TRIAGE_LIST})"
)
_LEAD = " WHERE m.person_id = ? AND m.is_lead = 1"


def involving(
    cur: Cursor, person_id: str, limit: int = 20, offset: int = 0
) -> list[dict[str, Any]]:
    """Pain points the person submitted or supports, latest change first (a page of
    `limit` from `offset`)."""
    return rows_as_dicts(
        cur,
        "SELECT p.id, p.title, p.status, p.group_id, g.name AS group_name,"
        " MAX(h.at) AS last_change, MAX(CASE WHEN p.submitted_by = ? THEN 1 ELSE 0 END)"
        " AS submitted FROM v_pain_points p JOIN v_history h ON h.pain_point_id = p.id"
        " JOIN v_groups g ON g.id = p.group_id"
        " WHERE p.submitted_by = ? OR p.id IN (SELECT pain_point_id FROM v_support_intervals"
        " WHERE person_id = ? AND withdrawn_at IS NULL)"
        " GROUP BY p.id, p.title, p.status, p.group_id, g.name"
        " ORDER BY last_change DESC, p.id LIMIT ? OFFSET ?",
        (person_id, person_id, person_id, limit, offset),
    )


def submitted_since(
    cur: Cursor, group_ids: list[str], since: int, limit: int = 10
) -> list[dict[str, Any]]:
    """Pain points submitted in these groups after `since`, newest first."""
    if not group_ids:
        return []
    marks = ", ".join("?" for _ in group_ids)
    return rows_as_dicts(
        cur,
        f"SELECT p.id, p.title, p.group_id, g.name AS group_name, p.submitted_at"
        f" FROM v_pain_points p JOIN v_groups g ON g.id = p.group_id"
        f" WHERE p.group_id IN ({marks}) AND p.submitted_at > ? AND p.status <> 'withdrawn'"
        f" ORDER BY p.submitted_at DESC, p.id LIMIT ?",
        (*group_ids, since, limit),
    )


def support_trend(
    cur: Cursor, pain_point_ids: list[str], moments: list[int]
) -> dict[str, list[int]]:
    """People whose support counted for each pain point at each moment (sparklines)."""
    if not pain_point_ids or not moments:
        return {}
    # Counted as the ranking counts: active support of a company that was a member then.
    columns = ", ".join(
        "SUM(CASE WHEN s.given_at <= ? AND (s.withdrawn_at IS NULL OR s.withdrawn_at > ?)"
        " AND (c.ended_at IS NULL OR c.ended_at > ?) THEN 1 ELSE 0 END)"
        for _ in moments
    )
    marks = ", ".join("?" for _ in pain_point_ids)
    params: list[Any] = [value for moment in moments for value in (moment, moment, moment)]
    cur.execute(
        f"SELECT s.pain_point_id, {columns} FROM v_support_intervals s"
        f" JOIN v_rank_companies c ON c.id = s.company_id"
        f" WHERE s.pain_point_id IN ({marks}) GROUP BY s.pain_point_id",
        (*params, *pain_point_ids),
    )
    trend = {pain_point_id: [0] * len(moments) for pain_point_id in pain_point_ids}
    for row in cur.fetchall():
        trend[row[0]] = [int(value or 0) for value in row[1:]]
    return trend


def summaries(cur: Cursor, ids: list[str]) -> list[dict[str, Any]]:
    """Title, group and breadth of support of pain points, in the order of `ids`."""
    if not ids:
        return []
    rows = rows_as_dicts(
        cur,
        "SELECT p.id, p.title, p.status, p.group_id, g.name AS group_name,"
        " COALESCE(r.companies, 0) AS companies, COALESCE(r.supporters, 0) AS supporters"
        " FROM v_pain_points p JOIN v_groups g ON g.id = p.group_id"
        f" LEFT JOIN v_rank_items r ON r.pain_point_id = p.id WHERE p.id IN ({marks(ids)})",
        ids,
    )
    by_id = {row["id"]: row for row in rows}
    return [by_id[i] for i in ids if i in by_id]


def supporting_companies(cur: Cursor, pain_point_id: str) -> list[str]:
    """Names of the member companies whose support counts for it now, sorted: the ones
    the tally counts, so after a merge the duplicates' supporters are named too."""
    cur.execute(
        "SELECT DISTINCT c.name FROM v_tallies t"
        " JOIN v_rank_companies r ON r.id = t.company_id"
        " JOIN v_companies c ON c.id = t.company_id"
        " WHERE t.pain_point_id = ? AND t.n > 0 AND r.ended_at IS NULL"
        " ORDER BY c.name",
        (pain_point_id,),
    )
    return [row[0] for row in cur.fetchall()]


def with_support(cur: Cursor, statuses: Sequence[str]) -> list[dict[str, Any]]:
    """Every pain point in one of `statuses` with its group and support, by group
    name, the most supported first."""
    return rows_as_dicts(
        cur,
        f"SELECT p.id, p.title, p.status, p.group_id, g.name AS group_name,"
        f" COALESCE(r.companies, 0) AS companies, COALESCE(r.supporters, 0) AS supporters"
        f" FROM v_pain_points p JOIN v_groups g ON g.id = p.group_id"
        f" LEFT JOIN v_rank_items r ON r.pain_point_id = p.id"
        f" WHERE p.status IN ({marks(statuses)})"
        f" ORDER BY g.name, COALESCE(r.units, 0) DESC, p.title, p.id",
        statuses,
    )


def triage_waiting(cur: Cursor, person_id: str) -> int | None:
    """How many pain points wait for the person's triage in the groups they lead (new or
    needs-info), or None when they lead no group. One query, for every page's header."""
    cur.execute(
        f"SELECT COUNT(p.id) FROM v_group_members m LEFT JOIN v_pain_points p"
        f" ON p.group_id = m.group_id AND p.status IN ({TRIAGE_LIST})"
        f" WHERE m.person_id = ? AND m.is_lead = 1 HAVING COUNT(m.group_id) > 0",
        (person_id,),
    )
    row = cur.fetchone()
    return None if row is None else int(row[0])


def triage_inbox(
    cur: Cursor, person_id: str, limit: int, offset: int
) -> tuple[list[dict[str, Any]], int]:
    """A page of the pain points waiting for the person's triage in every group they
    lead, oldest first, with the group's name and breadth of support; and their number."""
    cur.execute(f"SELECT COUNT(*){_LED_WAITING}{_LEAD}", (person_id,))
    total = int(cur.fetchone()[0])
    rows = rows_as_dicts(
        cur,
        f"SELECT p.id, p.title, p.status, p.group_id, g.name AS group_name, p.submitted_at,"
        f" p.changed_at, COALESCE(r.companies, 0) AS companies,"
        f" COALESCE(r.supporters, 0) AS supporters{_LED_WAITING}"
        f" JOIN v_groups g ON g.id = p.group_id"
        f" LEFT JOIN v_rank_items r ON r.pain_point_id = p.id{_LEAD}"
        f" ORDER BY p.submitted_at, p.id LIMIT ? OFFSET ?",
        (person_id, limit, offset),
    )
    return rows, total
