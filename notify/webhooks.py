"""Webhooks: the association's events posted to its own tools, signed, at least once.

- Recording: the notification processor hands each news item that has a webhook
  event type (`EVENT_TYPES`) to `WebhookFanOut.record`, which records one outbox
  message (kind "webhook") per subscribed webhook, with an id derived from the webhook
  and the log position: recording it again (a replayed batch) keeps one.
- Sending (`WebhookSender.send_due`): POST with a 5 s timeout; a 2xx answer marks it
  sent; anything else is retried with exponential back-off for about a day
  (`MAX_ATTEMPTS`), then given up. After `DISABLE_AFTER` failed attempts in a row
  the webhook is disabled and the admins are told (an outbox mail).
- Redirects are not followed: a 3xx answer is a failed attempt like any other
  ("HTTP 302 (redirects are not followed)"), retried and in the end given up. A
  redirect could lead to a loopback or private address the URL check refused (and
  urllib would turn the POST into a GET without the signed body); a receiver that
  moved is given its new URL by an admin (PATCH).
- `standard` webhooks carry JSON signed per the Standard Webhooks specification
  (webhook-id, webhook-timestamp, webhook-signature "v1,<base64 HMAC-SHA256>" over
  "id.timestamp.body" with the secret after "whsec_"); the id is the same on every
  attempt, so receivers can drop duplicates. `teams` webhooks carry an Adaptive Card
  as Microsoft Teams Workflows accept it ("post to a channel when a webhook request
  is received").
- Payloads carry the event type, ids, titles, a detail and a link, never a person's
  name or e-mail address.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import ipaddress
import json
import logging
import secrets
import socket
import urllib.error
import urllib.request
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit
from uuid import uuid5

from domain.ids import NAMESPACE
from notify.texts import catalog, describe, status_label
from storage.outbox import Message, Outbox
from storage.webhooks import Webhook, Webhooks

log = logging.getLogger(__name__)
EVENT_TYPES = (
    "pain_point.submitted",
    "pain_point.status_changed",
    "pain_point.vendor_responded",
    "pain_point.merged",
    "pain_point.unmerged",
    "pain_point.commented",
    "commitment.met",
    "commitment.missed",
    "commitment.overdue",
    "curated_list.published",
    "meeting.presented",
    "round.opened",
    "round.closed",
    "dossier.issued",
)
#: The notification kinds that are webhook events under another name.
ALIASES = {"commitment.made": "pain_point.vendor_responded"}
TIMEOUT_SECONDS = 5.0
#: 2 s · 2^n, capped at 2 h: 14 attempts span about a day.
FIRST_RETRY = timedelta(seconds=2)
RETRY_CAP = timedelta(hours=2)
MAX_ATTEMPTS = 20
DISABLE_AFTER = 15


class UnsafeTarget(ValueError):
    """Not an http(s) URL, or one that points into the local or a private network."""


def new_secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()


def check_url(url: str, *, allow_private: bool) -> str:
    """The URL if a webhook may post to it; UnsafeTarget otherwise."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UnsafeTarget("only http and https URLs")
    if allow_private:
        return url
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 443, proto=socket.IPPROTO_TCP)
    except OSError as error:
        raise UnsafeTarget(f"the host does not resolve: {error}") from None
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not address.is_global:
            raise UnsafeTarget("loopback, link-local and private addresses are refused")
    return url


