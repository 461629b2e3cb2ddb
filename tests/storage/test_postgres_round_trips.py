"""A write on PostgreSQL, alone or as a group, is two round trips: BEGIN, the table lock
and NOTIFY in one statement string, then the INSERT and COMMIT in one pipeline (libpq's
protocol trace counts what the client sends). A lone conflict rolls back and leaves
the connection ready for the next write."""

from __future__ import annotations

import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import psycopg
import pytest
from eventsourcing.persistence import RecordConflictError, StoredEvent
from eventsourcing.utils import Environment
from psycopg import pq, sql

from storage.postgres import Factory, GroupCommitPostgresApplicationRecorder, create_schema
from tests.conftest import PG_CONNINFO

pytestmark = pytest.mark.postgres


@pytest.fixture
def recorder() -> Iterator[GroupCommitPostgresApplicationRecorder]:
    """The recorder on a fresh schema, with a pool of one connection (the traced one)."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    create_schema(PG_CONNINFO, schema)
    env = {
        "PERSISTENCE_MODULE": "storage.postgres",
        "POSTGRES_DBNAME": "test",
        "POSTGRES_HOST": "127.0.0.1",
        "POSTGRES_PORT": "5432",
        "POSTGRES_USER": "postgres",
        "POSTGRES_PASSWORD": "unused",
        "POSTGRES_SCHEMA": schema,
        "POSTGRES_POOL_SIZE": "1",
        "POSTGRES_MAX_OVERFLOW": "0",
    }
    factory = Factory(Environment("RoundTrips", env))
    recorder = factory.application_recorder()
    assert isinstance(recorder, GroupCommitPostgresApplicationRecorder)
    recorder.create_table()
    try:
        yield recorder
    finally:
        factory.close()
        with psycopg.connect(PG_CONNINFO, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(schema)))


def event(originator: Any = None) -> StoredEvent:
    return StoredEvent(originator or uuid.uuid4(), 1, "tests.storage:Happened", b"{}")


def sent(
    recorder: GroupCommitPostgresApplicationRecorder, write: Callable[[], object]
) -> list[str]:
    """The messages that end a client's turn (Query, Sync) while `write` runs."""
    with tempfile.TemporaryFile("w+") as trace:
        with recorder.datastore.get_connection() as conn:
            conn.pgconn.trace(trace.fileno())
            conn.pgconn.set_trace_flags(pq.Trace.SUPPRESS_TIMESTAMPS | pq.Trace.REGRESS_MODE)
        try:
            write()
        finally:
            with recorder.datastore.get_connection() as conn:
                conn.pgconn.untrace()
        trace.seek(0)
        lines = [line.split("\t") for line in trace.read().splitlines()]
    return [parts[2] for parts in lines if parts[0] == "F" and parts[2] in ("Query", "Sync")]


def test_a_lone_write_is_two_round_trips(recorder: GroupCommitPostgresApplicationRecorder) -> None:
    recorder.insert_events([event()])  # the pool's connection is open and typed
    assert sent(recorder, lambda: recorder.insert_events([event(), event()])) == ["Query", "Sync"]
    assert recorder.max_notification_id() == 3


def test_a_group_is_two_round_trips(recorder: GroupCommitPostgresApplicationRecorder) -> None:
    recorder.insert_events([event()])
    queue = recorder.group_commit
    locked = threading.Event()
    release = threading.Event()

    def hold_the_lock() -> None:  # another process writing: the leader waits for it
        with psycopg.connect(PG_CONNINFO) as conn:
            conn.execute(
                sql.SQL("LOCK TABLE {}.{} IN EXCLUSIVE MODE").format(
                    sql.Identifier(recorder.datastore.schema),
                    sql.Identifier(recorder.events_table_name),
                )
            )
            locked.set()
            release.wait(30)

    def group() -> list[list[int]]:
        with ThreadPoolExecutor(max_workers=4) as pool:
            holder = pool.submit(hold_the_lock)
            locked.wait(30)
            calls = [pool.submit(recorder.insert_events, [event()]) for _ in range(3)]
            while queue.waiting() < 3:  # all three queued behind the leader's lock wait
                time.sleep(0.001)
            release.set()
            holder.result()
            return [list(call.result() or []) for call in calls]

    groups = queue.groups
    assert sent(recorder, group) == ["Query", "Sync"]
    assert queue.groups == groups + 1
    assert recorder.max_notification_id() == 4


def test_a_lone_conflict_rolls_back_and_the_next_write_goes_through(
    recorder: GroupCommitPostgresApplicationRecorder,
) -> None:
    first = event()
    recorder.insert_events([first])
    with pytest.raises(RecordConflictError):
        recorder.insert_events([event(), event(first.originator_id)])
    with recorder.datastore.get_connection() as conn:
        assert conn.info.transaction_status == pq.TransactionStatus.IDLE
    [position] = recorder.insert_events([event()]) or [0]
    notifications = recorder.select_notifications(start=1, limit=10)
    assert [n.id for n in notifications] == [1, position]  # nothing of the conflicting write
