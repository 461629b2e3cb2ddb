"""Comments and evidence members add to pain points."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from domain.comment import Comment
from domain.evidence import Evidence
from dossiers.versions.v1.projections.painpoint_view import record_history
from dossiers.versions.v1.projections.store import Cursor, rows_as_dicts
from dossiers.versions.v1.projections.view import Handler, View, micros, topic

DDL = (
    "CREATE TABLE IF NOT EXISTS v_comments (id TEXT PRIMARY KEY,"
    " pain_point_id TEXT NOT NULL, author_id TEXT NOT NULL, company_id TEXT,"
    " text TEXT NOT NULL, posted_at BIGINT NOT NULL, edited_at BIGINT,"
    " removed_at BIGINT, removal_reason TEXT)",
    "CREATE INDEX IF NOT EXISTS v_comments_item ON v_comments (pain_point_id, posted_at)",
    "CREATE TABLE IF NOT EXISTS v_evidence (id TEXT PRIMARY KEY,"
    " pain_point_id TEXT NOT NULL, author_id TEXT NOT NULL, company_id TEXT,"
    " affected_customers INTEGER NOT NULL, revenue_band TEXT NOT NULL,"
    " product_area TEXT NOT NULL, link TEXT NOT NULL, note TEXT NOT NULL,"
    " added_at BIGINT NOT NULL, edited_at BIGINT, removed_at BIGINT, removal_reason TEXT)",
    "CREATE INDEX IF NOT EXISTS v_evidence_item ON v_evidence (pain_point_id, added_at)",
)
FACTS = ("affected_customers", "revenue_band", "product_area", "link", "note")


class ContributionView(View):
    tables = ("v_comments", "v_evidence")

    def create(self, cur: Cursor) -> None:
        for statement in DDL:
            cur.execute(statement)

    def handlers(self) -> Mapping[str, Handler]:
        return {
            topic(Comment, "Posted"): self._posted,
            topic(Comment, "Edited"): self._comment_edited,
            topic(Comment, "Removed"): self._removed("v_comments", "comment-removed"),
            topic(Evidence, "Added"): self._added,
            topic(Evidence, "Edited"): self._evidence_edited,
            topic(Evidence, "Removed"): self._removed("v_evidence", "evidence-removed"),
        }

    def _posted(self, cur: Cursor, e: Any, position: int) -> None:
        company = e.for_company.hex if e.for_company else None
        cur.execute(
            "INSERT INTO v_comments (id, pain_point_id, author_id, company_id, text, posted_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (
                e.originator_id.hex,
                e.pain_point_id.hex,
                e.by.hex,
                company,
                e.text,
                micros(e.timestamp),
            ),
        )
        record_history(cur, position, e.pain_point_id.hex, e, "commented", {})

    def _comment_edited(self, cur: Cursor, e: Any, position: int) -> None:
        cur.execute(
            "UPDATE v_comments SET text = ?, edited_at = ? WHERE id = ?",
            (e.text, micros(e.timestamp), e.originator_id.hex),
        )

    def _added(self, cur: Cursor, e: Any, position: int) -> None:
        company = e.for_company.hex if e.for_company else None
        cur.execute(
            "INSERT INTO v_evidence (id, pain_point_id, author_id, company_id,"
            " affected_customers, revenue_band, product_area, link, note, added_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                e.originator_id.hex,
                e.pain_point_id.hex,
                e.by.hex,
                company,
                *(e.facts[name] for name in FACTS),
                micros(e.timestamp),
            ),
        )
        detail = {
            "affected_customers": e.facts["affected_customers"],
            "revenue_band": e.facts["revenue_band"],
        }
        record_history(cur, position, e.pain_point_id.hex, e, "evidence-added", detail)

    def _evidence_edited(self, cur: Cursor, e: Any, position: int) -> None:
        cur.execute(
            "UPDATE v_evidence SET affected_customers = ?, revenue_band = ?,"
            " product_area = ?, link = ?, note = ?, edited_at = ? WHERE id = ?",
            (*(e.facts[name] for name in FACTS), micros(e.timestamp), e.originator_id.hex),
        )

    @staticmethod
    def _removed(table: str, kind: str) -> Handler:
        def removed(cur: Cursor, e: Any, position: int) -> None:
            cur.execute(
                f"UPDATE {table} SET removed_at = ?, removal_reason = ? WHERE id = ?",
                (micros(e.timestamp), e.reason, e.originator_id.hex),
            )
            cur.execute(f"SELECT pain_point_id FROM {table} WHERE id = ?", (e.originator_id.hex,))
            pain_point_id = cur.fetchone()[0]
            record_history(cur, position, pain_point_id, e, kind, {"reason": e.reason})

        return removed


def comments_of(cur: Cursor, pain_point_id: str) -> list[dict[str, Any]]:
    return rows_as_dicts(
        cur,
        "SELECT id, author_id, company_id, text, posted_at, edited_at, removed_at,"
        " removal_reason FROM v_comments WHERE pain_point_id = ? ORDER BY posted_at, id",
        (pain_point_id,),
    )


def evidence_of(cur: Cursor, pain_point_id: str) -> list[dict[str, Any]]:
    return rows_as_dicts(
        cur,
        "SELECT id, author_id, company_id, affected_customers, revenue_band, product_area,"
        " link, note, added_at, edited_at FROM v_evidence"
        " WHERE pain_point_id = ? AND removed_at IS NULL ORDER BY added_at, id",
        (pain_point_id,),
    )
