"""The PostgreSQL view store's `executemany`: a few rows are sent one statement each
(cheaper than psycopg's pipeline for them), more in one pipeline; the rows written
and the rows counted are the same either way."""

from __future__ import annotations

import tempfile
import uuid

import psycopg
import pytest
from psycopg import pq, sql

from projections.store import PostgresViewStore, _PgCursor
from tests.conftest import PG_CONNINFO

pytestmark = pytest.mark.postgres


@pytest.mark.parametrize("count", [0, 1, 2, _PgCursor.FEW_ROWS, _PgCursor.FEW_ROWS + 1, 20])
def test_executemany_writes_and_counts_every_row(count: int) -> None:
    schema = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_CONNINFO, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
    store = PostgresViewStore(PG_CONNINFO, schema=schema, max_size=1)
    try:
        with store.writing() as cur:
            cur.execute("CREATE TABLE v_t (k INTEGER PRIMARY KEY, n INTEGER NOT NULL)")
            cur.execute("INSERT INTO v_t (k, n) VALUES (?, ?)", (0, 0))  # one row conflicts
            rows = [(k, k) for k in range(count)]
            cur.executemany("INSERT INTO v_t (k, n) VALUES (?, ?) ON CONFLICT DO NOTHING", rows)
            assert cur.rowcount == max(count - 1, 0)
            cur.executemany("UPDATE v_t SET n = n + 1 WHERE k = ?", ((k,) for k, _ in rows))
            assert cur.rowcount == count
            cur.execute("SELECT COUNT(*) FROM v_t")
            assert cur.rowcount == 1
        with store.reading() as cur:
            cur.execute("SELECT k, n FROM v_t ORDER BY k")
            expected = [(0, 1 if count else 0)] + [(k, k + 1) for k in range(1, count)]
            assert cur.fetchall() == expected
    finally:
        store.close()
        with psycopg.connect(PG_CONNINFO, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(schema)))


def test_a_read_is_a_repeatable_read_snapshot_in_three_round_trips() -> None:
    """BEGIN with the isolation level, the query, ROLLBACK: no SET TRANSACTION between;
    the writing transaction after it keeps the server's default level."""
    store = PostgresViewStore(PG_CONNINFO, max_size=1)
    try:
        with store.reading() as cur:
            cur.execute("SELECT 1")  # the pool's one connection is open
        with tempfile.TemporaryFile("w+") as trace:
            with store.pool.connection() as conn:
                conn.pgconn.trace(trace.fileno())
                conn.pgconn.set_trace_flags(pq.Trace.SUPPRESS_TIMESTAMPS | pq.Trace.REGRESS_MODE)
            try:
                with store.reading() as cur:
                    cur.execute("SHOW transaction_isolation")
                    assert cur.fetchall() == [("repeatable read",)]
            finally:
                with store.pool.connection() as conn:
                    conn.pgconn.untrace()
            trace.seek(0)
            sent = [line.split("\t")[2] for line in trace if line.startswith("F\t")]
        assert sent == ["Query", "Query", "Query"]
        with store.writing() as cur:
            cur.execute("SHOW transaction_isolation")
            assert cur.fetchall() == [("read committed",)]
    finally:
        store.close()
