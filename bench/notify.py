"""Notification fan-out: one status change on a pain point with 1,000 followers.

Measures (SQLite, one process): the notification processor's time to turn the
event into 1,000 notifications; the mail job's time to render and record 1,000
immediate mails in the outbox; and the sender's rate to a local SMTP server
(aiosmtpd on loopback, one SMTP connection per mail, as the sender does).

    .venv/bin/python -m bench.notify            # 1,000 followers
    BENCH_SCALE=small .venv/bin/python -m bench.notify
"""

from __future__ import annotations

import os
import socket
import time

from aiosmtpd.controller import Controller

from bench.common import scratch_dir, sized
from domain.ids import SYSTEM
from notify.digest import save_settings
from service.runtime import build_runtime
from service.settings import Settings


class Counter:
    def __init__(self) -> None:
        self.count = 0

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        self.count += 1
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def main() -> None:
    followers = sized(1000, 100)
    counter = Counter()
    port = free_port()
    # server_hostname: else aiosmtpd looks up its own name (~0.1 s) per connection
    smtp = Controller(counter, hostname="127.0.0.1", port=port, server_hostname="localhost")
    smtp.start()
    with scratch_dir("notify") as data:
        settings = Settings(  # type: ignore[call-arg]
            data_dir=data, smtp_url=f"smtp://127.0.0.1:{port}", public_url="https://s.example"
        )
        runtime = build_runtime(settings)
        app = runtime.app
        company = app.admit_company("Alpha GmbH", by=SYSTEM).id
        group = app.found_group("G1", "thematic", "Bench", by=SYSTEM).id
        people = []
        for n in range(followers + 1):
            person = app.register_person(f"p{n}@alpha.example", f"P{n}", company, "x", by=SYSTEM).id
            app.enrol(group, person, by=SYSTEM)
            people.append(person)
        lead = people.pop()
        app.appoint_lead(group, lead, by=SYSTEM)
        pain_point = app.submit_pain_point(group, "Bench", "", [], by=lead).id
        runtime.projector.catch_up()
        for person in people:
            app.follow("pain_point", pain_point, by=person)
        runtime.projector.catch_up()
        assert runtime.notifications is not None
        runtime.notifications.catch_up()
        for person in people:
            save_settings(runtime.store, person, "immediately", 7)
        runtime.digests.run(app.clock())  # the submission's digest-only lines, not measured
        while runtime.mailer.send_due():
            pass
        before = counter.count

        app.change_status(pain_point, "accepted", "Bench", by=lead)
        runtime.projector.catch_up()
        started = time.perf_counter()
        runtime.notifications.catch_up()
        fan_out = time.perf_counter() - started
        with runtime.store.reading() as cur:
            cur.execute("SELECT COUNT(*) FROM n_notifications WHERE kind = ?",
                        ("pain_point.status_changed",))  # fmt: skip
            notified = cur.fetchone()[0]
        started = time.perf_counter()
        recorded = runtime.digests.run(app.clock())
        enqueue = time.perf_counter() - started
        started = time.perf_counter()
        while runtime.mailer.send_due():
            pass
        sending = time.perf_counter() - started
        sent = counter.count - before
        runtime.close()
    smtp.stop()
    load = os.getloadavg()[0]
    print(f"followers: {followers}, notifications written: {notified}, mails recorded: {recorded}")
    print(f"fan-out (processor, one event): {fan_out * 1000:.0f} ms")
    print(f"render + enqueue {recorded} mails: {enqueue * 1000:.0f} ms"
          f" ({recorded / enqueue:.0f} mails/s)")  # fmt: skip
    print(f"send {sent} mails to local SMTP: {sending:.1f} s ({sent / sending:.0f} mails/s)")
    print(f"load average (1 min) during the run: {load:.2f}")


if __name__ == "__main__":
    main()
