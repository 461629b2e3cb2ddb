"""The hash chain over the log: kept like a view, rebuilt identically, checked from scratch."""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg import sql

from projections.chain_view import GENESIS, check_log, head_at, link, stored_heads, walk
from service.runtime import Runtime, build_runtime
from service.settings import Settings
from tests.projections.histories import generate
from tests.sqlite_files import connected


def check(runtime: Runtime) -> Any:
    app = runtime.app

    def read(after: int, limit: int) -> list[tuple[int, str]]:
        with runtime.store.reading() as cur:
            return stored_heads(cur, after, limit)

    return check_log(app.recorder, app.mapper, read, runtime.projector.position())


def tamper(runtime: Runtime, settings: Settings, statement: str, position: int) -> None:
    """Change the stored event at `position` behind the application's back."""
    table = runtime.app.recorder.events_table_name  # type: ignore[attr-defined]
    if settings.database_url:
        schema = settings.database_url.rsplit("schema=", 1)[1]
        conninfo = "host=127.0.0.1 port=5432 user=postgres dbname=test"
        with psycopg.connect(conninfo, autocommit=True) as conn:
            query = sql.SQL(statement).format(table=sql.Identifier(schema, table))
            conn.execute(query, (position,))
    else:
        with connected(settings.data_dir / "events.sqlite") as db:
            sqlite_statement = statement.format(table=table).replace("%s", "?")
            db.execute(sqlite_statement.replace("notification_id", "rowid"), (position,))


def test_the_chain_links_every_event_and_a_rebuild_gives_the_same_chain(
    settings: Settings,
) -> None:
    runtime = build_runtime(settings)
    try:
        generate(runtime.app, seed=11, actions=120)
        runtime.projector.batch_size = runtime.projector.bulk_batch_size = 37  # many batches
        runtime.projector.catch_up()
        live = runtime.projector.dump()["v_chain"]
        head = GENESIS
        expected = []
        for stored in runtime.app.recorder.select_notifications(start=1, limit=100_000):
            head = link(head, stored.id, stored.topic, stored.state)
            expected.append((stored.id, head.hex()))
        assert [(int(p), h) for p, h in live] == expected
        assert [(event.id, h.hex()) for event, h in walk(runtime.app.recorder)] == expected
        with runtime.store.reading() as cur:
            assert head_at(cur, expected[9][0]) == expected[9][1]
        runtime.projector.rebuild()
        assert runtime.projector.dump()["v_chain"] == live
        result = check(runtime)
        assert result.ok
        assert result.events == len(expected)
        assert result.head == expected[-1][1]
    finally:
        runtime.close()


def test_log_check_names_the_first_altered_event(settings: Settings) -> None:
    runtime = build_runtime(settings)
    try:
        generate(runtime.app, seed=12, actions=60)
        runtime.projector.catch_up()
        flip = (
            "UPDATE {table} SET state = CAST(replace(CAST(state AS TEXT), 'Problem', 'Pröblem')"
            " AS BLOB)"
            if settings.database_url is None
            else "UPDATE {table} SET state = convert_to(replace(convert_from(state, 'UTF8'),"
            " 'Problem', 'Pröblem'), 'UTF8')"
        ) + " WHERE notification_id = %s"
        first_submission = next(
            n.id for n in runtime.app.recorder.select_notifications(start=1, limit=999)
            if b"Problem" in n.state
        )  # fmt: skip
        tamper(runtime, settings, flip, first_submission)
        result = check(runtime)
        assert not result.ok
        assert result.departure is not None
        assert result.departure.position == first_submission
        assert "differs" in result.departure.reason
    finally:
        runtime.close()


def test_log_check_names_a_deleted_event(settings: Settings) -> None:
    runtime = build_runtime(settings)
    try:
        generate(runtime.app, seed=13, actions=40)
        runtime.projector.catch_up()
        positions = [n.id for n in runtime.app.recorder.select_notifications(start=1, limit=999)]
        deleted = positions[30]
        tamper(runtime, settings, "DELETE FROM {table} WHERE notification_id = %s", deleted)
        result = check(runtime)
        assert not result.ok
        assert result.departure is not None
        assert result.departure.position == deleted
        assert "lacks" in result.departure.reason
    finally:
        runtime.close()
