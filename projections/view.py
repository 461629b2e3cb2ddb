"""What every view is: tables it owns and handlers for the events it cares about."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar

from eventsourcing.utils import get_topic

from projections.store import Cursor, marks

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
Handler = Callable[[Cursor, Any, int], None]


def micros(moment: datetime) -> int:
    """A moment as integer microseconds since the epoch (exact, no floats)."""
    since = moment - EPOCH  # the parts, not `// timedelta(microseconds=1)`: a third faster
    return (since.days * 86_400 + since.seconds) * 1_000_000 + since.microseconds


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


def reads_hex(handler: Any) -> Any:
    """Mark a handler that reads of its event's ids only `.hex`, and otherwise only
    scalars and moments: where every handler of a topic is marked, the projector hands
    them `EventDecoder.flat` fields instead of the domain event (no UUIDs made)."""
    handler.reads_hex = True
    return handler


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


class LateIndexes:
    """Indexes of a view that only its rarer handlers read: built after a bulk load.

    In a catch-up from empty views nearly every event is a first support, whose rows
    go in without reading these indexes, yet each row's entries land at random places
    of their b-trees, which outgrow the page cache at a million rows (ADR 029). The
    projector drops them before such a catch-up (`defer`) and builds each with one sort
    at its end (`ensure`). A handler that reads them calls `ensure` first, so no
    handler scans a table. Queries work without them, only slower, while a rebuild
    runs. `missing` is this process's knowledge of the store; the projector reads it
    from the store's catalog (`learn`) when it may be out of date.
    """

    def __init__(self, dialect: str, ddl: Mapping[str, str]) -> None:
        """`ddl`: each index's name and its `CREATE INDEX IF NOT EXISTS` statement."""
        self.dialect = dialect
        self.ddl = dict(ddl)
        self.missing: set[str] = set()

    def defer(self, cur: Cursor) -> None:
        """Drop the indexes (of empty tables: nothing to sort yet)."""
        for name in self.ddl:
            cur.execute(f"DROP INDEX IF EXISTS {name}")
        self.missing = set(self.ddl)

    def ensure(self, cur: Cursor) -> None:
        """Build the missing indexes now (in the caller's transaction)."""
        if self.missing:
            for name, statement in self.ddl.items():
                if name in self.missing:
                    cur.execute(statement)
            self.missing = set()

    def learn(self, cur: Cursor) -> None:
        """Which of the indexes the store lacks, from its catalog."""
        names = sorted(self.ddl)
        if self.dialect == "sqlite":
            query = "SELECT name FROM sqlite_master WHERE type = 'index' AND name"
        else:
            query = (
                "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND indexname"
            )
        cur.execute(f"{query} IN ({marks(names)})", names)
        self.missing = set(names) - {str(row[0]) for row in cur.fetchall()}


class View(ABC):
    """A read model. Handlers get the cursor of the batch transaction, the decoded
    event and its notification position; they must not commit.

    A view may buffer what its handlers compute and write it in `flush`, once per
    batch (many rows in a few statements instead of several statements per event).
    A view that buffers must flush before any handler that reads what it buffers,
    and belongs to one projector at a time.
    """

    tables: ClassVar[tuple[str, ...]]
    #: Indexes built after a catch-up from empty views (`LateIndexes`), if any.
    late: LateIndexes | None = None

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


class Surrogates:
    """Dense integer surrogates for the UUIDs a view's big tables repeat (ADR 026).

    A table keyed or indexed by 32-character UUID texts puts its rows at random
    places of wide b-trees; the same rows with small integers are a quarter of the
    size and most land on a few pages. Numbers are given in the order the view first
    meets each id (`MAX + 1` in the batch's transaction), so the same log numbers the
    same ids alike however it is cut into batches, in every process, live or rebuilt.
    They never leave the view: queries join `table` to turn them back into UUIDs.

    Numbers given in a transaction stay `fresh` until the next transaction (a new
    cursor) finds them in the table: a transaction that rolled back leaves no number
    behind in memory.
    """

    def __init__(self, table: str) -> None:
        self.table = table
        self.ddl = (
            f"CREATE TABLE IF NOT EXISTS {table}"
            " (uuid TEXT PRIMARY KEY, num INTEGER NOT NULL UNIQUE)"
        )
        self.forget()

    def forget(self) -> None:
        """Drop everything known (the table was dropped)."""
        self._known: dict[str, int] = {}
        self._fresh: dict[str, int] = {}
        self._next: int | None = None
        self._cursor: Cursor | None = None

    def num(self, cur: Cursor, uuid: str) -> int:
        """The number of `uuid`, given now if it has none."""
        found = self._known.get(uuid)
        if found is None:
            if cur is not self._cursor:
                self._begin(cur)
                found = self._known.get(uuid)
            if found is None:
                found = self._fresh.get(uuid)
            if found is None:
                found = self._lookup(cur, uuid)
        return found

    def _begin(self, cur: Cursor) -> None:
        """A new transaction: keep the last one's numbers that it committed."""
        fresh, self._fresh = self._fresh, {}
        ordered = sorted(fresh)
        for start in range(0, len(ordered), 500):
            chunk = ordered[start : start + 500]
            cur.execute(f"SELECT uuid, num FROM {self.table} WHERE uuid IN ({marks(chunk)})", chunk)
            for uuid, number in cur.fetchall():
                if fresh[uuid] == number:
                    self._known[uuid] = number
        self._cursor, self._next = cur, None

    def _lookup(self, cur: Cursor, uuid: str) -> int:
        cur.execute(f"SELECT num FROM {self.table} WHERE uuid = ?", (uuid,))
        row = cur.fetchone()
        if row is not None:  # committed before this transaction: ours are in _fresh
            number = self._known[uuid] = int(row[0])
            return number
        if self._next is None:
            cur.execute(f"SELECT COALESCE(MAX(num), 0) FROM {self.table}")
            self._next = int(cur.fetchone()[0])
        self._next += 1
        self._fresh[uuid] = self._next
        cur.execute(f"INSERT INTO {self.table} (uuid, num) VALUES (?, ?)", (uuid, self._next))
        return self._next


def is_view(cur: Cursor, dialect: str, name: str) -> bool:
    """Whether `name` is an SQL view (not a table) in the store."""
    if dialect == "sqlite":
        cur.execute("SELECT type FROM sqlite_master WHERE name = ?", (name,))
    else:
        cur.execute(
            "SELECT table_type FROM information_schema.tables"
            " WHERE table_name = ? AND table_schema = current_schema()",
            (name,),
        )
    row = cur.fetchone()
    return row is not None and str(row[0]).upper() == "VIEW"
