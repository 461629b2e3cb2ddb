"""Quiet recording: events the demo loader and the spreadsheet import append carry a
marker in their stored state, so the notification processor tells nobody of them.

The marker travels with the stored event itself (`QUIET` in its state), whenever and
however the events are appended — the demo at first start, an import into a store whose
processor is running, a restored backup — so the processor need not guess from a
timestamp or a position whether an event is news. It is set by the mapper while the
recording runs inside `quietly()` (a context variable: only the thread or task that
records quietly marks its events; a person acting at the same moment is news as ever).
Aggregates never see the marker: an event's apply takes only its own parameters.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from eventsourcing.persistence import Mapper, StoredEvent

#: The key in a stored event's state that marks it as quiet (no event has an attribute
#: of that name: a leading underscore).
QUIET = "_quiet"
_recording_quietly: ContextVar[bool] = ContextVar("recording_quietly", default=False)


@contextmanager
def quietly() -> Iterator[None]:
    """Mark every event recorded inside (in this context) as quiet."""
    token = _recording_quietly.set(True)
    try:
        yield
    finally:
        _recording_quietly.reset(token)


def is_quiet(event: Any) -> bool:
    """Whether a domain event read from the log was recorded quietly."""
    return bool(getattr(event, QUIET, False))


class QuietMarkingMapper(Mapper[Any]):
    """The application's mapper, adding the marker to events recorded `quietly()`."""

    def to_stored_event(self, domain_event: Any) -> StoredEvent:
        if not _recording_quietly.get():
            return super().to_stored_event(domain_event)
        marked = object.__new__(type(domain_event))
        object.__setattr__(marked, "__dict__", {**vars(domain_event), QUIET: True})
        return super().to_stored_event(marked)
