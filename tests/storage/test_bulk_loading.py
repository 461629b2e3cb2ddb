"""SQLITE_SYNCHRONOUS=NORMAL for a bulk load (the demo): its commits skip the flush,
the store stays the same store, and `checkpoint` makes it durable at the end."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from service.application import Sprachrohr
from storage.sqlite import checkpoint


def app_on(path: Path, **extra: str) -> Sprachrohr:
    env = {"PERSISTENCE_MODULE": "storage.sqlite", "SQLITE_DBNAME": str(path), **extra}
    return Sprachrohr(env=env)


def synchronous_of(app: Sprachrohr) -> int:
    datastore = app.recorder.datastore  # type: ignore[attr-defined]
    with datastore.transaction(commit=False) as cursor:
        cursor.execute("PRAGMA synchronous")
        return int(cursor.fetchone()[0])


def test_a_bulk_load_skips_the_flush_and_a_checkpoint_empties_the_wal(tmp_path: Path) -> None:
    path = tmp_path / "events.sqlite"
    durable = app_on(path)
    bulk = app_on(path, SQLITE_SYNCHRONOUS="normal")
    assert synchronous_of(durable) == 2  # FULL
    assert synchronous_of(bulk) == 1  # NORMAL

    bulk.ensure_admin("admin@verband.example", "Admin", "argon2-hash")
    written = bulk.recorder.max_notification_id()
    bulk.close()
    checkpoint(str(path))

    assert written
    frames, copied = _wal_frames(path)
    assert frames == copied  # every frame of the WAL is in the database file
    assert durable.recorder.max_notification_id() == written
    durable.close()


def _wal_frames(path: Path) -> tuple[int, int]:
    """(frames in the WAL, frames of them copied into the database file)."""
    conn = sqlite3.connect(path)
    try:
        _, frames, copied = conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        return int(frames), int(copied)
    finally:
        conn.close()


def test_an_unknown_synchronous_setting_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="SQLITE_SYNCHRONOUS"):
        app_on(tmp_path / "events.sqlite", SQLITE_SYNCHRONOUS="OFF")
