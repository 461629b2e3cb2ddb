"""Moves to another company and deactivations in the ranking: from that moment on only.

Anna (Alpha) and Bernd (Beta) support one pain point: two companies. Anna moves to
Beta: from then on one company with two people; before the move the as-of ranking
still shows two. Bernd is deactivated: his support stops counting; reactivated, it
counts again. Every as-of answer agrees with a replay of the log up to that moment.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from domain.errors import PermissionDenied
from domain.ids import SYSTEM
from domain.ranking import Tally
from projections.replay import replay_until
from projections.runner import Projector
from projections.store import SQLiteViewStore
from service.application import Sprachrohr
from tests.projections.test_views import as_of, from_intervals, live, views


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.now += timedelta(minutes=1)
        return self.now


def tally(companies: int, supporters: int) -> tuple[int, int]:
    return companies, supporters


def test_a_move_counts_for_the_new_company_from_its_moment_and_deactivation_stops_counting() -> (
    None
):
    app = Sprachrohr(env={"PERSISTENCE_MODULE": "eventsourcing.popo"}, clock=Clock())
    projector = Projector(app.recorder, app.mapper, SQLiteViewStore(":memory:"), views())
    projector.setup()
    group = app.found_group("Lizenzen", "thematic", "", by=SYSTEM).id
    alpha = app.admit_company("Alpha GmbH", by=SYSTEM).id
    beta = app.admit_company("Beta AG", by=SYSTEM).id
    anna = app.register_person("anna@alpha.example", "Anna", alpha, "x", by=SYSTEM).id
    bernd = app.register_person("bernd@beta.example", "Bernd", beta, "x", by=SYSTEM).id
    for person in (anna, bernd):
        app.enrol(group, person, by=SYSTEM)
    pain_point = app.submit_pain_point(group, "Lizenzportal", "", [], by=anna).id
    app.give_support(pain_point, by=anna)
    app.give_support(pain_point, by=bernd)
    before_move = app.clock()
    app.move_person(anna, beta, by=SYSTEM)
    after_move = app.clock()
    app.deactivate_person(bernd, by=SYSTEM)
    deactivated = app.clock()
    with pytest.raises(PermissionDenied):
        app.give_support(pain_point, by=bernd)
    app.reactivate_person(bernd, by=SYSTEM)
    end = app.clock()
    projector.catch_up()

    def counted(moment: datetime) -> tuple[int, int]:
        row = as_of(projector, group.hex, moment)[0]
        return row[3], row[4]  # type: ignore[return-value]

    assert counted(before_move) == tally(2, 2)
    assert counted(after_move) == tally(1, 2)
    assert counted(deactivated) == tally(1, 1)
    assert counted(end) == tally(1, 2)
    assert as_of(projector, group.hex, end)[0][2] == Tally.from_counts("x", [2], 0).units
    assert live(projector, group.hex) == as_of(projector, group.hex, end)
    for moment in (before_move, after_move, deactivated, end):
        replayed = replay_until(app.recorder, app.mapper, views(), moment)
        assert as_of(projector, group.hex, moment) == live(replayed, group.hex)
        assert as_of(projector, group.hex, moment) == from_intervals(projector, group.hex, moment)


def test_a_deactivated_person_cannot_withdraw_and_counts_again_for_the_new_company() -> None:
    app = Sprachrohr(env={"PERSISTENCE_MODULE": "eventsourcing.popo"}, clock=Clock())
    projector = Projector(app.recorder, app.mapper, SQLiteViewStore(":memory:"), views())
    projector.setup()
    group = app.found_group("Lizenzen", "thematic", "", by=SYSTEM).id
    alpha = app.admit_company("Alpha GmbH", by=SYSTEM).id
    beta = app.admit_company("Beta AG", by=SYSTEM).id
    anna = app.register_person("anna@alpha.example", "Anna", alpha, "x", by=SYSTEM).id
    app.enrol(group, anna, by=SYSTEM)
    pain_point = app.submit_pain_point(group, "Lizenzportal", "", [], by=anna).id
    app.give_support(pain_point, by=anna)
    app.deactivate_person(anna, by=SYSTEM)
    with pytest.raises(PermissionDenied):
        app.withdraw_support(pain_point, by=anna)
    projector.catch_up()
    (row,) = live(projector, group.hex)
    assert (row[3], row[4]) == (0, 0)
    app.move_person(anna, beta, by=SYSTEM)  # while deactivated
    app.reactivate_person(anna, by=SYSTEM)
    projector.catch_up()
    (row,) = live(projector, group.hex)
    assert (row[3], row[4]) == (1, 1)
    with projector.store.reading() as cur:
        cur.execute("SELECT company_id FROM v_tallies WHERE pain_point_id = ?", (pain_point.hex,))
        assert [r[0] for r in cur.fetchall()] == [beta.hex]
