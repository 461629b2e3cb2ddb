"""The ranking view: per working group, live and as of any past moment.

Support is kept as intervals (given_at, withdrawn_at), company membership as
(admitted_at, ended_at), merges as (merged_at, unmerged_at) and statuses as
(since, until). The live tallies are maintained per event, and every change of a
pain point's tally is also recorded in `v_rank_item_history` (keyed by pain point,
event time and log position), so a past ranking is one index seek per listed pain
point plus the pure rank(), however long the log. A property test checks the as-of
ranking at past moments against a replay of the log up to them.

Most events are first supports of pain points outside any merge: those are buffered
and written once per batch (`flush`), tallies computed in memory; every other event
is applied on its own after the buffer is flushed.

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
from domain.person import Person
from domain.ranking import NO_SUPPORT, RANK_ORDER_SQL, Tally, company_units, rank
from domain.support import Support
from domain.workflow import MERGED, OPEN_STATUSES, WITHDRAWN
from projections.store import Cursor, marks
from projections.view import (
    Handler,
    LateIndexes,
    Surrogates,
    View,
    is_view,
    micros,
    reads_hex,
    rowless,
    topic,
)

# Covers the live recounts: one pain point (and its duplicates), one company.
ITEM_INDEX = (
    "CREATE INDEX IF NOT EXISTS v_support_rows_item ON v_support_rows"
    " (pain_point_no, company_no, withdrawn_at, person_no, given_at)"
)
# A person's rows: their supports' later events, deactivations and moves.
PERSON_INDEX = (
    "CREATE INDEX IF NOT EXISTS v_support_rows_person ON v_support_rows (person_no, withdrawn_at)"
)
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
    # Support intervals with pain points, groups, people and companies by their numbers
    # in v_rank_ids (ADR 026). Rows are appended in log order; the support's id is kept
    # but not indexed: its later events are found through its person's rows.
    "CREATE TABLE IF NOT EXISTS v_support_rows (support_id TEXT NOT NULL,"
    " seq INTEGER NOT NULL, pain_point_no INTEGER NOT NULL, group_no INTEGER NOT NULL,"
    " person_no INTEGER NOT NULL, company_no INTEGER NOT NULL, given_at BIGINT NOT NULL,"
    " withdrawn_at BIGINT)",
    ITEM_INDEX,
    "CREATE TABLE IF NOT EXISTS v_tallies (pain_point_id TEXT NOT NULL,"
    " company_id TEXT NOT NULL, n INTEGER NOT NULL,"
    " PRIMARY KEY (pain_point_id, company_id)){rowless}",
    "CREATE INDEX IF NOT EXISTS v_tallies_company ON v_tallies (company_id)",
    "CREATE TABLE IF NOT EXISTS v_merges (source_id TEXT NOT NULL, target_id TEXT NOT NULL,"
    " merged_at BIGINT NOT NULL, unmerged_at BIGINT)",
    "CREATE INDEX IF NOT EXISTS v_merges_target ON v_merges (target_id, unmerged_at)",
    "CREATE INDEX IF NOT EXISTS v_merges_source ON v_merges (source_id, unmerged_at)",
    "CREATE TABLE IF NOT EXISTS v_status_history (pain_point_id TEXT NOT NULL,"
    " group_id TEXT NOT NULL, status TEXT NOT NULL, since BIGINT NOT NULL, until BIGINT)",
    "CREATE INDEX IF NOT EXISTS v_status_history_group ON v_status_history"
    " (group_id, since, until)",
    PERSON_INDEX,
    # What readers query: the intervals with their UUIDs, as before the numbers.
    "CREATE {or_replace}VIEW {if_not_exists}v_support_intervals AS SELECT s.support_id, s.seq,"
    " p.uuid AS pain_point_id, g.uuid AS group_id, h.uuid AS person_id,"
    " c.uuid AS company_id, s.given_at, s.withdrawn_at FROM v_support_rows s"
    " JOIN v_rank_ids p ON p.num = s.pain_point_no JOIN v_rank_ids g ON g.num = s.group_no"
    " JOIN v_rank_ids h ON h.num = s.person_no JOIN v_rank_ids c ON c.num = s.company_no",
    # Supports of deactivated people: open again, for `company_id`, on reactivation.
    "CREATE TABLE IF NOT EXISTS v_suspended_supports (support_id TEXT PRIMARY KEY,"
    " person_id TEXT NOT NULL, company_id TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS v_suspended_supports_person ON v_suspended_supports (person_id)",
    # A pain point's tally after each event that changed it: the as-of ranking reads
    # the last row at or before a moment, one seek per pain point.
    "CREATE TABLE IF NOT EXISTS v_rank_item_history (pain_point_id TEXT NOT NULL,"
    " at BIGINT NOT NULL, position BIGINT NOT NULL, units BIGINT NOT NULL,"
    " companies INTEGER NOT NULL, supporters INTEGER NOT NULL,"
    " first_support_at BIGINT NOT NULL, PRIMARY KEY (pain_point_id, at, position)){rowless}",
    # A pain point's titles before each edit of its title: the title it had until `until`.
    "CREATE TABLE IF NOT EXISTS v_title_history (pain_point_id TEXT NOT NULL,"
    " until BIGINT NOT NULL, position BIGINT NOT NULL, title TEXT NOT NULL,"
    " PRIMARY KEY (pain_point_id, until, position)){rowless}",
)
#: IN lists are cut into chunks of this many parameters (SQLite allows 32,766).
CHUNK = 500
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
        "v_support_rows",
        "v_suspended_supports",
        "v_tallies",
        "v_merges",
        "v_status_history",
        "v_rank_item_history",
        "v_title_history",
        "v_rank_ids",
    )

    def __init__(self, dialect: str = "sqlite") -> None:
        self.dialect = dialect
        self.ids = Surrogates("v_rank_ids")
        # First supports only append rows: the intervals' indexes are built after a
        # catch-up from empty views, or when a handler below needs them (ADR 029).
        self.indexes = LateIndexes(
            dialect, {"v_support_rows_item": ITEM_INDEX, "v_support_rows_person": PERSON_INDEX}
        )
        self.late = self.indexes
        self.start_batch()

    def start_batch(self) -> None:
        #: First supports not yet written: (support, pain point, group, person,
        #: company, given_at, position).
        self._pending: list[tuple[str, str, str, str, str, int, int]] = []
        #: Pain points in an active merge, as source or target; None: not read yet.
        self._merged: set[str] | None = None

    def create(self, cur: Cursor) -> None:
        cur.execute(self.ids.ddl)
        sqlite = self.dialect == "sqlite"
        for statement in DDL:
            cur.execute(
                statement.format(
                    rowless=rowless(self.dialect),
                    or_replace="" if sqlite else "OR REPLACE ",
                    if_not_exists="IF NOT EXISTS " if sqlite else "",
                )
            )

    def drop(self, cur: Cursor) -> None:
        # A table before the numbers (ADR 026), a view of v_support_rows since.
        if is_view(cur, self.dialect, "v_support_intervals"):
            cur.execute("DROP VIEW v_support_intervals")
        else:
            cur.execute("DROP TABLE IF EXISTS v_support_intervals")
        super().drop(cur)
        self.ids.forget()

    def handlers(self) -> Mapping[str, Handler]:
        one_by_one: dict[str, Handler] = {
            topic(MemberCompany, "Admitted"): self._admitted,
            topic(MemberCompany, "MembershipEnded"): self._membership_ended,
            topic(PainPoint, "Submitted"): self._submitted,
            topic(PainPoint, "Withdrawn"): self._status_event(WITHDRAWN),
            topic(PainPoint, "Edited"): self._edited,
            topic(PainPoint, "StatusChanged"): self._status_event(None),
            topic(PainPoint, "MergedInto"): self._merged_into,
            topic(PainPoint, "Unmerged"): self._unmerged,
            topic(Support, "GivenAgain"): self._given,
            topic(Support, "Withdrawn"): self._support_withdrawn,
            topic(Person, "Deactivated"): self._deactivated,
            topic(Person, "Reactivated"): self._reactivated,
            topic(Person, "MovedToCompany"): self._moved,
        }
        handlers = {name: self.flushing(handler) for name, handler in one_by_one.items()}
        handlers[topic(Support, "Given")] = self._first_given
        return handlers

    @reads_hex
    def _first_given(self, cur: Cursor, e: Any, position: int) -> None:
        """A support's first event: buffered unless its pain point is in a merge.

        Outside merges the person adds exactly one to their company's count (a
        person supports a pain point through one support aggregate, and this is its
        first event), so the batch can count in memory.
        """
        pain_point_id = e.pain_point_id.hex
        if self._merged is None:
            cur.execute("SELECT source_id, target_id FROM v_merges WHERE unmerged_at IS NULL")
            self._merged = {pid for pair in cur.fetchall() for pid in pair}
        if pain_point_id in self._merged:
            self.flush(cur)
            self._given(cur, e, position, first=True)
            return
        self._pending.append(
            (
                e.originator_id.hex,
                pain_point_id,
                e.group_id.hex,
                e.by.hex,
                e.for_company.hex,
                micros(e.timestamp),
                position,
            )
        )

    def flush(self, cur: Cursor) -> None:
        if not self._pending:
            return
        pending, self._pending = self._pending, []
        num = self.ids.num
        cur.executemany(
            "INSERT INTO v_support_rows (support_id, seq, pain_point_no, group_no, person_no,"
            " company_no, given_at) VALUES (?, 1, ?, ?, ?, ?, ?)",
            [
                (
                    support,
                    num(cur, pid),
                    num(cur, group),
                    num(cur, person),
                    num(cur, company),
                    given_at,
                )
                for support, pid, group, person, company, given_at, _ in pending
            ],
        )
        members = {
            company
            for company, ended_at in _select_in(
                cur, "SELECT id, ended_at FROM v_rank_companies WHERE id", {r[4] for r in pending}
            )
            if ended_at is None
        }
        counted = [row for row in pending if row[4] in members]
        if not counted:
            return
        items = {r[1] for r in counted}
        tallies: dict[tuple[str, str], int] = {
            (pid, company): n
            for pid, company, n in _select_in(
                cur, "SELECT pain_point_id, company_id, n FROM v_tallies WHERE pain_point_id", items
            )
        }
        state = {
            pid: [units, companies, supporters, first]
            for pid, units, companies, supporters, first in _select_in(
                cur,
                "SELECT pain_point_id, units, companies, supporters, first_support_at"
                " FROM v_rank_items WHERE pain_point_id",
                items,
            )
        }
        changed: set[tuple[str, str]] = set()
        history = []
        for _, pid, _, _, company, given_at, position in counted:
            old = tallies.get((pid, company), 0)
            tallies[(pid, company)] = old + 1
            changed.add((pid, company))
            item = state[pid]
            item[0] += company_units(old + 1) - company_units(old)
            item[1] += old == 0
            item[2] += 1
            item[3] = min(item[3], given_at)
            history.append((pid, given_at, position, *item))
        cur.executemany(
            "INSERT INTO v_tallies (pain_point_id, company_id, n) VALUES (?, ?, ?)"
            " ON CONFLICT (pain_point_id, company_id) DO UPDATE SET n = excluded.n",
            [(pid, company, tallies[(pid, company)]) for pid, company in sorted(changed)],
        )
        cur.executemany(
            "UPDATE v_rank_items SET units = ?, companies = ?, supporters = ?,"
            " first_support_at = ? WHERE pain_point_id = ?",
            [(*state[pid], pid) for pid in sorted(items)],
        )
        cur.executemany(
            "INSERT INTO v_rank_item_history (pain_point_id, at, position, units, companies,"
            " supporters, first_support_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            history,
        )

    def _admitted(self, cur: Cursor, e: Any, position: int) -> None:
        cur.execute(
            "INSERT INTO v_rank_companies (id, admitted_at) VALUES (?, ?)",
            (e.originator_id.hex, micros(e.timestamp)),
        )

    def _membership_ended(self, cur: Cursor, e: Any, position: int) -> None:
        self.indexes.ensure(cur)
        company = e.originator_id.hex
        cur.execute(
            "UPDATE v_rank_companies SET ended_at = ? WHERE id = ?",
            (micros(e.timestamp), company),
        )
        cur.execute("SELECT pain_point_id, n FROM v_tallies WHERE company_id = ?", (company,))
        for pain_point_id, n in cur.fetchall():
            _adjust_item(cur, pain_point_id, n, 0)
            _refresh_first_support(cur, pain_point_id)
            _record(cur, pain_point_id, e, position)
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

    def _edited(self, cur: Cursor, e: Any, position: int) -> None:
        """A new title: the old one is kept for the moments before the edit."""
        if e.title is None:
            return
        pain_point_id = e.originator_id.hex
        cur.execute(
            "INSERT INTO v_title_history (pain_point_id, until, position, title)"
            " SELECT pain_point_id, ?, ?, title FROM v_rank_items WHERE pain_point_id = ?",
            (micros(e.timestamp), position, pain_point_id),
        )
        cur.execute(
            "UPDATE v_rank_items SET title = ? WHERE pain_point_id = ?", (e.title, pain_point_id)
        )

    def _status_event(self, fixed: str | None) -> Handler:
        def handle(cur: Cursor, e: Any, position: int) -> None:
            _set_status(cur, e.originator_id.hex, fixed or e.status, micros(e.timestamp))

        return handle

    def _merged_into(self, cur: Cursor, e: Any, position: int) -> None:
        self.indexes.ensure(cur)
        source, target, at = e.originator_id.hex, e.target_id.hex, micros(e.timestamp)
        self._merged = None
        cur.execute(
            "INSERT INTO v_merges (source_id, target_id, merged_at) VALUES (?, ?, ?)",
            (source, target, at),
        )
        _set_status(cur, source, MERGED, at)
        for pain_point_id in (source, target):
            _recount(cur, pain_point_id)
            _record(cur, pain_point_id, e, position)

    def _unmerged(self, cur: Cursor, e: Any, position: int) -> None:
        self.indexes.ensure(cur)
        source, target, at = e.originator_id.hex, e.target_id.hex, micros(e.timestamp)
        self._merged = None
        cur.execute(
            "UPDATE v_merges SET unmerged_at = ? WHERE source_id = ? AND unmerged_at IS NULL",
            (at, source),
        )
        _set_status(cur, source, e.restored_status, at)
        for pain_point_id in (source, target):
            _recount(cur, pain_point_id)
            _record(cur, pain_point_id, e, position)

    def _given(self, cur: Cursor, e: Any, position: int, *, first: bool = False) -> None:
        """A support given (`first`: its first event) or given again."""
        self.indexes.ensure(cur)
        support, person = e.originator_id.hex, e.by.hex
        last = None if first else _last_interval(cur, support, person)
        pain_point_id, group_id, seq = last if last else (e.pain_point_id.hex, e.group_id.hex, 0)
        given_at, company = micros(e.timestamp), e.for_company.hex
        cur.execute("DELETE FROM v_suspended_supports WHERE support_id = ?", (support,))
        interval = (support, seq + 1, pain_point_id, group_id, person, company, given_at)
        _insert_interval(cur, self.ids, *interval)
        if _is_member(cur, company):
            counted = _counted_for(cur, pain_point_id)
            _count_company(cur, counted, company)
            cur.execute(
                "UPDATE v_rank_items SET first_support_at = ?"
                " WHERE pain_point_id = ? AND first_support_at > ?",
                (given_at, counted, given_at),
            )
            _record(cur, counted, e, position)

    def _support_withdrawn(self, cur: Cursor, e: Any, position: int) -> None:
        self.indexes.ensure(cur)
        support = e.originator_id.hex
        where, params = _support_rows(cur, support, e.by.hex)
        cur.execute(
            f"SELECT p.uuid, c.uuid FROM v_support_rows s"
            f" JOIN v_rank_ids p ON p.num = s.pain_point_no"
            f" JOIN v_rank_ids c ON c.num = s.company_no WHERE {where} AND s.withdrawn_at IS NULL",
            params,
        )
        row = cur.fetchone()
        if row is None:  # withdrawn while its person is deactivated: not to be reopened
            cur.execute("DELETE FROM v_suspended_supports WHERE support_id = ?", (support,))
            return
        pain_point_id, company = row
        cur.execute(
            f"UPDATE v_support_rows AS s SET withdrawn_at = ? WHERE {where}"
            " AND s.withdrawn_at IS NULL",
            (micros(e.timestamp), *params),
        )
        if _is_member(cur, company):
            counted = _counted_for(cur, pain_point_id)
            _count_company(cur, counted, company)
            _refresh_first_support(cur, counted)
            _record(cur, counted, e, position)

    # -- people deactivated, reactivated or moved to another company -------------
    # Like an ended company membership, a deactivation ends the person's open support
    # intervals; reactivation and moves open new ones from that moment, so every
    # as-of answer before it stays as it was.

    def _deactivated(self, cur: Cursor, e: Any, position: int) -> None:
        self.indexes.ensure(cur)
        person, at = e.originator_id.hex, micros(e.timestamp)
        closed = _close_open_intervals(cur, person, at)
        cur.executemany(
            "INSERT INTO v_suspended_supports (support_id, person_id, company_id)"
            " VALUES (?, ?, ?) ON CONFLICT (support_id) DO NOTHING",
            [(support, person, company) for support, _, company in closed],
        )
        _recount_pairs(cur, {(pid, company) for _, pid, company in closed}, e, position)

    def _reactivated(self, cur: Cursor, e: Any, position: int) -> None:
        self.indexes.ensure(cur)
        person, at = e.originator_id.hex, micros(e.timestamp)
        cur.execute(
            "SELECT support_id, company_id FROM v_suspended_supports WHERE person_id = ?"
            " ORDER BY support_id",
            (person,),
        )
        suspended = cur.fetchall()
        cur.execute("DELETE FROM v_suspended_supports WHERE person_id = ?", (person,))
        opened = [
            _open_again(cur, self.ids, support, person, company, at)
            for support, company in suspended
        ]
        _recount_pairs(cur, set(opened), e, position)

    def _moved(self, cur: Cursor, e: Any, position: int) -> None:
        self.indexes.ensure(cur)
        person, at, company = e.originator_id.hex, micros(e.timestamp), e.company_id.hex
        closed = _close_open_intervals(cur, person, at)
        opened = [
            _open_again(cur, self.ids, support, person, company, at) for support, _, _ in closed
        ]
        cur.execute(
            "UPDATE v_suspended_supports SET company_id = ? WHERE person_id = ?",
            (company, person),
        )
        pairs = {(pid, old) for _, pid, old in closed} | set(opened)
        _recount_pairs(cur, pairs, e, position)


#: The number of one id in v_rank_ids (NULL when it has none), as a scalar subquery.
NUM = "(SELECT num FROM v_rank_ids WHERE uuid = ?)"


def _support_rows(cur: Cursor, support: str, person: str) -> tuple[str, tuple[str, ...]]:
    """The WHERE clause (on `s`) and parameters for the intervals of one support.

    A support's events are all its person's (`by`), so its rows are found through
    the person's index; a log where that does not hold is searched in full.
    """
    where = f"s.person_no = {NUM} AND s.support_id = ?"
    cur.execute(f"SELECT 1 FROM v_support_rows s WHERE {where} LIMIT 1", (person, support))
    if cur.fetchone() is not None:
        return where, (person, support)
    return "s.support_id = ?", (support,)


def _last_interval(cur: Cursor, support: str, person: str) -> tuple[str, str, int] | None:
    """A support's pain point, group and the number of its last interval, if it has one."""
    where, params = _support_rows(cur, support, person)
    cur.execute(
        f"SELECT p.uuid, g.uuid, MAX(s.seq) FROM v_support_rows s"
        f" JOIN v_rank_ids p ON p.num = s.pain_point_no JOIN v_rank_ids g ON g.num = s.group_no"
        f" WHERE {where} GROUP BY p.uuid, g.uuid",
        params,
    )
    row = cur.fetchone()
    return (str(row[0]), str(row[1]), int(row[2])) if row else None


