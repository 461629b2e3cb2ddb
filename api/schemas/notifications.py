"""Following and the notification centre."""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field


class FollowIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    level: Literal["all", "digest"] = Field(
        "all", description="all: in the app and by e-mail; digest: in the e-mail digest only."
    )


class FollowOut(BaseModel):
    target_id: UUID
    following: bool
    position: int | None = Field(description="Log position of the change; null if no change.")


class NotificationOut(BaseModel):
    id: UUID
    kind: str = Field(description="e.g. pain_point.status_changed, pain_point.commented")
    subject_id: UUID
    group_id: UUID | None
    title: str
    detail: str = Field(description="Kind-specific: status|reason, kind|due date …")
    link: str
    created_at: datetime
    unread: bool


class NotificationsPage(BaseModel):
    items: list[NotificationOut]
    total: int
    unread: int = Field(description="Unread notifications in all (the bell's number).")


class ReadIn(BaseModel):
    """Exactly one of `ids` and `all: true` (the schema says so: `oneOf`)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"oneOf": [{"required": ["ids"]}, {"required": ["all"]}]},
    )

    ids: list[UUID] = Field(None, max_length=500)  # type: ignore[arg-type]
    all: Literal[True] = Field(None)  # type: ignore[arg-type]


class ReadOut(BaseModel):
    marked: int
    unread: int


class NotificationSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: Literal["immediately", "daily", "weekly", "off"] = Field(
        "daily", description="How notifications reach me by e-mail."
    )
    digest_hour: int = Field(
        7,
        strict=True,
        ge=0,
        le=23,
        description="Hour of the daily or weekly (Monday) digest, in the"
        " association's time zone (SPRACHROHR_TIME_ZONE).",
    )
