"""Merging duplicates: supporters are the union of distinct people; unmerge restores."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID

from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from domain.errors import DomainError
from domain.ids import SYSTEM
from projections.catalog import all_views
from projections.ranking_view import live_ranking
from projections.runner import Projector
from projections.store import SQLiteViewStore
from service.application import Sprachrohr


class Ticking:
    def __init__(self) -> None:
        self.now = datetime(2025, 3, 1, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


def world(supports: list[set[int]]) -> tuple[Sprachrohr, Projector, list[UUID], list[UUID]]:
    """Three pain points; person k (two per company) supports those listed for k."""
    app = Sprachrohr(env={"PERSISTENCE_MODULE": "eventsourcing.popo"}, clock=Ticking())
    projector = Projector(
        app.recorder, app.mapper, SQLiteViewStore(":memory:"), all_views("sqlite")
    )
    projector.setup()
    group = app.found_group("Lizenzen", "thematic", "", by=SYSTEM).id
    people = []
    for k in range(len(supports)):
        if k % 2 == 0:
            company = app.admit_company(f"Firma {k} GmbH", by=SYSTEM).id
        person = app.register_person(f"p{k}@x.example", f"P{k}", company, "-", by=SYSTEM).id
        app.enrol(group, person, by=SYSTEM)
        people.append(person)
    items = [app.submit_pain_point(group, f"Punkt {i}", "", [], by=people[0]).id for i in range(3)]
    for person, chosen in zip(people, supports, strict=True):
        for i in sorted(chosen):
            app.give_support(items[i], by=person)
    return app, projector, items, people


def ranking(projector: Projector) -> dict[str, tuple[int, int, int]]:
    projector.catch_up()
    with projector.store.reading() as cur:
        cur.execute("SELECT DISTINCT group_id FROM v_rank_items")
        (group,) = cur.fetchone()
        items, _ = live_ranking(cur, group, 100, 0)
    return {i.pain_point_id: (i.tally.supporters, i.tally.companies, i.rank) for i in items}


people_supports = st.lists(st.sets(st.integers(0, 2)), min_size=1, max_size=8)
merges = st.lists(st.tuples(st.integers(0, 2), st.integers(0, 2)), max_size=6)


@hypothesis_settings(max_examples=40, deadline=None)
@given(supports=people_supports, steps=merges)
def test_merged_supporters_are_the_distinct_people_of_source_and_target(
    supports: list[set[int]], steps: list[tuple[int, int]]
) -> None:
    app, projector, items, people = world(supports)
    targets: dict[int, int] = {}  # merged source index → target index
    for source, target in steps:
        try:
            app.merge(items[source], items[target], "Duplikat", by=SYSTEM)
            targets[source] = target
        except DomainError:
            pass  # a rejected merge (into itself, a chain) changes nothing
    assert_union(ranking(projector), items, targets, supports)
    # Supports withdrawn after the merge leave the union (on sources and targets alike).
    leaving = supports[0]
    for i in sorted(leaving):
        app.withdraw_support(items[i], by=people[0])
    assert_union(ranking(projector), items, targets, [set(), *supports[1:]])


def assert_union(
    shown: dict[str, tuple[int, int, int]],
    items: list[UUID],
    targets: dict[int, int],
    supports: list[set[int]],
) -> None:
    for index, item in enumerate(items):
        if index in targets:
            assert item.hex not in shown  # a merged duplicate is not ranked
            continue
        family = {index} | {s for s, t in targets.items() if t == index}
        people = {k for k, chosen in enumerate(supports) if chosen & family}
        companies = {k // 2 for k in people}
        assert shown[item.hex][:2] == (len(people), len(companies))


@hypothesis_settings(max_examples=40, deadline=None)
@given(supports=people_supports, source=st.integers(0, 2), target=st.integers(0, 2))
def test_unmerge_restores_the_exact_prior_ranking(
    supports: list[set[int]], source: int, target: int
) -> None:
    app, projector, items, _ = world(supports)
    before = ranking(projector)
    if source == target:
        return
    app.merge(items[source], items[target], "Duplikat", by=SYSTEM)
    ranking(projector)
    app.unmerge(items[source], "doch kein Duplikat", by=SYSTEM)
    assert ranking(projector) == before
