"""A bearer token the server has just accepted (its session and person cached in the
server's aggregate cache) is refused on the very next request once another process
signed it out or deactivated the person: the cache is checked against the log's tail."""

from __future__ import annotations

from service.application import Sprachrohr
from service.security import token_digest
from service.settings import Settings
from tests.api.api_world import World


def support(world: World, token: str) -> int:
    path = f"/api/v1/pain-points/{world.pain_point}/support"
    return world.client.put(path, headers={"Authorization": f"Bearer {token}"}).status_code


def other_process(settings: Settings) -> Sprachrohr:
    """Another application on the same store (as a second server process or the CLI)."""
    return Sprachrohr(env=settings.event_store_env(), time_zone=settings.time_zone)


def test_a_token_signed_out_elsewhere_gets_401_on_the_next_request(
    world: World, settings: Settings
) -> None:
    assert support(world, world.member_a.token) == 201  # the session is cached now
    assert support(world, world.member_a.token) == 200

    other_process(settings).close_session(token_digest(world.member_a.token))

    assert support(world, world.member_a.token) == 401
    assert support(world, world.member_b.token) == 201


def test_a_person_deactivated_elsewhere_gets_401_on_the_next_request(
    world: World, settings: Settings
) -> None:
    assert support(world, world.member_b.token) == 201

    admin = world.admin.id
    other_process(settings).deactivate_person(world.member_b.id, by=admin)

    assert support(world, world.member_b.token) == 401
