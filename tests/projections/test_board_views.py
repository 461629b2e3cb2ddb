"""The board's views built from commands: curated editions, meetings, responses,
promises, response times and what changed between two moments."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID

import pytest

from domain.ids import SYSTEM
from projections.board_changes import changes_between
from projections.board_queries import (
    community_ranks,
    curated_list,
    meeting,
    meetings,
    previous_meeting,
    promises,
    response_times,
    responses_of,
    vendor_pain_points,
)
from projections.store import Cursor
from projections.view import micros
from service.application import Sprachrohr
from service.runtime import Runtime, build_runtime
from service.settings import Settings

MINUTE = 60_000_000


class Clock:
    """Each reading is one minute after the last; `advance` jumps ahead."""

    def __init__(self) -> None:
        self.now = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.now += timedelta(minutes=1)
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta


@dataclass
class Board:
    """Group G with companies A, B and C; `lead` (of A) leads G; `vendor` responds."""

    app: Sprachrohr
    runtime: Runtime
    clock: Clock
    group: UUID
    people: dict[str, UUID]
    items: dict[str, UUID]

    @property
    def lead(self) -> UUID:
        return self.people["a1"]

    @property
    def vendor(self) -> UUID:
        return self.people["vendor"]

    def support(self, item: str, *people: str) -> None:
        for person in people:
            self.app.give_support(self.items[item], by=self.people[person])

    def escalate(self, item: str) -> None:
        for status in ("accepted", "escalated"):
            self.app.change_status(self.items[item], status, "wichtig", by=self.lead)

    @contextmanager
    def read(self) -> Iterator[Cursor]:
        """A read snapshot of the views, caught up with every command so far."""
        self.runtime.projector.catch_up()
        with self.runtime.store.reading() as cur:
            yield cur


@pytest.fixture
def board(settings: Settings) -> Iterator[Board]:
    runtime = build_runtime(settings)
    app, clock = runtime.app, Clock()
    app.clock = clock
    group = app.found_group("Süd/München", "regional", "", by=SYSTEM).id
    people: dict[str, UUID] = {}
    for company, names in (("A", ("a1", "a2")), ("B", ("b1",)), ("C", ("c1", "c2"))):
        company_id = app.admit_company(f"Firma {company} GmbH", by=SYSTEM).id
        for name in names:
            people[name] = app.register_person(
                f"{name}@firma.example", name.upper(), company_id, "-", by=SYSTEM
            ).id
            app.enrol(group, people[name], by=SYSTEM)
    app.appoint_lead(group, people["a1"], by=SYSTEM)
    people["vendor"] = app.register_person("rep@vendor.example", "Rep", None, "-", by=SYSTEM).id
    app.grant_role(people["vendor"], "vendor", by=SYSTEM)
    items = {
        name: app.submit_pain_point(group, f"Punkt {name}", "", [], by=people["b1"]).id
        for name in ("p1", "p2", "p3")
    }
    world = Board(app, runtime, clock, group, people, items)
    world.support("p1", "a1", "b1")
    world.support("p2", "c1")
    yield world
    runtime.close()


def publish(board: Board, rows: list[tuple[str, int | None, str]], edition: int) -> None:
    items = [
        {"pain_point_id": str(board.items[item]), "community_rank": rank, "rationale": why}
        for item, rank, why in rows
    ]
    board.app.publish_curated_list(board.group, items, "", edition=edition, by=board.lead)


def test_every_curated_edition_stays_readable(board: Board) -> None:
    publish(board, [("p2", 2, ""), ("p1", 1, "")], edition=0)
    publish(board, [("p3", 3, ""), ("p1", 1, "")], edition=1)
    board.app.publish_curated_list(board.group, [], "leer", edition=2, by=board.lead)

    with board.read() as cur:
        latest = curated_list(cur, board.group.hex)
        first = curated_list(cur, board.group.hex, 1)
        second = curated_list(cur, board.group.hex, 2)
        missing = curated_list(cur, board.group.hex, 4)
        nobody = curated_list(cur, UUID(int=5).hex)

    assert latest is not None
    assert first is not None
    assert second is not None
    assert (latest["edition"], latest["latest_edition"], latest["note"]) == (3, 3, "leer")
    assert latest["rows"] == []
    assert [(r["pain_point_id"], r["community_rank"]) for r in first["rows"]] == [
        (board.items["p2"].hex, 2),
        (board.items["p1"].hex, 1),
    ]
    assert [r["title"] for r in second["rows"]] == ["Punkt p3", "Punkt p1"]
    assert second["published_by"] == board.lead.hex
    assert second["latest_edition"] == 3
    assert missing is None
    assert nobody is None


def test_community_ranks_follow_the_live_ranking(board: Board) -> None:
    with board.read() as cur:
        ranks = community_ranks(cur, board.group.hex)

    assert ranks == {board.items["p1"].hex: 1, board.items["p2"].hex: 2, board.items["p3"].hex: 3}


def test_meetings_show_their_agenda_and_what_was_presented_when(board: Board) -> None:
    board.escalate("p1")
    board.escalate("p2")
    earlier = board.app.schedule_meeting(
        "Quality Board Q1", "quality-board", "2025-03-10", by=SYSTEM
    )
    later = board.app.schedule_meeting("Inner Circle", "inner-circle", "2025-06-02", by=SYSTEM)
    board.app.set_agenda(later.id, [board.items["p2"], board.items["p1"]], by=SYSTEM)
    board.clock.advance(timedelta(days=91))  # the day of the Inner Circle
    board.app.mark_presented(later.id, board.items["p1"], by=SYSTEM)
    presented_at = micros(board.clock.now)

    with board.read() as cur:
        listed, total = meetings(cur)
        shown = meeting(cur, later.id.hex)
        assert shown is not None
        before = previous_meeting(cur, shown)
        first = previous_meeting(cur, listed[1])

    assert total == 2
    assert [m["name"] for m in listed] == ["Inner Circle", "Quality Board Q1"]
    assert (shown["kind"], shown["held_on"]) == ("inner-circle", "2025-06-02")
    agenda = [(a["pain_point_id"], a["status"], a["presented_at"]) for a in shown["agenda"]]
    assert agenda == [
        (board.items["p2"].hex, "escalated", None),
        (board.items["p1"].hex, "presented", presented_at),
    ]
    assert [(p["pain_point_id"], p["presented_at"]) for p in shown["presented"]] == [
        (board.items["p1"].hex, presented_at)
    ]
    assert before is not None
    assert before["id"] == earlier.id.hex
    assert first is None


def respond(board: Board, item: str, commitment: str = "", due_on: str = "") -> UUID:
    return board.app.respond(
        board.items[item],
        kind="planned",
        text="Wir arbeiten daran.",
        product_group="Partner Center",
        commitment=commitment,
        due_on=due_on,
        by=board.vendor,
    ).id


def test_open_promises_past_due_are_overdue_from_the_day_asked(board: Board) -> None:
    board.escalate("p1")
    kept = respond(board, "p1", "Registrierung in einem Schritt", "2025-04-01")
    pending = respond(board, "p1", "Neues Portal", "2025-04-30")
    respond(board, "p1")
    board.app.settle_commitment(kept, True, "geliefert", by=SYSTEM)

    with board.read() as cur:
        in_april = promises(cur, date(2025, 4, 15))
        in_may = promises(cur, date(2025, 5, 1))
        other_group = promises(cur, date(2025, 5, 1), [UUID(int=9).hex])
        answers = responses_of(cur, board.items["p1"].hex)

    assert [(p["id"], p["state"], p["overdue"]) for p in in_april] == [
        (kept.hex, "met", False),
        (pending.hex, "open", False),
    ]
    assert [(p["state"], p["overdue"]) for p in in_may] == [("met", False), ("open", True)]
    assert in_may[0]["settle_note"] == "geliefert"
    assert in_may[1]["title"] == "Punkt p1"
    assert other_group == []
    assert [(a["commitment"] != "", a["state"]) for a in answers] == [
        (True, "met"),
        (True, "open"),
        (False, None),
    ]


def test_response_times_run_from_escalation_to_the_first_answer(board: Board) -> None:
    board.escalate("p1")
    escalated_at = micros(board.clock.now)
    board.escalate("p2")
    board.clock.advance(timedelta(days=2))
    respond(board, "p1")
    answered_at = micros(board.clock.now)
    respond(board, "p1")

    with board.read() as cur:
        report = response_times(cur, now=answered_at + 10 * MINUTE)

    by_item = {item["id"]: item for item in report["pain_points"]}
    first, waiting = by_item[board.items["p1"].hex], by_item[board.items["p2"].hex]
    assert first["escalated_at"] == escalated_at
    assert first["response_time"] == answered_at - escalated_at
    assert first["product_group"] == "Partner Center"
    assert first["time_in_status"]["escalated"] == answered_at - escalated_at
    assert first["time_in_status"]["answered"] == 10 * MINUTE
    assert waiting["response_time"] is None
    assert waiting["first_response_at"] is None
    [group] = report["product_groups"]
    assert (group["product_group"], group["answered"]) == ("Partner Center", 1)
    assert group["mean"] == group["median"] == group["longest"] == answered_at - escalated_at


def test_changes_between_find_new_items_rank_moves_answers_and_editions(board: Board) -> None:
    board.escalate("p2")
    start = board.clock()
    board.support("p3", "a1", "a2", "b1", "c1")  # three companies: p3 overtakes p1 and p2
    fresh = board.app.submit_pain_point(board.group, "Neu", "", [], by=board.lead).id
    answer = respond(board, "p2")
    board.app.merge(board.items["p2"], board.items["p1"], "Duplikat", by=board.lead)
    publish(board, [("p3", 1, ""), ("p1", 2, "")], edition=0)
    board.app.withdraw_pain_point(fresh, "erledigt", by=board.lead)
    end = board.clock()

    with board.read() as cur:
        changes = changes_between(cur, micros(start), micros(end), [board.group.hex])
        nothing = changes_between(cur, micros(end), micros(end) + MINUTE, [board.group.hex])
        elsewhere = changes_between(cur, micros(start), micros(end), [UUID(int=9).hex])

    assert [n["pain_point_id"] for n in changes["new_pain_points"]] == [fresh.hex]
    moves = {m["pain_point_id"]: m for m in changes["rank_moves"]}
    p1, p2, p3 = (board.items[name].hex for name in ("p1", "p2", "p3"))
    assert (moves[p3]["rank_before"], moves[p3]["rank_after"]) == (3, 1)
    assert kinds(moves[p3]) == {"companies-gained"}
    assert (moves[p1]["rank_before"], moves[p1]["rank_after"]) == (1, 2)
    assert kinds(moves[p1]) == {"merged-in", "companies-gained"}
    assert (moves[p2]["rank_before"], moves[p2]["rank_after"]) == (2, None)
    assert kinds(moves[p2]) == {"merged-away", "companies-lost"}
    assert fresh.hex not in moves  # submitted and withdrawn within the window: never ranked
    statuses = [(s["pain_point_id"], s["to_status"]) for s in changes["status_changes"]]
    assert (p2, "answered") in statuses
    assert (fresh.hex, "withdrawn") in statuses
    assert [r["response_id"] for r in changes["vendor_responses"]] == [answer.hex]
    assert [(e["edition"], e["items"]) for e in changes["curated_editions"]] == [(1, 2)]
    assert all(rows == [] for rows in nothing.values())
    assert all(rows == [] for rows in elsewhere.values())


def kinds(move: dict[str, Any]) -> set[str]:
    return {cause["kind"] for cause in move["causes"]}


def test_vendor_sees_only_escalated_items_with_aggregated_support(board: Board) -> None:
    board.escalate("p1")

    with board.read() as cur:
        rows, total = vendor_pain_points(cur, 50, 0)
        hidden, _ = vendor_pain_points(cur, 50, 0, board.items["p2"].hex)

    assert total == 1
    assert hidden == []
    [row] = rows
    assert (row["id"], row["companies"], row["supporters"]) == (board.items["p1"].hex, 2, 2)
    assert row["escalated_at"] is not None
    assert row["responses"] == 0
    assert not {"submitted_by", "for_company", "person_id"} & row.keys()


def test_rebuilt_board_views_equal_the_live_ones(board: Board) -> None:
    board.escalate("p1")
    publish(board, [("p1", 1, "")], edition=0)
    publish(board, [("p2", 2, ""), ("p1", 1, "")], edition=1)
    held = board.app.schedule_meeting("QB", "quality-board", "2025-03-03", by=SYSTEM).id
    board.app.set_agenda(held, [board.items["p1"]], by=SYSTEM)
    board.app.mark_presented(held, board.items["p1"], by=SYSTEM)
    promised = respond(board, "p1", "Fix", "2025-04-01")
    board.clock.advance(timedelta(days=40))  # past the target date
    board.app.settle_commitment(promised, False, "verpasst", by=SYSTEM)
    board.runtime.projector.catch_up()
    before = board.runtime.projector.dump()

    board.runtime.projector.rebuild()

    assert board.runtime.projector.dump() == before
    assert len(before["v_curated_rows"]) == 3
    assert len(before["v_vendor_responses"]) == 1


def test_a_withdrawn_item_leaves_the_ranking_and_those_below_move_up(board: Board) -> None:
    start = board.clock()
    board.app.withdraw_pain_point(board.items["p1"], "erledigt", by=board.lead)
    end = board.clock()

    with board.read() as cur:
        changes = changes_between(cur, micros(start), micros(end), [board.group.hex])

    moves = [
        (m["pain_point_id"], m["rank_before"], m["rank_after"], kinds(m))
        for m in changes["rank_moves"]
    ]
    assert moves == [
        (board.items["p2"].hex, 2, 1, {"others-moved"}),
        (board.items["p3"].hex, 3, 2, {"others-moved"}),
        (board.items["p1"].hex, 1, None, {"withdrawn"}),
    ]
    [change] = changes["status_changes"]
    assert (change["from_status"], change["to_status"], change["reason"]) == (
        "new",
        "withdrawn",
        "erledigt",
    )
