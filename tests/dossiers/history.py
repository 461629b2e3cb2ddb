"""A small, fixed synthetic history for dossier tests: two groups, companies, people,
supports over weeks, a curated list, a meeting, vendor answers and a promise.

Everything is recorded through the application's commands with a controlled clock,
so the log — and every dossier composed from it — is the same on every run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from domain.ids import SYSTEM
from dossiers.content import Definition
from service.application import Sprachrohr

START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


class StepClock:
    """Stands at a moment; each reading is one second later (events stay ordered)."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now

    def to(self, moment: datetime) -> None:
        assert moment >= self.now
        self.now = moment


@dataclass
class History:
    app: Sprachrohr
    clock: StepClock
    ids: dict[str, UUID] = field(default_factory=dict)
    people: list[UUID] = field(default_factory=list)
    names: list[str] = field(default_factory=list)


def record_history(app: Sprachrohr) -> History:
    """Record the history into `app` (its clock is replaced by a StepClock)."""
    clock = StepClock()
    app.clock = clock
    h = History(app, clock)
    ids = h.ids
    by = SYSTEM
    ids["licensing"] = app.found_group(
        "Lizenzierung", "thematic", "Lizenzmodelle.", by=by, key="g1"
    ).id
    ids["south"] = app.found_group(
        "Süd (München)", "regional", "Region München.", by=by, key="g2"
    ).id
    companies = [
        app.admit_company(name, by=by, key=name).id
        for name in ("Alpenblick IT GmbH", "Isartal Systemhaus AG", "Chiemsee Consulting KG")
    ]
    for n, company in enumerate(companies * 2):
        name = f"Person {n} Mustermann"
        email = f"p{n}@partner.example"
        person = app.register_person(email, name, company, "x", by=by, key=email).id
        h.people.append(person)
        h.names.append(name)
        app.enrol(ids["licensing"], person, by=by)
        if n % 2 == 0:
            app.enrol(ids["south"], person, by=by)
    lead = h.people[0]
    app.appoint_lead(ids["licensing"], lead, by=by)
    vendor = app.register_person(
        "vendor@vendor.example", "Vera Vendor", None, "x", by=by, key="v"
    ).id
    app.grant_role(vendor, "vendor", by=by)
    board = app.register_person(
        "board@verband.example", "Bernd Board", None, "x", by=by, key="b"
    ).id
    app.grant_role(board, "board", by=by)
    h.names += ["Vera Vendor", "Bernd Board"]
    ids["board"] = board
    texts = [
        ("Lizenzportal zeigt falsche Restlaufzeiten", "Das Portal rechnet Laufzeiten falsch.\n\n"
         "Kunden verlängern zu spät."),
        ("Testlizenzen laufen zu früh ab", "Testlizenzen enden nach 30 Tagen."),
        ("Preislisten kommen zu spät", "Neue Preise kommen am Stichtag."),
    ]  # fmt: skip
    for key, (title, text) in zip(("p1", "p2", "p3"), texts, strict=True):
        ids[key] = app.submit_pain_point(
            ids["licensing"], title, text, ["lizenz"], by=lead, key=key
        ).id
    ids["p4"] = app.submit_pain_point(
        ids["south"], "Supportzeiten zu kurz", "Nur bis 16 Uhr.", [], by=h.people[2], key="p4"
    ).id
    app.add_evidence(
        ids["p1"], affected_customers=120, revenue_band="100k-1m", product_area="Partner Center",
        link="", note="", by=h.people[1], key="e1",
    )  # fmt: skip
    # Supports over five weeks: p1 broad, p2 deep in one company, p3 late.
    for week, (key, people) in enumerate(
        [("p1", [0, 1, 2]), ("p2", [0, 3]), ("p1", [3, 4]), ("p3", [5]), ("p4", [2, 4])]
    ):
        clock.to(START + timedelta(weeks=week + 1))
        for n in people:
            app.give_support(ids[key], by=h.people[n])
    app.withdraw_support(ids["p2"], by=h.people[3])
    for status in ("accepted", "escalated"):
        app.change_status(ids["p1"], status, f"Breite Unterstützung: {status}", by=lead)
    items = [
        {"pain_point_id": str(ids["p1"]), "pinned": True, "rationale": "Betrifft alle",
         "community_rank": 1},
        {"pain_point_id": str(ids["p3"]), "pinned": False, "rationale": "Frist im März",
         "community_rank": 3},
    ]  # fmt: skip
    app.publish_curated_list(ids["licensing"], items, "Erste Liste", edition=0, by=lead)
    clock.to(START + timedelta(weeks=7))
    ids["qb"] = app.schedule_meeting("Quality Board Frühjahr", "quality-board", "2026-02-25",
                                     by=board, key="qb").id  # fmt: skip
    app.set_agenda(ids["qb"], [ids["p1"]], by=board)
    clock.to(datetime(2026, 2, 25, 10, tzinfo=UTC))
    app.mark_presented(ids["qb"], ids["p1"], by=board)
    clock.to(datetime(2026, 3, 2, 10, tzinfo=UTC))
    app.respond(
        ids["p1"], kind="planned", text="Korrektur im Mai.", product_group="Partner Center",
        commitment="Laufzeiten korrekt", due_on="2026-05-31", by=vendor, key="r1",
    )  # fmt: skip
    ids["ic"] = app.schedule_meeting("Inner Circle Lizenzen", "inner-circle", "2026-04-15",
                                     by=board, key="ic").id  # fmt: skip
    clock.to(datetime(2026, 3, 20, 10, tzinfo=UTC))
    app.give_support(ids["p3"], by=h.people[1])
    return h


def definition(h: History, **changes: Any) -> Definition:
    """The dossier of both groups for the Inner Circle, as of the end of the history."""
    fields: dict[str, Any] = {
        "association": "MSPN e.V.",
        "group_ids": [h.ids["licensing"].hex, h.ids["south"].hex],
        "language": "de",
        "position": h.app.recorder.max_notification_id(),
        "meeting_id": h.ids["ic"].hex,
    }
    return Definition(**{**fields, **changes})
