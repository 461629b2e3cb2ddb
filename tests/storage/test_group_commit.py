"""Group commit against the real stores: a SQLite file and the local PostgreSQL.

Tests that need several calls in one group hold the store's write lock from a second
connection until every call has queued, so the grouping is certain, not a matter of
timing: the leader can take the queue only once it has the lock.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import psycopg
import pytest
from eventsourcing.persistence import (
    ApplicationRecorder,
    PersistenceError,
    RecordConflictError,
    StoredEvent,
)
from psycopg import sql

from domain.ids import support_id
from service.application import Sprachrohr
from service.settings import Settings
from storage.groupcommit import GroupCommit
from storage.postgres import (
    GroupCommitPostgresApplicationRecorder,
    create_schema,
    postgres_conninfo,
)
from storage.sqlite import GroupCommitSQLiteApplicationRecorder
from tests.sqlite_files import connected

TOPIC = "tests.storage:Happened"
POISON = "tests.storage:Poison"


@dataclass
class Store:
    """The application's recorder and a way to hold its write lock from outside."""

    app: Sprachrohr
    settings: Settings
    env: dict[str, str]

    @property
    def recorder(self) -> ApplicationRecorder:
        return self.app.recorder

    @property
    def queue(self) -> GroupCommit:
        recorder = self.recorder
        assert isinstance(
            recorder, GroupCommitSQLiteApplicationRecorder | GroupCommitPostgresApplicationRecorder
        )
        return recorder.group_commit

    @property
    def table(self) -> str:
        return str(getattr(self.recorder, "events_table_name"))  # noqa: B009

    def write_lock(self) -> AbstractContextManager[None]:
        """Hold the lock every insert into the events table must take."""
        return pg_lock(self) if self.settings.uses_postgres else sqlite_lock(self)

    def refuse_poison(self) -> None:
        """Make a transaction holding a POISON event fail as a whole: on SQLite the
        insert rolls the whole transaction back; on PostgreSQL its commit fails."""
        if self.settings.uses_postgres:
            with psycopg.connect(postgres_conninfo(self.env), autocommit=True) as conn:
                schema = sql.Identifier(self.env["POSTGRES_SCHEMA"])
                conn.execute(
                    sql.SQL(
                        "CREATE FUNCTION {}.refuse_poison() RETURNS trigger LANGUAGE plpgsql AS"
                        " $$ BEGIN IF NEW.topic = {} THEN RAISE EXCEPTION 'poisoned'; END IF;"
                        " RETURN NULL; END $$"
                    ).format(schema, sql.Literal(POISON))
                )
                conn.execute(
                    sql.SQL(
                        "CREATE CONSTRAINT TRIGGER refuse_poison AFTER INSERT ON {}.{}"
                        " DEFERRABLE INITIALLY DEFERRED FOR EACH ROW"
                        " EXECUTE FUNCTION {}.refuse_poison()"
                    ).format(schema, sql.Identifier(self.table), schema)
                )
        else:
            with connected(self.env["SQLITE_DBNAME"], isolation_level=None) as conn:
                conn.execute(
                    f"CREATE TRIGGER refuse_poison BEFORE INSERT ON {self.table}"
                    f" WHEN NEW.topic = '{POISON}' BEGIN SELECT RAISE(ROLLBACK, 'poisoned'); END"
                )

    def log(self) -> list[tuple[int, UUID, int]]:
        """Every notification: (id, originator id, version)."""
        found = self.recorder.select_notifications(start=1, limit=1_000_000)
        return [(n.id, UUID(str(n.originator_id)), n.originator_version) for n in found]


