"""The store's doorbell: a command in one process wakes the projector in another at once,
and a reader there hurries it past its linger (ADR 028)."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from projections.catalog import all_views
from projections.doorbell import SUPPORTED, Doorbell
from projections.news import SQLiteNews
from projections.runner import Projector
from projections.store import SQLiteViewStore
from service.application import Sprachrohr
from tests.projections.histories import app_with_history
from tests.projections.test_live_following import more, rebuilt

pytestmark = pytest.mark.skipif(not SUPPORTED, reason="abstract Unix sockets are Linux's")

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Sprachrohr]:
    app = app_with_history(tmp_path / "events.sqlite", seed=11, actions=40)
    yield app
    app.close()


def ring_from_another_process(key: Path, name: str) -> None:
    code = f"from projections.doorbell import Doorbell; Doorbell({str(key)!r}, {name!r}).ring()"
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, timeout=60)


def test_ringing_with_nobody_listening_is_harmless(tmp_path: Path) -> None:
    bell = Doorbell(str(tmp_path / "events.sqlite"), "events")
    bell.ring()
    bell.ring()
    assert not bell.listening
    off = Doorbell(None, "events")  # an in-memory store has no bell
    assert not off.listen()
    off.ring()
    bell.close()
    off.close()


def test_one_process_answers_and_a_ring_from_another_process_wakes_it(tmp_path: Path) -> None:
    key = tmp_path / "events.sqlite"
    first, second = Doorbell(str(key), "events"), Doorbell(str(key), "events")
    try:
        assert first.listen()
        assert not second.listen()  # one answers; the other keeps polling
        assert not first.wait(0)  # nothing rang yet
        ring_from_another_process(key, "events")
        assert first.wait(60)  # woken by the ring, long before the timeout
        assert not first.wait(0)  # every ring so far was taken in
        first.stop_listening()
        assert second.listen()  # a standby that takes over answers from then on
        other = Doorbell(str(tmp_path / "other.sqlite"), "events")
        assert other.listen()  # another store has a bell of its own
        other.close()
    finally:
        first.close()
        second.close()


def test_a_command_wakes_and_a_reader_hurries_a_projector_that_neither_polls_nor_hurries(
    app: Sprachrohr, tmp_path: Path
) -> None:
    """The projector polls the event file only once an hour and lingers an hour after a
    wake-up: a read that waits for a new write returns at once only because the writer's
    announcement rang the events bell and the reader rang the hurry bell, as between
    `sprachrohr serve` and its projector child (here on their own objects, as in two
    processes)."""
    events = tmp_path / "events.sqlite"
    store = SQLiteViewStore(tmp_path / "views.sqlite")
    projector = Projector(app.recorder, app.mapper, store, all_views("sqlite"), linger=3600.0)
    projector.setup()
    news = SQLiteNews(events, step=3600.0)
    projector.hurry_bell = news.bell.sibling("hurry-views")
    stop = threading.Event()
    thread = threading.Thread(target=projector.run, args=(stop, news.wait), daemon=True)
    thread.start()
    # The server's side: its own news (to announce) and a projector it does not run.
    server_news = SQLiteNews(events, step=3600.0)
    server_store = SQLiteViewStore(tmp_path / "views.sqlite")
    reader = Projector(app.recorder, app.mapper, server_store, all_views("sqlite"))
    reader.hurry_bell = server_news.bell.sibling("hurry-views")
    reader.wait_poll_seconds = 0.005
    try:
        assert reader.wait_for(app.recorder.max_notification_id() or 0, 60)
        for _ in range(3):
            more(app, 5)
            server_news.announce()
            assert reader.wait_for(app.recorder.max_notification_id() or 0, 60)
    finally:
        stop.set()
        news.interrupt()
        thread.join(60)
        server_news.close()
        news.close()
        projector.hurry_bell.close()
        reader.hurry_bell.close()
    assert not thread.is_alive()
    assert projector.dump() == rebuilt(app)
    store.close()
    server_store.close()