def sign(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    """The Standard Webhooks signature header value."""
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{message_id}.{timestamp}.".encode() + body
    digest = hmac.new(key, signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def standard_payload(event: dict[str, Any]) -> dict[str, Any]:
    return {"type": event["type"], "timestamp": event["timestamp"], "data": event["data"]}


def teams_card(event: dict[str, Any], language: str) -> dict[str, Any]:
    """An Adaptive Card message for a Teams Workflows webhook."""
    gettext = catalog(language).gettext
    data = event["data"]
    text = describe(
        event["kind"], data.get("detail", ""), gettext, lambda s: status_label(s, gettext)
    )
    facts = [{"title": gettext("Event"), "value": event["type"]}]
    if data.get("group_id"):
        facts.append({"title": gettext("Working group"), "value": data.get("group", "")})
    return {
        "type": "message",
        "attachments": [
            {
                "contentType": "application/vnd.microsoft.card.adaptive",
                "contentUrl": None,
                "content": {
                    "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
                    "type": "AdaptiveCard",
                    "version": "1.4",
                    "body": [
                        {"type": "TextBlock", "text": data["title"], "weight": "Bolder",
                         "size": "Medium", "wrap": True},
                        {"type": "TextBlock", "text": text, "wrap": True},
                        {"type": "FactSet", "facts": facts},
                    ],
                    "actions": [
                        {"type": "Action.OpenUrl", "title": gettext("Open in Sprachrohr"),
                         "url": data["link"]},
                    ],
                },
            }
        ],
    }  # fmt: skip


class WebhookFanOut:
    """Records one delivery per subscribed webhook for each event."""

    def __init__(self, webhooks: Webhooks, outbox: Outbox, public_base: str) -> None:
        self.webhooks = webhooks
        self.outbox = outbox
        self.public_base = public_base.rstrip("/")

    def record(self, kind: str, position: int, data: dict[str, Any], at: datetime) -> int:
        event_type = ALIASES.get(kind, kind)
        if event_type not in EVENT_TYPES:
            return 0
        hooks = [hook for hook in self.webhooks.all() if hook.wants(event_type)]
        recorded = 0
        for hook in hooks:
            event = {
                "type": event_type,
                "kind": kind,
                "timestamp": at.isoformat(),
                "data": {**data, "link": self.public_base + data["link"], "position": position},
            }
            message_id = "msg_" + uuid5(NAMESPACE, f"webhook:{hook.id}:{position}").hex
            recorded += self.outbox.add(
                Message(message_id, "webhook", hook.id, event, created_at=at)
            )
        return recorded


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """Refuse every redirect: urllib then raises HTTPError with the 3xx code."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


#: The opener every delivery uses: urllib's, without following redirects.
OPENER = urllib.request.build_opener(_NoRedirects)


class WebhookSender:
    """Posts due webhook deliveries; one pass per `send_due`."""

    def __init__(
        self,
        outbox: Outbox,
        webhooks: Webhooks,
        *,
        clock: Callable[[], datetime],
        allow_private: bool,
        tell_admins: Callable[[Webhook], None] = lambda hook: None,
        first_retry: timedelta = FIRST_RETRY,
    ) -> None:
        self.outbox = outbox
        self.webhooks = webhooks
        self.clock = clock
        self.allow_private = allow_private
        self.tell_admins = tell_admins
        self.first_retry = first_retry

    def retry_delay(self, attempts: int) -> timedelta:
        return min(self.first_retry * (1 << min(attempts, 30)), RETRY_CAP)

    def send_due(self) -> int:
        sent = 0
        now = self.clock()
        for message in self.outbox.due(now, kind="webhook"):
            hook = self.webhooks.get(message.recipient)
            if hook is None or not hook.active:
                self.outbox.abandon(message, "the webhook was deleted or disabled", now)
                continue
            error = self._post(hook, message)
            if error is None:
                self.outbox.mark_sent(message, self.clock())
                self.webhooks.succeeded(hook.id)
                sent += 1
                continue
            log.warning("webhook %s delivery %s failed: %s", hook.id, message.id, error)
            if message.attempts + 1 >= MAX_ATTEMPTS:
                self.outbox.abandon(message, error, now)
            else:
                retry = now + self.retry_delay(message.attempts)
                self.outbox.mark_failed(message, error, retry)
            if self.webhooks.failed(hook.id, now, DISABLE_AFTER):
                log.error("webhook %s disabled after %d failures", hook.id, DISABLE_AFTER)
                self.tell_admins(hook)
        return sent

    def _post(self, hook: Webhook, message: Message) -> str | None:
        """Post one delivery; None on a 2xx answer, else what went wrong."""
        event = message.payload
        payload = (
            teams_card(event, hook.language) if hook.kind == "teams" else standard_payload(event)
        )
        body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
        timestamp = int(self.clock().timestamp())
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "Sprachrohr-Webhooks/1",
            "webhook-id": message.id,
            "webhook-timestamp": str(timestamp),
            "webhook-signature": sign(hook.secret, message.id, timestamp, body),
        }
        try:
            check_url(hook.url, allow_private=self.allow_private)
            request = urllib.request.Request(hook.url, body, headers, method="POST")  # noqa: S310
            with OPENER.open(request, timeout=TIMEOUT_SECONDS) as response:
                status = int(response.status)
        except urllib.error.HTTPError as error:
            if 300 <= error.code < 400:
                return f"HTTP {error.code} (redirects are not followed)"
            return f"HTTP {error.code}"
        except (OSError, UnsafeTarget) as error:
            return str(error) or type(error).__name__
        return None if 200 <= status < 300 else f"HTTP {status}"
