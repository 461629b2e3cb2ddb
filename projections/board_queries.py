"""Reads for leads, the board and the vendor: curated lists, meetings, responses."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from statistics import median_low
from typing import Any

from domain.promises import OPEN, OVERDUE, promise_state
from domain.ranking import RANK_ORDER_SQL
from domain.workflow import ESCALATED, ROADMAP_COLUMNS, VENDOR_VISIBLE, roadmap_column
from projections.store import Cursor, marks, rows_as_dicts
from projections.view import moment

VENDOR_LIST = ", ".join(f"'{status}'" for status in sorted(VENDOR_VISIBLE))
MEETING_COLUMNS = "id, name, kind, held_on, scheduled_at, scheduled_by, agenda_set_at"
RESPONSE_COLUMNS = (
    "r.id, r.pain_point_id, r.group_id, r.kind, r.text, r.product_group, r.commitment,"
    " r.due_on, r.state, r.settled_at, r.settled_by, r.settle_note, r.posted_at, r.posted_by"
)


# -- curated lists --------------------------------------------------------------


def curated_list(cur: Cursor, group_id: str, edition: int | None = None) -> dict[str, Any] | None:
    """An edition of the group's curated list (the latest by default), or None."""
    cur.execute("SELECT MAX(edition) FROM v_curated_editions WHERE group_id = ?", (group_id,))
    latest = cur.fetchone()[0]
    if latest is None:
        return None
    heads = rows_as_dicts(
        cur,
        "SELECT group_id, edition, published_at, published_by, note FROM v_curated_editions"
        " WHERE group_id = ? AND edition = ?",
        (group_id, latest if edition is None else edition),
    )
    if not heads:
        return None
    rows = rows_as_dicts(
        cur,
        "SELECT c.position, c.pain_point_id, COALESCE(p.title, '') AS title,"
        " COALESCE(p.status, '') AS status, c.pinned, c.rationale, c.community_rank"
        " FROM v_curated_rows c LEFT JOIN v_pain_points p ON p.id = c.pain_point_id"
        " WHERE c.group_id = ? AND c.edition = ? ORDER BY c.position",
        (group_id, heads[0]["edition"]),
    )
    items = [{**row, "pinned": bool(row["pinned"])} for row in rows]
    return {**heads[0], "latest_edition": int(latest), "rows": items}


def edition_as_of(cur: Cursor, group_id: str, at: int) -> int | None:
    """The edition of the group's curated list that was current at `at`, if any."""
    cur.execute(
        "SELECT MAX(edition) FROM v_curated_editions WHERE group_id = ? AND published_at <= ?",
        (group_id, at),
    )
    found = cur.fetchone()[0]
    return None if found is None else int(found)


def curated_list_as_of(cur: Cursor, group_id: str, at: int) -> dict[str, Any] | None:
    """The curated list exactly as it was shown at `at`: that edition, those statuses."""
    edition = edition_as_of(cur, group_id, at)
    listed = None if edition is None else curated_list(cur, group_id, edition)
    if listed is None:
        return None
    cur.execute(
        "SELECT pain_point_id, status FROM v_status_history WHERE group_id = ?"
        " AND since <= ? AND (until IS NULL OR until > ?)",
        (group_id, at, at),
    )
    status_then = dict(cur.fetchall())
    rows = [{**row, "status": status_then.get(row["pain_point_id"], "")} for row in listed["rows"]]
    return {**listed, "latest_edition": edition, "rows": rows}


def community_ranks(cur: Cursor, group_id: str) -> dict[str, int]:
    """The live community rank of every ranked pain point of the group."""
    cur.execute(
        f"SELECT pain_point_id FROM v_rank_items WHERE group_id = ? AND listed = 1"
        f" ORDER BY {RANK_ORDER_SQL}",
        (group_id,),
    )
    return {row[0]: rank for rank, row in enumerate(cur.fetchall(), start=1)}


def group_ids(cur: Cursor) -> list[str]:
    """Every working group's id."""
    cur.execute("SELECT id FROM v_groups ORDER BY id")
    return [row[0] for row in cur.fetchall()]


# -- meetings -------------------------------------------------------------------


