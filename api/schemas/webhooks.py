"""The association's webhooks (admin)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

EVENTS_DOC = 'Event types (see docs/api.md), or ["*"] for all of them.'


class WebhookIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: str = Field(max_length=2000, description="http(s) URL the events are posted to")
    events: list[str] = Field(min_length=1, max_length=20, description=EVENTS_DOC)
    description: str = Field("", max_length=200)
    kind: Literal["standard", "teams"] = "standard"
    language: Literal["de", "en"] = Field("de", description="Language of a Teams card")


class WebhookPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: str | None = Field(None, max_length=2000)
    events: list[str] | None = Field(None, min_length=1, max_length=20)
    description: str | None = Field(None, max_length=200)
    language: Literal["de", "en"] | None = None
    active: bool | None = Field(None, description="true re-enables a disabled webhook")


class WebhookOut(BaseModel):
    id: str
    url: str
    events: list[str]
    description: str
    kind: str
    language: str
    active: bool
    failures: int
    created_at: datetime
    disabled_at: datetime | None


class WebhookCreated(WebhookOut):
    secret: str = Field(description="whsec_… — shown once: verify the signatures with it")


class DeliveryOut(BaseModel):
    id: str
    type: str
    status: Literal["pending", "sent", "abandoned"]
    attempts: int
    created_at: datetime
    sent_at: datetime | None
    last_error: str | None = Field(description="e.g. HTTP 500, or the network error")
