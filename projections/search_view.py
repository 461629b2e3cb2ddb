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
from domain.workflow import OPEN_STATUSES
from projections.store import Cursor
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
            topic(PainPoint, "Withdrawn"): self._status("withdrawn"),
            topic(PainPoint, "StatusChanged"): self._status(None),
            topic(PainPoint, "MergedInto"): self._status("merged"),
            topic(PainPoint, "Unmerged"): self._status(None),
        }

    def _submitted(self, cur: Cursor, e: Any, position: int) -> None:
        tags = " ".join(e.tags)
        row = (e.originator_id.hex, e.group_id.hex, e.title, e.description, tags)
        if self.dialect == "sqlite":
            cur.execute(
                "INSERT INTO v_search (pain_point_id, group_id, status, title, description,"
                " tags) VALUES (?, ?, 'new', ?, ?, ?)",
                row,
            )
        else:
            cur.execute(
                "INSERT INTO v_search (pain_point_id, group_id, status, title, description,"
                " tags, document) VALUES (?, ?, 'new', ?, ?, ?,"
                " setweight(to_tsvector('simple', ?), 'A')"
                " || setweight(to_tsvector('simple', ?), 'B')"
                " || setweight(to_tsvector('simple', ?), 'C'))",
                (*row, e.title, tags, e.description),
            )

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
