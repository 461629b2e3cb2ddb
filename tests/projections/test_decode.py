"""The projector's decoder gives the mapper's events, field for field."""

from __future__ import annotations

from collections.abc import Iterator
from uuid import UUID

import pytest

from projections.decode import EventDecoder, Flat
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
