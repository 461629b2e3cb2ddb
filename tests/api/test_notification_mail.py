"""Notification mails through a real SMTP server: immediately, as a digest, unsubscribed."""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from email.message import Message
from typing import Any
from urllib.parse import urlsplit

import pytest

from service.runtime import Runtime
from service.settings import Settings
from tests.api.api_world import World
from tests.api.board_world import move, respond, vendor_representative
from tests.smtp_server import SmtpServer, eventually, text_of

PUBLIC = "https://sprachrohr.verband.example"


@pytest.fixture
def settings(settings: Settings, smtp: SmtpServer) -> Settings:
    return settings.model_copy(
        update={"smtp_url": smtp.url, "public_url": PUBLIC, "mail_retry_seconds": 0.2}
    )


def runtime_of(world: World) -> Runtime:
    runtime: Runtime = world.client.app.state.runtime  # type: ignore[attr-defined]
    return runtime


def process(world: World, now: datetime | None = None) -> int:
    """Take in every event so far, then record the mails that are due at `now`."""
    runtime = runtime_of(world)
    assert runtime.notifications is not None
    runtime.projector.wait_for(runtime.projector.head(), 10)
    runtime.notifications.catch_up()
    return runtime.digests.run(now or runtime.app.clock())


def mails_to(smtp: SmtpServer, address: str) -> list[Message]:
    """The mails to `address`, one per Message-ID (delivery is at-least-once)."""
    unique = {m["Message-ID"]: m for m in smtp.inbox.mails if m["To"] == address}
    return list(unique.values())


def choose(world: World, actor: Any, email: str, hour: int = 7) -> None:
    body = {"email": email, "digest_hour": hour}
    answer = world.command("PUT", "/me/notification-settings", actor, json=body)
    assert answer == body


def test_settings_default_to_a_daily_digest_at_seven(world: World) -> None:
    got = world.call("GET", "/me/notification-settings", world.member_a)
    assert got.json() == {"email": "daily", "digest_hour": 7}
    bad = world.call("PUT", "/me/notification-settings", world.member_a, json={"email": "hourly"})
    assert bad.status_code == 422
    bad = world.call(
        "PUT", "/me/notification-settings", world.member_a,
        json={"email": "daily", "digest_hour": 24},
    )  # fmt: skip
    assert bad.status_code == 422


def test_a_vendor_answer_reaches_each_follower_once_immediately(
    world: World, smtp: SmtpServer
) -> None:
    vendor = vendor_representative(world)
    choose(world, world.member_a, "immediately")
    choose(world, world.member_b, "immediately")
    choose(world, vendor, "immediately")
    move(world, world.pain_point, world.lead, "accepted", "escalated")
    world.command("PUT", f"/pain-points/{world.pain_point}/follow", vendor)
    process(world)
    smtp.inbox.wait_for(1)
    respond(world, vendor, world.pain_point)
    assert process(world) >= 1
    assert process(world) == 0  # nothing twice
    answer = "Der Hersteller hat offiziell geantwortet"
    assert eventually(lambda: any(answer in text_of(m) for m in smtp.inbox.mails))
    time.sleep(0.5)  # a second mail would have arrived by now
    [mail] = [m for m in mails_to(smtp, world.member_a.email) if answer in text_of(m)]
    assert "Lizenzportal meldet falsche Restlaufzeiten" in text_of(mail)
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert mail["List-Unsubscribe"].startswith(f"<{PUBLIC}/unsubscribe/")
    answered = {
        m["Message-ID"]: m["To"] for m in smtp.inbox.mails if "offiziell geantwortet" in text_of(m)
    }
    assert sorted(answered.values()) == [world.member_a.email]  # once, and not to the vendor


def test_a_daily_digest_coalesces_many_comments_into_one_line(
    world: World, smtp: SmtpServer
) -> None:
    world.command("PUT", f"/pain-points/{world.pain_point}/support", world.member_b, 201)
    for n in range(5):
        world.command(
            "POST", f"/pain-points/{world.pain_point}/comments", world.member_b, 201,
            json={"text": f"Kommentar {n}"},
        )  # fmt: skip
    move(world, world.pain_point, world.lead, "accepted")
    now = runtime_of(world).app.clock()
    assert process(world, now) == 0  # not before the next digest hour
    tomorrow = now + timedelta(days=1, hours=1)
    runtime_of(world).mailer.clock = lambda: tomorrow  # the sender lives in that time too
    assert process(world, tomorrow) >= 1
    assert eventually(lambda: bool(mails_to(smtp, world.member_a.email)))
    [mail] = mails_to(smtp, world.member_a.email)
    text = text_of(mail)
    assert text.count("5 neue Kommentare") == 1
    assert "Kommentar 0" not in text  # comments' texts stay in Sprachrohr
    assert "Status geändert" in text
    assert process(world, now + timedelta(days=3)) == 0  # each notification mailed once


def test_one_click_unsubscribe_works_without_signing_in(world: World, smtp: SmtpServer) -> None:
    choose(world, world.member_a, "immediately")
    move(world, world.pain_point, world.lead, "accepted")
    process(world)
    assert eventually(lambda: bool(mails_to(smtp, world.member_a.email)))
    [mail] = mails_to(smtp, world.member_a.email)
    link = mail["List-Unsubscribe"].strip("<>")
    path = urlsplit(link).path
    page = world.client.get(path)
    assert page.status_code == 200
    one_click = world.client.post(path, data={"List-Unsubscribe": "One-Click"})
    assert one_click.status_code == 200
    got = world.call("GET", "/me/notification-settings", world.member_a).json()
    assert got["email"] == "off"
    forged = path[:-3] + ("000" if path[-3:] != "000" else "111")  # never the real one
    assert world.client.post(forged).status_code == 404
    move(world, world.pain_point, world.lead, "escalated")
    assert process(world) == 0


def test_a_mention_mails_the_mentioned_per_their_setting(world: World, smtp: SmtpServer) -> None:
    choose(world, world.member_a, "immediately")
    choose(world, world.member_b, "daily")
    body = {"text": "@Anna und @Bernd, bitte prüfen", "mentions": [
        str(world.member_a.id), str(world.member_b.id)]}  # fmt: skip
    world.command("POST", f"/pain-points/{world.pain_point}/comments", world.lead, 201, json=body)
    assert process(world) >= 1
    mentioned = "Sie wurden in einem Kommentar erwähnt"
    assert eventually(lambda: any(mentioned in text_of(m) for m in smtp.inbox.mails))
    time.sleep(0.5)
    [mail] = mails_to(smtp, world.member_a.email)
    assert mentioned in text_of(mail)
    assert "Lena" not in text_of(mail)  # never the writer's name
    assert mails_to(smtp, world.member_b.email) == []  # Bernd reads it in tomorrow's digest
