"""The hash chain over the event log: a digest of every stored event, each linked to the last.

`h_n = SHA-256(h_{n-1} ‖ position ‖ topic ‖ state)` over the stored (encoded) events in
notification order, with `h_0` 32 zero bytes. Whoever changes, inserts or deletes an event
changes every head from there on, so a head kept elsewhere (signed in a dossier, exported by
an operator) shows whether the log up to its position is still the log it was.

The view keeps one head per position, committed with the views' tracking row; `walk`
recomputes the chain from the event store alone (what verification trusts), and `compare`
names the first position where the stored chain departs from the recomputed one.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from eventsourcing.persistence import ApplicationRecorder, Mapper

from projections.store import Cursor
from projections.view import Handler, View, rowless

GENESIS = bytes(32)
DDL = "CREATE TABLE IF NOT EXISTS v_chain (position BIGINT PRIMARY KEY, head TEXT NOT NULL)"
BATCH = 5000


class Stored(Protocol):
    """A stored event as the recorder returns it (a notification)."""

    @property
    def id(self) -> int: ...
    @property
    def topic(self) -> str: ...
    @property
    def state(self) -> bytes: ...


def link(previous: bytes, position: int, topic: str, state: bytes) -> bytes:
    """The next head: every part length-prefixed, so no two events hash alike by shifting."""
    digest = hashlib.sha256(previous)
    digest.update(position.to_bytes(8, "big"))
    name = topic.encode()
    digest.update(len(name).to_bytes(4, "big"))
    digest.update(name)
    digest.update(len(state).to_bytes(8, "big"))
    digest.update(bytes(state))
    return digest.digest()


class ChainView(View):
    """One row per stored event: its position and the chain's head after it (hex)."""

    tables = ("v_chain",)

    def __init__(self, dialect: str = "sqlite") -> None:
        self.dialect = dialect

    def create(self, cur: Cursor) -> None:
        cur.execute(DDL + rowless(self.dialect))

    def handlers(self) -> Mapping[str, Handler]:
        return {}

    def records(self, cur: Cursor, notifications: Sequence[Any]) -> None:
        head = bytes.fromhex(last_head(cur) or GENESIS.hex())
        rows = []
        for stored in notifications:
            head = link(head, stored.id, stored.topic, stored.state)
            rows.append((stored.id, head.hex()))
        cur.executemany("INSERT INTO v_chain (position, head) VALUES (?, ?)", rows)


def last_head(cur: Cursor) -> str | None:
    cur.execute("SELECT head FROM v_chain ORDER BY position DESC LIMIT 1")
    row = cur.fetchone()
    return str(row[0]) if row else None


def head_at(cur: Cursor, position: int) -> str | None:
    """The stored chain's head after the last event at or before `position`."""
    cur.execute(
        "SELECT head FROM v_chain WHERE position <= ? ORDER BY position DESC LIMIT 1", (position,)
    )
    row = cur.fetchone()
    return str(row[0]) if row else None


def stored_heads(cur: Cursor, after: int, limit: int) -> list[tuple[int, str]]:
    cur.execute(
        "SELECT position, head FROM v_chain WHERE position > ? ORDER BY position LIMIT ?",
        (after, limit),
    )
    return [(int(position), str(head)) for position, head in cur.fetchall()]


def walk(
    recorder: ApplicationRecorder, stop: int | None = None, batch: int = BATCH
) -> Iterator[tuple[Stored, bytes]]:
    """Each stored event up to `stop` (inclusive) with the chain's head after it,
    recomputed from the event store alone."""
    head, position = GENESIS, 0
    while True:
        notifications = recorder.select_notifications(start=position + 1, limit=batch, stop=stop)
        if not notifications:
            return
        for stored in notifications:
            head = link(head, stored.id, stored.topic, stored.state)
            yield stored, head
        position = notifications[-1].id


def recompute_head(recorder: ApplicationRecorder, position: int) -> str:
    """The head of the log up to `position`, recomputed from the event store."""
    last = GENESIS
    for _, head in walk(recorder, stop=position):
        last = head
    return last.hex()


@dataclass(frozen=True)
class Departure:
    """Where the stored chain and the log part ways."""

    position: int
    reason: str


#: Names the first position, up to a given one, where the log departs from the stored chain.
Locate = Callable[[int], Departure | None]


@dataclass(frozen=True)
class LogCheck:
    events: int
    checked_to: int
    head: str
    departure: Departure | None

    @property
    def ok(self) -> bool:
        return self.departure is None


def check_log(
    recorder: ApplicationRecorder,
    mapper: Mapper[Any],
    read_stored: Callable[[int, int], list[tuple[int, str]]],
    until: int,
    progress: Callable[[int], None] | None = None,
) -> LogCheck:
    """Recompute the chain from scratch and compare it, up to `until` (the position the
    views have reached), with the stored chain `read_stored(after, limit)` returns; check
    that positions increase and every event decodes."""
    stored: Iterator[tuple[int, str]] = _paged(read_stored)
    events, previous, head = 0, 0, GENESIS
    for event, head in walk(recorder, stop=until):
        events += 1
        departure = _inspect(mapper, event, previous, head, stored)
        if departure is not None:
            return LogCheck(events, previous, head.hex(), departure)
        previous = event.id
        if progress is not None and events % BATCH == 0:
            progress(previous)
    extra = next(stored, None)
    if extra is not None and extra[0] <= until:
        missing = Departure(extra[0], "the stored chain has an event here that the log lacks")
        return LogCheck(events, previous, head.hex(), missing)
    return LogCheck(events, previous, head.hex(), None)


def _inspect(
    mapper: Mapper[Any],
    event: Stored,
    previous: int,
    head: bytes,
    stored: Iterator[tuple[int, str]],
) -> Departure | None:
    if event.id <= previous:
        return Departure(event.id, f"the position does not increase (after {previous})")
    try:
        mapper.to_domain_event(event)  # type: ignore[arg-type]
    except Exception as error:  # any failure to decode is what we report
        return Departure(event.id, f"the event does not decode ({type(error).__name__})")
    expected = next(stored, None)
    if expected is None:
        return Departure(event.id, "the stored chain ends before this event")
    if expected[0] < event.id:
        return Departure(expected[0], "the stored chain has an event here that the log lacks")
    if expected[0] > event.id:
        return Departure(event.id, "the log has an event here that the stored chain lacks")
    if expected[1] != head.hex():
        return Departure(event.id, "the event differs from the one the chain recorded")
    return None


def _paged(read: Callable[[int, int], list[tuple[int, str]]]) -> Iterator[tuple[int, str]]:
    after = 0
    while True:
        rows = read(after, BATCH)
        if not rows:
            return
        yield from rows
        after = rows[-1][0]
