"""Many requests at once, through one TestClient shared by threads."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar
from uuid import UUID

import httpx

from service.runtime import Runtime
from service.security import hash_password
from tests.api.api_world import PASSWORD, Actor, World, sign_in

T = TypeVar("T")


def all_at_once(calls: list[Callable[[], T]]) -> list[T]:
    """Run every call in its own thread, released together by a barrier."""
    barrier = threading.Barrier(len(calls))

    def released(call: Callable[[], T]) -> T:
        barrier.wait(timeout=30)
        return call()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(released, calls))


def enrolled_people(world: World, count: int, companies: int) -> list[Actor]:
    """`count` people spread over `companies` new companies, all enrolled in G1.

    Made through the application directly with one precomputed password hash, so
    that argon2 runs once rather than `count` times; each then signs in by the API.
    """
    runtime: Runtime = world.client.app.state.runtime  # type: ignore[attr-defined]
    app, admin = runtime.app, world.admin.id
    password_hash = hash_password(PASSWORD)
    company_ids = [app.admit_company(f"Firma {n:02}", by=admin).id for n in range(companies)]
    people = []
    for n in range(count):
        email = f"person{n}@firma{n % companies}.example"
        company = company_ids[n % companies]
        person = app.register_person(email, f"Person {n}", company, password_hash, by=admin).id
        position = app.enrol(world.group_1, person, by=admin).position
        people.append(Actor(person, email, sign_in(world.client, email)))
    runtime.news.announce()
    world.position = max(world.position, position or 0)
    return people


def support_by(world: World, actor: Actor) -> Callable[[], httpx.Response]:
    return lambda: world.call("PUT", f"/pain-points/{world.pain_point}/support", actor)


def withdraw_by(world: World, actor: Actor) -> Callable[[], httpx.Response]:
    return lambda: world.call("DELETE", f"/pain-points/{world.pain_point}/support", actor)


def settle(world: World, responses: list[httpx.Response]) -> None:
    positions = [r.json().get("position") for r in responses if r.is_success]
    world.position = max([world.position, *(p for p in positions if p is not None)])


def breadth(world: World) -> dict[str, Any]:
    ranking = world.read(f"/working-groups/{world.group_1}/ranking", world.member_a).json()
    [item] = [i for i in ranking["items"] if i["pain_point_id"] == str(world.pain_point)]
    return {key: item[key] for key in ("companies", "supporters", "score")}


def test_fifty_people_supporting_at_once_are_all_counted(world: World) -> None:
    people = enrolled_people(world, count=50, companies=10)

    responses = all_at_once([support_by(world, person) for person in people])

    assert Counter(r.status_code for r in responses) == {201: 50}
    settle(world, responses)
    assert breadth(world) == {"companies": 10, "supporters": 50, "score": 10 * (1 - 2**-5)}


def test_one_person_supporting_twenty_times_at_once_supports_once(world: World) -> None:
    responses = all_at_once([support_by(world, world.member_b)] * 20)

    assert Counter(r.status_code for r in responses) == {201: 1, 200: 19}
    settle(world, responses)
    assert breadth(world) == {"companies": 1, "supporters": 1, "score": 0.5}
    history = world.read(f"/pain-points/{world.pain_point}/history", world.member_a).json()
    assert [e["kind"] for e in history] == ["submitted", "support-given"]


def test_racing_support_and_withdrawal_leave_the_ranking_agreeing_with_the_support(
    world: World,
) -> None:
    toggles = [support_by(world, world.member_b), withdraw_by(world, world.member_b)] * 10

    responses = all_at_once(toggles)

    assert {r.status_code for r in responses} <= {200, 201}
    settle(world, responses)
    mine = world.read(f"/pain-points/{world.pain_point}", world.member_b).json()
    assert breadth(world)["supporters"] == int(mine["supported_by_me"])


def test_admitting_one_name_twenty_times_at_once_admits_one_company(world: World) -> None:
    def admit() -> httpx.Response:
        return world.call("POST", "/companies", world.admin, json={"name": "Gamma"})

    responses = all_at_once([admit] * 20)

    assert Counter(r.status_code for r in responses) == {201: 1, 409: 19}
    settle(world, responses)
    names = [c["name"] for c in world.read("/companies", world.admin).json()["items"]]
    assert names.count("Gamma") == 1


def test_fifty_concurrent_submissions_all_reach_the_ranking(world: World) -> None:
    def submit(n: int) -> Callable[[], httpx.Response]:
        body = {"title": f"Problem {n}"}
        author = world.member_a if n % 2 else world.member_b
        return lambda: world.call(
            "POST", f"/working-groups/{world.group_1}/pain-points", author, json=body
        )

    responses = all_at_once([submit(n) for n in range(50)])

    assert Counter(r.status_code for r in responses) == {201: 50}
    settle(world, responses)
    ranking = world.read(f"/working-groups/{world.group_1}/ranking", world.member_a, limit=100)
    ids = {UUID(i["pain_point_id"]) for i in ranking.json()["items"]}
    assert {UUID(r.json()["id"]) for r in responses} <= ids
    assert ranking.json()["total"] == 51


def test_many_concurrent_reads_all_succeed(world: World) -> None:
    """Reads entered in one worker thread may finish in another: none may see another
    read's open transaction (that was a 500 on SQLite)."""
    paths = [f"/working-groups/{world.group_1}/ranking", f"/pain-points/{world.pain_point}",
             "/working-groups", f"/working-groups/{world.group_1}/voting"] * 50  # fmt: skip
    with ThreadPoolExecutor(max_workers=16) as pool:
        statuses = Counter(pool.map(lambda p: world.read(p, world.member_a).status_code, paths))
    assert statuses == Counter({200: len(paths)})
