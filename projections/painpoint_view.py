"""The pain-point view: details and a readable history of what happened, by whom."""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping
from typing import Any

from domain.painpoint import PainPoint
from domain.support import Support
from domain.workflow import MERGED
from projections.store import Cursor, marks, rows_as_dicts
from projections.view import Handler, LateIndexes, View, micros, reads_hex, rowless, topic

# A pain point's history, in order (read by queries, never by a handler).
HISTORY_INDEX = "CREATE INDEX IF NOT EXISTS v_history_item ON v_history (pain_point_id, position)"
OWNER_INDEX = "CREATE INDEX IF NOT EXISTS v_support_owner_key ON v_support_owner (support_key)"
DDL = (
    "CREATE TABLE IF NOT EXISTS v_pain_points (id TEXT PRIMARY KEY,"
    " group_id TEXT NOT NULL, title TEXT NOT NULL, description TEXT NOT NULL,"
    " tags TEXT NOT NULL, status TEXT NOT NULL, submitted_at BIGINT NOT NULL,"
    " submitted_by TEXT NOT NULL, for_company TEXT NOT NULL, changed_at BIGINT NOT NULL,"
    " merged_into TEXT)",
    "CREATE INDEX IF NOT EXISTS v_pain_points_group ON v_pain_points (group_id)",
    # The leads' triage inbox: a group's items in a status, oldest first.
    "CREATE INDEX IF NOT EXISTS v_pain_points_triage ON v_pain_points"
    " (group_id, status, submitted_at)",
    "CREATE TABLE IF NOT EXISTS v_history (position BIGINT PRIMARY KEY,"
    " pain_point_id TEXT NOT NULL, at BIGINT NOT NULL, kind TEXT NOT NULL,"
    " actor_id TEXT NOT NULL, company_id TEXT, detail TEXT NOT NULL){rowless}",
    HISTORY_INDEX,
    # Rows appended in log order; found by the support id's first 60 bits (`key`): a
    # small integer index instead of one on 32-character texts (ADR 026).
    "CREATE TABLE IF NOT EXISTS v_support_owner (support_key BIGINT NOT NULL,"
    " support_id TEXT NOT NULL, pain_point_id TEXT NOT NULL)",
    OWNER_INDEX,
)

PAIN_POINT_COLUMNS = (
    "id, group_id, title, description, tags, status, submitted_at, submitted_by,"
    " for_company, changed_at, merged_into"
)


