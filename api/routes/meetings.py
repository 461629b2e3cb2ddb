"""Meetings of the vendor's boards: schedule, agenda, presented items, what changed."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any
from uuid import UUID

from fastapi import APIRouter

from api.deps import AppDep, CurrentPerson, RuntimeDep, ViewCursor
from api.routes.common import IdempotencyKey, Limit, Offset, when
from api.routes.reach import Reach, reach
from api.schemas.board import (
    AgendaIn,
    AgendaItem,
    AgendaOrderIn,
    Changes,
    MeetingIn,
    MeetingOut,
    PresentedIn,
    PresentedItem,
)
from api.schemas.common import Page, Written
from api.values import MomentQuery
from domain.errors import Invalid, NotFound, PermissionDenied
from projections.board_changes import changes_between
from projections.board_queries import group_ids, meeting, meetings, previous_meeting
from projections.store import Cursor
from projections.view import EPOCH, micros, moment
from service.runtime import announce

router = APIRouter(prefix="/meetings", tags=["meetings"])
Moment = MomentQuery


def meeting_out(row: dict[str, Any], seen: Reach) -> MeetingOut:
    scheduled = when(row["scheduled_at"])
    assert scheduled is not None
    return MeetingOut(
        id=UUID(row["id"]),
        name=row["name"],
        kind=row["kind"],
        held_on=date.fromisoformat(row["held_on"]),
        scheduled_at=scheduled,
        agenda=[
            AgendaItem(
                position=a["position"],
                pain_point_id=UUID(a["pain_point_id"]),
                group_id=UUID(a["group_id"]) if a["group_id"] else None,
                title=a["title"],
                status=a["status"],
                presented_at=when(a["presented_at"]),
            )
            for a in row["agenda"]
            if seen.sees(a["group_id"], a["status"])
        ],
        presented=[
            PresentedItem(
                pain_point_id=UUID(p["pain_point_id"]),
                title=p["title"],
                presented_at=moment(p["presented_at"]),
            )
            for p in row["presented"]
            if seen.sees(p["group_id"], p["status"])
        ],
    )


@router.post("", status_code=201, response_model=Written, summary="Schedule a meeting (board)")
def schedule(
    body: MeetingIn, person: CurrentPerson, runtime: RuntimeDep, key: IdempotencyKey = None
) -> Written:
    outcome = runtime.app.schedule_meeting(
        body.name, body.kind, body.held_on.isoformat(), by=person.id, key=key
    )
    announce(runtime, outcome)
    return Written.of(outcome)


@router.get(
    "",
    response_model=Page[MeetingOut],
    summary="Meetings, latest first; agendas show only the items you may see",
)
def list_meetings(
    person: CurrentPerson, cur: ViewCursor, limit: Limit = 50, offset: Offset = 0
) -> Page[MeetingOut]:
    seen = reach(person, cur)
    rows, total = meetings(cur, limit, offset)
    return Page(total=total, limit=limit, offset=offset, items=[meeting_out(r, seen) for r in rows])


def find_meeting(cur: Cursor, meeting_id: UUID) -> dict[str, Any]:
    row = meeting(cur, meeting_id.hex)
    if row is None:
        raise NotFound("meeting.not_found")
    return row


@router.get("/{meeting_id}", response_model=MeetingOut, summary="A meeting and its agenda")
def get_meeting(meeting_id: UUID, person: CurrentPerson, cur: ViewCursor) -> MeetingOut:
    return meeting_out(find_meeting(cur, meeting_id), reach(person, cur))


@router.put("/{meeting_id}/agenda", response_model=Written, summary="Set the agenda (board)")
def set_agenda(
    meeting_id: UUID, body: AgendaIn, person: CurrentPerson, runtime: RuntimeDep
) -> Written:
    outcome = announce(runtime, runtime.app.set_agenda(meeting_id, body.items, by=person.id))
    return Written.of(outcome)


@router.put(
    "/{meeting_id}/agenda/order",
    response_model=Written,
    summary="Reorder the agenda (board): every item of it, each once, in the new order",
)
def reorder_agenda(
    meeting_id: UUID, body: AgendaOrderIn, person: CurrentPerson, runtime: RuntimeDep
) -> Written:
    outcome = runtime.app.reorder_agenda(meeting_id, body.items, by=person.id)
    return Written.of(announce(runtime, outcome))


@router.post(
    "/{meeting_id}/presented",
    response_model=Written,
    summary="Record that an agenda item was presented (board); it becomes 'presented'",
)
def presented(
    meeting_id: UUID, body: PresentedIn, person: CurrentPerson, runtime: RuntimeDep
) -> Written:
    outcome = runtime.app.mark_presented(meeting_id, body.pain_point_id, by=person.id)
    announce(runtime, outcome)
    return Written.of(outcome)


def aware(value: datetime | None, field: str) -> datetime | None:
    if value is not None and value.tzinfo is None:
        raise Invalid("datetime.needs_time_zone", field=field, example="2026-03-14T09:00:00Z")
    return value


@router.get(
    "/{meeting_id}/changes",
    response_model=Changes,
    summary="What changed in your groups between two moments"
    " (default: from the day of the previous meeting until now)",
)
def changes(
    meeting_id: UUID,
    person: CurrentPerson,
    app: AppDep,
    cur: ViewCursor,
    since: Moment = None,
    until: Moment = None,
) -> Changes:
    current = find_meeting(cur, meeting_id)
    seen = reach(person, cur)
    groups = group_ids(cur) if seen.everything else sorted(seen.groups)
    if not groups:
        raise PermissionDenied("changes.members_only")
    end = aware(until, "until") or app.clock()
    start = aware(since, "since")
    if start is None:
        before = previous_meeting(cur, current)
        day = date.fromisoformat(before["held_on"]) if before else None
        start = min(datetime.combine(day, time(), UTC), end) if day else EPOCH
    if start > end:
        raise Invalid("changes.since_after_until", field="since")
    found = changes_between(cur, micros(start), micros(end), groups)
    return Changes.model_validate(
        {"since": start, "until": end, "group_ids": groups, **_with_datetimes(found)}
    )


def _with_datetimes(found: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    moments = ("submitted_at", "at", "posted_at", "settled_at", "published_at")
    return {
        key: [{k: when(v) if k in moments else v for k, v in row.items()} for row in rows]
        for key, rows in found.items()
    }
