"""The outbox and its sender, against a real SMTP server (aiosmtpd on loopback)."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from notify.mailer import FileTransport, MailSender, SmtpTransport
from service.mail import Mail, enqueue_mail, render
from storage.outbox import Outbox, PostgresOutbox, SQLiteOutbox
from tests.smtp_server import SmtpServer, eventually, free_port, text_of

GOLDEN = Path(__file__).parent / "golden"
PUBLIC = "https://sprachrohr.verband.example"
PG_CONNINFO = "host=127.0.0.1 port=5432 user=postgres dbname=test"
CONTEXTS = {
    "invitation": {
        "display_name": "Anna Schmidt",
        "inviter": "Lena Lehmann",
        "association": "MSPN e.V.",
        "groups": ["Lizenzen", "Süd (München)"],
        "link": f"{PUBLIC}/invitations/TOKEN",
        "expires_at": "11. Dezember 2026 um 22:00:00 MEZ",
    },
    "password_reset": {
        "display_name": "Anna Schmidt",
        "association": "MSPN e.V.",
        "link": f"{PUBLIC}/password-reset/TOKEN",
        "expires_at": "4. Dezember 2026 um 23:00:00 MEZ",
    },
}


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 12, 4, 21, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def outbox(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Outbox]:
    if request.param == "sqlite":
        box: Outbox = SQLiteOutbox(tmp_path / "outbox.sqlite")
        yield box
        box.close()
        return
    schema = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_CONNINFO, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
    try:
        yield PostgresOutbox(PG_CONNINFO, schema)
    finally:
        with psycopg.connect(PG_CONNINFO, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(schema)))


def invitation(message_id: str = "m-1", **overrides: object) -> Mail:
    fields: dict[str, object] = {
        "message_id": message_id,
        "to": "anna@alpha.example",
        "template": "invitation",
        "language": "de",
        "context": CONTEXTS["invitation"],
        "one_time": True,
        "link": f"{PUBLIC}/invitations/TOKEN",
        **overrides,
    }
    return Mail(**fields)  # type: ignore[arg-type]


def sender(outbox: Outbox, url: str, clock: Clock, saved: set[str] | None = None) -> MailSender:
    return MailSender(
        outbox,
        SmtpTransport(url, timeout=5),
        mail_from="Sprachrohr <sprachrohr@verband.example>",
        clock=clock,
        exists=lambda aggregate: saved is None or aggregate in saved,
    )


@pytest.mark.parametrize("template", sorted(CONTEXTS))
@pytest.mark.parametrize("language", ["de", "en"])
def test_mail_bodies_match_the_golden_files(template: str, language: str) -> None:
    rendered = render(template, language, CONTEXTS[template])
    actual = f"Subject: {rendered.subject}\n\n{rendered.text}\n-- html --\n{rendered.html}"
    golden = GOLDEN / f"{template}.{language}.txt"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(actual, encoding="utf-8")
    assert actual == golden.read_text(encoding="utf-8")


def test_html_part_escapes_what_people_typed() -> None:
    context = {**CONTEXTS["invitation"], "display_name": "<script>x</script>"}

    rendered = render("invitation", "en", context)

    assert "<script>" not in rendered.html
    assert "&lt;script&gt;" in rendered.html
    assert "<script>x</script>" in rendered.text


def test_a_mail_is_delivered_once_as_text_and_html_with_a_stable_message_id(
    outbox: Outbox, smtp: SmtpServer
) -> None:
    clock = Clock()
    enqueue_mail(outbox, invitation(), now=clock(), public_base=PUBLIC)
    mailer = sender(outbox, smtp.url, clock)

    assert mailer.send_due() == 1
    assert mailer.send_due() == 0
    [mail] = smtp.inbox.wait_for(1)
    assert mail["Message-ID"] == "<m-1@sprachrohr.verband.example>"
    assert mail["Subject"] == "Einladung zu Sprachrohr (MSPN e.V.)"
    assert mail["To"] == "anna@alpha.example"
    assert [p.get_content_type() for p in mail.walk()][1:] == ["text/plain", "text/html"]
    assert f"{PUBLIC}/invitations/TOKEN" in text_of(mail)


def test_recording_the_same_mail_twice_keeps_one(outbox: Outbox) -> None:
    clock = Clock()

    first = enqueue_mail(outbox, invitation(), now=clock(), public_base=PUBLIC)
    second = enqueue_mail(outbox, invitation(), now=clock(), public_base=PUBLIC)

    assert (first, second) == (True, False)
    assert len(outbox.all()) == 1


def test_while_smtp_is_down_the_mail_waits_and_is_delivered_once_when_it_is_back(
    outbox: Outbox,
) -> None:
    clock = Clock()
    server = SmtpServer(port=free_port())
    enqueue_mail(outbox, invitation(), now=clock(), public_base=PUBLIC)
    mailer = sender(outbox, server.url, clock)

    assert mailer.send_due() == 0
    failed = outbox.get("m-1")
    assert failed is not None
    assert (failed.attempts, failed.status, failed.next_attempt_at) == (
        1,
        "pending",
        clock() + timedelta(seconds=2),
    )
    server.start()
    try:
        assert mailer.send_due() == 0  # not due before its back-off
        clock.advance(2)
        assert mailer.send_due() == 1
        clock.advance(3600)
        assert mailer.send_due() == 0
        assert len(server.inbox.wait_for(1)) == 1
    finally:
        server.stop()


def test_retries_back_off_exponentially_up_to_a_cap(outbox: Outbox) -> None:
    mailer = sender(outbox, "smtp://127.0.0.1:1", Clock())

    delays = [mailer.retry_delay(n).total_seconds() for n in (0, 1, 2, 3, 20, 1000)]

    assert delays == [2, 4, 8, 16, 900, 900]


def test_a_sent_one_time_mail_keeps_only_its_metadata(outbox: Outbox, smtp: SmtpServer) -> None:
    clock = Clock()
    enqueue_mail(outbox, invitation(), now=clock(), public_base=PUBLIC)
    sender(outbox, smtp.url, clock).send_due()

    sent = outbox.get("m-1")

    assert sent is not None
    assert sent.status == "sent"
    assert sent.recipient == ""
    assert sorted(sent.payload) == ["language", "message_id_header", "subject", "template"]
    assert "TOKEN" not in str(sent.payload)


def test_a_mail_waits_for_what_it_is_about_and_is_dropped_if_that_never_comes(
    outbox: Outbox, smtp: SmtpServer
) -> None:
    clock = Clock()
    saved: set[str] = set()
    about, never = uuid.uuid4(), uuid.uuid4()
    enqueue_mail(outbox, invitation("m-1", requires=about), now=clock(), public_base=PUBLIC)
    enqueue_mail(outbox, invitation("m-2", requires=never), now=clock(), public_base=PUBLIC)
    mailer = sender(outbox, smtp.url, clock, saved)

    assert mailer.send_due() == 0
    saved.add(about.hex)
    clock.advance(1)
    assert mailer.send_due() == 1
    clock.advance(11 * 60)
    assert mailer.send_due() == 0

    dropped = outbox.get("m-2")
    assert dropped is not None
    assert dropped.status == "abandoned"
    assert "TOKEN" not in str(dropped.payload)
    assert [m["Message-ID"] for m in smtp.inbox.wait_for(1)] == ["<m-1@sprachrohr.verband.example>"]


def test_without_smtp_a_mail_is_written_as_an_eml_file_and_its_link_logged(
    outbox: Outbox, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    clock = Clock()
    enqueue_mail(outbox, invitation(), now=clock(), public_base=PUBLIC)
    mailer = MailSender(
        outbox,
        FileTransport(tmp_path / "outbox"),
        mail_from="Sprachrohr <sprachrohr@verband.example>",
        clock=clock,
        exists=lambda _: True,
    )

    with caplog.at_level(logging.INFO, logger="notify.mailer"):
        assert mailer.send_due() == 1

    [eml] = (tmp_path / "outbox").glob("*.eml")
    assert b"Message-ID: <m-1@sprachrohr.verband.example>" in eml.read_bytes()
    [line] = [r.getMessage() for r in caplog.records]
    assert f"{PUBLIC}/invitations/TOKEN" in line
    assert "anna@alpha.example" in line


@pytest.mark.slow
def test_a_worker_killed_mid_send_sends_the_mail_again_with_the_same_message_id(
    tmp_path: Path, smtp: SmtpServer
) -> None:
    """At-least-once: the mail reached the server, but the worker died before it
    recorded that; the next worker sends it again, and the duplicate is recognisable."""
    data_dir = tmp_path / "var"
    data_dir.mkdir()
    outbox = SQLiteOutbox(data_dir / "outbox.sqlite")
    enqueue_mail(outbox, invitation(), now=datetime.now(UTC), public_base=PUBLIC)
    env = {
        **os.environ,
        "SPRACHROHR_DATA_DIR": str(data_dir),
        "SPRACHROHR_SMTP_URL": smtp.url,
        "SPRACHROHR_LOG_LEVEL": "warning",
    }
    worker = [sys.executable, "-m", "cli.main", "project"]
    smtp.inbox.hold.set()  # the server accepts the data but does not answer yet
    first = subprocess.Popen(worker, env=env)
    try:
        assert len(smtp.inbox.wait_for(1, timeout=60)) == 1
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
    smtp.inbox.hold.clear()
    sent = outbox.get("m-1")
    assert sent is not None
    assert sent.status == "pending"

    second = subprocess.Popen(worker, env=env)
    try:
        assert eventually(lambda: (m := outbox.get("m-1")) is not None and m.status == "sent", 60)
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(timeout=30)
    mails = smtp.inbox.wait_for(2)
    assert [m["Message-ID"] for m in mails] == ["<m-1@sprachrohr.verband.example>"] * 2
    outbox.close()