class PainPointView(View):
    tables = ("v_pain_points", "v_history", "v_support_owner")

    def __init__(self, dialect: str = "sqlite") -> None:
        self.dialect = dialect
        # Built after a catch-up from empty views, or when a support's later event
        # needs its owner (ADR 029).
        self.indexes = LateIndexes(
            dialect, {"v_history_item": HISTORY_INDEX, "v_support_owner_key": OWNER_INDEX}
        )
        self.late = self.indexes
        self.start_batch()

    def start_batch(self) -> None:
        #: Rows of first supports not yet written: owners and history entries.
        self._owners: list[tuple[int, str, str]] = []
        self._history: list[tuple[Any, ...]] = []

    def flush(self, cur: Cursor) -> None:
        if self._owners:
            cur.executemany(
                "INSERT INTO v_support_owner (support_key, support_id, pain_point_id)"
                " VALUES (?, ?, ?)",
                self._owners,
            )
            cur.executemany(
                f"INSERT INTO v_history ({HISTORY_COLUMNS}) VALUES ({MARKS})", self._history
            )
            self.start_batch()

    def create(self, cur: Cursor) -> None:
        for statement in DDL:
            cur.execute(statement.format(rowless=rowless(self.dialect)))

    def handlers(self) -> Mapping[str, Handler]:
        one_by_one: dict[str, Handler] = {
            topic(PainPoint, "Submitted"): self._submitted,
            topic(PainPoint, "Withdrawn"): self._withdrawn,
            topic(PainPoint, "Edited"): self._edited,
            topic(PainPoint, "StatusChanged"): self._status_changed,
            topic(PainPoint, "MergedInto"): self._merged_into,
            topic(PainPoint, "Unmerged"): self._unmerged,
            topic(PainPoint, "SupportCarriedOver"): self._carried_over,
            topic(PainPoint, "SupportReleased"): self._released,
            topic(Support, "GivenAgain"): self._support_changed,
            topic(Support, "Withdrawn"): self._support_changed,
        }
        handlers = {name: self.flushing(handler) for name, handler in one_by_one.items()}
        handlers[topic(Support, "Given")] = self._support_given
        return handlers

    def _submitted(self, cur: Cursor, e: Any, position: int) -> None:
        at = micros(e.timestamp)
        cur.execute(
            f"INSERT INTO v_pain_points ({PAIN_POINT_COLUMNS})"
            " VALUES (?, ?, ?, ?, ?, 'new', ?, ?, ?, ?, NULL)",
            (
                e.originator_id.hex,
                e.group_id.hex,
                e.title,
                e.description,
                json.dumps(e.tags),
                at,
                e.by.hex,
                e.for_company.hex,
                at,
            ),
        )
        detail = {"title": e.title, "tags": e.tags}
        record_history(cur, position, e.originator_id.hex, e, "submitted", detail)

    def _edited(self, cur: Cursor, e: Any, position: int) -> None:
        """The fields given changed; the history keeps what changed from what to what
        (the title), or that it changed (the description), and the tags added and
        removed."""
        pain_point_id = e.originator_id.hex
        cur.execute(
            "SELECT title, description, tags FROM v_pain_points WHERE id = ?", (pain_point_id,)
        )
        title, description, tags = cur.fetchone()
        old_tags: list[str] = json.loads(tags)
        detail: dict[str, object] = {}
        if e.title is not None:
            detail["title"] = {"from": title, "to": e.title}
            title = e.title
        if e.description is not None:
            detail["description"] = True
            description = e.description
        if e.tags is not None:
            detail["tags"] = {
                "added": sorted(set(e.tags) - set(old_tags)),
                "removed": sorted(set(old_tags) - set(e.tags)),
            }
            tags = json.dumps(e.tags)
        cur.execute(
            "UPDATE v_pain_points SET title = ?, description = ?, tags = ? WHERE id = ?",
            (title, description, tags, pain_point_id),
        )
        record_history(cur, position, pain_point_id, e, "edited", detail)

    def _withdrawn(self, cur: Cursor, e: Any, position: int) -> None:
        cur.execute(
            "UPDATE v_pain_points SET status = 'withdrawn', changed_at = ? WHERE id = ?",
            (micros(e.timestamp), e.originator_id.hex),
        )
        detail = {"reason": e.reason}
        record_history(cur, position, e.originator_id.hex, e, "withdrawn", detail)

    def _status_changed(self, cur: Cursor, e: Any, position: int) -> None:
        _set_status(cur, e.originator_id.hex, e.status, micros(e.timestamp), None)
        detail = {"status": e.status, "reason": e.reason}
        record_history(cur, position, e.originator_id.hex, e, "status-changed", detail)

    def _merged_into(self, cur: Cursor, e: Any, position: int) -> None:
        target = e.target_id.hex
        _set_status(cur, e.originator_id.hex, MERGED, micros(e.timestamp), target)
        detail = {"target": target, "reason": e.reason}
        record_history(cur, position, e.originator_id.hex, e, "merged-into", detail)

    def _unmerged(self, cur: Cursor, e: Any, position: int) -> None:
        _set_status(cur, e.originator_id.hex, e.restored_status, micros(e.timestamp), None)
        detail = {"target": e.target_id.hex, "status": e.restored_status, "reason": e.reason}
        record_history(cur, position, e.originator_id.hex, e, "unmerged", detail)

    def _carried_over(self, cur: Cursor, e: Any, position: int) -> None:
        detail = {"source": e.source_id.hex}
        record_history(cur, position, e.originator_id.hex, e, "support-carried-over", detail)

    def _released(self, cur: Cursor, e: Any, position: int) -> None:
        detail = {"source": e.source_id.hex}
        record_history(cur, position, e.originator_id.hex, e, "support-released", detail)

    @reads_hex
    def _support_given(self, cur: Cursor, e: Any, position: int) -> None:
        """Buffered: a support's first event only adds rows."""
        pain_point_id = e.pain_point_id.hex
        support = e.originator_id.hex
        self._owners.append((key(support), support, pain_point_id))
        self._history.append(
            (
                position,
                pain_point_id,
                micros(e.timestamp),
                "support-given",
                e.by.hex,
                e.for_company.hex,
                NO_DETAIL,
            )
        )

    def _support_changed(self, cur: Cursor, e: Any, position: int) -> None:
        self.indexes.ensure(cur)
        support = e.originator_id.hex
        cur.execute(
            "SELECT pain_point_id FROM v_support_owner WHERE support_key = ? AND support_id = ?",
            (key(support), support),
        )
        pain_point_id = cur.fetchone()[0]
        kind = "support-given" if type(e).__name__ == "GivenAgain" else "support-withdrawn"
        record_history(cur, position, pain_point_id, e, kind, {})


def key(support: str) -> int:
    """The first 60 bits of a support id (its hex text): an index key that fits a BIGINT."""
    return int(support[:15], 16)


#: History entries that name a supporter: shown by company alone where the reader may not
#: see supporters' names (WorkingGroup.supporter_names).
SUPPORT_KINDS = frozenset({"support-given", "support-withdrawn"})


def _set_status(
    cur: Cursor, pain_point_id: str, status: str, at: int, merged_into: str | None
) -> None:
    cur.execute(
        "UPDATE v_pain_points SET status = ?, merged_into = ?, changed_at = ? WHERE id = ?",
        (status, merged_into, at, pain_point_id),
    )


