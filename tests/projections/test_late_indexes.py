"""Late indexes (ADR 029): built after a catch-up from empty views, never missing for a
handler that reads them, and never missing after a catch-up, even one that failed."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

from projections.catalog import all_views
from projections.runner import Projector
from projections.store import Cursor, SQLiteViewStore, ViewStore
from projections.view import Handler, LateIndexes, View
from service.application import Sprachrohr
from service.runtime import build_runtime
from service.settings import Settings
from tests.projections.histories import generate

#: The tables each late index covers, and the SQL views over them.
TABLES = {
    "v_support_rows_item": ("v_support_rows", "v_support_intervals"),
    "v_support_rows_person": ("v_support_rows", "v_support_intervals"),
    "v_support_owner_key": ("v_support_owner",),
    "v_history_item": ("v_history",),
}
DDL = re.compile(r"^\s*(DROP|CREATE) INDEX IF (?:NOT )?EXISTS (\w+)", re.IGNORECASE)


def late_names(views: list[View]) -> set[str]:
    return {name for view in views if view.late is not None for name in view.late.ddl}


def present(store: ViewStore, names: set[str]) -> set[str]:
    probe = LateIndexes(store.dialect, dict.fromkeys(names, ""))
    with store.reading() as cur:
        probe.learn(cur)
    return names - probe.missing


def projector(app: Any, store: ViewStore, views: list[View], **sizes: int) -> Projector:
    built = Projector(app.recorder, app.mapper, store, views, **sizes)
    built.setup()
    return built


def test_every_late_index_is_known() -> None:
    assert late_names(all_views("sqlite")) == set(TABLES)


class Dropper(View):
    """Drops the other views' late indexes before every page (as a rebuild's first batch)."""

    tables = ()

    def __init__(self, views: list[View]) -> None:
        self.others = [view.late for view in views if view.late is not None]

    def create(self, cur: Cursor) -> None:
        return None

    def handlers(self) -> Mapping[str, Handler]:
        return {}

    def records(self, cur: Cursor, notifications: Sequence[Any]) -> None:
        for late in self.others:
            late.defer(cur)


def assert_no_scan(statements: list[str]) -> None:
    """Between dropping a late index and building it again, no statement but an INSERT
    names its table (an INSERT … SELECT: not in what it selects)."""
    dropped: set[str] = set()
    for statement in statements:
        ddl = DDL.match(statement)
        if ddl:
            if ddl.group(1).upper() == "DROP":
                dropped.add(ddl.group(2))
            else:
                dropped.discard(ddl.group(2))
            continue
        if statement.lstrip().upper().startswith("INSERT INTO"):
            statement = statement.split(" SELECT ", 1)[1] if " SELECT " in statement else ""
        for name in dropped:
            for table in TABLES[name]:
                assert not re.search(rf"\b{table}\b", statement), (name, statement)


def test_no_handler_reads_a_table_whose_index_is_dropped(tmp_path: Path) -> None:
    """Every event applied right after the late indexes were dropped: each handler that
    reads their tables builds them first; the views equal those of a plain catch-up."""
    app = Sprachrohr(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    generate(app, seed=11, actions=300)
    store = SQLiteViewStore(tmp_path / "views.sqlite")
    views = all_views("sqlite")
    dropping = projector(app, store, [Dropper(views), *views], batch_size=1, bulk_batch_size=1)
    statements: list[str] = []
    store._connection().set_trace_callback(statements.append)
    dropping.catch_up()
    store._connection().set_trace_callback(None)
    assert_no_scan(statements)
    assert sum(1 for s in statements if s.startswith("CREATE INDEX")) > 20

    plain = projector(app, SQLiteViewStore(":memory:"), all_views("sqlite"))
    plain.catch_up()
    assert dropping.dump() == plain.dump()


def test_a_rebuild_builds_the_late_indexes_once_at_its_end(tmp_path: Path) -> None:
    """A bulk catch-up from empty views drops the late indexes in its first batch and
    leaves them built; no handler read a table while its index was missing."""
    app = Sprachrohr(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    generate(app, seed=11, actions=300)
    store = SQLiteViewStore(tmp_path / "views.sqlite")
    bulk = projector(app, store, all_views("sqlite"), batch_size=5, bulk_batch_size=60)
    statements: list[str] = []
    store._connection().set_trace_callback(statements.append)
    bulk.catch_up()
    store._connection().set_trace_callback(None)
    assert_no_scan(statements)
    assert any(s.startswith("DROP INDEX") for s in statements)
    assert present(store, set(TABLES)) == set(TABLES)

    plain = projector(app, SQLiteViewStore(":memory:"), all_views("sqlite"))
    plain.catch_up()
    assert bulk.dump() == plain.dump()


class FailsAfter(View):
    """Fails in the flush of the page after `pages` pages."""

    tables = ()

    def __init__(self, pages: int) -> None:
        self.pages = pages

    def create(self, cur: Cursor) -> None:
        return None

    def handlers(self) -> Mapping[str, Handler]:
        return {}

    def flush(self, cur: Cursor) -> None:
        self.pages -= 1
        if self.pages < 0:
            raise RuntimeError("the store failed mid-catch-up")


def test_a_catch_up_after_a_failed_rebuild_builds_the_late_indexes(settings: Settings) -> None:
    """A rebuild that fails after its first batches committed leaves the late indexes
    dropped; the next catch-up (another process) builds them, and the views equal a
    rebuild's."""
    runtime = build_runtime(settings)
    try:
        generate(runtime.app, seed=3, actions=300)
        app, store = runtime.app, runtime.projector.store
        names = late_names(runtime.projector.views)
        failing = projector(
            app,
            store,
            [*all_views(store.dialect), FailsAfter(3)],
            batch_size=5,
            bulk_batch_size=40,
            bulk_page_size=20,
        )
        with store.writing() as cur:
            cur.execute("DELETE FROM v_tracking WHERE name = ?", (failing.name,))
            for view in failing.views:
                view.drop(cur)
                view.create(cur)
        with pytest.raises(RuntimeError, match="mid-catch-up"):
            failing.catch_up()
        assert failing.position() > 0
        assert present(store, names) < names  # v_history_item: no handler builds it

        resumed = projector(app, store, all_views(store.dialect), batch_size=5)
        resumed.catch_up()
        assert present(store, names) == names
        views = resumed.dump()
        resumed.rebuild()
        assert present(store, names) == names
        assert resumed.dump() == views
    finally:
        runtime.close()


def test_live_catch_up_builds_missing_late_indexes_first(tmp_path: Path) -> None:
    """A small catch-up (not in bulk) builds missing late indexes before it applies."""
    app = Sprachrohr(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    generate(app, seed=2, actions=40)
    store = SQLiteViewStore(tmp_path / "views.sqlite")
    views = all_views("sqlite")
    names = late_names(views)
    fresh = projector(app, store, views, batch_size=100_000)
    with store.writing() as cur:  # as a failed rebuild in another process left them
        for name in names:
            cur.execute(f"DROP INDEX {name}")
    assert present(store, names) == set()
    fresh.catch_up()
    assert present(store, names) == names
