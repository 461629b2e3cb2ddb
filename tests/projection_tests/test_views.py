"""Views built from the log agree with each other: live, as-of, replay and rebuild."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from histories import World, generate
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from api.runtime import Runtime, build_runtime
from api.settings import Settings
from domain.application import Sprachrohr
from projections.catalog import all_views
from projections.ranking_view import RankedItem, live_ranking, ranking_as_of
from projections.replay import replay_until
from projections.runner import Projector
from projections.store import SQLiteViewStore
from projections.view import View, micros


def views() -> list[View]:
    return all_views("sqlite")


def summary(items: list[RankedItem]) -> list[tuple[object, ...]]:
    return [
        (
            i.rank,
            i.pain_point_id,
            i.tally.units,
            i.tally.companies,
            i.tally.supporters,
            i.tally.first_support_at,
        )
        for i in items
    ]


def live(projector: Projector, group: str) -> list[tuple[object, ...]]:
    with projector.store.reading() as cur:
        return summary(live_ranking(cur, group, 100, 0)[0])


def as_of(projector: Projector, group: str, moment: datetime) -> list[tuple[object, ...]]:
    with projector.store.reading() as cur:
        return summary(ranking_as_of(cur, group, micros(moment), 100, 0)[0])


def assert_consistent(app: Sprachrohr, projector: Projector, world: World) -> None:
    projector.catch_up()
    end = app.clock()
    for group in (g.hex for g in world.groups):
        assert live(projector, group) == as_of(projector, group, end)
        for moment in [*world.checkpoints, end]:
            replayed = replay_until(app.recorder, app.mapper, views(), moment)
            assert as_of(projector, group, moment) == live(replayed, group), moment


@pytest.fixture
def runtime(settings: Settings) -> Iterator[Runtime]:
    running = build_runtime(settings)
    yield running
    running.close()


def test_live_as_of_and_replay_agree_on_every_backend(runtime: Runtime) -> None:
    world = generate(runtime.app, seed=7, actions=200)
    assert_consistent(runtime.app, runtime.projector, world)


def test_rebuilt_views_equal_the_live_views(runtime: Runtime) -> None:
    generate(runtime.app, seed=11, actions=150)
    runtime.projector.catch_up()
    before = runtime.projector.dump()
    runtime.projector.rebuild()
    assert runtime.projector.dump() == before
    assert sum(len(rows) for rows in before.values()) > 50


def test_ranking_as_of_before_anything_happened_is_empty(runtime: Runtime) -> None:
    world = generate(runtime.app, seed=3, actions=20)
    runtime.projector.catch_up()
    first = runtime.app.clock() - timedelta(days=3650)
    assert as_of(runtime.projector, world.groups[0].hex, first) == []


@hypothesis_settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(min_value=0, max_value=2**32 - 1))
def test_any_history_gives_consistent_rankings(seed: int) -> None:
    app = Sprachrohr(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    projector = Projector(app.recorder, app.mapper, SQLiteViewStore(":memory:"), views())
    projector.setup()
    world = generate(app, seed=seed, actions=120)
    assert_consistent(app, projector, world)
