"""What the views hold about one person, for a copy of their data (GDPR Art. 15/20),
and who supports a pain point, by name where the reader may see names."""

from __future__ import annotations

from typing import Any

from projections.store import Cursor, rows_as_dicts


def contributions_of(cur: Cursor, person_id: str) -> dict[str, list[dict[str, Any]]]:
    """The person's supports, submissions, comments, evidence and memberships; rows
    about other people are never joined in."""
    return {
        "memberships": rows_as_dicts(
            cur,
            "SELECT m.group_id, g.name AS group_name, m.is_lead, m.enrolled_at"
            " FROM v_group_members m JOIN v_groups g ON g.id = m.group_id"
            " WHERE m.person_id = ? ORDER BY m.enrolled_at, m.group_id",
            (person_id,),
        ),
        "supports": rows_as_dicts(
            cur,
            "SELECT s.pain_point_id, p.title, s.group_id, s.company_id, s.given_at,"
            " s.withdrawn_at FROM v_support_intervals s"
            " JOIN v_pain_points p ON p.id = s.pain_point_id"
            " WHERE s.person_id = ? ORDER BY s.given_at, s.pain_point_id",
            (person_id,),
        ),
        "pain_points_submitted": rows_as_dicts(
            cur,
            "SELECT id, group_id, title, description, status, submitted_at, for_company"
            " FROM v_pain_points WHERE submitted_by = ? ORDER BY submitted_at, id",
            (person_id,),
        ),
        "comments": rows_as_dicts(
            cur,
            "SELECT id, pain_point_id, company_id, text, posted_at, edited_at, removed_at"
            " FROM v_comments WHERE author_id = ? ORDER BY posted_at, id",
            (person_id,),
        ),
        "evidence": rows_as_dicts(
            cur,
            "SELECT id, pain_point_id, company_id, affected_customers, revenue_band,"
            " product_area, link, note, added_at, edited_at, removed_at"
            " FROM v_evidence WHERE author_id = ? ORDER BY added_at, id",
            (person_id,),
        ),
    }


def person_row(cur: Cursor, person_id: str) -> dict[str, Any] | None:
    rows = rows_as_dicts(
        cur,
        "SELECT p.id, p.display_name, p.company_id, c.name AS company_name, p.registered_at,"
        " p.erased FROM v_people p LEFT JOIN v_companies c ON c.id = p.company_id"
        " WHERE p.id = ?",
        (person_id,),
    )
    return rows[0] if rows else None


def supporters_of(cur: Cursor, pain_point_id: str) -> list[dict[str, Any]]:
    """The people who support it now, with their companies, in order of support: those
    of the duplicates merged into it too (its merge family, as the tally counts them),
    each person once."""
    return rows_as_dicts(
        cur,
        "WITH RECURSIVE family (id) AS (SELECT ? UNION SELECT m.source_id FROM v_merges m"
        " JOIN family f ON m.target_id = f.id WHERE m.unmerged_at IS NULL)"
        " SELECT s.person_id, p.display_name, s.company_id, c.name AS company_name,"
        " MIN(s.given_at) AS given_at FROM v_support_intervals s"
        " JOIN family f ON f.id = s.pain_point_id"
        " JOIN v_people p ON p.id = s.person_id"
        " JOIN v_companies c ON c.id = s.company_id"
        " WHERE s.withdrawn_at IS NULL"
        " GROUP BY s.person_id, p.display_name, s.company_id, c.name"
        " ORDER BY MIN(s.given_at), s.person_id",
        (pain_point_id,),
    )
