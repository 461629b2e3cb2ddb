"""What every view is: tables it owns and handlers for the events it cares about."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar

from eventsourcing.utils import get_topic

from projections.store import Cursor

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
Handler = Callable[[Cursor, Any, int], None]


def micros(moment: datetime) -> int:
    """A moment as integer microseconds since the epoch (exact, no floats)."""
    return (moment - EPOCH) // timedelta(microseconds=1)


#: The range a stored moment is shown within (Python's datetime range, in UTC).
FIRST_MOMENT = datetime.min.replace(tzinfo=UTC)
LAST_MOMENT = datetime.max.replace(tzinfo=UTC)
_FIRST_MICROS = micros(FIRST_MOMENT)
_LAST_MICROS = micros(LAST_MOMENT)


def moment(value: int) -> datetime:
    """Microseconds since the epoch as a moment. The domain accepts only moments within
    `domain.moments` (2000 … 2100), but a log written before that rule may hold any:
    a value beyond what a datetime can hold is shown as the nearest one it can, so no
    stored event can make a page fail."""
    return EPOCH + timedelta(microseconds=min(max(value, _FIRST_MICROS), _LAST_MICROS))


def rowless(dialect: str) -> str:
    """The table option for a table whose rows arrive in (or near) key order.

    On SQLite, WITHOUT ROWID keeps such a table in its key's b-tree alone (a table
    with a text or composite key otherwise has two, which every insert writes). Not
    for random keys such as support ids: there an append-only rowid table with a
    small key index writes fewer pages per row (measured: 2× fewer µs per insert).
    """
    return " WITHOUT ROWID" if dialect == "sqlite" else ""


def topic(aggregate: type, event_name: str) -> str:
    """The persistent topic of an aggregate's event class, e.g. `…:Support.Given`."""
    return f"{get_topic(aggregate)}.{event_name}"


class View(ABC):
    """A read model. Handlers get the cursor of the batch transaction, the decoded
    event and its notification position; they must not commit.

    A view may buffer what its handlers compute and write it in `flush`, once per
    batch (many rows in a few statements instead of several statements per event).
    A view that buffers must flush before any handler that reads what it buffers,
    and belongs to one projector at a time.
    """

    tables: ClassVar[tuple[str, ...]]

    @abstractmethod
    def create(self, cur: Cursor) -> None:
        """Create the view's tables and indexes if they do not exist."""

    @abstractmethod
    def handlers(self) -> Mapping[str, Handler]:
        """The event topics this view handles, each with its handler."""

    def records(self, cur: Cursor, notifications: Sequence[Any]) -> None:  # noqa: B027
        """Every stored event of the batch, undecoded, in order (for a view of the log
        itself, such as its hash chain); an optional hook."""

    def start_batch(self) -> None:  # noqa: B027 (optional hook)
        """A batch begins: forget anything buffered by one that did not commit."""

    def flush(self, cur: Cursor) -> None:  # noqa: B027 (optional hook)
        """Write what the handlers buffered; called before the batch commits."""

    def flushing(self, handler: Handler) -> Handler:
        """The handler, run after the buffer is written (it may read what was buffered)."""

        def handle(cur: Cursor, e: Any, position: int) -> None:
            self.flush(cur)
            handler(cur, e, position)

        return handle

    def drop(self, cur: Cursor) -> None:
        for table in self.tables:
            cur.execute(f"DROP TABLE IF EXISTS {table}")
