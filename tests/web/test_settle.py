"""A web form's answer waits until the views include the write, wherever the projector
runs (api/web/settle.py): in this process, or in another one such as the child of
`sprachrohr serve`; with no projector running at all it gives up once the views stand
still."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest

from api.web import settle as settling
from projections.catalog import all_views
from projections.doorbell import SUPPORTED
from projections.news import SQLiteNews
from projections.runner import Projector
from projections.store import SQLiteViewStore
from service.application import Sprachrohr
from tests.projections.histories import app_with_history
from tests.projections.test_live_following import more


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Sprachrohr]:
    app = app_with_history(tmp_path / "events.sqlite", seed=5, actions=30)
    yield app
    app.close()


def server_side(app: Sprachrohr, tmp_path: Path) -> tuple[Projector, SQLiteViewStore]:
    """The server's projector object: it reads the tracking row, it does not run."""
    store = SQLiteViewStore(tmp_path / "views.sqlite")
    projector = Projector(app.recorder, app.mapper, store, all_views("sqlite"))
    projector.setup()
    projector.wait_poll_seconds = 0.005
    return projector, store


@pytest.mark.skipif(not SUPPORTED, reason="the hurry bell needs Linux's abstract sockets")
def test_a_web_write_waits_for_a_projector_in_another_process(
    app: Sprachrohr, tmp_path: Path
) -> None:
    reader, server_store = server_side(app, tmp_path)
    store = SQLiteViewStore(tmp_path / "views.sqlite")
    # The other process's projector: it lingers an hour unless a reader hurries it.
    keeper = Projector(app.recorder, app.mapper, store, all_views("sqlite"), linger=3600.0)
    news = SQLiteNews(tmp_path / "events.sqlite", step=3600.0)
    keeper.hurry_bell = news.bell.sibling("hurry-views")
    reader.hurry_bell = news.bell.sibling("hurry-views")
    stop = threading.Event()
    thread = threading.Thread(target=keeper.run, args=(stop, news.wait), daemon=True)
    thread.start()
    try:
        for _ in range(3):
            more(app, 5)
            news.announce()
            settling.settle(SimpleNamespace(projector=reader))
            assert reader.position() == app.recorder.max_notification_id()
    finally:
        stop.set()
        news.interrupt()
        thread.join(60)
        news.close()
        keeper.hurry_bell.close()
        reader.hurry_bell.close()
        store.close()
        server_store.close()


def test_with_no_projector_running_a_web_write_does_not_wait_for_ever(
    app: Sprachrohr, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(settling, "SETTLE_SECONDS", 3600.0)
    monkeypatch.setattr(settling, "STALL_SECONDS", 0.05)
    reader, store = server_side(app, tmp_path)
    settling.settle(SimpleNamespace(projector=reader))  # returns: the views stand still
    assert reader.position() < (app.recorder.max_notification_id() or 0)
    store.close()
