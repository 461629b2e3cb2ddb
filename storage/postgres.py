"""PostgreSQL event store with group commit (PERSISTENCE_MODULE=storage.postgres).

The library's PostgreSQL factory whose application recorder writes concurrent
`insert_events` calls together (storage.groupcommit): one transaction takes the
table lock the library takes for every insert (so notification ids commit in
order), sends one NOTIFY and one INSERT for the whole group, in two round trips
(ADR 025). When that insert of a group hits a conflict the transaction is rolled back
and written again with each batch in a savepoint of its own, so only the conflicting
callers fail. The commit is the server's (synchronous_commit as configured) before
any caller is answered."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import eventsourcing.postgres as es
import psycopg
from eventsourcing.persistence import DataError, IntegrityError, ProgrammingError, StoredEvent
from eventsourcing.persistence import InterfaceError as ESInterfaceError
from eventsourcing.persistence import OperationalError as ESOperationalError
from eventsourcing.utils import retry
from psycopg.conninfo import make_conninfo
from psycopg.pq import TransactionStatus
from psycopg.rows import DictRow
from psycopg.sql import SQL, Identifier

from storage.groupcommit import Batch, GroupCommit, Outcome, Take

BEGIN, COMMIT = SQL("BEGIN"), SQL("COMMIT")
#: Errors of one batch's insert: that batch fails alone (its savepoint undoes it).
BATCH_ERRORS = (psycopg.IntegrityError, psycopg.DataError)


class GroupCommitPostgresApplicationRecorder(es.PostgresApplicationRecorder):
    def __init__(
        self, datastore: es.PostgresDatastore, *, events_table_name: str = "stored_events"
    ) -> None:
        super().__init__(datastore, events_table_name=events_table_name)
        self.group_commit = GroupCommit(self)
        self.select_changes_statement = SQL(
            "SELECT notification_id, originator_id FROM {0}.{1}"
            " WHERE notification_id > %s ORDER BY notification_id LIMIT %s"
        ).format(Identifier(self.datastore.schema), Identifier(self.events_table_name))
        #: One statement string, one round trip: the transaction, the library's table
        #: lock (insert order is commit order) and the NOTIFY that commits with it.
        self.begin_statement = SQL("; ").join(
            [
                BEGIN,
                *self.lock_table_statements,
                SQL("NOTIFY {}").format(Identifier(self.channel_name)),
            ]
        )

    @retry((ESInterfaceError, ESOperationalError), max_attempts=10, wait=0.2)
    def select_changes(self, after: int, limit: int) -> list[tuple[int, Any]]:
        """The log's tail after `after`: notification ids and originators only
        (storage.freshness keeps the aggregate cache with it). Ids become visible in
        commit order: every insert takes the table lock (`_lock_table`)."""
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(self.select_changes_statement, (after, limit), prepare=True)
            return [(row["notification_id"], row["originator_id"]) for row in curs.fetchall()]

    @retry((ESInterfaceError, ESOperationalError), max_attempts=10, wait=0.2)
    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        if not stored_events:
            return []
        return self.group_commit.insert(stored_events, kwargs)

    def write(self, take: Take) -> None:
        """Two round trips: BEGIN, the table lock and NOTIFY in one statement string (it
        returns once the lock is held, in any process, so a group gathers meanwhile),
        then the group's one INSERT and COMMIT together in pipeline mode. When that
        INSERT fails for a group, the transaction is rolled back and written again with
        each batch in a savepoint of its own, so only the failing callers fail."""
        # datastore.get_connection translates psycopg's errors into the library's.
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            try:
                curs.execute(self.begin_statement)  # waits for other writers
                batches = take()
                events = [event for batch in batches for event in batch.events]
                try:
                    with conn.pipeline():  # leaving it sends both and reads the results
                        es.PostgresAggregateRecorder._insert_stored_events(self, curs, events)
                        conn.execute(COMMIT)
                except BATCH_ERRORS:
                    if len(batches) == 1:  # alone: its error is the transaction's
                        raise
                    conn.rollback()
                    curs.execute(self.begin_statement)
                    outcomes = [self._insert_alone(conn, curs, batch) for batch in batches]
                    curs.execute(COMMIT)
                else:
                    outcomes = split(self._inserted(curs, events), batches)
            except BaseException:
                if not conn.closed and conn.info.transaction_status != TransactionStatus.IDLE:
                    conn.rollback()
                raise
        for batch, outcome in zip(batches, outcomes, strict=True):
            if isinstance(outcome, BaseException):
                batch.error = outcome
            else:
                batch.ids = outcome

    def _insert_alone(
        self, conn: psycopg.Connection[DictRow], curs: psycopg.Cursor[DictRow], batch: Batch
    ) -> Outcome:
        try:
            with conn.transaction():
                return self._insert(curs, batch.events)
        except BATCH_ERRORS as error:
            failure = (IntegrityError if isinstance(error, psycopg.IntegrityError) else DataError)(
                str(error)
            )
            failure.__cause__ = error
            return failure

    def _insert(self, curs: psycopg.Cursor[DictRow], events: Sequence[StoredEvent]) -> list[int]:
        """One INSERT of these events; their notification ids, in the events' order."""
        es.PostgresAggregateRecorder._insert_stored_events(self, curs, events)
        return self._inserted(curs, events)

    def _inserted(self, curs: psycopg.Cursor[DictRow], events: Sequence[StoredEvent]) -> list[int]:
        """The notification ids the cursor's INSERT of these events returned."""
        ids = self._fetch_ids_after_insert_events(curs, events)
        if ids is None or len(ids) != len(events) or ids != sorted(ids):
            raise ProgrammingError("the insert returned notification ids out of order")
        return list(ids)


def split(ids: list[int], batches: list[Batch]) -> list[Outcome]:
    """Each batch's share of the group's notification ids, in order."""
    outcomes: list[Outcome] = []
    for batch in batches:
        outcomes.append(ids[: len(batch.events)])
        ids = ids[len(batch.events) :]
    return outcomes


class GroupCommitPostgresFactory(es.PostgresFactory):
    """The library's PostgreSQL factory with a group-committing application recorder."""

    application_recorder_class = GroupCommitPostgresApplicationRecorder


Factory = GroupCommitPostgresFactory


def postgres_conninfo(env: dict[str, str]) -> str:
    """A libpq connection string from the library's POSTGRES_* settings (`env` first,
    then the process environment)."""

    def get(key: str, default: str) -> str:
        return env.get(key) or os.environ.get(key) or default

    parts = {
        "dbname": get("POSTGRES_DBNAME", "sprachrohr"),
        "host": get("POSTGRES_HOST", "127.0.0.1"),
        "port": get("POSTGRES_PORT", "5432"),
        "user": get("POSTGRES_USER", "postgres"),
        "password": get("POSTGRES_PASSWORD", ""),
    }
    return make_conninfo(**{k: v for k, v in parts.items() if v})


def create_schema(conninfo: str, schema: str) -> None:
    """The library creates tables, not schemas: create the configured schema once."""
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(SQL("CREATE SCHEMA IF NOT EXISTS {}").format(Identifier(schema)))


@contextmanager
def setting_up(conninfo: str, key: int) -> Iterator[None]:
    """Serialise start-up DDL across processes that start together on one schema.

    Concurrent `CREATE … IF NOT EXISTS` and `CREATE OR REPLACE FUNCTION` statements
    can fail on PostgreSQL; a session advisory lock makes the processes take turns.
    """
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute("SELECT pg_advisory_lock(%s)", (key,))
        try:
            yield
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s)", (key,))
