"""Backup and restore of the event log, one portable format for both backends.

A backup is a ZIP file holding `events.jsonl` (one event a line: its log position,
originator id and version, topic and state in base64) and `manifest.json` (format,
event count, last position, SHA-256 of `events.jsonl`). It is an online snapshot:
the log's head is read first and every event up to it is written — positions are
assigned in commit order on both backends (SQLite has one writer, PostgreSQL inserts
under a table lock), so no event at or below the head can commit later.

A restore checks the manifest, the order of positions and that every event decodes,
and writes the events with their positions into an empty store.

`keys.json` holds the key store of personal data (storage.keys): every person's key,
and a tombstone for each erased person. Without it the restored log could not show a
single name; with it, a backup is as confidential as the key store (docs/privacy.md).
A backup taken after an erasure holds no key of the erased person.
"""

from __future__ import annotations

import base64
import hashlib
import json
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import UUID

from eventsourcing.persistence import ApplicationRecorder, Mapper, StoredEvent

from storage.keys import KeyStore

FORMAT = "sprachrohr-backup/1"
EVENTS = "events.jsonl"
KEYS = "keys.json"
MANIFEST = "manifest.json"
BATCH = 5_000


class BackupError(Exception):
    """The backup file is not a sound backup, or the target store is not empty."""


@dataclass(frozen=True)
class Manifest:
    format: str
    events: int
    last_position: int
    sha256: str
    taken_at: str
    #: The hash chain's head at `last_position` (hex; "" when not computed).
    chain_head: str = ""


@dataclass(frozen=True)
class Record:
    position: int
    event: StoredEvent


def head_of(recorder: ApplicationRecorder) -> int:
    return recorder.max_notification_id() or 0


def write_backup(
    recorder: ApplicationRecorder,
    path: Path,
    keys: KeyStore | None = None,
    chain_head: Callable[[int], str] | None = None,
) -> Manifest:
    """Write every event up to the log's current head to `path`, and the key store;
    `chain_head(position)` names the hash chain's head there, for the manifest."""
    head = head_of(recorder)
    digest = hashlib.sha256()
    count = last = 0
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open(EVENTS, "w", force_zip64=True) as out:
            start = 1
            while start <= head:
                batch = recorder.select_notifications(start=start, limit=BATCH, stop=head)
                if not batch:
                    break
                for n in batch:
                    line = _line(n.id, n.originator_id, n.originator_version, n.topic, n.state)
                    out.write(line)
                    digest.update(line)
                    count, last = count + 1, n.id
                start = batch[-1].id + 1
        taken = datetime.now(UTC).isoformat(timespec="seconds")
        chain = chain_head(last) if chain_head is not None else ""
        manifest = Manifest(FORMAT, count, last, digest.hexdigest(), taken, chain)
        archive.writestr(MANIFEST, json.dumps(asdict(manifest), indent=2))
        if keys is not None:
            entries = {
                subject.hex: None if key is None else base64.b64encode(key).decode("ascii")
                for subject, key in keys.entries()
            }
            archive.writestr(KEYS, json.dumps(entries, indent=0, sort_keys=True))
    return manifest


def restore_keys(path: Path, keys: KeyStore) -> int:
    """Load the backup's keys and tombstones (a backup without them loads none)."""
    try:
        with zipfile.ZipFile(path) as archive:
            data = json.loads(archive.read(KEYS))
    except KeyError:
        return 0
    except (OSError, ValueError, zipfile.BadZipFile) as error:
        raise BackupError(f"{path}: the keys cannot be read ({error})") from error
    keys.load_entries(
        [(UUID(s), None if k is None else base64.b64decode(k)) for s, k in data.items()]
    )
    return len(data)


def _line(position: int, originator: Any, version: int, topic: str, state: bytes) -> bytes:
    record = {
        "position": position,
        "originator_id": str(originator),
        "originator_version": version,
        "topic": topic,
        "state": base64.b64encode(state).decode("ascii"),
    }
    return json.dumps(record, separators=(",", ":")).encode() + b"\n"


def read_manifest(path: Path) -> Manifest:
    try:
        with zipfile.ZipFile(path) as archive:
            data = json.loads(archive.read(MANIFEST))
        manifest = Manifest(**data)
    except (OSError, KeyError, TypeError, ValueError, zipfile.BadZipFile) as error:
        raise BackupError(f"{path}: not a Sprachrohr backup ({error})") from error
    if manifest.format != FORMAT:
        raise BackupError(f"{path}: unknown backup format {manifest.format!r}")
    return manifest