def _insert_interval(
    cur: Cursor,
    ids: Surrogates,
    support: str,
    seq: int,
    pain_point_id: str,
    group_id: str,
    person: str,
    company: str,
    given_at: int,
) -> None:
    cur.execute(
        "INSERT INTO v_support_rows (support_id, seq, pain_point_no, group_no, person_no,"
        " company_no, given_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            support,
            seq,
            ids.num(cur, pain_point_id),
            ids.num(cur, group_id),
            ids.num(cur, person),
            ids.num(cur, company),
            given_at,
        ),
    )


def _close_open_intervals(cur: Cursor, person: str, at: int) -> list[tuple[str, str, str]]:
    """End the person's open support intervals at `at`: (support, pain point, company)."""
    cur.execute(
        f"SELECT s.support_id, p.uuid, c.uuid FROM v_support_rows s"
        f" JOIN v_rank_ids p ON p.num = s.pain_point_no JOIN v_rank_ids c ON c.num = s.company_no"
        f" WHERE s.person_no = {NUM} AND s.withdrawn_at IS NULL ORDER BY s.support_id",
        (person,),
    )
    closed = [(str(a), str(b), str(c)) for a, b, c in cur.fetchall()]
    cur.execute(
        f"UPDATE v_support_rows SET withdrawn_at = ? WHERE person_no = {NUM}"
        " AND withdrawn_at IS NULL",
        (at, person),
    )
    return closed


