"""A random but valid association history, generated through the Application."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import UUID

from domain.errors import DomainError
from domain.ids import SYSTEM
from domain.painpoint import PainPoint
from domain.workflow import moves_for
from service.application import Sprachrohr


class SteppingClock:
    """A test clock: each reading is a few random minutes after the previous one."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.now = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.now += timedelta(
            minutes=self.rng.randint(1, 90), microseconds=self.rng.randint(0, 999)
        )
        return self.now


@dataclass
class World:
    groups: list[UUID] = field(default_factory=list)
    people: list[UUID] = field(default_factory=list)
    companies: list[UUID] = field(default_factory=list)
    pain_points: list[UUID] = field(default_factory=list)
    ended: set[UUID] = field(default_factory=set)
    withdrawn: set[UUID] = field(default_factory=set)
    inactive: set[UUID] = field(default_factory=set)
    checkpoints: list[datetime] = field(default_factory=list)


def generate(app: Sprachrohr, seed: int, actions: int = 150) -> World:
    rng = random.Random(seed)
    app.clock = SteppingClock(rng)
    world = World()
    for g in range(2):
        world.groups.append(app.found_group(f"Gruppe {g}", "thematic", "", by=SYSTEM).id)
    for c in range(rng.randint(3, 6)):
        company = app.admit_company(f"Firma {c} GmbH", by=SYSTEM).id
        world.companies.append(company)
        for p in range(rng.randint(2, 6)):
            person = app.register_person(f"p{p}@firma{c}.example", f"P{p}", company, "x", by=SYSTEM)
            world.people.append(person.id)
            for group in world.groups:
                app.enrol(group, person.id, by=SYSTEM)
    for i in range(rng.randint(8, 14)):
        author = rng.choice(world.people)
        group = rng.choice(world.groups)
        world.pain_points.append(app.submit_pain_point(group, f"Problem {i}", "", [], by=author).id)
    for _ in range(actions):
        _act(app, world, rng)
    return world


def _act(app: Sprachrohr, world: World, rng: random.Random) -> None:
    roll = rng.random()
    person, pain_point = rng.choice(world.people), rng.choice(world.pain_points)
    try:
        if roll < 0.6:
            app.give_support(pain_point, by=person)
        elif roll < 0.8:
            app.withdraw_support(pain_point, by=person)
        elif roll < 0.88:
            world.checkpoints.append(app.clock())
        elif roll < 0.95:
            _curate(app, world, rng, pain_point)
        elif roll < 0.975 and len(world.withdrawn) < len(world.pain_points) // 3:
            app.withdraw_pain_point(pain_point, "erledigt", by=SYSTEM)
            world.withdrawn.add(pain_point)
        elif roll >= 0.975:
            _change_people_or_companies(app, world, rng, person)
    except DomainError:
        pass  # a rejected command (e.g. support on a withdrawn pain point) changes nothing


def _change_people_or_companies(
    app: Sprachrohr, world: World, rng: random.Random, person: UUID
) -> None:
    """What admins do: end a membership, move a person to another company,
    deactivate or reactivate a person."""
    roll = rng.random()
    if roll < 0.4 and len(world.ended) < len(world.companies) // 3:
        company = rng.choice(world.companies)
        app.end_membership(company, "ausgetreten", by=SYSTEM)
        world.ended.add(company)
    elif roll < 0.7:
        app.move_person(person, rng.choice(world.companies), by=SYSTEM)
    elif person in world.inactive:
        app.reactivate_person(person, by=SYSTEM)
        world.inactive.discard(person)
    else:
        app.deactivate_person(person, by=SYSTEM)
        world.inactive.add(person)


def _curate(app: Sprachrohr, world: World, rng: random.Random, pain_point: UUID) -> None:
    """What leads and the board do: edit, move through the workflow, merge and unmerge."""
    roll = rng.random()
    if roll < 0.15:
        number = rng.randint(0, 999)
        app.edit_pain_point(pain_point, title=f"Problem {number}", tags=[f"t{number}"], by=SYSTEM)
    elif roll < 0.45:
        current = app.load(PainPoint, pain_point, "pain point").status
        moves = sorted(moves_for(current, lead=True, board=True))
        if moves:
            app.change_status(pain_point, rng.choice(moves), "Triage", by=SYSTEM)
    elif roll < 0.75:
        app.merge(pain_point, rng.choice(world.pain_points), "Duplikat", by=SYSTEM)
    else:
        app.unmerge(pain_point, "doch kein Duplikat", by=SYSTEM)


def app_with_history(events: Path, *, seed: int, actions: int, **env: str) -> Sprachrohr:
    """An application on the SQLite file `events` (group commit, as the server) with a
    generated history in `app.world`; more settings in `env`."""
    app = Sprachrohr(
        env={"PERSISTENCE_MODULE": "storage.sqlite", "SQLITE_DBNAME": str(events), **env}
    )
    app.world = generate(app, seed=seed, actions=actions)  # type: ignore[attr-defined]
    return app
