"""Views built from the log agree with each other: live, as-of, replay and rebuild."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from domain.ranking import Tally, rank
from domain.workflow import OPEN_STATUSES
from projections.catalog import all_views
from projections.ranking_view import RankedItem, in_status_at, live_ranking, ranking_as_of
from projections.replay import replay_until
from projections.runner import Projector
from projections.store import SQLiteViewStore
from projections.view import View, micros
from service.application import Sprachrohr
from service.runtime import Runtime, build_runtime
from service.settings import Settings
from tests.projections.histories import World, generate


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


def titles(items: list[RankedItem]) -> dict[str, str]:
    return {i.pain_point_id: i.title for i in items}


def from_intervals(projector: Projector, group: str, moment: datetime) -> list[tuple[object, ...]]:
    """The ranking at `moment` counted afresh from the plain facts (support intervals,
    merges, memberships, statuses): independent of the tallies the view maintains."""
    at = micros(moment)
    with projector.store.reading() as cur:
        cur.execute(
            "SELECT pain_point_id, status, since, until FROM v_status_history WHERE group_id = ?",
            (group,),
        )
        listed = {
            pid
            for pid, status, since, until in cur.fetchall()
            if since <= at and (until is None or until > at) and status in OPEN_STATUSES
        }
        cur.execute("SELECT id, ended_at FROM v_rank_companies")
        member = {c for c, ended in cur.fetchall() if ended is None or ended > at}
        cur.execute("SELECT source_id, target_id, merged_at, unmerged_at FROM v_merges")
        target = {
            source: into
            for source, into, merged, unmerged in cur.fetchall()
            if merged <= at and (unmerged is None or unmerged > at)
        }
        cur.execute(
            "SELECT pain_point_id, company_id, person_id, given_at, withdrawn_at"
            " FROM v_support_intervals WHERE group_id = ?",
            (group,),
        )
        people: dict[str, dict[str, set[str]]] = {pid: {} for pid in listed}
        first: dict[str, int] = {}
        for pid, company, person, given, withdrawn in cur.fetchall():
            counted = target.get(pid, pid)
            active = given <= at and (withdrawn is None or withdrawn > at) and company in member
            if active and counted in people:
                people[counted].setdefault(company, set()).add(person)
                first[counted] = min(given, first.get(counted, given))
    tallies = rank(
        Tally.from_counts(pid, [len(who) for who in by_company.values()], first.get(pid, 0))
        for pid, by_company in people.items()
    )
    return [
        (i + 1, t.pain_point_id, t.units, t.companies, t.supporters, t.first_support_at)
        for i, t in enumerate(tallies)
    ]


def assert_consistent(app: Sprachrohr, projector: Projector, world: World) -> None:
    projector.catch_up()
    end = app.clock()
    for group in (g.hex for g in world.groups):
        assert live(projector, group) == as_of(projector, group, end)
        assert live(projector, group) == from_intervals(projector, group, end)
        for moment in [*world.checkpoints, end]:
            replayed = replay_until(app.recorder, app.mapper, views(), moment)
            assert as_of(projector, group, moment) == live(replayed, group), moment
            with projector.store.reading() as cur, replayed.store.reading() as then:
                # As of a moment, every pain point bears the title it had then.
                shown = titles(ranking_as_of(cur, group, micros(moment), 100, 0)[0])
                assert shown == titles(live_ranking(then, group, 100, 0)[0]), moment
                withdrawn = in_status_at(cur, group, "withdrawn", micros(moment))
                replayed_withdrawn = in_status_at(then, group, "withdrawn", micros(moment))
                assert [w[:2] for w in withdrawn] == [w[:2] for w in replayed_withdrawn]
            assert as_of(projector, group, moment) == from_intervals(projector, group, moment)


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


@hypothesis_settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(min_value=0, max_value=2**32 - 1),
    batch_size=st.integers(min_value=1, max_value=40),
)
def test_views_do_not_depend_on_how_the_log_is_cut_into_batches(seed: int, batch_size: int) -> None:
    """Buffered first supports (written once per batch) and events applied one by one
    leave the same rows, wherever the batches begin and end."""
    app = Sprachrohr(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    generate(app, seed=seed, actions=120)
    dumps = []
    for size in (1, batch_size, 5000):
        projector = Projector(
            app.recorder,
            app.mapper,
            SQLiteViewStore(":memory:"),
            views(),
            batch_size=size,
            bulk_batch_size=size,
        )
        projector.setup()
        projector.catch_up()
        dumps.append(projector.dump())
    assert dumps[0] == dumps[1] == dumps[2]
    assert dumps[0]["v_rank_item_history"]


def test_as_of_a_supports_own_moment_counts_it(runtime: Runtime) -> None:
    """`at` is inclusive: the ranking at the microsecond a support was given has it,
    one microsecond earlier it has not."""
    world = generate(runtime.app, seed=5, actions=0)
    group, person = world.groups[0], world.people[0]
    pain_point = runtime.app.submit_pain_point(group, "Grenzfall", "", [], by=person).id
    given = runtime.app.clock()
    runtime.app.clock = lambda: given
    runtime.app.give_support(pain_point, by=person)
    runtime.projector.catch_up()

    def supporters(moment: datetime) -> int:
        with runtime.projector.store.reading() as cur:
            items, _ = ranking_as_of(cur, group.hex, micros(moment), 100, 0)
        return next(i.tally.supporters for i in items if i.pain_point_id == pain_point.hex)

    assert supporters(given) == 1
    assert supporters(given - timedelta(microseconds=1)) == 0
