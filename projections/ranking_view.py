"""The ranking view: per working group, live and as of any past moment.

Support is kept as intervals (given_at, withdrawn_at) and company membership as
(admitted_at, ended_at), so a past ranking is one SQL query plus the pure rank().
The live tallies are maintained incrementally and must equal the as-of query at
the head of the log (a property test checks this).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from domain.company import MemberCompany
from domain.painpoint import OPEN, PainPoint
from domain.support import Support
from projections.ranking import RANK_ORDER_SQL, Tally, company_units, rank
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
    "CREATE INDEX IF NOT EXISTS v_support_intervals_item ON v_support_intervals"
    " (pain_point_id, withdrawn_at)",
    "CREATE TABLE IF NOT EXISTS v_tallies (pain_point_id TEXT NOT NULL,"
    " company_id TEXT NOT NULL, n INTEGER NOT NULL,"
    " PRIMARY KEY (pain_point_id, company_id))",
    "CREATE INDEX IF NOT EXISTS v_tallies_company ON v_tallies (company_id)",
)

ITEM_COLUMNS = "pain_point_id, title, status, units, companies, supporters, first_support_at"


@dataclass(frozen=True)
class RankedItem:
    rank: int
    pain_point_id: str
    title: str
    status: str
    tally: Tally


class RankingView(View):
    tables = ("v_rank_companies", "v_rank_items", "v_support_intervals", "v_tallies")

    def create(self, cur: Cursor) -> None:
        for statement in DDL:
            cur.execute(statement)

    def handlers(self) -> Mapping[str, Handler]:
        return {
            topic(MemberCompany, "Admitted"): self._admitted,
            topic(MemberCompany, "MembershipEnded"): self._membership_ended,
            topic(PainPoint, "Submitted"): self._submitted,
            topic(PainPoint, "Withdrawn"): self._pain_point_withdrawn,
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
        cur.execute(
            f"INSERT INTO v_rank_items (pain_point_id, group_id, title, status,"
            f" submitted_at, listed, units, companies, supporters, first_support_at)"
            f" VALUES (?, ?, ?, ?, ?, 1, 0, 0, 0, {Tally('').first_support_at})",
            (e.originator_id.hex, e.group_id.hex, e.title, OPEN, micros(e.timestamp)),
        )

    def _pain_point_withdrawn(self, cur: Cursor, e: Any, position: int) -> None:
        cur.execute(
            "UPDATE v_rank_items SET status = 'withdrawn', listed = 0, withdrawn_at = ?"
            " WHERE pain_point_id = ?",
            (micros(e.timestamp), e.originator_id.hex),
        )

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
            _count(cur, pain_point_id, company, +1)
            cur.execute(
                "UPDATE v_rank_items SET first_support_at = ?"
                " WHERE pain_point_id = ? AND first_support_at > ?",
                (given_at, pain_point_id, given_at),
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
            _count(cur, pain_point_id, company, -1)
            _refresh_first_support(cur, pain_point_id)


def _is_member(cur: Cursor, company: str) -> bool:
    cur.execute("SELECT ended_at FROM v_rank_companies WHERE id = ?", (company,))
    row = cur.fetchone()
    return row is not None and row[0] is None


def _count(cur: Cursor, pain_point_id: str, company: str, delta: int) -> None:
    cur.execute(
        "SELECT n FROM v_tallies WHERE pain_point_id = ? AND company_id = ?",
        (pain_point_id, company),
    )
    row = cur.fetchone()
    old = row[0] if row else 0
    new = old + delta
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
    cur.execute(
        "SELECT MIN(s.given_at) FROM v_support_intervals s"
        " JOIN v_rank_companies c ON c.id = s.company_id"
        " WHERE s.pain_point_id = ? AND s.withdrawn_at IS NULL AND c.ended_at IS NULL",
        (pain_point_id,),
    )
    first = cur.fetchone()[0]
    cur.execute(
        "UPDATE v_rank_items SET first_support_at = ? WHERE pain_point_id = ?",
        (Tally("").first_support_at if first is None else first, pain_point_id),
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
        "SELECT pain_point_id, title FROM v_rank_items WHERE group_id = ?"
        " AND submitted_at <= ? AND (withdrawn_at IS NULL OR withdrawn_at > ?)",
        (group_id, at, at),
    )
    titles = dict(cur.fetchall())
    cur.execute(
        "SELECT s.pain_point_id, COUNT(*), MIN(s.given_at) FROM v_support_intervals s"
        " JOIN v_rank_companies c ON c.id = s.company_id"
        " WHERE s.group_id = ? AND s.given_at <= ?"
        " AND (s.withdrawn_at IS NULL OR s.withdrawn_at > ?)"
        " AND (c.ended_at IS NULL OR c.ended_at > ?)"
        " GROUP BY s.pain_point_id, s.company_id",
        (group_id, at, at, at),
    )
    counts: dict[str, list[int]] = {pid: [] for pid in titles}
    firsts: dict[str, int] = {}
    for pain_point_id, n, first in cur.fetchall():
        if pain_point_id in counts:
            counts[pain_point_id].append(n)
            firsts[pain_point_id] = min(first, firsts.get(pain_point_id, first))
    tallies = rank(Tally.from_counts(pid, ns, firsts.get(pid, 0)) for pid, ns in counts.items())
    page = tallies[offset : offset + limit]
    # Only pain points not withdrawn at `at` are ranked, so their status then was OPEN.
    items = [
        RankedItem(offset + i + 1, t.pain_point_id, titles[t.pain_point_id], OPEN, t)
        for i, t in enumerate(page)
    ]
    return items, len(tallies)


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
