"""The working-group lead's curated list: the order the association presents.

The computed community ranking is the starting point; the lead's order is the one
presented, and every departure from the community rank carries its reason. Every
published version stays in the log, so any earlier version can be shown.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.errors import Conflict, Invalid
from domain.ids import NAMESPACE
from domain.limits import MAX_ITEMS
from domain.rules import MAX_REASON, clean_text

#: Rows this many places or more away from their community rank must carry a rationale.
DEPARTURE = 3


def curated_list_id(group_id: UUID) -> UUID:
    return uuid5(NAMESPACE, f"curated-list:{group_id}")


def departs(position: int, community_rank: int | None) -> bool:
    return community_rank is None or abs(position - community_rank) >= DEPARTURE


def clean_pain_point_id(item: dict[str, Any], position: int) -> str:
    """The row's pain point id in canonical form, so repeats are found whatever its spelling."""
    try:
        return str(UUID(str(item["pain_point_id"])))
    except (KeyError, TypeError, ValueError):
        raise Invalid("curated.row_needs_id", field=f"items.{position}") from None


def clean_items(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Validate rows: at most MAX_ITEMS, no repeats, a rationale where the order departs.

    Every row that departs without a reason is reported at once: one such row raises
    its own error (as it always did); several raise `curated.reasons_missing`, with each
    row's own error in `details`.
    """
    if len(items) > MAX_ITEMS:
        raise Invalid("curated.too_many", field="items", max=MAX_ITEMS)
    seen: set[str] = set()
    cleaned = []
    missing: list[Invalid] = []
    for position, item in enumerate(items, start=1):
        pain_point_id = clean_pain_point_id(item, position)
        if pain_point_id in seen:
            raise Invalid("curated.twice", field=f"items.{position}")
        seen.add(pain_point_id)
        rationale = clean_text(
            str(item.get("rationale", "")),
            field=f"items.{position}.rationale",
            max_len=MAX_REASON,
            required=False,
        )
        rank = item.get("community_rank")
        if rank is not None and (type(rank) is not int or rank < 1):
            raise Invalid("curated.rank_number", field=f"items.{position}.community_rank")
        if departs(position, rank) and not rationale:
            missing.append(missing_reason(position, rank))
        cleaned.append(
            {
                "pain_point_id": pain_point_id,
                "pinned": bool(item.get("pinned", False)),
                "rationale": rationale,
                "community_rank": rank,
            }
        )
    if len(missing) == 1:
        raise missing[0]
    if missing:
        positions = ", ".join(str(error.params["position"]) for error in missing)
        error = Invalid(
            "curated.reasons_missing", field="items", count=len(missing), positions=positions
        )
        raise error.with_details(tuple(missing))
    return cleaned


def missing_reason(position: int, rank: int | None) -> Invalid:
    """The error of a row at `position` that departs from `rank` without a reason."""
    field = f"items.{position}.rationale"
    if rank:
        return Invalid("curated.departure_needs_reason", field=field, position=position, rank=rank)
    return Invalid("curated.departure_unranked_needs_reason", field=field, position=position)


class CuratedList(Aggregate):
    @event("Published")
    def __init__(
        self,
        id: UUID,
        group_id: UUID,
        items: list[dict[str, Any]],
        note: str,
        by: UUID,
        timestamp: datetime,
    ) -> None:
        self.group_id = group_id
        self.items = items
        self.edition = 1

    @classmethod
    def first(
        cls, group_id: UUID, items: list[dict[str, Any]], note: str, *, by: UUID, at: datetime
    ) -> CuratedList:
        return cls(
            id=curated_list_id(group_id),
            group_id=group_id,
            items=clean_items(items),
            note=clean_text(note, field="note", max_len=MAX_REASON, required=False),
            by=by,
            timestamp=at,
        )

    def republish(
        self, items: list[dict[str, Any]], note: str, *, expected: int, by: UUID, at: datetime
    ) -> None:
        """Publish the next edition, if nobody else published one since `expected`."""
        if expected != self.edition:
            raise Conflict(
                "curated.stale_edition", field="edition", edition=self.edition, expected=expected
            )
        note = clean_text(note, field="note", max_len=MAX_REASON, required=False)
        self._republish(items=clean_items(items), note=note, by=by, timestamp=at)

    @event("Republished")
    def _republish(
        self, items: list[dict[str, Any]], note: str, by: UUID, timestamp: datetime
    ) -> None:
        self.items = items
        self.edition += 1
