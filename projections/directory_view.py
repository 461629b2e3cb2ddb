"""The directory view: member companies, people, working groups and enrolments."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from domain.company import MemberCompany
from domain.person import Person
from domain.workinggroup import WorkingGroup
from projections.store import Cursor, rows_as_dicts
from projections.view import Handler, View, micros, topic

DDL = (
    "CREATE TABLE IF NOT EXISTS v_companies (id TEXT PRIMARY KEY, name TEXT NOT NULL,"
    " admitted_at BIGINT NOT NULL, ended_at BIGINT, people INTEGER NOT NULL)",
    "CREATE TABLE IF NOT EXISTS v_people (id TEXT PRIMARY KEY,"
    " display_name TEXT NOT NULL, company_id TEXT, roles TEXT NOT NULL,"
    " registered_at BIGINT NOT NULL, erased INTEGER NOT NULL DEFAULT 0,"
    " erasure_requested_at BIGINT)",
    "CREATE INDEX IF NOT EXISTS v_people_company ON v_people (company_id)",
    "CREATE TABLE IF NOT EXISTS v_groups (id TEXT PRIMARY KEY, name TEXT NOT NULL,"
    " kind TEXT NOT NULL, description TEXT NOT NULL, founded_at BIGINT NOT NULL,"
    " members INTEGER NOT NULL)",
    "CREATE TABLE IF NOT EXISTS v_group_members (group_id TEXT NOT NULL,"
    " person_id TEXT NOT NULL, is_lead INTEGER NOT NULL, enrolled_at BIGINT NOT NULL,"
    " PRIMARY KEY (group_id, person_id))",
    "CREATE INDEX IF NOT EXISTS v_group_members_person ON v_group_members (person_id)",
    "CREATE TABLE IF NOT EXISTS v_join_requests (group_id TEXT NOT NULL,"
    " person_id TEXT NOT NULL, requested_at BIGINT NOT NULL,"
    " PRIMARY KEY (group_id, person_id))",
    "CREATE INDEX IF NOT EXISTS v_join_requests_person ON v_join_requests (person_id)",
)


class DirectoryView(View):
    tables = ("v_companies", "v_people", "v_groups", "v_group_members", "v_join_requests")

    def create(self, cur: Cursor) -> None:
        for statement in DDL:
            cur.execute(statement)

    def handlers(self) -> Mapping[str, Handler]:
        return {
            topic(MemberCompany, "Admitted"): self._admitted,
            topic(MemberCompany, "MembershipEnded"): self._ended,
            topic(Person, "Registered"): self._registered,
            topic(Person, "RoleGranted"): self._roles_changed,
            topic(Person, "RoleRevoked"): self._roles_changed,
            topic(Person, "ErasureRequested"): self._erasure_requested,
            topic(Person, "Erased"): self._erased,
            topic(WorkingGroup, "Founded"): self._founded,
            topic(WorkingGroup, "MemberEnrolled"): self._enrolled,
            topic(WorkingGroup, "LeadAppointed"): self._lead_appointed,
            topic(WorkingGroup, "LeadRevoked"): self._lead_revoked,
            topic(WorkingGroup, "MemberRemoved"): self._removed,
            topic(WorkingGroup, "JoinRequested"): self._join_requested,
            topic(WorkingGroup, "JoinApproved"): self._join_settled,
            topic(WorkingGroup, "JoinDeclined"): self._join_settled,
            topic(WorkingGroup, "JoinWithdrawn"): self._join_settled,
            topic(Person, "Renamed"): self._renamed,
            topic(Person, "MovedToCompany"): self._moved,
        }

    def _admitted(self, cur: Cursor, e: Any, position: int) -> None:
        cur.execute(
            "INSERT INTO v_companies (id, name, admitted_at, people) VALUES (?, ?, ?, 0)",
            (e.originator_id.hex, e.name, micros(e.timestamp)),
        )

    def _ended(self, cur: Cursor, e: Any, position: int) -> None:
        cur.execute(
            "UPDATE v_companies SET ended_at = ? WHERE id = ?",
            (micros(e.timestamp), e.originator_id.hex),
        )

    def _registered(self, cur: Cursor, e: Any, position: int) -> None:
        company = e.company_id.hex if e.company_id else None
        cur.execute(
            "INSERT INTO v_people (id, display_name, company_id, roles, registered_at)"
            " VALUES (?, ?, ?, '[]', ?)",
            (e.originator_id.hex, e.display_name.shown, company, micros(e.timestamp)),
        )
        cur.execute("UPDATE v_companies SET people = people + 1 WHERE id = ?", (company,))

    def _erasure_requested(self, cur: Cursor, e: Any, position: int) -> None:
        cur.execute(
            "UPDATE v_people SET erasure_requested_at = ? WHERE id = ?",
            (micros(e.timestamp), e.originator_id.hex),
        )

    def _erased(self, cur: Cursor, e: Any, position: int) -> None:
        """The name goes; the row stays (histories show "former member"); requests to
        join wait for nobody any more."""
        cur.execute(
            "UPDATE v_people SET display_name = '', erased = 1 WHERE id = ?",
            (e.originator_id.hex,),
        )
        cur.execute("DELETE FROM v_join_requests WHERE person_id = ?", (e.originator_id.hex,))

    def _roles_changed(self, cur: Cursor, e: Any, position: int) -> None:
        cur.execute("SELECT roles FROM v_people WHERE id = ?", (e.originator_id.hex,))
        roles = set(json.loads(cur.fetchone()[0]))
        granted = type(e).__name__ == "RoleGranted"
        roles = roles | {e.role} if granted else roles - {e.role}
        cur.execute(
            "UPDATE v_people SET roles = ? WHERE id = ?",
            (json.dumps(sorted(roles)), e.originator_id.hex),
        )

    def _founded(self, cur: Cursor, e: Any, position: int) -> None:
        cur.execute(
            "INSERT INTO v_groups (id, name, kind, description, founded_at, members)"
            " VALUES (?, ?, ?, ?, ?, 0)",
            (e.originator_id.hex, e.name, e.kind, e.description, micros(e.timestamp)),
        )

    def _enrolled(self, cur: Cursor, e: Any, position: int) -> None:
        group = e.originator_id.hex
        cur.execute(
            "INSERT INTO v_group_members (group_id, person_id, is_lead, enrolled_at)"
            " VALUES (?, ?, 0, ?)",
            (group, e.person_id.hex, micros(e.timestamp)),
        )
        cur.execute("UPDATE v_groups SET members = members + 1 WHERE id = ?", (group,))

    def _lead_appointed(self, cur: Cursor, e: Any, position: int) -> None:
        cur.execute(
            "UPDATE v_group_members SET is_lead = 1 WHERE group_id = ? AND person_id = ?",
            (e.originator_id.hex, e.person_id.hex),
        )

    def _lead_revoked(self, cur: Cursor, e: Any, position: int) -> None:
        cur.execute(
            "UPDATE v_group_members SET is_lead = 0 WHERE group_id = ? AND person_id = ?",
            (e.originator_id.hex, e.person_id.hex),
        )

    def _removed(self, cur: Cursor, e: Any, position: int) -> None:
        group = e.originator_id.hex
        cur.execute(
            "DELETE FROM v_group_members WHERE group_id = ? AND person_id = ?",
            (group, e.person_id.hex),
        )
        cur.execute("UPDATE v_groups SET members = members - 1 WHERE id = ?", (group,))

    def _join_requested(self, cur: Cursor, e: Any, position: int) -> None:
        cur.execute(
            "INSERT INTO v_join_requests (group_id, person_id, requested_at) VALUES (?, ?, ?)"
            " ON CONFLICT (group_id, person_id) DO NOTHING",
            (e.originator_id.hex, e.person_id.hex, micros(e.timestamp)),
        )

    def _join_settled(self, cur: Cursor, e: Any, position: int) -> None:
        cur.execute(
            "DELETE FROM v_join_requests WHERE group_id = ? AND person_id = ?",
            (e.originator_id.hex, e.person_id.hex),
        )

    def _renamed(self, cur: Cursor, e: Any, position: int) -> None:
        cur.execute(
            "UPDATE v_people SET display_name = ? WHERE id = ?",
            (e.display_name.shown, e.originator_id.hex),
        )

    def _moved(self, cur: Cursor, e: Any, position: int) -> None:
        before = e.from_company_id.hex if e.from_company_id else None
        cur.execute(
            "UPDATE v_people SET company_id = ? WHERE id = ?",
            (e.company_id.hex, e.originator_id.hex),
        )
        cur.execute("UPDATE v_companies SET people = people - 1 WHERE id = ?", (before,))
        cur.execute("UPDATE v_companies SET people = people + 1 WHERE id = ?", (e.company_id.hex,))


COMPANY_COLUMNS = "id, name, admitted_at, ended_at, people"
GROUP_COLUMNS = "id, name, kind, description, founded_at, members"


def list_companies(cur: Cursor, limit: int, offset: int) -> tuple[list[dict[str, Any]], int]:
    cur.execute("SELECT COUNT(*) FROM v_companies")
    total = int(cur.fetchone()[0])
    rows = rows_as_dicts(
        cur,
        f"SELECT {COMPANY_COLUMNS} FROM v_companies ORDER BY name, id LIMIT ? OFFSET ?",
        (limit, offset),
    )
    return rows, total


def find_company(cur: Cursor, company_id: str) -> dict[str, Any] | None:
    rows = rows_as_dicts(
        cur, f"SELECT {COMPANY_COLUMNS} FROM v_companies WHERE id = ?", (company_id,)
    )
    return rows[0] if rows else None


def list_groups(cur: Cursor, limit: int, offset: int) -> tuple[list[dict[str, Any]], int]:
    cur.execute("SELECT COUNT(*) FROM v_groups")
    total = int(cur.fetchone()[0])
    rows = rows_as_dicts(
        cur,
        f"SELECT {GROUP_COLUMNS} FROM v_groups ORDER BY kind, name, id LIMIT ? OFFSET ?",
        (limit, offset),
    )
    return rows, total


def find_group(cur: Cursor, group_id: str) -> dict[str, Any] | None:
    rows = rows_as_dicts(cur, f"SELECT {GROUP_COLUMNS} FROM v_groups WHERE id = ?", (group_id,))
    if not rows:
        return None
    cur.execute(
        "SELECT person_id FROM v_group_members WHERE group_id = ? AND is_lead = 1"
        " ORDER BY person_id",
        (group_id,),
    )
    return {**rows[0], "leads": [row[0] for row in cur.fetchall()]}


def group_directory(cur: Cursor, person_id: str) -> list[dict[str, Any]]:
    """Every group, by kind and name, as `person_id` sees it in the directory: its lead
    ids, whether they are a member or lead (`my_status`: lead, member, pending, none)
    and how many people wait to join it. Three queries, whatever the number of groups."""
    groups = rows_as_dicts(cur, f"SELECT {GROUP_COLUMNS} FROM v_groups ORDER BY kind, name, id")
    cur.execute(
        "SELECT group_id, person_id, is_lead FROM v_group_members"
        " WHERE is_lead = 1 OR person_id = ? ORDER BY group_id, person_id",
        (person_id,),
    )
    leads: dict[str, list[str]] = {}
    mine: dict[str, str] = {}
    for group_id, member, is_lead in cur.fetchall():
        if is_lead:
            leads.setdefault(group_id, []).append(member)
        if member == person_id:
            mine[group_id] = "lead" if is_lead else "member"
    cur.execute("SELECT group_id, person_id FROM v_join_requests ORDER BY group_id, requested_at")
    waiting: dict[str, int] = {}
    for group_id, asking in cur.fetchall():
        waiting[group_id] = waiting.get(group_id, 0) + 1
        if asking == person_id:
            mine.setdefault(group_id, "pending")
    return [
        {
            **group,
            "leads": leads.get(group["id"], []),
            "my_status": mine.get(group["id"], "none"),
            "join_requests": waiting.get(group["id"], 0),
        }
        for group in groups
    ]


def groups_of(cur: Cursor, person_id: str) -> list[dict[str, Any]]:
    return rows_as_dicts(
        cur,
        "SELECT g.id, g.name, g.kind, m.is_lead FROM v_group_members m"
        " JOIN v_groups g ON g.id = m.group_id WHERE m.person_id = ? ORDER BY g.name",
        (person_id,),
    )


def names(cur: Cursor, table: str, column: str, ids: set[str]) -> dict[str, str]:
    """Display names for ids (people or companies), for readable histories."""
    if not ids:
        return {}
    marks = ", ".join("?" for _ in ids)
    cur.execute(f"SELECT id, {column} FROM {table} WHERE id IN ({marks})", sorted(ids))
    return {row[0]: row[1] for row in cur.fetchall()}


def person_names(cur: Cursor, ids: set[str]) -> dict[str, str]:
    """People's display names by id."""
    return names(cur, "v_people", "display_name", ids)


def company_names(cur: Cursor, ids: set[str]) -> dict[str, str]:
    """Member companies' names by id."""
    return names(cur, "v_companies", "name", ids)


def group_names(cur: Cursor, ids: set[str]) -> dict[str, str]:
    """Working groups' names by id."""
    return names(cur, "v_groups", "name", ids)


def named_people(cur: Cursor, ids: set[str]) -> dict[str, str]:
    """The display names of those of `ids` who are not erased (an @mention's choices)."""
    if not ids:
        return {}
    marks = ", ".join("?" for _ in ids)
    cur.execute(
        f"SELECT id, display_name FROM v_people WHERE id IN ({marks}) AND erased = 0",
        sorted(ids),
    )
    return {row[0]: row[1] for row in cur.fetchall() if row[1]}
