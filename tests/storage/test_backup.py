"""Backup and restore: same rankings, as-of answers and dossiers; either backend; online."""

from __future__ import annotations

import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from cli.main import cli
from domain.dossier import Dossier
from domain.ids import SYSTEM
from dossiers.issuing import compose, issue, verify
from projections.directory_view import list_groups
from projections.ranking_view import live_ranking, ranking_as_of
from projections.view import micros
from service.runtime import Runtime, build_runtime
from service.settings import Settings
from storage.backup import Manifest, read_manifest, write_backup
from tests.conftest import postgres_settings
from tests.dossiers.history import definition, record_history

runner = CliRunner()


@pytest.fixture
def source(tmp_path: Path) -> Iterator[tuple[Runtime, Any]]:
    """A SQLite store with a recorded history and one issued dossier."""
    runtime = build_runtime(Settings(data_dir=tmp_path / "source"))  # type: ignore[call-arg]
    history = record_history(runtime.app)
    composed = compose(runtime.app.recorder, runtime.app.mapper, definition(history))
    dossier_id = issue(runtime.app, composed, by=SYSTEM).id
    runtime.projector.catch_up()
    yield runtime, dossier_id
    runtime.close()


def answers(runtime: Runtime) -> dict[str, Any]:
    """Every group's ranking now and as of every day of the history."""
    runtime.projector.catch_up()
    log = runtime.app.recorder.select_notifications(start=1, limit=100_000)
    moments = sorted({micros(runtime.app.mapper.to_domain_event(n).timestamp) for n in log})
    result: dict[str, Any] = {}
    with runtime.store.reading() as cur:
        for group in list_groups(cur, 100, 0)[0]:
            gid = group["id"]
            result[gid] = [live_ranking(cur, gid, 100, 0)]
            result[gid] += [ranking_as_of(cur, gid, at, 100, 0) for at in moments[::3]]
    return result


def restore(backup: Path, settings: Settings, *args: str) -> Any:
    env = {"SPRACHROHR_DATA_DIR": str(settings.data_dir)}
    if settings.database_url:
        env["SPRACHROHR_DATABASE_URL"] = settings.database_url
    return runner.invoke(cli, ["restore", str(backup), *args], env=env)


def dossier_verifies(runtime: Runtime, dossier_id: Any) -> bool:
    dossier = runtime.app.load(Dossier, dossier_id, "dossier")
    result, _ = verify(runtime.app.recorder, runtime.app.mapper, dossier)
    return result.ok


def test_a_restore_into_an_empty_dir_answers_exactly_as_the_original(
    source: tuple[Runtime, Any], tmp_path: Path
) -> None:
    runtime, dossier_id = source
    backup = tmp_path / "backup.zip"
    manifest = write_backup(runtime.app.recorder, backup)
    assert manifest.events == manifest.last_position == runtime.app.recorder.max_notification_id()
    result = restore(backup, runtime.settings, "--data-dir", str(tmp_path / "restored"))
    assert result.exit_code == 0, result.output
    restored = build_runtime(Settings(data_dir=tmp_path / "restored"))  # type: ignore[call-arg]
    try:
        assert answers(restored) == answers(runtime)
        assert dossier_verifies(restored, dossier_id)
        assert write_backup(restored.app.recorder, tmp_path / "again.zip").sha256 == manifest.sha256
    finally:
        restored.close()


def test_restore_refuses_a_store_that_is_not_empty_and_a_damaged_backup(
    source: tuple[Runtime, Any], tmp_path: Path
) -> None:
    runtime, _ = source
    backup = tmp_path / "backup.zip"
    write_backup(runtime.app.recorder, backup)
    refused = restore(backup, runtime.settings, "--data-dir", str(runtime.settings.data_dir))
    assert refused.exit_code == 1
    assert "not empty" in refused.output
    damaged = tmp_path / "damaged.zip"
    with zipfile.ZipFile(backup) as original, zipfile.ZipFile(damaged, "w") as copy:
        copy.writestr("manifest.json", original.read("manifest.json"))
        copy.writestr(
            "events.jsonl",
            original.read("events.jsonl").replace(b'"position":3,', b'"position":2,', 1),
        )
    result = restore(damaged, runtime.settings, "--data-dir", str(tmp_path / "fresh"))
    assert result.exit_code == 1
    assert "SHA-256" in result.output
    assert restore(tmp_path / "missing.zip", runtime.settings).exit_code == 2


@pytest.mark.postgres
def test_sqlite_to_postgresql_and_back_keeps_every_answer(
    source: tuple[Runtime, Any], tmp_path: Path
) -> None:
    runtime, dossier_id = source
    backup = tmp_path / "sqlite.zip"
    manifest = write_backup(runtime.app.recorder, backup)
    for pg in postgres_settings():
        result = restore(backup, pg)
        assert result.exit_code == 0, result.output
        on_pg = build_runtime(pg)
        try:
            assert answers(on_pg) == answers(runtime)
            assert dossier_verifies(on_pg, dossier_id)
            back = write_backup(on_pg.app.recorder, tmp_path / "pg.zip")
        finally:
            on_pg.close()
    assert back.sha256 == manifest.sha256
    result = restore(tmp_path / "pg.zip", runtime.settings, "--data-dir", str(tmp_path / "back"))
    assert result.exit_code == 0, result.output
    again = build_runtime(Settings(data_dir=tmp_path / "back"))  # type: ignore[call-arg]
    try:
        assert answers(again) == answers(runtime)
    finally:
        again.close()


def test_a_backup_under_concurrent_writes_is_the_log_up_to_its_last_position(
    source: tuple[Runtime, Any], tmp_path: Path
) -> None:
    runtime, _ = source
    app = runtime.app
    stop, written = threading.Event(), threading.Semaphore(0)

    def write() -> None:
        n = 0
        while not stop.is_set():
            app.found_group(f"Arbeitskreis {n}", "thematic", "", by=SYSTEM)
            written.release()
            n += 1

    def backup_after_some_writes(i: int) -> Manifest:
        for _ in range(10):
            written.acquire(timeout=10)
        return write_backup(app.recorder, tmp_path / f"b{i}.zip")

    writer = threading.Thread(target=write)
    writer.start()
    try:
        backups = [backup_after_some_writes(i) for i in range(3)]
    finally:
        stop.set()
        writer.join()
    log = app.recorder.select_notifications(start=1, limit=1_000_000)
    assert len(log) > backups[-1].last_position > backups[0].last_position
    for i, manifest in enumerate(backups):
        assert manifest.events == manifest.last_position  # every event up to it
        result = restore(
            tmp_path / f"b{i}.zip", runtime.settings, "--data-dir", str(tmp_path / f"r{i}")
        )
        assert result.exit_code == 0, result.output
        restored = build_runtime(Settings(data_dir=tmp_path / f"r{i}"))  # type: ignore[call-arg]
        try:
            copy = restored.app.recorder.select_notifications(start=1, limit=1_000_000)
            assert [(n.id, n.topic, n.state) for n in copy] == [
                (n.id, n.topic, n.state) for n in log if n.id <= manifest.last_position
            ]
        finally:
            restored.close()
    assert read_manifest(tmp_path / "b0.zip") == backups[0]
