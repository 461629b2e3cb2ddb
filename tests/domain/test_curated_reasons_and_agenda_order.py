"""A curated list reports every row that departs without a reason at once; the board
puts a meeting's agenda in a new order, the same items only."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID, uuid4

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.curation import DEPARTURE, CuratedList
from domain.errors import Conflict, Invalid
from domain.meeting import BoardMeeting

AT = datetime(2026, 3, 1, 9, tzinfo=UTC)
BY = uuid4()

# -- curated lists: every missing reason at once ----------------------------------------


def rows(ranks: list[int | None], reasons: list[bool]) -> list[dict[str, object]]:
    return [
        {"pain_point_id": str(uuid4()), "community_rank": rank, "rationale": "weil" if why else ""}
        for rank, why in zip(ranks, reasons, strict=True)
    ]


def test_several_rows_without_reason_are_reported_in_one_error() -> None:
    # Given rows 1 and 4 that depart (rank 5 at 1, unranked at 4) and row 3 that does not
    items = rows([5, 1, 2, None], [False, False, False, False])

    # When the list is published
    with pytest.raises(Invalid) as refused:
        CuratedList.first(uuid4(), items, "", by=BY, at=AT)

    # Then one error names both rows, each with its own code and field
    error = refused.value
    assert (error.code, error.field, error.params) == (
        "curated.reasons_missing",
        "items",
        {"count": 2, "positions": "1, 4"},
    )
    assert [(d.code, d.field, d.params) for d in error.details] == [
        ("curated.departure_needs_reason", "items.1.rationale", {"position": 1, "rank": 5}),
        ("curated.departure_unranked_needs_reason", "items.4.rationale", {"position": 4}),
    ]
    assert "rows 1, 4" in error.message


def test_a_single_row_without_reason_keeps_its_own_code() -> None:
    # Given one departing row without reason and one with
    items = rows([4, 1, None], [False, False, True])

    # When / Then: the row's own error, as before
    with pytest.raises(Invalid) as refused:
        CuratedList.first(uuid4(), items, "", by=BY, at=AT)
    assert (refused.value.code, refused.value.field) == (
        "curated.departure_needs_reason",
        "items.1.rationale",
    )


@given(
    st.lists(
        st.tuples(st.one_of(st.none(), st.integers(1, 20)), st.booleans()), min_size=1, max_size=15
    )
)
def test_exactly_the_departing_rows_without_reason_are_reported(
    table: list[tuple[int | None, bool]],
) -> None:
    items = rows([rank for rank, _ in table], [why for _, why in table])
    expected = [
        position
        for position, (rank, why) in enumerate(table, start=1)
        if not why and (rank is None or abs(position - rank) >= DEPARTURE)
    ]
    if not expected:
        listed = CuratedList.first(uuid4(), items, "", by=BY, at=AT)
        assert len(listed.items) == len(table)
        return
    with pytest.raises(Invalid) as refused:
        CuratedList.first(uuid4(), items, "", by=BY, at=AT)
    error = refused.value
    fields = [d.field for d in error.details] if error.details else [error.field]
    assert fields == [f"items.{position}.rationale" for position in expected]
    assert (error.code == "curated.reasons_missing") == (len(expected) > 1)


# -- the agenda's order -------------------------------------------------------------------


def meeting_with(items: list[UUID]) -> BoardMeeting:
    meeting = BoardMeeting.schedule("QB", "quality-board", "2026-04-20", by=BY, at=AT, id=uuid4())
    meeting.set_agenda(items, by=BY, at=AT)
    return meeting


def test_the_board_puts_the_agenda_in_a_new_order() -> None:
    # Given an agenda a, b, c
    a, b, c = uuid4(), uuid4(), uuid4()
    meeting = meeting_with([a, b, c])

    # When it is reordered c, a, b
    changed = meeting.reorder_agenda([c, a, b], by=BY, at=AT)

    # Then the agenda is in that order, recorded as one event
    assert changed
    assert meeting.agenda == [c, a, b]
    assert type(meeting.collect_events()[-1]).__name__ == "AgendaSet"
    assert not meeting.reorder_agenda([c, a, b], by=BY, at=AT)  # the same order: no event


@pytest.mark.parametrize("kind", ["missing", "extra", "twice", "other"])
def test_a_new_order_lists_exactly_the_agendas_items(kind: str) -> None:
    a, b = uuid4(), uuid4()
    meeting = meeting_with([a, b])
    order = {"missing": [b], "extra": [b, a, uuid4()], "twice": [a, a], "other": [a, uuid4()]}

    with pytest.raises(Conflict) as refused:
        meeting.reorder_agenda(order[kind], by=BY, at=AT)

    assert (refused.value.code, refused.value.field) == ("agenda.reorder_same_items", "items")
    assert meeting.agenda == [a, b]


@given(st.integers(0, 12), st.randoms(use_true_random=False))
def test_every_permutation_is_accepted_as_it_is(size: int, rng: object) -> None:
    items = [uuid4() for _ in range(size)]
    meeting = meeting_with(items)
    order = list(items)
    rng.shuffle(order)  # type: ignore[attr-defined]

    changed = meeting.reorder_agenda(order, by=BY, at=AT)

    assert meeting.agenda == order
    assert changed == (order != items)