def meetings(cur: Cursor, limit: int = 100, offset: int = 0) -> tuple[list[dict[str, Any]], int]:
    """Meetings, latest first, each with its agenda and what was presented."""
    cur.execute("SELECT COUNT(*) FROM v_meetings")
    total = int(cur.fetchone()[0])
    rows = rows_as_dicts(
        cur,
        f"SELECT {MEETING_COLUMNS} FROM v_meetings"
        f" ORDER BY held_on DESC, scheduled_at DESC, id LIMIT ? OFFSET ?",
        (limit, offset),
    )
    return _with_items(cur, rows), total


def meeting(cur: Cursor, meeting_id: str) -> dict[str, Any] | None:
    rows = rows_as_dicts(
        cur, f"SELECT {MEETING_COLUMNS} FROM v_meetings WHERE id = ?", (meeting_id,)
    )
    return _with_items(cur, rows)[0] if rows else None


def previous_meeting(cur: Cursor, current: dict[str, Any]) -> dict[str, Any] | None:
    """The meeting held before `current` (by day, then by when it was scheduled)."""
    held_on, scheduled_at, meeting_id = current["held_on"], current["scheduled_at"], current["id"]
    rows = rows_as_dicts(
        cur,
        f"SELECT {MEETING_COLUMNS} FROM v_meetings WHERE held_on < ? OR (held_on = ?"
        f" AND (scheduled_at < ? OR (scheduled_at = ? AND id < ?)))"
        f" ORDER BY held_on DESC, scheduled_at DESC, id DESC LIMIT 1",
        (held_on, held_on, scheduled_at, scheduled_at, meeting_id),
    )
    return rows[0] if rows else None


