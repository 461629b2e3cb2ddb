"""Following pain points and groups; the person's notification centre."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import Body, Query

from api.deps import CurrentPerson, RuntimeDep, ViewCursor
from api.routes.common import Limit, Offset, api_router
from api.schemas.notifications import (
    FollowIn,
    FollowOut,
    NotificationOut,
    NotificationSettings,
    NotificationsPage,
    ReadIn,
    ReadOut,
)
from domain.errors import Invalid
from domain.follow import PAIN_POINT, WORKING_GROUP
from notify.digest import save_settings, settings_of
from notify.inbox import mark_read, notifications, unread_count
from service.application import Outcome
from service.runtime import announce

router = api_router(tags=["notifications"])
Level = Annotated[FollowIn | None, Body()]


def _followed(runtime: RuntimeDep, outcome: Outcome, target_id: UUID, following: bool) -> FollowOut:
    announce(runtime, outcome)
    return FollowOut(target_id=target_id, following=following, position=outcome.position)


@router.put(
    "/pain-points/{pain_point_id}/follow", response_model=FollowOut, summary="Follow a pain point"
)
def follow_pain_point(
    pain_point_id: UUID, person: CurrentPerson, runtime: RuntimeDep, body: Level = None
) -> FollowOut:
    level = body.level if body else "all"
    outcome = runtime.app.follow(PAIN_POINT, pain_point_id, by=person.id, level=level)
    return _followed(runtime, outcome, pain_point_id, True)


@router.delete(
    "/pain-points/{pain_point_id}/follow",
    response_model=FollowOut,
    summary="Stop following a pain point (also as its author or a supporter)",
)
def unfollow_pain_point(
    pain_point_id: UUID, person: CurrentPerson, runtime: RuntimeDep
) -> FollowOut:
    outcome = runtime.app.unfollow(PAIN_POINT, pain_point_id, by=person.id)
    return _followed(runtime, outcome, pain_point_id, False)


@router.put(
    "/working-groups/{group_id}/follow", response_model=FollowOut, summary="Follow a working group"
)
def follow_group(
    group_id: UUID, person: CurrentPerson, runtime: RuntimeDep, body: Level = None
) -> FollowOut:
    level = body.level if body else "all"
    outcome = runtime.app.follow(WORKING_GROUP, group_id, by=person.id, level=level)
    return _followed(runtime, outcome, group_id, True)


@router.delete(
    "/working-groups/{group_id}/follow",
    response_model=FollowOut,
    summary="Stop following a working group (also as a member)",
)
def unfollow_group(group_id: UUID, person: CurrentPerson, runtime: RuntimeDep) -> FollowOut:
    outcome = runtime.app.unfollow(WORKING_GROUP, group_id, by=person.id)
    return _followed(runtime, outcome, group_id, False)


@router.get(
    "/me/notifications",
    response_model=NotificationsPage,
    summary="My notifications, newest first",
)
def my_notifications(
    person: CurrentPerson,
    cur: ViewCursor,
    unread: Annotated[bool, Query(description="Only the unread ones.")] = False,
    limit: Limit = 50,
    offset: Offset = 0,
) -> NotificationsPage:
    items, total = notifications(cur, person.id, unread=unread, limit=limit, offset=offset)
    return NotificationsPage(
        items=[
            NotificationOut(
                id=n.id,
                kind=n.kind,
                subject_id=n.subject_id,
                group_id=n.group_id,
                title=n.title,
                detail=n.detail,
                link=n.link,
                created_at=n.created_at,
                unread=n.unread,
            )
            for n in items
        ],
        total=total,
        unread=unread_count(cur, person.id),
    )


@router.post(
    "/me/notifications/read",
    response_model=ReadOut,
    summary="Mark notifications read: {ids: [...]} or {all: true}",
)
def read_notifications(body: ReadIn, person: CurrentPerson, runtime: RuntimeDep) -> ReadOut:
    if (body.all is True) == (body.ids is not None):
        raise Invalid("notifications.ids_or_all", field="ids")
    ids = None if body.all is True else body.ids
    marked = mark_read(runtime.store, person.id, ids, runtime.app.clock())
    with runtime.store.reading() as cur:
        unread = unread_count(cur, person.id)
    return ReadOut(marked=marked, unread=unread)


@router.get(
    "/me/notification-settings",
    response_model=NotificationSettings,
    summary="How notifications reach me by e-mail",
)
def my_settings(person: CurrentPerson, runtime: RuntimeDep) -> NotificationSettings:
    with runtime.store.reading() as cur:
        saved = settings_of(cur, person.id)
    return NotificationSettings(email=saved.email, digest_hour=saved.digest_hour)


@router.put(
    "/me/notification-settings",
    response_model=NotificationSettings,
    summary="Choose immediately, a daily or weekly digest, or no e-mail",
)
def set_my_settings(
    body: NotificationSettings, person: CurrentPerson, runtime: RuntimeDep
) -> NotificationSettings:
    saved = save_settings(runtime.store, person.id, body.email, body.digest_hour)
    return NotificationSettings(email=saved.email, digest_hour=saved.digest_hour)