def _open_again(
    cur: Cursor, ids: Surrogates, support: str, person: str, company: str, at: int
) -> tuple[str, str]:
    """A new interval of a support from `at`, for `company`: (pain point, company)."""
    last = _last_interval(cur, support, person)
    assert last is not None, f"support {support} has no interval to open again"
    pain_point_id, group_id, seq = last
    _insert_interval(cur, ids, support, seq + 1, pain_point_id, group_id, person, company, at)
    return pain_point_id, company


def _recount_pairs(cur: Cursor, pairs: set[tuple[str, str]], e: Any, position: int) -> None:
    """Recount each (pain point, company) where it counts now, and note the tallies."""
    items: set[str] = set()
    for pain_point_id, company in sorted(pairs):
        counted = _counted_for(cur, pain_point_id)
        _count_company(cur, counted, company)
        items.add(counted)
    for counted in sorted(items):
        _refresh_first_support(cur, counted)
        _record(cur, counted, e, position)


def _select_in(cur: Cursor, query: str, keys: set[str]) -> list[Any]:
    """Rows of `query … IN (keys)`, the keys sent in chunks."""
    ordered, rows = sorted(keys), []
    for start in range(0, len(ordered), CHUNK):
        chunk = ordered[start : start + CHUNK]
        cur.execute(f"{query} IN ({marks(chunk)})", chunk)
        rows.extend(cur.fetchall())
    return rows


