"""Delivering webhooks to local HTTP receivers: redirects are never followed, and a
sender killed mid-send delivers again with the same `webhook-id` (at-least-once)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from standardwebhooks import Webhook as Verifier

from notify.webhooks import WebhookSender, new_secret
from storage.outbox import Message, Outbox, SQLiteOutbox
from storage.webhooks import Webhook, Webhooks
from tests.smtp_server import eventually

AT = datetime(2026, 12, 4, 21, 0, tzinfo=UTC)


class Receiver:
    """A loopback HTTP server recording each POST; answers `status` (with `location`
    for a redirect), or first waits while `hold` is set."""

    def __init__(self, status: int = 204, location: str = "") -> None:
        self.posts: list[tuple[dict[str, str], bytes]] = []
        self.hold = threading.Event()
        self.released = threading.Event()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def _record(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                receiver.posts.append(({k.lower(): v for k, v in self.headers.items()}, body))
                if receiver.hold.is_set():
                    receiver.released.wait(60)
                try:
                    self.send_response(status)
                    if location:
                        self.send_header("Location", location)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                except OSError:
                    pass  # the sender is gone

            do_POST = do_GET = _record

            def log_message(self, *args: Any) -> None:
                return None

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.released.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def target() -> Iterator[Receiver]:
    server = Receiver()
    yield server
    server.close()


def hook_and_delivery(outbox: Outbox, url: str) -> Webhook:
    hook = Webhook(
        id="h1", url=url, events=["*"], description="", kind="standard", language="de",
        secret=new_secret(), active=True, failures=0, created_at=AT,
    )  # fmt: skip
    Webhooks(outbox).add(hook)
    event = {
        "type": "pain_point.status_changed",
        "kind": "pain_point.status_changed",
        "timestamp": AT.isoformat(),
        "data": {"id": "p1", "group_id": None, "title": "Lizenzportal", "detail": "accepted|",
                 "link": "https://sprachrohr.example/pain-points/p1", "position": 7},
    }  # fmt: skip
    outbox.add(Message("msg_1", "webhook", hook.id, event, created_at=AT))
    return hook


@pytest.mark.parametrize("code", [301, 302, 303, 307, 308])
def test_a_redirect_is_a_failed_attempt_never_followed(
    tmp_path: Path, target: Receiver, code: int
) -> None:
    """Even where private targets are allowed (tests), a redirect — here to another
    loopback receiver — is not followed: the delivery fails and is retried later."""
    redirecting = Receiver(code, location=target.url)
    outbox = SQLiteOutbox(tmp_path / "outbox.sqlite")
    try:
        hook_and_delivery(outbox, redirecting.url)
        sender = WebhookSender(outbox, Webhooks(outbox), clock=lambda: AT, allow_private=True)
        assert sender.send_due() == 0
        assert len(redirecting.posts) == 1
        assert target.posts == []
        message = outbox.get("msg_1")
        assert message is not None
        assert (message.status, message.attempts) == ("pending", 1)
        assert message.last_error == f"HTTP {code} (redirects are not followed)"
    finally:
        redirecting.close()
        outbox.close()


@pytest.mark.slow
def test_a_sender_killed_mid_send_delivers_again_with_the_same_webhook_id(
    tmp_path: Path, target: Receiver
) -> None:
    """At-least-once: the receiver got the delivery, but the worker died before it
    recorded that; the next worker delivers it again under the same `webhook-id`."""
    data_dir = tmp_path / "var"
    data_dir.mkdir()
    outbox = SQLiteOutbox(data_dir / "outbox.sqlite")
    hook = hook_and_delivery(outbox, target.url)
    env = {
        **os.environ,
        "SPRACHROHR_DATA_DIR": str(data_dir),
        "SPRACHROHR_WEBHOOKS_ALLOW_PRIVATE": "1",
        "SPRACHROHR_LOG_LEVEL": "warning",
    }
    worker = [sys.executable, "-m", "cli.main", "project"]
    target.hold.set()  # the receiver reads the delivery but does not answer yet
    first = subprocess.Popen(worker, env=env)
    try:
        assert eventually(lambda: len(target.posts) == 1, 60)
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
    target.hold.clear()
    target.released.set()
    pending = outbox.get("msg_1")
    assert pending is not None
    assert (pending.status, pending.attempts) == ("pending", 0)

    second = subprocess.Popen(worker, env=env)
    try:
        assert eventually(lambda: (m := outbox.get("msg_1")) is not None and m.status == "sent", 60)
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(timeout=30)
    assert [headers["webhook-id"] for headers, _ in target.posts] == ["msg_1", "msg_1"]
    for headers, body in target.posts:
        assert Verifier(hook.secret).verify(body, headers)["type"] == "pain_point.status_changed"
    outbox.close()
