"""Webhooks through a local HTTP receiver: signed per Standard Webhooks, retried, Teams."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from standardwebhooks import Webhook as Verifier
from standardwebhooks.webhooks import WebhookVerificationError

from service.runtime import Runtime
from service.settings import Settings
from tests.api.api_world import World
from tests.api.board_world import move
from tests.smtp_server import eventually


class Receiver:
    """An HTTP server on a free loopback port that records each POST; the first
    `fail` of them are answered 500."""

    def __init__(self) -> None:
        self.posts: list[tuple[dict[str, str], bytes]] = []
        self.fail = 0
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.posts.append(({k.lower(): v for k, v in self.headers.items()}, body))
                status = 500 if receiver.fail > 0 else 204
                receiver.fail -= 1
                self.send_response(status)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                return None

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver()
    yield server
    server.close()


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"webhooks_allow_private": True})


def runtime_of(world: World) -> Runtime:
    runtime: Runtime = world.client.app.state.runtime  # type: ignore[attr-defined]
    runtime.webhook_sender.first_retry = timedelta(milliseconds=50)
    runtime.mailer.poll_seconds = 0.1
    return runtime


def register(world: World, url: str, **fields: Any) -> dict[str, Any]:
    body = {"url": url, "events": ["pain_point.status_changed"], **fields}
    return world.command("POST", "/webhooks", world.admin, 201, json=body)


def test_a_standard_webhook_is_signed_and_verifies(world: World, receiver: Receiver) -> None:
    runtime_of(world)
    hook = register(world, receiver.url, description="Intranet")
    assert hook["secret"].startswith("whsec_")
    move(world, world.pain_point, world.lead, "accepted")
    assert eventually(lambda: len(receiver.posts) == 1)
    headers, body = receiver.posts[0]
    payload = Verifier(hook["secret"]).verify(body, headers)
    assert payload["type"] == "pain_point.status_changed"
    assert payload["data"]["id"] == str(world.pain_point)
    assert payload["data"]["link"].endswith(f"/pain-points/{world.pain_point}")
    text = body.decode()
    for name in ("Anna", "anna@", "Lena", "lena@"):  # never a person's name or address
        assert name not in text
    with pytest.raises(WebhookVerificationError):
        Verifier("whsec_" + "A" * 32).verify(body, headers)


def test_a_failing_receiver_gets_the_delivery_again_with_the_same_id(
    world: World, receiver: Receiver
) -> None:
    runtime_of(world)
    hook = register(world, receiver.url)
    receiver.fail = 3
    move(world, world.pain_point, world.lead, "accepted")
    assert eventually(lambda: len(receiver.posts) == 4)
    ids = {headers["webhook-id"] for headers, _ in receiver.posts}
    assert len(ids) == 1
    deliveries = world.call("GET", f"/webhooks/{hook['id']}/deliveries", world.admin).json()
    assert eventually(
        lambda: (
            world.call("GET", f"/webhooks/{hook['id']}/deliveries", world.admin).json()[0]["status"]
            == "sent"
        )
    )
    deliveries = world.call("GET", f"/webhooks/{hook['id']}/deliveries", world.admin).json()
    assert deliveries[0]["attempts"] == 4
    again = world.call(
        "POST",
        f"/webhooks/{hook['id']}/deliveries/{deliveries[0]['id']}/redeliver",
        world.admin,
    )
    assert again.status_code == 202
    assert eventually(lambda: len(receiver.posts) == 5)
    assert receiver.posts[-1][0]["webhook-id"] in ids


def test_unknown_events_are_refused_with_the_allowed_ones(world: World) -> None:
    answer = world.call(
        "POST", "/webhooks", world.admin,
        json={"url": "https://example.org/hook", "events": ["pain_point.exploded"]},
    )  # fmt: skip
    assert answer.status_code == 422
    assert "pain_point.status_changed" in answer.text
    assert "pain_point.exploded" in answer.text
    ftp = world.call(
        "POST", "/webhooks", world.admin, json={"url": "ftp://example.org/", "events": ["*"]}
    )
    assert ftp.status_code == 422


def test_only_admins_manage_webhooks(world: World, receiver: Receiver) -> None:
    hook = register(world, receiver.url)
    for actor in (world.member_a, world.board, world.lead):
        assert world.call("GET", f"/webhooks/{hook['id']}", actor).status_code == 403
    changed = world.command("PATCH", f"/webhooks/{hook['id']}", world.admin, json={"events": ["*"]})
    assert changed["events"] == ["*"]
    assert "secret" not in changed
    gone = world.call("DELETE", f"/webhooks/{hook['id']}", world.admin)
    assert gone.status_code == 204
    assert world.call("GET", f"/webhooks/{hook['id']}", world.admin).status_code == 404


def test_a_teams_webhook_posts_an_adaptive_card(world: World, receiver: Receiver) -> None:
    runtime_of(world)
    register(world, receiver.url, kind="teams", language="de")
    move(world, world.pain_point, world.lead, "accepted")
    assert eventually(lambda: len(receiver.posts) == 1)
    card = json.loads(receiver.posts[0][1])
    content = card["attachments"][0]["content"]
    assert content["type"] == "AdaptiveCard"
    assert content["body"][0]["text"] == "Lizenzportal meldet falsche Restlaufzeiten"
    assert content["body"][1]["text"].startswith("Status geändert zu")
