"""Fixtures for the domain tests: a controllable clock and a small association."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from itertools import count
from uuid import UUID

import pytest

from service.application import Sprachrohr
from tests.service.world import World, build_world

ADMIN_EMAIL = "vorstand-it@mspn.example"
POPO = {"PERSISTENCE_MODULE": "eventsourcing.popo"}


class FakeClock:
    """A test clock: each reading is one second after the last; `advance` jumps."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2025, 3, 4, 9, 30, tzinfo=UTC)
        self.readings: list[datetime] = []

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        self.readings.append(self.now)
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta


@dataclass
class Association:
    """An admin, one member company, one working group and helpers to add people."""

    app: Sprachrohr
    admin: UUID
    company: UUID
    group: UUID
    _serial: Iterator[int] = field(default_factory=lambda: count(1))

    def person(
        self,
        *,
        company: UUID | None = None,
        staff: bool = False,
        enrol_in: UUID | None = None,
        enrolled: bool = True,
    ) -> UUID:
        """Register a person of `company` (default: the association's company),
        enrolled in `enrol_in` (default: the association's group) unless told not."""
        n = next(self._serial)
        company_id = None if staff else (company or self.company)
        person_id = self.app.register_person(
            f"person{n}@partner.example", f"Person {n}", company_id, "hash", by=self.admin
        ).id
        if enrolled:
            self.app.enrol(enrol_in or self.group, person_id, by=self.admin)
        return person_id

    def board_member(self) -> UUID:
        person_id = self.person(enrolled=False)
        self.app.grant_role(person_id, "board", by=self.admin)
        return person_id

    def pain_point(self, by: UUID, title: str = "Partner registration is slow") -> UUID:
        return self.app.submit_pain_point(
            self.group, title, "Takes weeks.", ["registration"], by=by
        ).id


def bootstrap(app: Sprachrohr) -> Association:
    assert app.ensure_admin(ADMIN_EMAIL, "Admin", "hash")
    admin = app.find_person_by_email(ADMIN_EMAIL)
    assert admin is not None
    company = app.admit_company("Contoso Systemhaus GmbH", by=admin.id).id
    group = app.found_group("Süd/München", "regional", "Regional group Munich", by=admin.id).id
    return Association(app=app, admin=admin.id, company=company, group=group)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def app(clock: FakeClock) -> Sprachrohr:
    return Sprachrohr(env=POPO, clock=clock)


@pytest.fixture
def assoc(app: Sprachrohr) -> Association:
    return bootstrap(app)


@pytest.fixture
def make_association() -> Callable[[Sprachrohr], Association]:
    """Bootstrap an association in an application built by the test itself."""
    return bootstrap


@pytest.fixture
def world(assoc: Association) -> World:
    """Who is who around one working group and a second one (tests.service.world)."""
    return build_world(assoc)
