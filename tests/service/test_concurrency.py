"""Concurrent commands against a real SQLite file: storage, not locks, keeps things unique."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import pytest
from eventsourcing.persistence import IntegrityError, RecordConflictError

from domain.errors import Conflict, DomainError, Invalid
from domain.ids import support_id
from domain.support import Support
from service.application import MAX_ATTEMPTS, Outcome, Sprachrohr, retried

if TYPE_CHECKING:
    from tests.service.conftest import Association, FakeClock

R = TypeVar("R")


@pytest.fixture
def sqlite_app(tmp_path: Path, clock: FakeClock) -> Sprachrohr:
    env = {
        "PERSISTENCE_MODULE": "eventsourcing.sqlite",
        "SQLITE_DBNAME": str(tmp_path / "es.sqlite"),
    }
    return Sprachrohr(env=env, clock=clock)


@pytest.fixture
def sqlite_assoc(
    sqlite_app: Sprachrohr, make_association: Callable[[Sprachrohr], Association]
) -> Association:
    return make_association(sqlite_app)


class RendezvousClock:
    """Holds each thread's first reading until all `parties` have read the clock.

    Commands read the clock after their checks and before they decide and save, so
    the threads all decide on the same state and then race each other to the store.
    """

    def __init__(self, clock: Callable[[], datetime], parties: int) -> None:
        self.clock = clock
        self.barrier = threading.Barrier(parties)
        self.lock = threading.Lock()
        self.seen = threading.local()

    def __call__(self) -> datetime:
        if not getattr(self.seen, "met", False):
            self.seen.met = True
            self.barrier.wait(timeout=10)
        with self.lock:
            return self.clock()


def all_at_once(app: Sprachrohr, calls: list[Callable[[], R]]) -> list[R]:
    """Run every call on its own thread, meeting at the clock; re-raise any error."""
    app.clock = RendezvousClock(app.clock, len(calls))
    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        futures = [pool.submit(call) for call in calls]
        return [future.result() for future in futures]


def test_fifty_people_supporting_one_pain_point_at_once_all_count(
    sqlite_assoc: Association,
) -> None:
    app = sqlite_assoc.app
    pain_point = sqlite_assoc.pain_point(by=sqlite_assoc.person())
    supporters = [sqlite_assoc.person() for _ in range(50)]

    outcomes = all_at_once(app, [partial(app.give_support, pain_point, by=p) for p in supporters])

    assert all(o.changed for o in outcomes)
    supports = [app.find(Support, support_id(pain_point, p)) for p in supporters]
    assert sum(1 for s in supports if s is not None and s.active) == 50
    positions = [o.position for o in outcomes]
    assert len(set(positions)) == 50


def test_one_person_supporting_twenty_times_at_once_is_recorded_once(
    sqlite_assoc: Association,
) -> None:
    app = sqlite_assoc.app
    pain_point = sqlite_assoc.pain_point(by=sqlite_assoc.person())
    supporter = sqlite_assoc.person()

    outcomes = all_at_once(app, [partial(app.give_support, pain_point, by=supporter)] * 20)

    the_support = support_id(pain_point, supporter)
    assert {o.id for o in outcomes} == {the_support}
    assert sum(o.changed for o in outcomes) == 1
    assert all(o.position is None for o in outcomes if not o.changed)
    events = list(app.events.get(the_support))
    assert [type(e) for e in events] == [Support.Given]


def test_the_same_idempotency_key_at_once_creates_one_pain_point(
    sqlite_assoc: Association,
) -> None:
    app, group = sqlite_assoc.app, sqlite_assoc.group
    author = sqlite_assoc.person()

    def submit() -> Outcome:
        return app.submit_pain_point(group, "Licensing", "", [], by=author, key="k")

    outcomes = all_at_once(app, [submit] * 10)

    assert len({o.id for o in outcomes}) == 1
    assert sum(o.changed for o in outcomes) == 1


def test_the_same_company_name_admitted_at_once_is_admitted_once(
    sqlite_assoc: Association,
) -> None:
    app, admin = sqlite_assoc.app, sqlite_assoc.admin

    def admit() -> Outcome | Conflict:
        try:
            return app.admit_company("Fabrikam AG", by=admin)
        except Conflict as conflict:
            return conflict

    results = all_at_once(app, [admit] * 10)

    admitted = [r for r in results if isinstance(r, Outcome)]
    rejected = [r for r in results if isinstance(r, Conflict)]
    assert len(admitted) == 1
    assert len(rejected) == 9
    assert {r.field for r in rejected} == {"name"}


def test_bootstrapping_the_admin_from_several_workers_at_once_creates_one_admin(
    sqlite_app: Sprachrohr,
) -> None:
    def bootstrap() -> bool:
        return sqlite_app.ensure_admin("admin@mspn.example", "Admin", "hash")

    created = all_at_once(sqlite_app, [bootstrap] * 4)

    assert sorted(created) == [False, False, False, True]


# -- the retry decorator -------------------------------------------------------


class LosesRaces:
    """A command that loses the optimistic-concurrency race `losses` times."""

    def __init__(self, losses: int, error: type[Exception] = IntegrityError) -> None:
        self.losses = losses
        self.error = error
        self.attempts = 0

    def __call__(self, value: str) -> str:
        self.attempts += 1
        if self.attempts <= self.losses:
            if issubclass(self.error, DomainError):
                raise self.error("store.busy")
            raise self.error("duplicate key: (originator_id, originator_version)")
        return value


@pytest.mark.parametrize("losses", range(MAX_ATTEMPTS))
def test_a_command_that_loses_fewer_races_than_the_limit_succeeds(
    losses: int,
) -> None:
    command = LosesRaces(losses)

    assert retried(command)("done") == "done"
    assert command.attempts == losses + 1


def test_a_command_that_keeps_losing_races_is_rejected_as_a_conflict() -> None:
    command = LosesRaces(MAX_ATTEMPTS)

    with pytest.raises(Conflict) as error:
        retried(command)("never")

    assert command.attempts == MAX_ATTEMPTS
    assert isinstance(error.value.__cause__, RecordConflictError)


def test_any_record_conflict_is_retried_not_only_integrity_errors() -> None:
    command = LosesRaces(MAX_ATTEMPTS, error=RecordConflictError)

    with pytest.raises(Conflict):
        retried(command)("never")
    assert command.attempts == MAX_ATTEMPTS


def test_domain_errors_are_not_retried() -> None:
    command = LosesRaces(1, error=Invalid)

    with pytest.raises(Invalid):
        retried(command)("never")
    assert command.attempts == 1
