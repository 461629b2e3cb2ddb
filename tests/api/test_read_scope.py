"""A request checks the aggregate cache against the log once (storage.freshness), and
still sees at once what another process wrote before it was sent."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from service.application import Sprachrohr
from service.security import token_digest
from service.settings import Settings
from storage.freshness import TailCheckedRepository
from tests.api.api_world import World


@pytest.fixture
def other_process(settings: Settings, world: World) -> Iterator[Sprachrohr]:
    """Another application on the same store, with a cache of its own."""
    app = Sprachrohr(env=settings.event_store_env())
    try:
        yield app
    finally:
        app.close()


def repository(client: TestClient) -> TailCheckedRepository:
    repo = client.app.state.runtime.app.repository  # type: ignore[attr-defined]
    assert isinstance(repo, TailCheckedRepository)
    return repo


def test_a_support_request_checks_the_cache_with_one_query(
    world: World, client: TestClient
) -> None:
    path = f"/pain-points/{world.pain_point}/support"
    world.command("PUT", path, world.member_b, 201)
    world.command("DELETE", path, world.member_b, 200)
    repo = repository(client)
    before = repo.refreshes
    body = world.command("PUT", path, world.member_b, 201)
    assert body["supported"] is True
    assert body["position"] == world.position
    # The session, the person, the pain point, its group, the company and the
    # support: six loads, one look at the log's tail.
    assert repo.refreshes == before + 1


def test_another_process_write_is_seen_by_the_next_request(
    world: World, client: TestClient, other_process: Sprachrohr
) -> None:
    path = f"/pain-points/{world.pain_point}/support"
    world.command("PUT", path, world.member_b, 201)
    world.command("DELETE", path, world.member_b, 200)  # all of it is cached now
    other_process.withdraw_pain_point(world.pain_point, "a duplicate", by=world.admin.id)
    refused = world.call("PUT", path, world.member_b)
    assert refused.status_code == 409, refused.text
    other_process.close_session(token_digest(world.member_b.token))
    assert world.call("PUT", path, world.member_b).status_code == 401
