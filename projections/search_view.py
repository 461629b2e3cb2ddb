"""Full-text search over pain points: SQLite FTS5 or a PostgreSQL tsvector index.

Titles, descriptions and tags are indexed with language-neutral tokenisation
(German and English texts live side by side); words typed so far match as prefixes,
so the submit form can suggest duplicates while the member is still typing.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from domain.painpoint import PainPoint
from domain.ranking import NO_SUPPORT
from domain.workflow import OPEN_STATUSES
from projections.store import Cursor, rows_as_dicts
from projections.view import Handler, View, topic

OPEN_LIST = ", ".join(f"'{status}'" for status in sorted(OPEN_STATUSES))
WORD = re.compile(r"\w+", re.UNICODE)
MAX_WORDS = 12

SQLITE_DDL = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS v_search USING fts5(pain_point_id UNINDEXED,"
    " group_id UNINDEXED, status UNINDEXED, title, description, tags,"
    " tokenize = 'unicode61 remove_diacritics 2')",
)
POSTGRES_DDL = (
    "CREATE TABLE IF NOT EXISTS v_search (pain_point_id TEXT PRIMARY KEY,"
    " group_id TEXT NOT NULL, status TEXT NOT NULL, title TEXT NOT NULL,"
    " description TEXT NOT NULL, tags TEXT NOT NULL, document TSVECTOR NOT NULL)",
    "CREATE INDEX IF NOT EXISTS v_search_document ON v_search USING GIN (document)",
)


def words(text: str) -> list[str]:
    """The search words of a query: letters and digits only, at most MAX_WORDS."""
    return WORD.findall(text.casefold())[:MAX_WORDS]


class SearchView(View):
    tables = ("v_search",)

    def __init__(self, dialect: str) -> None:
        self.dialect = dialect

    def create(self, cur: Cursor) -> None:
        for statement in SQLITE_DDL if self.dialect == "sqlite" else POSTGRES_DDL:
            cur.execute(statement)

    def handlers(self) -> Mapping[str, Handler]:
        return {
            topic(PainPoint, "Submitted"): self._submitted,
            topic(PainPoint, "Edited"): self._edited,
            topic(PainPoint, "Withdrawn"): self._status("withdrawn"),
            topic(PainPoint, "StatusChanged"): self._status(None),
            topic(PainPoint, "MergedInto"): self._status("merged"),
            topic(PainPoint, "Unmerged"): self._status(None),
        }

    def _submitted(self, cur: Cursor, e: Any, position: int) -> None:
        tags = " ".join(e.tags)
        self._index(cur, (e.originator_id.hex, e.group_id.hex, "new", e.title, e.description, tags))

    def _index(self, cur: Cursor, row: tuple[str, str, str, str, str, str]) -> None:
        """Index (pain point, group, status, title, description, tags)."""
        if self.dialect == "sqlite":
            cur.execute(
                "INSERT INTO v_search (pain_point_id, group_id, status, title, description,"
                " tags) VALUES (?, ?, ?, ?, ?, ?)",
                row,
            )
        else:
            _, _, _, title, description, tags = row
            cur.execute(
                "INSERT INTO v_search (pain_point_id, group_id, status, title, description,"
                " tags, document) VALUES (?, ?, ?, ?, ?, ?,"
                " setweight(to_tsvector('simple', ?), 'A')"
                " || setweight(to_tsvector('simple', ?), 'B')"
                " || setweight(to_tsvector('simple', ?), 'C'))",
                (*row, title, tags, description),
            )

    def _edited(self, cur: Cursor, e: Any, position: int) -> None:
        """Re-index the pain point's texts (an FTS5 row is replaced: delete, insert)."""
        pain_point_id = e.originator_id.hex
        cur.execute(
            "SELECT group_id, status, title, description, tags FROM v_search"
            " WHERE pain_point_id = ?",
            (pain_point_id,),
        )
        group_id, status, title, description, tags = cur.fetchone()
        title = title if e.title is None else e.title
        description = description if e.description is None else e.description
        tags = tags if e.tags is None else " ".join(e.tags)
        cur.execute("DELETE FROM v_search WHERE pain_point_id = ?", (pain_point_id,))
        self._index(cur, (pain_point_id, group_id, status, title, description, tags))

    def _status(self, fixed: str | None) -> Handler:
        def handle(cur: Cursor, e: Any, position: int) -> None:
            status = fixed or getattr(e, "status", None) or e.restored_status
            cur.execute(
                "UPDATE v_search SET status = ? WHERE pain_point_id = ?",
                (status, e.originator_id.hex),
            )

        return handle


