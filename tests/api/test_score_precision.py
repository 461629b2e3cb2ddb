"""The API's score is exact: one company never reaches a whole point, however many of its
people support (1 − 2^−n), and `score_units` is the integer the ranking compares."""

from __future__ import annotations

from typing import Any

from domain.ranking import UNIT
from tests.api.api_world import World
from tests.api.test_flow import ranking, support


def item_of(world: World) -> dict[str, Any]:
    [item] = [i for i in ranking(world)["items"] if i["pain_point_id"] == str(world.pain_point)]
    return item


def test_one_company_with_many_supporters_never_shows_a_whole_point(world: World) -> None:
    people = 22  # 1 − 2^−22 rounds to 1.0 at six decimals
    for n in range(people):
        actor = world.person(f"kollege{n}@alpha.example", world.company_a, world.group_1)
        assert support(world, actor) == 201
    item = item_of(world)
    assert item["companies"] == 1
    assert item["supporters"] == people
    assert item["score_units"] == UNIT - (UNIT >> people)
    assert item["score"] < 1.0
    assert item["score"] == item["score_units"] / UNIT

    # The same number on the pain point itself.
    answer = world.read(f"/pain-points/{world.pain_point}", world.member_a)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert (body["score"], body["score_units"]) == (item["score"], item["score_units"])


def test_two_companies_with_one_person_each_make_one_point_exactly(world: World) -> None:
    assert support(world, world.member_a) == 201
    assert support(world, world.member_b) == 201
    item = item_of(world)
    assert (item["score"], item["score_units"]) == (1.0, UNIT)
