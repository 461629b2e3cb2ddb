"""Fixtures for the tests of triage, curation, board meetings and vendor responses.

Test modules import what they use from here explicitly; conftest.py provides the
`world` fixture built by `build_world`. The world is the association of conftest.py
plus the people who triage, curate, meet and respond.
Application-level tests read as given (prior commands) / when (one command) / then
(the events that command stored, and nothing else).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from uuid import UUID

from eventsourcing.domain import Aggregate, DomainEvent

from domain.ids import SYSTEM
from domain.painpoint import PainPoint
from domain.workflow import BOARD_MOVES, LEAD_MOVES, MERGED, NEW, WITHDRAWN
from service.application import Sprachrohr

if TYPE_CHECKING:
    from tests.service.conftest import Association

#: Every status the workflow itself reaches (withdrawn and merged leave it).
WORKFLOW_STATUSES = tuple(sorted({NEW} | set(LEAD_MOVES) | set(BOARD_MOVES)))


@dataclass
class World:
    """Who is who around one working group ("Süd/München") and a second one."""

    assoc: Association
    app: Sprachrohr
    admin: UUID
    group: UUID
    lead: UUID
    co_lead: UUID
    author: UUID
    member: UUID
    board: UUID
    vendor: UUID
    outsider: UUID
    other_group: UUID
    other_lead: UUID

    def pain_point(self, title: str = "Partner registration takes weeks") -> UUID:
        """A new pain point in the group, submitted by `author`."""
        return self.app.submit_pain_point(
            self.group, title, "Three manual approvals.", ["registration"], by=self.author
        ).id

    def other_pain_point(self) -> UUID:
        """A new pain point in the other group, submitted by its lead."""
        return self.app.submit_pain_point(
            self.other_group, "Licensing portal times out", "", [], by=self.other_lead
        ).id

    def load(self, pain_point_id: UUID) -> PainPoint:
        return self.app.load(PainPoint, pain_point_id, "pain point")

    def status(self, pain_point_id: UUID) -> str:
        return self.load(pain_point_id).status

    def drive(self, pain_point_id: UUID, status: str) -> UUID:
        """Move a pain point to `status` along the shortest path of allowed moves.

        Withdrawn and merged are reached by withdrawing it and by merging it into a
        fresh pain point of the same group.
        """
        if status == WITHDRAWN:
            self.app.withdraw_pain_point(pain_point_id, "solved itself", by=SYSTEM)
        elif status == MERGED:
            self.app.merge(pain_point_id, self.pain_point("Duplikat"), "duplicate", by=SYSTEM)
        else:
            for step in path(self.status(pain_point_id), status):
                self.app.change_status(pain_point_id, step, f"to {step}", by=SYSTEM)
        assert self.status(pain_point_id) == status
        return pain_point_id

    def pain_point_in(self, status: str, title: str = "Partner registration takes weeks") -> UUID:
        return self.drive(self.pain_point(title), status)

    def meeting(self, name: str = "Quality Board Partner Programme", held_on: str = "") -> UUID:
        """A meeting held on `held_on`, by default today (its items may be presented)."""
        day = held_on or self.app.today().isoformat()
        return self.app.schedule_meeting(name, "quality-board", day, by=self.board).id


def path(start: str, goal: str) -> list[str]:
    """The statuses between `start` and `goal` (excluding start) by allowed moves."""
    moves = {
        s: LEAD_MOVES.get(s, frozenset()) | BOARD_MOVES.get(s, frozenset())
        for s in WORKFLOW_STATUSES
    }
    came_from: dict[str, str | None] = {start: None}
    queue = deque([start])
    while queue:
        status = queue.popleft()
        for following in sorted(moves[status]):
            if following not in came_from:
                came_from[following] = status
                queue.append(following)
    assert goal in came_from, f"{goal} cannot be reached from {start}"
    steps: list[str] = []
    at: str | None = goal
    while at is not None and at != start:
        steps.append(at)
        at = came_from[at]
    return steps[::-1]


def build_world(assoc: Association) -> World:
    app, admin = assoc.app, assoc.admin
    lead, co_lead = assoc.person(), assoc.person()
    app.appoint_lead(assoc.group, lead, by=admin)
    app.appoint_lead(assoc.group, co_lead, by=admin)
    vendor = assoc.person(staff=True, enrolled=False)
    app.grant_role(vendor, "vendor", by=SYSTEM)
    other_group = app.found_group("Learning", "thematic", "", by=admin).id
    other_lead = assoc.person(enrol_in=other_group)
    app.appoint_lead(other_group, other_lead, by=admin)
    return World(
        assoc=assoc,
        app=app,
        admin=admin,
        group=assoc.group,
        lead=lead,
        co_lead=co_lead,
        author=assoc.person(),
        member=assoc.person(),
        board=assoc.board_member(),
        vendor=vendor,
        outsider=assoc.person(enrolled=False),
        other_group=other_group,
        other_lead=other_lead,
    )


# -- given / when / then against the store -------------------------------------


def position(app: Sprachrohr) -> int:
    """The notification position now: `then` looks at what is stored after it."""
    return app.recorder.max_notification_id() or 0


def stored_since(app: Sprachrohr, since: int) -> list[Any]:
    notifications = app.recorder.select_notifications(since + 1, limit=1000)
    return [app.mapper.to_domain_event(n) for n in notifications]


def then(app: Sprachrohr, since: int, *names: str) -> list[Any]:
    """Assert the events stored after `since` by their names ("PainPoint.StatusChanged"),
    in order, and return them."""
    events: list[DomainEvent] = stored_since(app, since)
    assert [type(e).__qualname__ for e in events] == list(names)
    return events


def nothing_stored(app: Sprachrohr, since: int) -> None:
    then(app, since)


def history(aggregate: Aggregate) -> list[DomainEvent]:
    """The aggregate's new events (collected, so the next call sees only later ones)."""
    return list(aggregate.collect_events())


def given(*events: DomainEvent) -> Any:
    """An aggregate rebuilt from prior events."""
    aggregate: Aggregate | None = None
    for event in events:
        aggregate = event.mutate(aggregate)
    assert aggregate is not None
    return aggregate


def new_events(aggregate: Aggregate, *types: type[DomainEvent]) -> list[Any]:
    """The aggregate's new events, which must be of exactly these types."""
    events = history(aggregate)
    assert [type(e) for e in events] == list(types)
    return events
