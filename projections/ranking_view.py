"""The ranking view: per working group, live and as of any past moment.

Support is kept as intervals (given_at, withdrawn_at), company membership as
(admitted_at, ended_at), merges as (merged_at, unmerged_at) and statuses as
(since, until), so a past ranking is one SQL query plus the pure rank(). The live
tallies are maintained per event and must equal the as-of query at the head of the
log (a property test checks this).

A merged duplicate's supports count for its target; a person who supports both
counts once. n(c, i) is therefore the number of distinct people of company c with an
active support on i or on a pain point merged into i.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from domain.company import MemberCompany
from domain.painpoint import OPEN, PainPoint
from domain.support import Support
from domain.workflow import MERGED, OPEN_STATUSES, WITHDRAWN
from projections.ranking import NO_SUPPORT, RANK_ORDER_SQL, Tally, company_units, rank
from projections.store import Cursor
from projections.view import Handler, View, micros, topic

DDL = (
    "CREATE TABLE IF NOT EXISTS v_rank_companies (id TEXT PRIMARY KEY,"
    " admitted_at BIGINT NOT NULL, ended_at BIGINT)",
    "CREATE TABLE IF NOT EXISTS v_rank_items (pain_point_id TEXT PRIMARY KEY,"
    " group_id TEXT NOT NULL, title TEXT NOT NULL, status TEXT NOT NULL,"
    " submitted_at BIGINT NOT NULL, withdrawn_at BIGINT, listed INTEGER NOT NULL,"
    " units BIGINT NOT NULL, companies INTEGER NOT NULL, supporters INTEGER NOT NULL,"
    " first_support_at BIGINT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS v_rank_items_order ON v_rank_items (group_id, listed,"
    " units DESC, companies DESC, supporters DESC, first_support_at, pain_point_id)",
    "CREATE TABLE IF NOT EXISTS v_support_intervals (support_id TEXT NOT NULL,"
    " seq INTEGER NOT NULL, pain_point_id TEXT NOT NULL, group_id TEXT NOT NULL,"
    " person_id TEXT NOT NULL, company_id TEXT NOT NULL, given_at BIGINT NOT NULL,"
    " withdrawn_at BIGINT, PRIMARY KEY (support_id, seq))",
    # Covers the as-of query: no table lookups, no sort for its GROUP BY.
    "CREATE INDEX IF NOT EXISTS v_support_intervals_group ON v_support_intervals"
    " (group_id, pain_point_id, company_id, given_at, withdrawn_at)",
    # Covers the live recounts: one pain point (and its duplicates), one company.
    "CREATE INDEX IF NOT EXISTS v_support_intervals_item ON v_support_intervals"
    " (pain_point_id, company_id, withdrawn_at, person_id, given_at)",
    "CREATE TABLE IF NOT EXISTS v_tallies (pain_point_id TEXT NOT NULL,"
    " company_id TEXT NOT NULL, n INTEGER NOT NULL,"
    " PRIMARY KEY (pain_point_id, company_id))",
    "CREATE INDEX IF NOT EXISTS v_tallies_company ON v_tallies (company_id)",
    "CREATE TABLE IF NOT EXISTS v_merges (source_id TEXT NOT NULL, target_id TEXT NOT NULL,"
    " merged_at BIGINT NOT NULL, unmerged_at BIGINT)",
    "CREATE INDEX IF NOT EXISTS v_merges_target ON v_merges (target_id, unmerged_at)",
    "CREATE INDEX IF NOT EXISTS v_merges_source ON v_merges (source_id, unmerged_at)",
    "CREATE TABLE IF NOT EXISTS v_status_history (pain_point_id TEXT NOT NULL,"
    " group_id TEXT NOT NULL, status TEXT NOT NULL, since BIGINT NOT NULL, until BIGINT)",
    "CREATE INDEX IF NOT EXISTS v_status_history_group ON v_status_history"
    " (group_id, since, until)",
)
OPEN_LIST = ", ".join(f"'{status}'" for status in sorted(OPEN_STATUSES))

ITEM_COLUMNS = "pain_point_id, title, status, units, companies, supporters, first_support_at"


@dataclass(frozen=True)
class RankedItem:
    rank: int
    pain_point_id: str
    title: str
    status: str
    tally: Tally


class RankingView(View):
    tables = (
        "v_rank_companies",
        "v_rank_items",
        "v_support_intervals",
        "v_tallies",
        "v_merges",
        "v_status_history",
    )

    def create(self, cur: Cursor) -> None:
        for statement in DDL:
            cur.execute(statement)

    def handlers(self) -> Mapping[str, Handler]:
        return {
            topic(MemberCompany, "Admitted"): self._admitted,
            topic(MemberCompany, "MembershipEnded"): self._membership_ended,
            topic(PainPoint, "Submitted"): self._submitted,
            topic(PainPoint, "Withdrawn"): self._status_event(WITHDRAWN),
            topic(PainPoint, "StatusChanged"): self._status_event(None),
            topic(PainPoint, "MergedInto"): self._merged,
            topic(PainPoint, "Unmerged"): self._unmerged,
            topic(Support, "Given"): self._given,
            topic(Support, "GivenAgain"): self._given,
            topic(Support, "Withdrawn"): self._support_withdrawn,
        }

    def _admitted(self, cur: Cursor, e: Any, position: int) -> None:
        cur.execute(
            "INSERT INTO v_rank_companies (id, admitted_at) VALUES (?, ?)",
            (e.originator_id.hex, micros(e.timestamp)),
        )

    def _membership_ended(self, cur: Cursor, e: Any, position: int) -> None:
        company = e.originator_id.hex
        cur.execute(
            "UPDATE v_rank_companies SET ended_at = ? WHERE id = ?",
            (micros(e.timestamp), company),
        )
        cur.execute("SELECT pain_point_id, n FROM v_tallies WHERE company_id = ?", (company,))
        for pain_point_id, n in cur.fetchall():
            _adjust_item(cur, pain_point_id, n, 0)
            _refresh_first_support(cur, pain_point_id)
        cur.execute("DELETE FROM v_tallies WHERE company_id = ?", (company,))

    def _submitted(self, cur: Cursor, e: Any, position: int) -> None:
        at = micros(e.timestamp)
        cur.execute(
            f"INSERT INTO v_rank_items (pain_point_id, group_id, title, status,"
            f" submitted_at, listed, units, companies, supporters, first_support_at)"
            f" VALUES (?, ?, ?, ?, ?, 1, 0, 0, 0, {NO_SUPPORT})",
            (e.originator_id.hex, e.group_id.hex, e.title, OPEN, at),
        )
        cur.execute(
            "INSERT INTO v_status_history (pain_point_id, group_id, status, since)"
            " VALUES (?, ?, ?, ?)",
            (e.originator_id.hex, e.group_id.hex, OPEN, at),
        )

    def _status_event(self, fixed: str | None) -> Handler:
        def handle(cur: Cursor, e: Any, position: int) -> None:
            _set_status(cur, e.originator_id.hex, fixed or e.status, micros(e.timestamp))

        return handle

    def _merged(self, cur: Cursor, e: Any, position: int) -> None:
        source, target, at = e.originator_id.hex, e.target_id.hex, micros(e.timestamp)
        cur.execute(
            "INSERT INTO v_merges (source_id, target_id, merged_at) VALUES (?, ?, ?)",
            (source, target, at),
        )
        _set_status(cur, source, MERGED, at)
        _recount(cur, source)
        _recount(cur, target)

    def _unmerged(self, cur: Cursor, e: Any, position: int) -> None:
        source, target, at = e.originator_id.hex, e.target_id.hex, micros(e.timestamp)
        cur.execute(
            "UPDATE v_merges SET unmerged_at = ? WHERE source_id = ? AND unmerged_at IS NULL",
            (at, source),
        )
        _set_status(cur, source, e.restored_status, at)
        _recount(cur, source)
        _recount(cur, target)

    def _given(self, cur: Cursor, e: Any, position: int) -> None:
        support = e.originator_id.hex
        cur.execute(
            "SELECT pain_point_id, group_id, MAX(seq) FROM v_support_intervals"
            " WHERE support_id = ? GROUP BY pain_point_id, group_id",
            (support,),
        )
        row = cur.fetchone()
        pain_point_id, group_id, seq = row if row else (e.pain_point_id.hex, e.group_id.hex, 0)
        given_at, company = micros(e.timestamp), e.for_company.hex
        cur.execute(
            "INSERT INTO v_support_intervals (support_id, seq, pain_point_id, group_id,"
            " person_id, company_id, given_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (support, seq + 1, pain_point_id, group_id, e.by.hex, company, given_at),
        )
        if _is_member(cur, company):
            counted = _counted_for(cur, pain_point_id)
            _count_company(cur, counted, company)
            cur.execute(
                "UPDATE v_rank_items SET first_support_at = ?"
                " WHERE pain_point_id = ? AND first_support_at > ?",
                (given_at, counted, given_at),
            )

    def _support_withdrawn(self, cur: Cursor, e: Any, position: int) -> None:
        support = e.originator_id.hex
        cur.execute(
            "SELECT pain_point_id, company_id FROM v_support_intervals"
            " WHERE support_id = ? AND withdrawn_at IS NULL",
            (support,),
        )
        pain_point_id, company = cur.fetchone()
        cur.execute(
            "UPDATE v_support_intervals SET withdrawn_at = ?"
            " WHERE support_id = ? AND withdrawn_at IS NULL",
            (micros(e.timestamp), support),
        )
        if _is_member(cur, company):
            counted = _counted_for(cur, pain_point_id)
            _count_company(cur, counted, company)
            _refresh_first_support(cur, counted)


def _set_status(cur: Cursor, pain_point_id: str, status: str, at: int) -> None:
    cur.execute(
        "UPDATE v_status_history SET until = ? WHERE pain_point_id = ? AND until IS NULL",
        (at, pain_point_id),
    )
    cur.execute(
        "INSERT INTO v_status_history (pain_point_id, group_id, status, since)"
        " SELECT pain_point_id, group_id, ?, ? FROM v_rank_items WHERE pain_point_id = ?",
        (status, at, pain_point_id),
    )
    withdrawn_at = at if status == WITHDRAWN else None
    cur.execute(
        "UPDATE v_rank_items SET status = ?, listed = ?,"
        " withdrawn_at = COALESCE(?, withdrawn_at) WHERE pain_point_id = ?",
        (status, int(status in OPEN_STATUSES), withdrawn_at, pain_point_id),
    )


def _counted_for(cur: Cursor, pain_point_id: str) -> str:
    """The pain point a support on `pain_point_id` counts for now (its merge target)."""
    cur.execute(
        "SELECT target_id FROM v_merges WHERE source_id = ? AND unmerged_at IS NULL",
        (pain_point_id,),
    )
    row = cur.fetchone()
    return str(row[0]) if row else pain_point_id


#: Active supports counted for a pain point: its own and those of duplicates merged into it.
COUNTED = (
    "FROM v_support_intervals s JOIN v_rank_companies c ON c.id = s.company_id"
    " WHERE s.withdrawn_at IS NULL AND c.ended_at IS NULL AND s.pain_point_id IN"
    " (SELECT CAST(? AS TEXT) UNION ALL SELECT source_id FROM v_merges"
    " WHERE target_id = ? AND unmerged_at IS NULL)"
)


def _count_company(cur: Cursor, pain_point_id: str, company: str) -> None:
    """Recount the distinct people of one company supporting a pain point."""
    cur.execute(
        f"SELECT COUNT(DISTINCT s.person_id) {COUNTED} AND s.company_id = ?",
        (pain_point_id, pain_point_id, company),
    )
    _set_count(cur, pain_point_id, company, int(cur.fetchone()[0]))


def _recount(cur: Cursor, pain_point_id: str) -> None:
    """Recount a pain point from its support intervals (after a merge or unmerge)."""
    cur.execute("SELECT company_id, n FROM v_tallies WHERE pain_point_id = ?", (pain_point_id,))
    old = dict(cur.fetchall())
    cur.execute("SELECT status FROM v_rank_items WHERE pain_point_id = ?", (pain_point_id,))
    new: dict[str, int] = {}
    if cur.fetchone()[0] != MERGED:
        cur.execute(
            f"SELECT s.company_id, COUNT(DISTINCT s.person_id) {COUNTED} GROUP BY s.company_id",
            (pain_point_id, pain_point_id),
        )
        new = {company: int(n) for company, n in cur.fetchall()}
    for company in sorted(set(old) | set(new)):
        _set_count(cur, pain_point_id, company, new.get(company, 0))
    _refresh_first_support(cur, pain_point_id)


def _is_member(cur: Cursor, company: str) -> bool:
    cur.execute("SELECT ended_at FROM v_rank_companies WHERE id = ?", (company,))
    row = cur.fetchone()
    return row is not None and row[0] is None


def _set_count(cur: Cursor, pain_point_id: str, company: str, new: int) -> None:
    cur.execute(
        "SELECT n FROM v_tallies WHERE pain_point_id = ? AND company_id = ?",
        (pain_point_id, company),
    )
    row = cur.fetchone()
    old = row[0] if row else 0
    if new == old:
        return
    if new:
        cur.execute(
            "INSERT INTO v_tallies (pain_point_id, company_id, n) VALUES (?, ?, ?)"
            " ON CONFLICT (pain_point_id, company_id) DO UPDATE SET n = excluded.n",
            (pain_point_id, company, new),
        )
    else:
        cur.execute(
            "DELETE FROM v_tallies WHERE pain_point_id = ? AND company_id = ?",
            (pain_point_id, company),
        )
    _adjust_item(cur, pain_point_id, old, new)


def _adjust_item(cur: Cursor, pain_point_id: str, old: int, new: int) -> None:
    cur.execute(
        "UPDATE v_rank_items SET units = units + ?, companies = companies + ?,"
        " supporters = supporters + ? WHERE pain_point_id = ?",
        (
            company_units(new) - company_units(old),
            (new > 0) - (old > 0),
            new - old,
            pain_point_id,
        ),
    )


def _refresh_first_support(cur: Cursor, pain_point_id: str) -> None:
    cur.execute(f"SELECT MIN(s.given_at) {COUNTED}", (pain_point_id, pain_point_id))
    first = cur.fetchone()[0]
    cur.execute(
        "UPDATE v_rank_items SET first_support_at = ? WHERE pain_point_id = ?",
        (NO_SUPPORT if first is None else first, pain_point_id),
    )


def live_ranking(
    cur: Cursor, group_id: str, limit: int, offset: int
) -> tuple[list[RankedItem], int]:
    """A page of the group's current ranking and the number of ranked items."""
    cur.execute(
        "SELECT COUNT(*) FROM v_rank_items WHERE group_id = ? AND listed = 1",
        (group_id,),
    )
    total = int(cur.fetchone()[0])
    cur.execute(
        f"SELECT {ITEM_COLUMNS} FROM v_rank_items WHERE group_id = ? AND listed = 1"
        f" ORDER BY {RANK_ORDER_SQL} LIMIT ? OFFSET ?",
        (group_id, limit, offset),
    )
    items = [_ranked(offset + i + 1, row) for i, row in enumerate(cur.fetchall())]
    return items, total