def records(path: Path) -> Iterator[Record]:
    """The backup's events in order (unverified: see `verify_backup`)."""
    with zipfile.ZipFile(path) as archive, archive.open(EVENTS) as lines:
        for line in lines:
            data = json.loads(line)
            event = StoredEvent(
                originator_id=UUID(data["originator_id"]),
                originator_version=int(data["originator_version"]),
                topic=data["topic"],
                state=base64.b64decode(data["state"]),
            )
            yield Record(int(data["position"]), event)


def verify_backup(path: Path, mapper: Mapper[Any]) -> Manifest:
    """The manifest, once the file matches it, positions increase and every event decodes."""
    manifest = read_manifest(path)
    digest = hashlib.sha256()
    try:
        with zipfile.ZipFile(path) as archive, archive.open(EVENTS) as lines:
            for line in lines:
                digest.update(line)
    except (OSError, KeyError, zipfile.BadZipFile) as error:
        raise BackupError(f"{path}: the events cannot be read ({error})") from error
    if digest.hexdigest() != manifest.sha256:
        raise BackupError(f"{path}: the events' SHA-256 does not match the manifest")
    count = last = 0
    for record in records(path):
        if record.position <= last:
            raise BackupError(f"{path}: position {record.position} does not increase")
        try:
            mapper.to_domain_event(record.event)
        except Exception as error:  # any decoding failure makes the backup unusable
            raise BackupError(f"{path}: the event at {record.position} does not decode") from error
        count, last = count + 1, record.position
    if (count, last) != (manifest.events, manifest.last_position):
        raise BackupError(
            f"{path}: {count} events up to {last}, the manifest says"
            f" {manifest.events} up to {manifest.last_position}"
        )
    return manifest


def restore_backup(
    recorder: Any,
    path: Path,
    progress: Callable[[int], None] = lambda done: None,
) -> int:
    """Write a verified backup's events with their positions into an empty store."""
    if head_of(recorder) != 0:
        raise BackupError("the store is not empty: restore only into an empty store")
    writer = _postgres_writer if hasattr(recorder.datastore, "schema") else _sqlite_writer
    done = 0
    batch: list[Record] = []
    for record in records(path):
        batch.append(record)
        if len(batch) == BATCH:
            writer(recorder, batch)
            done += len(batch)
            progress(done)
            batch = []
    if batch:
        writer(recorder, batch)
        done += len(batch)
        progress(done)
    if hasattr(recorder.datastore, "schema"):
        _advance_sequence(recorder)
    return done


def _rows(batch: list[Record], originator: Callable[[Any], Any]) -> list[tuple[Any, ...]]:
    return [
        (
            r.position,
            originator(r.event.originator_id),
            r.event.originator_version,
            r.event.topic,
            r.event.state,
        )
        for r in batch
    ]


def _sqlite_writer(recorder: Any, batch: list[Record]) -> None:
    statement = (
        f"INSERT INTO {recorder.events_table_name}"
        " (rowid, originator_id, originator_version, topic, state) VALUES (?, ?, ?, ?, ?)"
    )
    with recorder.datastore.transaction(commit=True) as cursor:
        cursor.executemany(statement, _rows(batch, lambda u: u.hex))


def _postgres_writer(recorder: Any, batch: list[Record]) -> None:
    from psycopg.sql import SQL, Identifier

    statement = SQL(
        "INSERT INTO {}.{} (notification_id, originator_id, originator_version, topic, state)"
        " VALUES (%s, %s, %s, %s, %s)"
    ).format(Identifier(recorder.datastore.schema), Identifier(recorder.events_table_name))
    with recorder.datastore.transaction(commit=True) as cursor:
        as_text = recorder.datastore.originator_id_type == "text"
        cursor.executemany(statement, _rows(batch, lambda u: str(u) if as_text else u))


def _advance_sequence(recorder: Any) -> None:
    """New events continue after the restored ones."""
    table = f'"{recorder.datastore.schema}"."{recorder.events_table_name}"'
    with recorder.datastore.transaction(commit=True) as cursor:
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence(%s, 'notification_id'),"
            " (SELECT MAX(notification_id) FROM " + table + "))",
            (table,),
        )
