"""Structured evidence for a pain point: how many customers, how much revenue, where."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.comment import EDIT_WINDOW
from domain.errors import Conflict, Invalid, PermissionDenied
from domain.limits import MAX_CUSTOMERS, MAX_LINK, MAX_NOTE
from domain.personal import Personal
from domain.rules import MAX_NAME, MAX_REASON, clean_text

#: Revenue affected per year, in bands: no member has to disclose exact figures.
REVENUE_BANDS = ("unknown", "under-10k", "10k-100k", "100k-1m", "over-1m")
#: Free texts of evidence, personal data of its author (stored encrypted). The counts,
#: band and product area are the association's figures and stay plain (dossiers use them).
PERSONAL_FACTS = ("link", "note")


def sealed_facts(facts: dict[str, object], author: UUID) -> dict[str, object]:
    """The facts with each free text as a Personal value of the author."""
    return {
        k: Personal(author, v) if k in PERSONAL_FACTS and isinstance(v, str) else v
        for k, v in facts.items()
    }


def plain_facts(facts: dict[str, object]) -> dict[str, object]:
    """The facts with each Personal value as its text ("" once erased)."""
    return {k: v.shown if isinstance(v, Personal) else v for k, v in facts.items()}


def clean_evidence(
    affected_customers: int, revenue_band: str, product_area: str, link: str, note: str
) -> dict[str, object]:
    if not 0 <= affected_customers <= MAX_CUSTOMERS:
        raise Invalid("evidence.customers_range", field="affected_customers", max=MAX_CUSTOMERS)
    if revenue_band not in REVENUE_BANDS:
        raise Invalid("choice.unknown", field="revenue_band", choices=", ".join(REVENUE_BANDS))
    link = clean_text(link, field="link", max_len=MAX_LINK, required=False)
    if link and urlsplit(link).scheme not in ("http", "https"):
        raise Invalid("link.not_http", field="link")
    return {
        "affected_customers": affected_customers,
        "revenue_band": revenue_band,
        "product_area": clean_text(
            product_area, field="product_area", max_len=MAX_NAME, required=False
        ),
        "link": link,
        "note": clean_text(note, field="note", max_len=MAX_NOTE, required=False),
    }


class Evidence(Aggregate):
    @event("Added")
    def __init__(
        self,
        id: UUID,
        pain_point_id: UUID,
        group_id: UUID,
        facts: dict[str, object],
        by: UUID,
        for_company: UUID | None,
        timestamp: datetime,
    ) -> None:
        self.pain_point_id = pain_point_id
        self.group_id = group_id
        self.facts = facts
        self.author = by
        self.added_at = timestamp
        self.removed = False

    @classmethod
    def add(
        cls,
        pain_point_id: UUID,
        group_id: UUID,
        facts: dict[str, object],
        *,
        by: UUID,
        for_company: UUID | None,
        at: datetime,
        id: UUID,
    ) -> Evidence:
        return cls(
            id=id,
            pain_point_id=pain_point_id,
            group_id=group_id,
            facts=sealed_facts(facts, by),
            by=by,
            for_company=for_company,
            timestamp=at,
        )

    def edit(self, facts: dict[str, object], *, by: UUID, at: datetime) -> bool:
        if self.removed:
            raise Conflict("evidence.removed")
        if by != self.author:
            raise PermissionDenied("evidence.author_only")
        if at - self.added_at > EDIT_WINDOW:
            raise Conflict("evidence.edit_window")
        if facts == plain_facts(self.facts):
            return False
        self._edit(facts=sealed_facts(facts, self.author), by=by, timestamp=at)
        return True

    @event("Edited")
    def _edit(self, facts: dict[str, object], by: UUID, timestamp: datetime) -> None:
        self.facts = facts

    def remove(self, reason: str, *, by: UUID, at: datetime) -> None:
        if self.removed:
            raise Conflict("evidence.already_removed")
        reason = clean_text(reason, field="reason", max_len=MAX_REASON)
        self._remove(reason=reason, by=by, timestamp=at)

    @event("Removed")
    def _remove(self, reason: str, by: UUID, timestamp: datetime) -> None:
        self.removed = True