def _with_items(cur: Cursor, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    ids = [row["id"] for row in rows]
    if not ids:
        return []
    agenda = rows_as_dicts(
        cur,
        f"SELECT a.meeting_id, a.position, a.pain_point_id, COALESCE(p.title, '') AS title,"
        f" COALESCE(p.status, '') AS status, COALESCE(p.group_id, '') AS group_id,"
        f" s.presented_at FROM v_meeting_agenda a"
        f" LEFT JOIN v_pain_points p ON p.id = a.pain_point_id"
        f" LEFT JOIN v_meeting_presented s ON s.meeting_id = a.meeting_id"
        f" AND s.pain_point_id = a.pain_point_id"
        f" WHERE a.meeting_id IN ({marks(ids)}) ORDER BY a.meeting_id, a.position",
        ids,
    )
    presented = rows_as_dicts(
        cur,
        f"SELECT s.meeting_id, s.pain_point_id, COALESCE(p.title, '') AS title,"
        f" COALESCE(p.status, '') AS status, COALESCE(p.group_id, '') AS group_id,"
        f" s.presented_at, s.presented_by FROM v_meeting_presented s"
        f" LEFT JOIN v_pain_points p ON p.id = s.pain_point_id"
        f" WHERE s.meeting_id IN ({marks(ids)})"
        f" ORDER BY s.meeting_id, s.presented_at, s.pain_point_id",
        ids,
    )
    return [
        {
            **row,
            "agenda": [a for a in agenda if a["meeting_id"] == row["id"]],
            "presented": [p for p in presented if p["meeting_id"] == row["id"]],
        }
        for row in rows
    ]


# -- vendor responses and promises ----------------------------------------------


def responses_of(cur: Cursor, pain_point_id: str) -> list[dict[str, Any]]:
    return rows_as_dicts(
        cur,
        f"SELECT {RESPONSE_COLUMNS} FROM v_vendor_responses r WHERE r.pain_point_id = ?"
        f" ORDER BY r.posted_at, r.id",
        (pain_point_id,),
    )


def promises(
    cur: Cursor, today: date, group_ids: Sequence[str] | None = None
) -> list[dict[str, Any]]:
    """Every commitment with its recorded `state` and its `promise` state on `today`
    (domain.promises: open ones due before `today` are overdue)."""
    where, params = "", []
    if group_ids is not None:
        if not group_ids:
            return []
        where = f" AND r.group_id IN ({marks(group_ids)})"
        params += list(group_ids)
    rows = rows_as_dicts(
        cur,
        f"SELECT {RESPONSE_COLUMNS}, COALESCE(p.title, '') AS title"
        f" FROM v_vendor_responses r LEFT JOIN v_pain_points p ON p.id = r.pain_point_id"
        f" WHERE r.commitment <> '' AND r.due_on IS NOT NULL{where}"
        f" ORDER BY r.due_on, r.posted_at, r.id",
        params,
    )
    shown = []
    for row in rows:
        state = promise_state(row["state"] or OPEN, row["due_on"], today)
        shown.append({**row, "promise": state, "overdue": state == OVERDUE})
    return shown


def vendor_pain_points(
    cur: Cursor, limit: int, offset: int, pain_point_id: str | None = None
) -> tuple[list[dict[str, Any]], int]:
    """Pain points the vendor sees, with aggregated support only: by score, then id."""
    where = f"p.status IN ({VENDOR_LIST})" + (" AND p.id = ?" if pain_point_id else "")
    params = (pain_point_id,) if pain_point_id else ()
    cur.execute(f"SELECT COUNT(*) FROM v_pain_points p WHERE {where}", params)
    total = int(cur.fetchone()[0])
    rows = rows_as_dicts(
        cur,
        f"SELECT p.id, p.group_id, g.name AS group_name, p.title, p.description, p.tags,"
        f" p.status, r.units, r.companies, r.supporters,"
        f" (SELECT MIN(h.since) FROM v_status_history h WHERE h.pain_point_id = p.id"
        f" AND h.status = '{ESCALATED}') AS escalated_at,"
        f" (SELECT COUNT(*) FROM v_vendor_responses v WHERE v.pain_point_id = p.id)"
        f" AS responses FROM v_pain_points p JOIN v_rank_items r ON r.pain_point_id = p.id"
        f" JOIN v_groups g ON g.id = p.group_id WHERE {where}"
        f" ORDER BY r.units DESC, r.companies DESC, r.supporters DESC, p.id LIMIT ? OFFSET ?",
        (*params, limit, offset),
    )
    return [{**row, "tags": json.loads(row["tags"])} for row in rows], total


# -- response times ---------------------------------------------------------------


ESCALATED_IDS = f"SELECT pain_point_id FROM v_status_history WHERE status = '{ESCALATED}'"


def response_times(cur: Cursor, now: int | None = None) -> dict[str, list[dict[str, Any]]]:
    """Time from first escalation to the vendor's first response, per pain point and
    per product group, and each escalated pain point's time in every status.

    Durations are integer microseconds; a status still current counts up to `now`
    (and is left out without it); an item not yet answered has no response time.
    """
    items = rows_as_dicts(
        cur,
        f"SELECT p.id, p.group_id, p.title, p.status, MIN(h.since) AS escalated_at"
        f" FROM v_pain_points p JOIN v_status_history h ON h.pain_point_id = p.id"
        f" WHERE h.status = '{ESCALATED}' GROUP BY p.id, p.group_id, p.title, p.status"
        f" ORDER BY MIN(h.since), p.id",
    )
    firsts = _first_responses(cur)
    in_status = _time_in_status(cur, now)
    waits: dict[str, list[int]] = {}
    for item in items:
        by_group = firsts.get(item["id"], {})
        first = min(by_group.items(), key=lambda pair: (pair[1], pair[0]), default=None)
        item["first_response_at"] = first[1] if first else None
        item["product_group"] = first[0] if first else None
        item["response_time"] = first[1] - item["escalated_at"] if first else None
        item["time_in_status"] = in_status.get(item["id"], {})
        for product_group, posted_at in by_group.items():
            waits.setdefault(product_group, []).append(posted_at - item["escalated_at"])
    groups = [
        {
            "product_group": name,
            "answered": len(times),
            "mean": sum(times) // len(times),
            "median": median_low(times),
            "longest": max(times),
        }
        for name, times in sorted(waits.items())
    ]
    return {"pain_points": items, "product_groups": groups}


def _first_responses(cur: Cursor) -> dict[str, dict[str, int]]:
    """For each escalated pain point: each product group's first response time."""
    cur.execute(
        f"SELECT pain_point_id, product_group, MIN(posted_at) FROM v_vendor_responses"
        f" WHERE pain_point_id IN ({ESCALATED_IDS}) GROUP BY pain_point_id, product_group"
    )
    firsts: dict[str, dict[str, int]] = {}
    for pain_point_id, product_group, posted_at in cur.fetchall():
        firsts.setdefault(pain_point_id, {})[product_group] = int(posted_at)
    return firsts


def _time_in_status(cur: Cursor, now: int | None) -> dict[str, dict[str, int]]:
    """For each escalated pain point: the time it spent in each status so far."""
    cur.execute(
        f"SELECT pain_point_id, status, since, until FROM v_status_history"
        f" WHERE pain_point_id IN ({ESCALATED_IDS}) ORDER BY pain_point_id, since"
    )
    spent: dict[str, dict[str, int]] = {}
    for pain_point_id, status, since, until in cur.fetchall():
        end = until if until is not None else now
        if end is not None:
            times = spent.setdefault(pain_point_id, {})
            times[status] = times.get(status, 0) + max(0, int(end) - int(since))
    return spent


def meetings_presenting(cur: Cursor, pain_point_id: str) -> list[dict[str, Any]]:
    """The meetings whose agenda holds the pain point, and when it was presented there."""
    rows = rows_as_dicts(
        cur,
        "SELECT m.id, m.name, m.kind, m.held_on, s.presented_at FROM v_meeting_agenda a"
        " JOIN v_meetings m ON m.id = a.meeting_id"
        " LEFT JOIN v_meeting_presented s ON s.meeting_id = a.meeting_id"
        " AND s.pain_point_id = a.pain_point_id"
        " WHERE a.pain_point_id = ? ORDER BY m.held_on, m.id",
        (pain_point_id,),
    )
    for row in rows:
        row["presented_at"] = moment(row["presented_at"]) if row["presented_at"] else None
    return rows


def latest_responses(cur: Cursor, ids: list[str]) -> dict[str, dict[str, Any]]:
    """The latest response to each of the pain points."""
    if not ids:
        return {}
    rows = rows_as_dicts(
        cur,
        f"SELECT pain_point_id, kind, posted_at FROM v_vendor_responses"
        f" WHERE pain_point_id IN ({marks(ids)}) ORDER BY posted_at, id",
        ids,
    )
    return {r["pain_point_id"]: {**r, "posted_at": moment(r["posted_at"])} for r in rows}


def open_commitments_due_before(cur: Cursor, day: str) -> list[str]:
    """The ids (hex) of open commitments whose target date lies before `day` (ISO)."""
    cur.execute(
        "SELECT id FROM v_vendor_responses WHERE state = 'open' AND due_on IS NOT NULL"
        " AND due_on <> '' AND due_on < ? ORDER BY due_on, id",
        (day,),
    )
    return [row[0] for row in cur.fetchall()]


# -- a group's roadmap ----------------------------------------------------------------


def roadmap(cur: Cursor, group_id: str, today: date) -> dict[str, list[dict[str, Any]]]:
    """The group's escalated pain points by roadmap column (domain.workflow.roadmap_column),
    each by breadth of support, with its support in numbers, the moment it entered its
    status, and the vendor's commitments with their promise state on `today`
    (domain.promises). Two queries, whatever the number of cards."""
    statuses = list(ROADMAP_COLUMNS)
    cards = rows_as_dicts(
        cur,
        f"SELECT p.id, p.title, p.status, COALESCE(r.units, 0) AS units,"
        f" COALESCE(r.companies, 0) AS companies, COALESCE(r.supporters, 0) AS supporters,"
        f" h.since FROM v_pain_points p LEFT JOIN v_rank_items r ON r.pain_point_id = p.id"
        f" LEFT JOIN v_status_history h ON h.pain_point_id = p.id AND h.until IS NULL"
        f" WHERE p.group_id = ? AND p.status IN ({marks(statuses)})"
        f" ORDER BY units DESC, companies DESC, supporters DESC, p.id",
        (group_id, *statuses),
    )
    promised = rows_as_dicts(
        cur,
        f"SELECT r.id, r.pain_point_id, r.commitment, r.due_on, r.state, r.posted_at"
        f" FROM v_vendor_responses r JOIN v_pain_points p ON p.id = r.pain_point_id"
        f" WHERE r.group_id = ? AND r.commitment <> '' AND p.status IN ({marks(statuses)})"
        f" ORDER BY r.due_on, r.posted_at, r.id",
        (group_id, *statuses),
    )
    commitments: dict[str, list[dict[str, Any]]] = {}
    for row in promised:
        state = promise_state(row["state"] or OPEN, row["due_on"], today)
        commitments.setdefault(row["pain_point_id"], []).append({**row, "promise": state})
    columns: dict[str, list[dict[str, Any]]] = {column: [] for column in ROADMAP_COLUMNS}
    for card in cards:
        column = roadmap_column(card["status"])
        if column is not None:
            columns[column].append({**card, "commitments": commitments.get(card["id"], [])})
    return columns