@contextmanager
def sqlite_lock(store: Store) -> Iterator[None]:
    conn = sqlite3.connect(store.env["SQLITE_DBNAME"], isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        yield
        conn.execute("ROLLBACK")
    finally:
        conn.close()


@contextmanager
def pg_lock(store: Store) -> Iterator[None]:
    with psycopg.connect(postgres_conninfo(store.env)) as conn:
        conn.execute(
            sql.SQL("LOCK TABLE {}.{} IN EXCLUSIVE MODE").format(
                sql.Identifier(store.env["POSTGRES_SCHEMA"]), sql.Identifier(store.table)
            )
        )
        yield
        conn.rollback()


@pytest.fixture
def store(settings: Settings) -> Iterator[Store]:
    env = settings.event_store_env()
    if settings.uses_postgres:
        create_schema(postgres_conninfo(env), env["POSTGRES_SCHEMA"])
    else:
        settings.data_dir.mkdir(parents=True)
    app = Sprachrohr(env=env)
    try:
        yield Store(app, settings, env)
    finally:
        app.close()


def events(count: int, topic: str = TOPIC) -> list[StoredEvent]:
    return [StoredEvent(uuid4(), 1, topic, b"{}") for _ in range(count)]


def queued_while_locked(store: Store, calls: list[Callable[[], Any]]) -> list[Future[Any]]:
    """Run each call on its own thread, in order, while the write lock is held; let
    go once all of them have queued, so one leader takes them all as one group."""
    pool = ThreadPoolExecutor(max_workers=len(calls))
    futures: list[Future[Any]] = []
    with store.write_lock():
        for number, call in enumerate(calls, start=1):
            futures.append(pool.submit(call))
            until(lambda n=number: store.queue.waiting() == n)
    pool.shutdown(wait=True)
    return futures


def until(condition: Callable[[], bool]) -> None:
    """Wait for the other threads to get somewhere (not a timing assertion: the
    deadline only stops a broken test from hanging)."""
    deadline = time.monotonic() + 30
    while not condition():
        assert time.monotonic() < deadline, "the threads never got there"
        time.sleep(0.005)


def outcome(future: Future[Any]) -> Any:
    error = future.exception()
    return error if error is not None else future.result()


def test_the_settings_select_the_group_commit_store(store: Store) -> None:
    expected = "storage.postgres" if store.settings.uses_postgres else "storage.sqlite"
    assert store.env["PERSISTENCE_MODULE"] == expected
    assert store.queue.groups == 0


def test_concurrent_inserts_write_each_event_once_and_answer_each_caller(store: Store) -> None:
    threads, calls = 12, 20
    start = threading.Barrier(threads)
    sent: dict[int, list[list[StoredEvent]]] = {}
    got: dict[int, list[list[int]]] = {}

    def client(number: int) -> None:
        sent[number], got[number] = [], []
        start.wait()
        for call in range(calls):
            batch = events(1 + (number + call) % 3)
            ids = store.recorder.insert_events(batch)
            assert ids is not None
            sent[number].append(batch)
            got[number].append(list(ids))

    with ThreadPoolExecutor(max_workers=threads) as pool:
        for future in [pool.submit(client, n) for n in range(threads)]:
            future.result()

    log = store.log()
    total = sum(len(batch) for batches in sent.values() for batch in batches)
    assert [n for n, _, _ in log] == list(range(1, total + 1))  # contiguous, each once
    where = {n: (originator, version) for n, originator, version in log}
    for number in range(threads):
        for batch, ids in zip(sent[number], got[number], strict=True):
            assert [where[n] for n in ids] == [(e.originator_id, 1) for e in batch]
    assert store.queue.batches == threads * calls
    assert store.queue.groups <= store.queue.batches


def test_calls_queued_while_a_write_is_in_flight_share_one_transaction(store: Store) -> None:
    batches = [events(n) for n in (1, 3, 2, 1)]
    futures = queued_while_locked(
        store, [lambda b=b: store.recorder.insert_events(b) for b in batches]
    )

    assert (store.queue.groups, store.queue.batches) == (1, 4)
    answered = [list(future.result()) for future in futures]
    assert answered == [[1], [2, 3, 4], [5, 6], [7]]  # in the order they queued
    ids = {originator: n for n, originator, _ in store.log()}
    for batch, got in zip(batches, answered, strict=True):
        assert [ids[UUID(str(e.originator_id))] for e in batch] == got


def test_a_conflict_fails_only_the_caller_whose_batch_conflicts(store: Store) -> None:
    existing = events(1)
    [head] = store.recorder.insert_events(existing) or [0]
    a, c = events(1), events(2)
    b = [*events(1), existing[0]]  # a new event, then one already recorded
    d = [StoredEvent(a[0].originator_id, 1, TOPIC, b"{}")]  # the same as a's, queued after it

    futures = queued_while_locked(
        store, [lambda x=x: store.recorder.insert_events(x) for x in (a, b, c, d)]
    )

    result = [outcome(f) for f in futures]
    assert isinstance(result[1], RecordConflictError)
    assert isinstance(result[3], RecordConflictError)
    assert result[1] is not result[3]  # each caller raises its own exception
    recorded = {originator: n for n, originator, _ in store.log()}
    assert list(result[0]) == [recorded[a[0].originator_id]]
    assert list(result[2]) == [recorded[e.originator_id] for e in c]
    assert b[0].originator_id not in recorded  # nothing of the failed batch
    assert len(recorded) == 4
    if not store.settings.uses_postgres:  # PostgreSQL's sequence skips rolled-back ids
        assert sorted(recorded.values()) == [head, head + 1, head + 2, head + 3]


def test_a_failing_transaction_fails_every_caller_and_writes_nothing(store: Store) -> None:
    store.recorder.insert_events(events(1))
    store.refuse_poison()
    before = store.log()

    futures = queued_while_locked(
        store,
        [
            lambda: store.recorder.insert_events(events(2)),
            lambda: store.recorder.insert_events(events(1, POISON)),
            lambda: store.recorder.insert_events(events(1)),
        ],
    )

    errors = [future.exception() for future in futures]
    assert all(isinstance(error, PersistenceError) for error in errors)
    assert len({id(error) for error in errors}) == 3
    assert store.log() == before
    after = store.recorder.insert_events(events(1))  # and the store works on
    assert after is not None
    assert len(store.log()) == len(before) + 1


def test_a_caller_that_loses_a_race_in_the_group_retries_its_command(store: Store) -> None:
    app = store.app
    app.ensure_admin("admin@storage.example", "Admin", "not-a-hash")
    admin = app.find_person_by_email("admin@storage.example")
    assert admin is not None
    company = app.admit_company("Firma", by=admin.id).id
    person = app.register_person("p@storage.example", "P", company, "x", by=admin.id).id
    group = app.found_group("Gruppe", "thematic", "", by=admin.id).id
    app.enrol(group, person, by=admin.id)
    item = app.submit_pain_point(group, "Schmerz", "", [], by=person).id
    groups = store.queue.groups

    # Five clicks of one person on "support" at once: each command decides the support
    # is new, all five saves land in one group, one wins and four conflict; they retry,
    # find the support given and answer "unchanged".
    futures = queued_while_locked(
        store, [lambda: app.give_support(item, by=person) for _ in range(5)]
    )

    outcomes = [future.result() for future in futures]
    assert sorted(o.changed for o in outcomes) == [False, False, False, False, True]
    assert store.queue.groups > groups
    given = [v for _, originator, v in store.log() if originator == support_id(item, person)]
    assert given == [1]


def test_reads_on_a_threads_own_connection_see_every_commit_at_once(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    app = Sprachrohr(env=settings.event_store_env())
    try:
        recorder = app.recorder
        first = events(1)[0]
        recorder.insert_events([first])
        with ThreadPoolExecutor(max_workers=1) as reader:  # one thread, its connection kept
            originator = UUID(str(first.originator_id))

            def versions() -> list[int]:
                return [e.originator_version for e in recorder.select_events(originator)]

            assert reader.submit(versions).result() == [1]
            recorder.insert_events([StoredEvent(originator, 2, TOPIC, b"{}")])
            with connected(tmp_path / "events.sqlite") as other:  # another process
                other.execute(
                    "INSERT INTO stored_events VALUES (?, 3, ?, ?)", (originator.hex, TOPIC, b"")
                )
            assert reader.submit(versions).result() == [1, 2, 3]
    finally:
        app.close()


def test_an_in_memory_store_reads_through_the_pool() -> None:
    app = Sprachrohr(env={"PERSISTENCE_MODULE": "storage.sqlite", "SQLITE_DBNAME": ":memory:"})
    try:
        stored = events(2)
        assert list(app.recorder.insert_events(stored) or []) == [1, 2]
        assert len(app.recorder.select_events(stored[1].originator_id)) == 1
    finally:
        app.close()