def ranking_as_of(
    cur: Cursor, group_id: str, at: int, limit: int, offset: int
) -> tuple[list[RankedItem], int]:
    """The group's ranking exactly as it stood at `at` (microseconds since epoch)."""
    cur.execute(
        f"SELECT h.pain_point_id, r.title, h.status FROM v_status_history h"
        f" JOIN v_rank_items r ON r.pain_point_id = h.pain_point_id"
        f" WHERE h.group_id = ? AND h.since <= ? AND (h.until IS NULL OR h.until > ?)"
        f" AND h.status IN ({OPEN_LIST})",
        (group_id, at, at),
    )
    listed = {pid: (title, status) for pid, title, status in cur.fetchall()}
    counts: dict[str, list[int]] = {pid: [] for pid in listed}
    firsts: dict[str, int] = {}
    for pain_point_id, n, first in _company_counts_as_of(cur, group_id, at):
        if pain_point_id in counts:
            counts[pain_point_id].append(n)
            firsts[pain_point_id] = min(first, firsts.get(pain_point_id, first))
    tallies = rank(Tally.from_counts(pid, ns, firsts.get(pid, 0)) for pid, ns in counts.items())
    items = [
        RankedItem(offset + i + 1, t.pain_point_id, *listed[t.pain_point_id], t)
        for i, t in enumerate(tallies[offset : offset + limit])
    ]
    return items, len(tallies)


