"""Read queries of the administration pages over the directory view's tables."""

from __future__ import annotations

import json
from typing import Any

from projections.store import Cursor, rows_as_dicts
from projections.view import moment

STAFF = "staff"  # the company filter for the association's own staff (no company)


def counts(cur: Cursor) -> dict[str, int]:
    cur.execute("SELECT COUNT(*), COUNT(ended_at) FROM v_companies")
    companies, ended = cur.fetchone()
    cur.execute("SELECT COUNT(*) FROM v_people")
    people = cur.fetchone()[0]
    cur.execute("SELECT COUNT(*) FROM v_groups")
    groups = cur.fetchone()[0]
    return {
        "companies": int(companies),
        "active_companies": int(companies) - int(ended),
        "people": int(people),
        "groups": int(groups),
    }


def company_options(cur: Cursor) -> list[dict[str, Any]]:
    """Every company for a select: id, name, whether its membership has ended."""
    rows = rows_as_dicts(cur, "SELECT id, name, ended_at FROM v_companies ORDER BY name, id")
    return [{**row, "ended": row["ended_at"] is not None} for row in rows]


def _like(text: str) -> str:
    escaped = text.casefold().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _people_filter(company: str, text: str) -> tuple[str, list[Any]]:
    clauses, params = ["1 = 1"], []
    if company == STAFF:
        clauses.append("p.company_id IS NULL")
    elif company:
        clauses.append("p.company_id = ?")
        params.append(company)
    if text:
        clauses.append("LOWER(p.display_name) LIKE ? ESCAPE '\\'")
        params.append(_like(text))
    return " AND ".join(clauses), params


def people_page(
    cur: Cursor, company: str, text: str, limit: int, offset: int
) -> tuple[list[dict[str, Any]], int]:
    """People by name, optionally of one company (or staff) and with text in the name."""
    where, params = _people_filter(company, text)
    cur.execute(f"SELECT COUNT(*) FROM v_people p WHERE {where}", params)
    total = int(cur.fetchone()[0])
    rows = rows_as_dicts(
        cur,
        "SELECT p.id, p.display_name, p.company_id, c.name AS company_name, p.roles,"
        " p.registered_at, p.erasure_requested_at, p.erased FROM v_people p"
        " LEFT JOIN v_companies c ON c.id = p.company_id"
        f" WHERE {where} ORDER BY LOWER(p.display_name), p.id LIMIT ? OFFSET ?",
        (*params, limit, offset),
    )
    return [_person(row) for row in rows], total


def _person(row: dict[str, Any]) -> dict[str, Any]:
    return {
        **row,
        "roles": json.loads(row["roles"]),
        "registered_at": moment(row["registered_at"]),
    }


def find_person(cur: Cursor, person_id: str) -> dict[str, Any] | None:
    rows = rows_as_dicts(
        cur,
        "SELECT p.id, p.display_name, p.company_id, c.name AS company_name, p.roles,"
        " p.registered_at FROM v_people p LEFT JOIN v_companies c ON c.id = p.company_id"
        " WHERE p.id = ?",
        (person_id,),
    )
    return _person(rows[0]) if rows else None


def group_members(cur: Cursor, group_id: str) -> list[dict[str, Any]]:
    """The group's members with their company; leads first, then by name."""
    rows = rows_as_dicts(
        cur,
        "SELECT m.person_id, p.display_name, c.name AS company_name, m.is_lead,"
        " m.enrolled_at FROM v_group_members m JOIN v_people p ON p.id = m.person_id"
        " LEFT JOIN v_companies c ON c.id = p.company_id WHERE m.group_id = ?"
        " ORDER BY m.is_lead DESC, LOWER(p.display_name), p.id",
        (group_id,),
    )
    return [{**row, "enrolled_at": moment(row["enrolled_at"])} for row in rows]


def enrol_candidates(
    cur: Cursor, group_id: str, text: str, limit: int
) -> tuple[list[dict[str, Any]], int]:
    """People not yet in the group (optionally with text in the name), by name."""
    where, params = _people_filter("", text)
    outside = "p.id NOT IN (SELECT person_id FROM v_group_members WHERE group_id = ?)"
    cur.execute(f"SELECT COUNT(*) FROM v_people p WHERE {where} AND {outside}", (*params, group_id))
    total = int(cur.fetchone()[0])
    rows = rows_as_dicts(
        cur,
        "SELECT p.id, p.display_name, c.name AS company_name FROM v_people p"
        " LEFT JOIN v_companies c ON c.id = p.company_id"
        f" WHERE {where} AND {outside} ORDER BY LOWER(p.display_name), p.id LIMIT ?",
        (*params, group_id, limit),
    )
    return rows, total


def people_with_role(cur: Cursor, role: str) -> list[str]:
    """The ids (hex) of the people who hold `role` and were not erased."""
    cur.execute("SELECT id, roles FROM v_people WHERE erased = 0 ORDER BY id")
    return [row[0] for row in cur.fetchall() if role in json.loads(row[1])]
