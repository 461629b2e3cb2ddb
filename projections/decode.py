"""Stored events to domain events for the projector: the mapper's result, faster.

The library's `Mapper.to_domain_event` parses the JSON with a Python `object_hook`
called for every object, and makes a new `UUID` for every id. Most events are flat:
their fields are scalars or transcoded scalars (`{"_type_": "uuid_hex", "_data_": …}`).
For those, `EventDecoder` parses with the C parser alone, decodes the transcoded
fields itself and shares one `UUID` object per id (pain points, people, companies
recur in thousands of events). The result is the same event, field for field (a
test compares them over a generated log). Anything else (a nested object or list, a
cipher or compressor, a class version above 1, an unknown transcoding) goes to the
mapper unchanged.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, NamedTuple
from uuid import UUID

from eventsourcing.persistence import (
    DatetimeAsISO,
    JSONTranscoder,
    Mapper,
    UUIDAsHex,
    find_id_convertor,
)
from eventsourcing.utils import resolve_topic

#: How many ids the decoder keeps before it starts afresh (memory stays bounded).
UUID_CACHE = 100_000


class HexId:
    """An id as its hex text (`UUID.hex`), for handlers that ask for nothing else."""

    __slots__ = ("hex",)

    def __init__(self, text: str) -> None:
        self.hex = text


class Stored(NamedTuple):
    """A stored event as the projector reads it in bulk (`stored_reader`): the
    originator's id as the store holds it, a `UUID` only when asked for."""

    id: int
    originator_text: str
    originator_version: int
    topic: str
    state: bytes

    @property
    def originator_id(self) -> UUID:
        return UUID(self.originator_text)


def stored_reader(recorder: Any) -> Callable[[int, int], Sequence[Any]] | None:
    """`read(start, limit)`: the log's notifications as `Stored` rows, when the recorder
    can give plain rows (storage.sqlite) of UUID originators; otherwise None."""
    select = getattr(recorder, "select_stored", None)
    datastore = getattr(recorder, "datastore", None)
    if select is None or getattr(datastore, "originator_id_type", None) != "uuid":
        return None

    def read(start: int, limit: int) -> Sequence[Any]:
        return list(map(Stored._make, select(start, limit)))

    return read


#: The originator id as the SQLite store holds a UUID (`UUID.hex`).
HEX = re.compile("[0-9a-f]{32}")


class Flat:
    """An event's fields as attributes (`EventDecoder.flat`)."""


class EventDecoder:
    """`decoder(notification)` == `mapper.to_domain_event(notification)`."""

    def __init__(self, mapper: Mapper[Any]) -> None:
        self.mapper = mapper
        transcoder = mapper.transcoder
        # A subclass may decode differently: only the library's own transcoder.
        self.fast = (
            mapper.cipher is None
            and mapper.compressor is None
            and type(transcoder) is JSONTranscoder
        )
        self.names = transcoder.names if isinstance(transcoder, JSONTranscoder) else {}
        # The common transcodings inline, when they are the library's.
        self.uuid_hex = type(self.names.get("uuid_hex")) is UUIDAsHex
        self.datetime_iso = type(self.names.get("datetime_iso")) is DatetimeAsISO
        self._classes: dict[tuple[str, type], tuple[type, Callable[[Any], Any]] | None] = {}
        self._uuids: dict[str, UUID] = {}
        self._hexes: dict[str, HexId] = {}

    def __call__(self, stored: Any) -> Any:
        if not self.fast:
            return self.mapper.to_domain_event(stored)
        key = (stored.topic, type(stored.originator_id))
        if key not in self._classes:
            self._classes[key] = self._class_of(*key)
        found = self._classes[key]
        if found is None:
            return self.mapper.to_domain_event(stored)
        cls, id_convertor = found
        state = self._state(stored.state)
        if state is None:
            return self.mapper.to_domain_event(stored)
        state["originator_id"] = id_convertor(stored.originator_id)
        state["originator_version"] = stored.originator_version
        event: Any = object.__new__(cls)
        object.__setattr__(event, "__dict__", state)
        return event

    def _class_of(self, topic: str, id_type: type) -> tuple[type, Callable[[Any], Any]] | None:
        cls = resolve_topic(topic)
        if getattr(cls, "class_version", 1) != 1:
            return None  # upcasting: the mapper's business
        return cls, find_id_convertor(cls, id_type)

    def _state(self, data: bytes) -> dict[str, Any] | None:
        """The event's fields, or None when they are not flat (the mapper decodes)."""
        try:
            state = json.loads(data)
        except ValueError:
            return None  # the mapper raises its own error
        if type(state) is not dict or "class_version" in state or "_type_" in state:
            return None
        for name, value in state.items():
            kind = type(value)
            if kind is dict:
                if len(value) != 2:
                    return None
                transcoded = value.get("_type_")
                data_ = value.get("_data_")
                if type(data_) is not str:
                    return None
                if transcoded == "uuid_hex" and self.uuid_hex:
                    state[name] = self._uuid(data_)
                elif transcoded == "datetime_iso" and self.datetime_iso:
                    state[name] = datetime.fromisoformat(data_)
                else:
                    transcoding = self.names.get(transcoded)
                    if transcoding is None:
                        return None
                    state[name] = transcoding.decode(data_)
            elif kind is list:
                return None
        return state

    def flat(self, stored: Any) -> Any:
        """The event's fields for handlers that read only ids' `.hex` and the moments
        (marked `view.reads_hex`): ids as `HexId`, no `UUID` made or formatted again.
        Any event the fast path does not decode is decoded in full (`self(stored)`)."""
        if not self.fast or not (self.uuid_hex and self.datetime_iso):
            return self(stored)
        if type(stored) is Stored:
            text = stored.originator_text
            originator, key = text if HEX.fullmatch(text) else None, (stored.topic, UUID)
        else:
            originator, key = None, (stored.topic, type(stored.originator_id))
        if key not in self._classes:
            self._classes[key] = self._class_of(*key)
        if self._classes[key] is None:
            return self(stored)
        try:
            state = json.loads(stored.state)
        except ValueError:
            return self(stored)
        if type(state) is not dict or "class_version" in state or "_type_" in state:
            return self(stored)
        for name, value in state.items():
            kind = type(value)
            if kind is dict:
                transcoded, data_ = value.get("_type_"), value.get("_data_")
                if len(value) != 2 or type(data_) is not str:
                    return self(stored)
                if transcoded == "uuid_hex" and len(data_) == 32:
                    state[name] = self._hex(data_)
                elif transcoded == "datetime_iso":
                    state[name] = datetime.fromisoformat(data_)
                else:
                    return self(stored)
            elif kind is list:
                return self(stored)
        state["originator_id"] = HexId(originator or stored.originator_id.hex)
        state["originator_version"] = stored.originator_version
        event = Flat()
        event.__dict__ = state
        return event

    def _hex(self, text: str) -> HexId:
        found = self._hexes.get(text)
        if found is None:
            if len(self._hexes) >= UUID_CACHE:
                self._hexes.clear()
            # As the mapper reads it (canonical hex), once per distinct id.
            found = self._hexes[text] = HexId(UUID(text).hex)
        return found

    def _uuid(self, text: str) -> UUID:
        found = self._uuids.get(text)
        if found is None:
            if len(self._uuids) >= UUID_CACHE:
                self._uuids.clear()
            found = self._uuids[text] = UUID(text)
        return found
