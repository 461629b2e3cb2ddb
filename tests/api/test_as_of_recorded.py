"""What the API answered at a moment is what it answers later when asked as of that moment."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from fastapi.testclient import TestClient

from api.main import create_app
from domain.curation import CuratedList, curated_list_id
from domain.errors import DomainError
from domain.ids import SYSTEM
from domain.painpoint import PainPoint
from domain.workflow import moves_for
from service.application import Sprachrohr
from service.settings import Settings


class Stepping:
    def __init__(self) -> None:
        self.now = datetime(2025, 5, 5, 8, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.now += timedelta(minutes=7)
        return self.now


def build(app: Sprachrohr, rng: random.Random) -> tuple[UUID, list[UUID], list[UUID]]:
    group = app.found_group("Lizenzierung", "thematic", "", by=SYSTEM).id
    people = []
    for c in range(5):
        company = app.admit_company(f"Firma {c} AG", by=SYSTEM).id
        for p in range(rng.randint(1, 4)):
            person = app.register_person(f"p{p}@f{c}.example", f"P{p}", company, "-", by=SYSTEM)
            app.enrol(group, person.id, by=SYSTEM)
            people.append(person.id)
    items = [app.submit_pain_point(group, f"Punkt {i}", "", [], by=people[0]).id for i in range(6)]
    return group, people, items


def step(app: Sprachrohr, rng: random.Random, people: list[UUID], items: list[UUID]) -> None:
    person, item = rng.choice(people), rng.choice(items)
    roll = rng.random()
    try:
        if roll < 0.6:
            app.give_support(item, by=person)
        elif roll < 0.8:
            app.withdraw_support(item, by=person)
        elif roll < 0.9:
            current = app.load(PainPoint, item, "pain point", readonly=True).status
            moves = sorted(moves_for(current, lead=True, board=True))
            if moves:
                app.change_status(item, rng.choice(moves), "Sichtung", by=SYSTEM)
        elif roll < 0.95:
            app.merge(item, rng.choice(items), "Duplikat", by=SYSTEM)
        else:
            app.unmerge(item, "kein Duplikat", by=SYSTEM)
    except DomainError:
        pass


def test_as_of_answers_equal_the_answers_recorded_at_the_time(settings: Settings) -> None:
    rng = random.Random(42)
    long_sessions = settings.model_copy(update={"token_ttl_hours": 720})  # the clock races on
    with TestClient(create_app(long_sessions)) as client:
        runtime = client.app.state.runtime  # type: ignore[attr-defined]
        app: Sprachrohr = runtime.app
        app.clock = Stepping()
        token = client.post(
            "/api/v1/auth/token",
            data={"username": "admin@verband.example", "password": "admin-password"},
        ).json()["access_token"]
        headers = {"Authorization": f"Bearer {token}"}
        group, people, items = build(app, rng)
        recorded: list[tuple[str, list[Any]]] = []
        for _ in range(12):
            for _ in range(15):
                step(app, rng, people, items)
            head = runtime.projector.head()
            answer = client.get(
                f"/api/v1/working-groups/{group}/ranking",
                params={"min_position": head},
                headers=headers,
            )
            assert answer.status_code == 200, answer.text
            live = answer.json()["items"]
            publish_top(app, group, live)
            head = runtime.projector.head()
            listed = client.get(
                f"/api/v1/working-groups/{group}/curated-list",
                params={"min_position": head},
                headers=headers,
            ).json()
            recorded.append((app.clock().isoformat(), {"ranking": live, "curated": listed}))
        assert len({repr(seen["ranking"]) for _, seen in recorded}) > 6  # it kept changing
        for moment, seen in recorded:
            ranking = client.get(
                f"/api/v1/working-groups/{group}/ranking",
                params={"as_of": moment},
                headers=headers,
            ).json()["items"]
            assert ranking == seen["ranking"], moment
            curated = client.get(
                f"/api/v1/working-groups/{group}/curated-list",
                params={"as_of": moment},
                headers=headers,
            ).json()
            assert curated == seen["curated"], moment


def publish_top(app: Sprachrohr, group: UUID, ranking: list[dict[str, Any]]) -> None:
    """The lead publishes the current top three, in reverse order (with reasons)."""
    top = list(reversed(ranking[:3]))
    items = [
        {
            "pain_point_id": row["pain_point_id"],
            "community_rank": row["rank"],
            "rationale": "Dringlichkeit",
            "pinned": False,
        }
        for row in top
    ]
    current = app.find(CuratedList, curated_list_id(group), readonly=True)
    edition = 0 if current is None else current.edition
    app.publish_curated_list(group, items, "", edition=edition, by=SYSTEM)
