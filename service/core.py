"""What every command needs: an outcome, retries on lost races, a clock, storage."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import wraps
from typing import ParamSpec, TypeVar
from uuid import UUID, uuid4

from eventsourcing.domain import Aggregate
from eventsourcing.persistence import RecordConflictError

from domain import calendar
from domain.calendar import DEFAULT_TIME_ZONE
from domain.errors import Conflict
from domain.ids import idempotent_id
from service.access import A, Access
from storage.freshness import fresh_reads

Clock = Callable[[], datetime]
P = ParamSpec("P")
R = TypeVar("R")
MAX_ATTEMPTS = 5


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Outcome:
    """What a command did: the aggregate it concerns, whether it created or changed
    anything, and the notification position of its last event (None for a no-op)."""

    id: UUID
    changed: bool
    position: int | None


def retried(method: Callable[P, R]) -> Callable[P, R]:
    """Re-run a command that lost an optimistic-concurrency race.

    Each attempt reads in a read scope (storage.freshness): the first one in the
    caller's, if there is one (a request's), every retry in a new one, so it sees
    the winner's events.
    """

    @wraps(method)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        for attempt in range(MAX_ATTEMPTS - 1):
            try:
                with fresh_reads(again=attempt > 0):
                    return method(*args, **kwargs)
            except RecordConflictError:
                continue
        try:
            with fresh_reads(again=True):
                return method(*args, **kwargs)
        except RecordConflictError as conflict:
            raise Conflict("store.busy") from conflict

    return wrapper


class Service(Access):
    """The parts of the application that command mixins build on."""

    clock: Clock
    #: The association's time zone (setting SPRACHROHR_TIME_ZONE): whose "today" counts.
    time_zone: str = DEFAULT_TIME_ZONE

    def today(self) -> date:
        """The association's date now (domain.calendar.today on the application's clock)."""
        return calendar.today(self.clock(), self.time_zone)

    @abstractmethod
    def store(self, *aggregates: Aggregate | None) -> int | None:
        """Save the aggregates' new events in one transaction; the last position."""

    @abstractmethod
    def find(self, cls: type[A], aggregate_id: UUID, *, readonly: bool = False) -> A | None:
        """The aggregate of that type, or None; `readonly` ones must not be changed."""

    @abstractmethod
    def exists(self, aggregate_id: UUID) -> bool:
        """Whether an aggregate with that id has been saved."""

    @abstractmethod
    def make_key(self, subject: UUID) -> None:
        """Make sure `subject` has a personal-data key (Conflict once they are erased).

        Call it in the command before an aggregate records a `Personal` value about
        `subject` (domain.personal): keys are made here, never in an event body."""

    def new_id(self, kind: str, by: UUID, key: str | None) -> UUID:
        """A fresh id, or the id an Idempotency-Key stands for."""
        return idempotent_id(kind, by, key) if key else uuid4()