def merged_from(cur: Cursor, pain_point_id: str) -> list[dict[str, Any]]:
    """The duplicates merged into a pain point (their support is carried over)."""
    return rows_as_dicts(
        cur,
        "SELECT id, title FROM v_pain_points WHERE merged_into = ? ORDER BY title, id",
        (pain_point_id,),
    )


HISTORY_COLUMNS = "position, pain_point_id, at, kind, actor_id, company_id, detail"
MARKS = "?, ?, ?, ?, ?, ?, ?"
NO_DETAIL = "{}"


def record_history(
    cur: Cursor, position: int, pain_point_id: str, e: Any, kind: str, detail: object
) -> None:
    company = getattr(e, "for_company", None)
    cur.execute(
        f"INSERT INTO v_history ({HISTORY_COLUMNS}) VALUES ({MARKS})",
        (
            position,
            pain_point_id,
            micros(e.timestamp),
            kind,
            e.by.hex,
            company.hex if company else None,
            json.dumps(detail, sort_keys=True, ensure_ascii=False),
        ),
    )


def find_pain_point(cur: Cursor, pain_point_id: str) -> dict[str, Any] | None:
    rows = rows_as_dicts(
        cur, f"SELECT {PAIN_POINT_COLUMNS} FROM v_pain_points WHERE id = ?", (pain_point_id,)
    )
    if not rows:
        return None
    return {**rows[0], "tags": json.loads(rows[0]["tags"])}


def history(cur: Cursor, pain_point_id: str, limit: int, offset: int) -> list[dict[str, Any]]:
    rows = rows_as_dicts(
        cur,
        "SELECT position, at, kind, actor_id, company_id, detail FROM v_history"
        " WHERE pain_point_id = ? ORDER BY position LIMIT ? OFFSET ?",
        (pain_point_id, limit, offset),
    )
    return [{**row, "detail": json.loads(row["detail"])} for row in rows]


def pain_point_titles(cur: Cursor, ids: set[str]) -> dict[str, str]:
    """Pain points' titles by id."""
    if not ids:
        return {}
    cur.execute(
        f"SELECT id, title FROM v_pain_points WHERE id IN ({marks(sorted(ids))})", sorted(ids)
    )
    return {row[0]: row[1] for row in cur.fetchall()}


def tags_by_pain_point(cur: Cursor, group_id: str) -> dict[str, list[str]]:
    """The tags of each pain point of the group."""
    cur.execute("SELECT id, tags FROM v_pain_points WHERE group_id = ?", (group_id,))
    return {pain_point_id: json.loads(tags) for pain_point_id, tags in cur.fetchall()}


def tags_in(cur: Cursor, group_ids: list[str]) -> list[str]:
    """Every tag used in these groups, sorted."""
    if not group_ids:
        return []
    cur.execute(
        f"SELECT DISTINCT tags FROM v_pain_points WHERE group_id IN ({marks(group_ids)})",
        group_ids,
    )
    return sorted({tag for (tags,) in cur.fetchall() for tag in json.loads(tags)})


def in_group(
    cur: Cursor, group_id: str, statuses: Collection[str], also: Collection[str] = ()
) -> list[dict[str, Any]]:
    """Id, title and status of the group's pain points in one of `statuses`, and of
    those of `also` (ids), in no particular order."""
    extra = sorted(pid for pid in also if pid)
    wanted = sorted(statuses)
    return rows_as_dicts(
        cur,
        f"SELECT id, title, status FROM v_pain_points WHERE group_id = ?"
        f" AND (status IN ({marks(wanted) or 'NULL'}) OR id IN ({marks(extra) or 'NULL'}))",
        (group_id, *wanted, *extra),
    )


def merge_targets(
    cur: Cursor, group_id: str, pain_point_id: str, statuses: Collection[str]
) -> list[dict[str, Any]]:
    """Id and title of the group's other pain points in one of `statuses`, by title."""
    wanted = sorted(statuses)
    return rows_as_dicts(
        cur,
        f"SELECT id, title FROM v_pain_points WHERE group_id = ? AND id <> ?"
        f" AND status IN ({marks(wanted)}) ORDER BY title, id",
        (group_id, pain_point_id, *wanted),
    )


def group_pain_points(
    cur: Cursor, group_id: str, limit: int, offset: int
) -> tuple[list[dict[str, Any]], int]:
    """A page of a group's pain points (every status), newest first, and how many there are."""
    cur.execute("SELECT COUNT(*) FROM v_pain_points WHERE group_id = ?", (group_id,))
    total = int(cur.fetchone()[0])
    rows = rows_as_dicts(
        cur,
        f"SELECT {PAIN_POINT_COLUMNS} FROM v_pain_points WHERE group_id = ?"
        " ORDER BY submitted_at DESC, id LIMIT ? OFFSET ?",
        (group_id, limit, offset),
    )
    return [{**row, "tags": json.loads(row["tags"])} for row in rows], total
