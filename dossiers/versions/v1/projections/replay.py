"""Replay the log up to a moment into scratch views: the reference for as-of queries."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from eventsourcing.persistence import ApplicationRecorder, Mapper

from dossiers.versions.v1.projections.runner import Projector
from dossiers.versions.v1.projections.store import SQLiteViewStore
from dossiers.versions.v1.projections.view import View


def replay_until(
    recorder: ApplicationRecorder,
    mapper: Mapper[Any],
    views: list[View],
    moment: datetime,
    batch_size: int = 5000,
) -> Projector:
    """A projector over an in-memory store holding every event that happened by `moment`."""
    scratch = Projector(recorder, mapper, SQLiteViewStore(":memory:"), views)
    scratch.setup()
    position = 0
    while True:
        notifications = recorder.select_notifications(start=position + 1, limit=batch_size)
        if not notifications:
            return scratch
        until = [n for n in notifications if _timestamp(mapper, n) <= moment]
        if until:
            scratch.apply_batch(scratch.position(), until)
        position = notifications[-1].id


def _timestamp(mapper: Mapper[Any], notification: Any) -> datetime:
    moment: datetime = mapper.to_domain_event(notification).timestamp  # type: ignore[attr-defined]
    return moment


def replay_to(
    recorder: ApplicationRecorder,
    mapper: Mapper[Any],
    views: list[View],
    position: int,
    progress: Callable[[int, int], None] | None = None,
    batch_size: int = 5000,
) -> Projector:
    """A projector over an in-memory store holding exactly the events up to `position`:
    what the views showed when the log ended there, whatever was recorded since."""
    scratch = Projector(recorder, mapper, SQLiteViewStore(":memory:"), views)
    scratch.setup()
    done = 0
    while done < position:
        limit = min(batch_size, position - done)
        notifications = recorder.select_notifications(start=done + 1, limit=limit, stop=position)
        if not notifications:
            break
        done = scratch.apply_batch(done, notifications)
        if progress is not None:
            progress(done, position)
    return scratch