def _record(cur: Cursor, pain_point_id: str, e: Any, position: int) -> None:
    """Note the pain point's tally as this event left it (for as-of rankings)."""
    cur.execute(
        "INSERT INTO v_rank_item_history (pain_point_id, at, position, units, companies,"
        " supporters, first_support_at) SELECT pain_point_id, ?, ?, units, companies,"
        " supporters, first_support_at FROM v_rank_items WHERE pain_point_id = ?"
        " ON CONFLICT (pain_point_id, at, position) DO UPDATE SET units = excluded.units,"
        " companies = excluded.companies, supporters = excluded.supporters,"
        " first_support_at = excluded.first_support_at",
        (micros(e.timestamp), position, pain_point_id),
    )


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
    "FROM v_support_rows s JOIN v_rank_ids k ON k.num = s.company_no"
    " JOIN v_rank_companies c ON c.id = k.uuid"
    " WHERE s.withdrawn_at IS NULL AND c.ended_at IS NULL AND s.pain_point_no IN"
    " (SELECT num FROM v_rank_ids WHERE uuid IN (SELECT CAST(? AS TEXT) UNION ALL"
    " SELECT source_id FROM v_merges WHERE target_id = ? AND unmerged_at IS NULL))"
)


def _count_company(cur: Cursor, pain_point_id: str, company: str) -> None:
    """Recount the distinct people of one company supporting a pain point."""
    cur.execute(
        f"SELECT COUNT(DISTINCT s.person_no) {COUNTED} AND s.company_no = {NUM}",
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
            f"SELECT k.uuid, COUNT(DISTINCT s.person_no) {COUNTED} GROUP BY k.uuid",
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


def title_at(pain_point: str, current: str) -> str:
    """SQL for a pain point's title at a moment (the one parameter): the title it had
    until its first edit after that moment, or `current` when none followed."""
    return (
        f"COALESCE((SELECT t.title FROM v_title_history t WHERE t.pain_point_id = {pain_point}"
        f" AND t.until > ? ORDER BY t.until, t.position LIMIT 1), {current})"
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
    """The group's ranking exactly as it stood at `at` (microseconds since epoch).

    The pain points listed then, each with its tally from the last history row at or
    before `at` (none: no support yet). Rows of one moment are ordered by position.
    """
    cur.execute(
        f"SELECT l.pain_point_id, l.title, l.status, x.position, x.units, x.companies,"
        f" x.supporters, x.first_support_at FROM (SELECT h.pain_point_id,"
        f" {title_at('h.pain_point_id', 'r.title')} AS title, h.status,"
        f" (SELECT MAX(y.at) FROM v_rank_item_history y"
        f" WHERE y.pain_point_id = h.pain_point_id AND y.at <= ?) AS last_at"
        f" FROM v_status_history h JOIN v_rank_items r ON r.pain_point_id = h.pain_point_id"
        f" WHERE h.group_id = ? AND h.since <= ? AND (h.until IS NULL OR h.until > ?)"
        f" AND h.status IN ({OPEN_LIST})) l LEFT JOIN v_rank_item_history x"
        f" ON x.pain_point_id = l.pain_point_id AND x.at = l.last_at",
        (at, at, group_id, at, at),
    )
    listed: dict[str, tuple[str, str]] = {}
    latest: dict[str, tuple[int, Tally]] = {}
    for pid, title, status, position, units, companies, supporters, first in cur.fetchall():
        listed[pid] = (title, status)
        if position is not None and position >= latest.get(pid, (-1, None))[0]:
            latest[pid] = (position, Tally(pid, units, companies, supporters, first))
    tallies = rank(latest[pid][1] if pid in latest else Tally(pid) for pid in listed)
    items = [
        RankedItem(offset + i + 1, t.pain_point_id, *listed[t.pain_point_id], t)
        for i, t in enumerate(tallies[offset : offset + limit])
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


def tallies_of(cur: Cursor, ids: list[str]) -> dict[str, tuple[int, int]]:
    """Supporting companies and people of each pain point."""
    if not ids:
        return {}
    cur.execute(
        f"SELECT pain_point_id, companies, supporters FROM v_rank_items"
        f" WHERE pain_point_id IN ({marks(ids)})",
        ids,
    )
    return {pid: (int(companies), int(people)) for pid, companies, people in cur.fetchall()}


def in_status_at(cur: Cursor, group_id: str, status: str, at: int) -> list[tuple[str, str, Tally]]:
    """(id, title, tally) of the group's pain points that were in `status` at `at`,
    latest first: the statuses the ranking leaves out (withdrawn, declined, merged …)."""
    cur.execute(
        f"SELECT p.id, {title_at('p.id', 'p.title')}, r.units, r.companies, r.supporters,"
        " r.first_support_at FROM v_status_history h"
        " JOIN v_pain_points p ON p.id = h.pain_point_id"
        " JOIN v_rank_items r ON r.pain_point_id = h.pain_point_id"
        " WHERE h.group_id = ? AND h.status = ? AND h.since <= ?"
        " AND (h.until IS NULL OR h.until > ?) ORDER BY h.since DESC, p.id",
        (at, group_id, status, at, at),
    )
    return [(pid, title, Tally(pid, *numbers)) for pid, title, *numbers in cur.fetchall()]
