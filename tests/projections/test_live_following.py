"""How the live projector follows the log: lingering for news, hurried by readers, and
reading no more than it needs; the notification processor's reads per batch and ids."""

from __future__ import annotations

import random
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from uuid import UUID, uuid5

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from domain.ids import NAMESPACE
from notify.processor import Loader, notification_id, notification_processor
from projections.catalog import all_views
from projections.news import LocalNews
from projections.runner import Projector
from projections.store import SQLiteViewStore
from service.application import Sprachrohr
from storage.freshness import TailCheckedRepository
from tests.projections.histories import World, _act, app_with_history


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Sprachrohr]:
    """An application on SQLite with the aggregate cache the server uses, and a history."""
    app = app_with_history(
        tmp_path / "events.sqlite", seed=7, actions=60, AGGREGATE_CACHE_MAXSIZE="20000"
    )
    yield app
    app.close()


def more(app: Sprachrohr, actions: int) -> None:
    world: World = app.world  # type: ignore[attr-defined]
    rng = random.Random(actions)
    for _ in range(actions):
        _act(app, world, rng)


def views_projector(
    app: Sprachrohr, store: SQLiteViewStore | None = None, **options: Any
) -> Projector:
    store = store or SQLiteViewStore(":memory:")
    projector = Projector(app.recorder, app.mapper, store, all_views("sqlite"), **options)
    projector.setup()
    return projector


def test_a_catch_up_that_reaches_the_head_asks_for_events_once(app: Sprachrohr) -> None:
    """A page shorter than asked for is the log's head: no second SELECT to learn it."""
    projector = views_projector(app)
    asked: list[int] = []
    select = app.recorder.select_notifications

    def counted(start: int, limit: int, *args: Any, **kwargs: Any) -> Any:
        asked.append(start)
        return select(start, limit, *args, **kwargs)

    app.recorder.select_notifications = counted  # type: ignore[method-assign]
    head = app.recorder.max_notification_id() or 0
    assert projector.catch_up() == head
    assert asked == [1]
    more(app, 10)
    assert projector.catch_up() == app.recorder.max_notification_id()
    assert asked == [1, head + 1]
    # the same views as one projector that applies the whole log at once
    assert projector.dump() == rebuilt(app)


def test_a_catch_up_in_small_batches_still_reaches_the_head(app: Sprachrohr) -> None:
    projector = views_projector(app, batch_size=7, bulk_batch_size=7, bulk_page_size=3)
    assert projector.catch_up() == app.recorder.max_notification_id()
    assert projector.dump() == rebuilt(app)


def rebuilt(app: Sprachrohr) -> dict[str, list[tuple[Any, ...]]]:
    projector = views_projector(app)
    projector.catch_up()
    return projector.dump()


def test_a_reader_hurries_a_projector_that_lingers_for_more_news(
    app: Sprachrohr, tmp_path: Path
) -> None:
    """With an hour's linger the views would lag for an hour, but whoever waits for
    them (read-your-writes) makes the projector catch up at once."""
    store = SQLiteViewStore(tmp_path / "views.sqlite")
    projector = views_projector(app, store, linger=3600.0)
    news, stop = LocalNews(), threading.Event()
    thread = threading.Thread(target=projector.run, args=(stop, news.wait), daemon=True)
    thread.start()
    try:
        assert projector.wait_for(app.recorder.max_notification_id() or 0, 60)
        more(app, 10)
        news.announce()
        assert projector.wait_for(app.recorder.max_notification_id() or 0, 60)
    finally:
        stop.set()
        news.interrupt()
        thread.join(60)
    assert not thread.is_alive()  # a stop ends the linger too
    assert projector.dump() == rebuilt(app)
    store.close()


def test_the_notification_processor_checks_the_cache_once_per_batch(app: Sprachrohr) -> None:
    """Its handlers load the current state of pain points, groups and people: one tail
    check of the aggregate cache per batch, not one per aggregate loaded."""
    repository = app.repository
    assert isinstance(repository, TailCheckedRepository)

    def find(cls: type, aggregate_id: UUID) -> object:
        return app.find(cls, aggregate_id, readonly=True)

    store = SQLiteViewStore(":memory:")
    processor = notification_processor(app.recorder, app.mapper, store, Loader(find), app.clock)
    processor.setup()
    before = repository.refreshes
    assert processor.catch_up() == app.recorder.max_notification_id()
    assert repository.refreshes - before == 1
    with store.reading() as cur:
        cur.execute("SELECT count(*) FROM n_notifications")
        assert cur.fetchone()[0] > 0


@hypothesis_settings(max_examples=200)
@given(position=st.integers(min_value=0, max_value=2**63 - 1), person=st.uuids())
def test_a_notification_id_is_the_uuid5_it_always_was(position: int, person: UUID) -> None:
    """Computed without UUID objects, the id of a notification keeps its form: a row
    written again after a crash before its commit gets the same id."""
    expected = uuid5(NAMESPACE, f"notification:{position}:{person.hex}").hex
    assert notification_id(position, person.hex) == expected
