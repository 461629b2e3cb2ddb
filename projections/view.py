"""What every view is: tables it owns and handlers for the events it cares about."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar

from eventsourcing.utils import get_topic

from projections.store import Cursor

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
Handler = Callable[[Cursor, Any, int], None]


def micros(moment: datetime) -> int:
    """A moment as integer microseconds since the epoch (exact, no floats)."""
    return (moment - EPOCH) // timedelta(microseconds=1)


def moment(value: int) -> datetime:
    return EPOCH + timedelta(microseconds=value)


def topic(aggregate: type, event_name: str) -> str:
    """The persistent topic of an aggregate's event class, e.g. `…:Support.Given`."""
    return f"{get_topic(aggregate)}.{event_name}"


class View(ABC):
    """A read model. Handlers get the cursor of the batch transaction, the decoded
    event and its notification position; they must not commit."""

    tables: ClassVar[tuple[str, ...]]

    @abstractmethod
    def create(self, cur: Cursor) -> None:
        """Create the view's tables and indexes if they do not exist."""

    @abstractmethod
    def handlers(self) -> Mapping[str, Handler]:
        """The event topics this view handles, each with its handler."""

    def drop(self, cur: Cursor) -> None:
        for table in self.tables:
            cur.execute(f"DROP TABLE IF EXISTS {table}")