#: Supports counted at a moment `at` (given by then, not withdrawn, company still a member).
ACTIVE_AT = (
    "FROM v_support_intervals s JOIN v_rank_companies c ON c.id = s.company_id"
    " WHERE s.group_id = ? AND s.given_at <= ? AND (s.withdrawn_at IS NULL OR s.withdrawn_at > ?)"
    " AND (c.ended_at IS NULL OR c.ended_at > ?)"
)


def _company_counts_as_of(cur: Cursor, group_id: str, at: int) -> list[tuple[str, int, int]]:
    """(pain point, people of one company, their first support) at `at`, merges applied.

    Without merges one person has at most one active support per pain point, so a
    plain count is exact; merge families are counted by distinct person in Python.
    """
    cur.execute(
        "SELECT m.source_id, m.target_id FROM v_merges m"
        " JOIN v_rank_items r ON r.pain_point_id = m.source_id"
        " WHERE r.group_id = ? AND m.merged_at <= ?"
        " AND (m.unmerged_at IS NULL OR m.unmerged_at > ?)",
        (group_id, at, at),
    )
    merged = dict(cur.fetchall())
    family = set(merged) | set(merged.values())
    params = (group_id, at, at, at)
    cur.execute(
        f"SELECT s.pain_point_id, COUNT(*), MIN(s.given_at) {ACTIVE_AT}"
        f" GROUP BY s.pain_point_id, s.company_id",
        params,
    )
    rows = [(pid, int(n), int(first)) for pid, n, first in cur.fetchall() if pid not in family]
    if not family:
        return rows
    marks = ", ".join("?" for _ in family)
    cur.execute(
        f"SELECT s.pain_point_id, s.company_id, s.person_id, s.given_at {ACTIVE_AT}"
        f" AND s.pain_point_id IN ({marks})",
        (*params, *sorted(family)),
    )
    people: dict[tuple[str, str], set[str]] = {}
    earliest: dict[tuple[str, str], int] = {}
    for pain_point_id, company, person, given_at in cur.fetchall():
        key = (merged.get(pain_point_id, pain_point_id), company)
        people.setdefault(key, set()).add(person)
        earliest[key] = min(given_at, earliest.get(key, given_at))
    return rows + [(key[0], len(who), earliest[key]) for key, who in people.items()]


def _ranked(position: int, row: Any) -> RankedItem:
    pain_point_id, title, status, units, companies, supporters, first = row
    tally = Tally(pain_point_id, units, companies, supporters, first)
    return RankedItem(position, pain_point_id, title, status, tally)


def find_tally(cur: Cursor, pain_point_id: str) -> Tally | None:
    cur.execute(
        "SELECT pain_point_id, units, companies, supporters, first_support_at"
        " FROM v_rank_items WHERE pain_point_id = ?",
        (pain_point_id,),
    )
    row = cur.fetchone()
    return Tally(*row) if row else None
