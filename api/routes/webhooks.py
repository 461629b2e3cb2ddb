"""Webhooks for the association's own tools (admins only)."""

from __future__ import annotations

from dataclasses import asdict
from uuid import uuid4

from fastapi import Response

from api.deps import CurrentPerson, RuntimeDep
from api.routes.common import api_router
from api.schemas.webhooks import (
    DeliveryOut,
    WebhookCreated,
    WebhookIn,
    WebhookOut,
    WebhookPatch,
)
from domain.errors import Invalid, NotFound
from notify.webhooks import EVENT_TYPES, UnsafeTarget, check_url, new_secret
from service.runtime import Runtime
from storage.webhooks import Webhook

router = api_router("/webhooks", tags=["webhooks"])


def _admin(runtime: Runtime, person: CurrentPerson) -> None:
    runtime.app.require_admin(person.id)


def _events(events: list[str]) -> list[str]:
    unknown = [e for e in events if e != "*" and e not in EVENT_TYPES]
    if unknown:
        raise Invalid(
            "webhook.events", field="events", unknown=", ".join(unknown),
            allowed=", ".join(("*", *EVENT_TYPES)),
        )  # fmt: skip
    return sorted(set(events))


def _url(runtime: Runtime, url: str) -> str:
    try:
        return check_url(url, allow_private=runtime.settings.webhooks_allow_private)
    except UnsafeTarget as error:
        raise Invalid("webhook.url", field="url", reason=str(error)) from None


def _out(hook: Webhook) -> WebhookOut:
    fields = asdict(hook)
    fields.pop("secret")
    return WebhookOut(**fields)


def _hook(runtime: Runtime, webhook_id: str) -> Webhook:
    hook = runtime.webhooks.get(webhook_id)
    if hook is None:
        raise NotFound("webhook.not_found")
    return hook


@router.post("", response_model=WebhookCreated, status_code=201, summary="Add a webhook")
def create(body: WebhookIn, person: CurrentPerson, runtime: RuntimeDep) -> WebhookCreated:
    _admin(runtime, person)
    hook = Webhook(
        id=uuid4().hex, url=_url(runtime, body.url), events=_events(body.events),
        description=body.description, kind=body.kind, language=body.language,
        secret=new_secret(), active=True, failures=0, created_at=runtime.app.clock(),
    )  # fmt: skip
    runtime.webhooks.add(hook)
    return WebhookCreated(**_out(hook).model_dump(), secret=hook.secret)


@router.get("/{webhook_id}", response_model=WebhookOut, summary="A webhook")
def read(webhook_id: str, person: CurrentPerson, runtime: RuntimeDep) -> WebhookOut:
    _admin(runtime, person)
    return _out(_hook(runtime, webhook_id))


@router.patch("/{webhook_id}", response_model=WebhookOut, summary="Change or re-enable it")
def change(
    webhook_id: str, body: WebhookPatch, person: CurrentPerson, runtime: RuntimeDep
) -> WebhookOut:
    _admin(runtime, person)
    _hook(runtime, webhook_id)
    fields = body.model_dump(exclude_none=True)
    if "url" in fields:
        fields["url"] = _url(runtime, fields["url"])
    if "events" in fields:
        fields["events"] = _events(fields["events"])
    if fields.get("active"):
        fields["failures"] = 0
    return _out(runtime.webhooks.update(webhook_id, **fields) or _hook(runtime, webhook_id))


@router.delete("/{webhook_id}", status_code=204, summary="Delete it (pending deliveries too)")
def delete(webhook_id: str, person: CurrentPerson, runtime: RuntimeDep) -> Response:
    _admin(runtime, person)
    _hook(runtime, webhook_id)
    runtime.webhooks.delete(webhook_id)
    return Response(status_code=204)


@router.get(
    "/{webhook_id}/deliveries", response_model=list[DeliveryOut], summary="Its recent deliveries"
)
def deliveries(webhook_id: str, person: CurrentPerson, runtime: RuntimeDep) -> list[DeliveryOut]:
    _admin(runtime, person)
    _hook(runtime, webhook_id)
    return [
        DeliveryOut(
            id=m.id,
            type=m.payload.get("type", ""),
            status=m.status,
            attempts=m.attempts,
            created_at=m.created_at,
            sent_at=m.sent_at,
            last_error=m.last_error,
        )
        for m in runtime.webhooks.deliveries(webhook_id)
    ]


@router.post(
    "/{webhook_id}/deliveries/{delivery_id}/redeliver",
    status_code=202,
    summary="Send a delivery once more (same webhook-id)",
)
def redeliver(
    webhook_id: str, delivery_id: str, person: CurrentPerson, runtime: RuntimeDep
) -> Response:
    _admin(runtime, person)
    _hook(runtime, webhook_id)
    message = runtime.outbox.get(delivery_id)
    if message is None or message.kind != "webhook" or message.recipient != webhook_id:
        raise NotFound("webhook.not_found")
    runtime.webhooks.redeliver(delivery_id, runtime.app.clock())
    runtime.mailer.wake.set()
    return Response(status_code=202)