def matching(
    cur: Cursor,
    dialect: str,
    text: str,
    group_ids: list[str],
    limit: int,
    *,
    include_closed: bool = False,
) -> list[str]:
    """Ids of pain points in the groups whose text matches every word (as a prefix),
    best match first; pain points no longer open (withdrawn, merged, declined, resolved,
    closed) only when asked for."""
    terms = words(text)
    if not terms or not group_ids:
        return []
    groups = ", ".join("?" for _ in group_ids)
    active = "" if include_closed else f" AND status IN ({OPEN_LIST})"
    if dialect == "sqlite":
        query = " ".join(f'"{term}"*' for term in terms)
        cur.execute(
            f"SELECT pain_point_id FROM v_search WHERE v_search MATCH ?"
            f" AND group_id IN ({groups}){active}"
            f" ORDER BY bm25(v_search, 0, 0, 0, 4.0, 1.0, 2.0), pain_point_id LIMIT ?",
            (query, *group_ids, limit),
        )
    else:
        query = " & ".join(f"{term}:*" for term in terms)
        cur.execute(
            f"SELECT pain_point_id FROM v_search WHERE document @@ to_tsquery('simple', ?)"
            f" AND group_id IN ({groups}){active}"
            f" ORDER BY ts_rank(document, to_tsquery('simple', ?)) DESC, pain_point_id LIMIT ?",
            (query, *group_ids, query, limit),
        )
    return [row[0] for row in cur.fetchall()]


ORDERS = {
    "relevance": "m.pos, p.id",
    "rank": "units DESC, companies DESC, supporters DESC, first_support_at, p.id",
    "newest": "p.submitted_at DESC, p.id",
    "oldest": "p.submitted_at, p.id",
    "companies": "companies DESC, units DESC, supporters DESC, p.id",
}
TAG_SQL = {
    "sqlite": "EXISTS (SELECT 1 FROM json_each(p.tags) WHERE json_each.value = ?)",
    "postgres": "EXISTS (SELECT 1 FROM jsonb_array_elements_text(p.tags::jsonb) AS t(tag)"
    " WHERE t.tag = ?)",
}


def search(
    cur: Cursor,
    dialect: str,
    scope: list[str],
    ids: list[str] | None,
    *,
    status: str,
    tag: str,
    order: str,
    page: int,
    page_size: int,
) -> tuple[list[dict[str, Any]], int, int]:
    """A page of the pain points in the groups of `scope` (and among `ids`, best match
    first, unless None) in `status` ("all": any) with `tag` ("": any), sorted by one of
    ORDERS; their number; and the page number kept in range."""
    cte, join, params = _matched(ids)
    where, where_params = _where(dialect, scope, status, tag)
    cur.execute(
        f"{cte}SELECT COUNT(*) FROM v_pain_points p{join} WHERE {where}", (*params, *where_params)
    )
    total = int(cur.fetchone()[0])
    page = min(page, max(1, -(-total // page_size)))
    rows = rows_as_dicts(
        cur,
        f"{cte}SELECT p.id, p.title, p.status, p.tags, p.submitted_at, p.group_id,"
        f" g.name AS group_name, COALESCE(r.units, 0) AS units,"
        f" COALESCE(r.companies, 0) AS companies, COALESCE(r.supporters, 0) AS supporters,"
        f" COALESCE(r.first_support_at, {NO_SUPPORT}) AS first_support_at"
        f" FROM v_pain_points p JOIN v_groups g ON g.id = p.group_id"
        f" LEFT JOIN v_rank_items r ON r.pain_point_id = p.id{join}"
        f" WHERE {where} ORDER BY {ORDERS[order]} LIMIT ? OFFSET ?",
        (*params, *where_params, page_size, (page - 1) * page_size),
    )
    return rows, total, page


def _matched(ids: list[str] | None) -> tuple[str, str, list[Any]]:
    """A CTE of the matching ids with their relevance position, and its join."""
    if ids is None:
        return "", "", []
    values = ", ".join("(?, ?)" for _ in ids)
    params = [value for pos, pid in enumerate(ids) for value in (pid, pos)]
    return f"WITH m (id, pos) AS (VALUES {values}) ", " JOIN m ON m.id = p.id", params


def _where(dialect: str, scope: list[str], status: str, tag: str) -> tuple[str, list[Any]]:
    clauses = [f"p.group_id IN ({', '.join('?' for _ in scope)})"]
    params: list[Any] = list(scope)
    if status != "all":
        clauses.append("p.status = ?")
        params.append(status)
    if tag:
        clauses.append(TAG_SQL[dialect])
        params.append(tag)
    return " AND ".join(clauses), params
