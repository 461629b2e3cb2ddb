"""The projector's decoder gives the mapper's events, field for field."""

from __future__ import annotations

from collections.abc import Iterator
from uuid import UUID

import pytest

from projections.decode import EventDecoder, Flat, HexId, stored_reader
from service.runtime import Runtime, build_runtime
from service.settings import Settings
from tests.projections.histories import generate


@pytest.fixture
def runtime(settings: Settings) -> Iterator[Runtime]:
    running = build_runtime(settings)
    yield running
    running.close()


def test_every_event_decodes_as_the_mapper_decodes_it(runtime: Runtime) -> None:
    app = runtime.app
    generate(app, seed=5, actions=200)
    decode = EventDecoder(app.mapper)
    assert decode.fast
    notifications = app.recorder.select_notifications(start=1, limit=100_000)
    topics = {n.topic for n in notifications}
    assert len(topics) > 10
    for notification in notifications:
        expected = app.mapper.to_domain_event(notification)
        for _ in range(2):  # the second time from the decoder's cached ids
            event = decode(notification)
            assert type(event) is type(expected)
            assert event.__dict__ == expected.__dict__
            assert {k: type(v) for k, v in vars(event).items()} == {
                k: type(v) for k, v in vars(expected).items()
            }


def test_flat_fields_are_the_events_fields_with_ids_as_hex(runtime: Runtime) -> None:
    app = runtime.app
    generate(app, seed=7, actions=200)
    decode = EventDecoder(app.mapper)
    notifications = app.recorder.select_notifications(start=1, limit=100_000)
    flat_ones = 0
    for notification in notifications:
        expected = vars(app.mapper.to_domain_event(notification))
        fields = vars(decode.flat(notification))
        assert fields.keys() == expected.keys()
        for name, value in expected.items():
            if isinstance(value, UUID):
                assert fields[name].hex == value.hex
            else:
                assert fields[name] == value
        flat_ones += isinstance(decode.flat(notification), Flat)
    assert flat_ones > len(notifications) / 2


def test_the_stores_plain_rows_decode_as_its_notifications(runtime: Runtime) -> None:
    """Far behind the log the projector reads plain rows (`stored_reader`, on SQLite):
    the same events, full and flat, as from the library's notifications."""
    app = runtime.app
    generate(app, seed=9, actions=200)
    read = stored_reader(app.recorder)
    if runtime.settings.uses_postgres:
        assert read is None  # the library's notifications
        return
    assert read is not None
    decode = EventDecoder(app.mapper)
    notifications = app.recorder.select_notifications(start=1, limit=100_000)
    rows = read(1, 100_000)
    assert len(rows) == len(notifications)
    assert [row.id for row in read(5, 3)] == [5, 6, 7]
    for row, notification in zip(rows, notifications, strict=True):
        assert (row.id, row.originator_id, row.originator_version, row.topic, row.state) == (
            notification.id,
            notification.originator_id,
            notification.originator_version,
            notification.topic,
            notification.state,
        )
        expected = app.mapper.to_domain_event(notification)
        assert decode(row).__dict__ == expected.__dict__
        assert app.mapper.to_domain_event(row).__dict__ == expected.__dict__
        flat, fields = vars(decode.flat(row)), vars(decode.flat(notification))
        assert flat.keys() == fields.keys()
        for name, value in fields.items():
            if isinstance(value, HexId | UUID):
                assert flat[name].hex == value.hex
            else:
                assert flat[name] == value
