"""The association's webhooks (admin)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic.config import JsonDict

from notify.webhooks import EVENT_TYPES

EVENTS_DOC = 'Event types (see docs/api.md), or ["*"] for all of them.'
#: What the schema says of the two fields; the route checks them (422 with the code
#: `webhook.events` naming the allowed ones, `webhook.url` for a refused target).
EVENTS_SCHEMA: JsonDict = {"items": {"enum": ["*", *EVENT_TYPES]}}
URL_SCHEMA: JsonDict = {"pattern": "^https?://[^/?#@\\s]+"}


class WebhookIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: str = Field(
        max_length=2000,
        description="http(s) URL the events are posted to (not loopback or private)",
        json_schema_extra=URL_SCHEMA,
    )
    events: list[str] = Field(
        min_length=1, max_length=20, description=EVENTS_DOC, json_schema_extra=EVENTS_SCHEMA
    )
    description: str = Field("", max_length=200)
    kind: Literal["standard", "teams"] = "standard"
    language: Literal["de", "en"] = Field("de", description="Language of a Teams card")


class WebhookPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: str | None = Field(None, max_length=2000, json_schema_extra=URL_SCHEMA)
    events: list[str] | None = Field(
        None, min_length=1, max_length=20, json_schema_extra=EVENTS_SCHEMA
    )
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
