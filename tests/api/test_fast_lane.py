"""The support fast lane (api/fastlane.py) answers exactly as the FastAPI routes do.

The same requests go to the service with the fast lane and to the same service
without it (same runtime, same store), each on a pain point of its own in the same
state: statuses, headers and bodies must be equal (log positions and ids aside), and
the fast lane must have answered the plain requests itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from uuid import UUID, uuid4

import httpx
import pytest
from fastapi.testclient import TestClient

from api import fastlane
from api.main import create_app
from api.schemas.common import SupportOut
from tests.api.api_world import API, World, sign_in

#: (method, who: an actor's name or a literal Authorization header, pain point: "own",
#: "unknown" or a raw path segment, extra headers)
Step = tuple[str, str | None, str, dict[str, str]]
STEPS: list[Step] = [
    ("PUT", None, "own", {}),
    ("PUT", "Basic YWRtaW46YWRtaW4=", "own", {}),
    ("PUT", "Bearer not-a-token", "own", {}),
    ("PUT", "Bearer ", "own", {}),
    ("PUT", "member_a", "own", {}),
    ("PUT", "member_a", "own", {}),
    ("PUT", "member_b", "own", {"content-length": "0"}),
    ("DELETE", "member_a", "own", {}),
    ("DELETE", "member_a", "own", {}),
    ("PUT", "outsider", "own", {}),
    ("DELETE", "outsider", "own", {}),
    ("PUT", "board", "own", {}),
    ("PUT", "member_a", "unknown", {}),
    ("DELETE", "member_a", "unknown", {}),
    ("PUT", "member_a", "not-a-uuid", {}),
    ("PUT", "member_a", "own-uppercase", {}),
    ("PUT", "member_a", "own-no-dashes", {}),
    ("PUT", "member_a", "own", {"content-type": "application/json; charset=latin-1"}),
    ("PUT", "member_a", "own", {"content-type": "application/json"}),
    ("PUT", "member_a", "own", {"accept-encoding": "gzip"}),
    ("DELETE", "member_a", "own", {"accept-encoding": "gzip"}),
    ("PUT", "member_a", "own", {"content-length": "2", "body": "{}"}),
    ("PUT", "member_a", "own", {"transfer-encoding": "chunked", "body": "{}"}),
    ("PATCH", "member_a", "own", {}),
    ("GET", "member_a", "own", {}),
]


@pytest.fixture
def plain(client: TestClient) -> Iterator[TestClient]:
    """The same service without the fast lane, on the same runtime."""
    runtime = client.app.state.runtime  # type: ignore[attr-defined]
    app = create_app(runtime.settings, runtime, fast_lane=False)
    with TestClient(app) as other:
        yield other


@pytest.fixture
def over_tls(client: TestClient) -> Iterator[tuple[TestClient, TestClient]]:
    """The service with and without the fast lane, on the same runtime, over https."""
    runtime = client.app.state.runtime  # type: ignore[attr-defined]
    https = "https://testserver"
    with (
        TestClient(create_app(runtime.settings, runtime), base_url=https) as fast,
        TestClient(create_app(runtime.settings, runtime, fast_lane=False), base_url=https) as plain,
    ):
        yield fast, plain


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> list[UUID]:
    """The pain points of the requests the fast lane answered itself."""
    seen: list[UUID] = []
    original = fastlane.change_support

    def spy(runtime: Any, pain_point_id: UUID, token: str | None, give: bool) -> Any:
        seen.append(pain_point_id)
        return original(runtime, pain_point_id, token, give)

    monkeypatch.setattr(fastlane, "change_support", spy)
    return seen


def segment(kind: str, own: UUID) -> str:
    return {
        "own": str(own),
        "own-uppercase": str(own).upper(),
        "own-no-dashes": own.hex,
        "unknown": str(UUID(int=7)),
    }.get(kind, kind)


def request(client: TestClient, world: World, step: Step, own: UUID) -> httpx.Response:
    method, who, kind, extra = step
    headers = dict(extra)
    body = headers.pop("body", None)
    if who is not None:
        actor = getattr(world, who, None)
        headers["Authorization"] = actor.auth["Authorization"] if actor else who
    path = f"{API}/pain-points/{segment(kind, own)}/support"
    if body is not None and "transfer-encoding" in headers:
        del headers["transfer-encoding"]
        return client.request(method, path, headers=headers, content=iter([body.encode()]))
    return client.request(method, path, headers=headers, content=body)


def comparable(response: httpx.Response, own: UUID) -> tuple[int, dict[str, str], Any]:
    """Status, headers and body, with the pain point's id and log positions masked."""
    text = response.text.replace(str(own), "<id>").replace(str(own).upper(), "<ID>")
    text = text.replace(own.hex, "<hex>")
    text = re.sub(r'"position":\d+', '"position":<n>', text)
    headers = {
        name: value
        for name, value in response.headers.items()
        if name not in ("date", "content-length", "server")
    }
    return response.status_code, headers, text


def test_the_fast_lane_answers_as_the_routes_do(
    world: World, plain: TestClient, served: list[UUID]
) -> None:
    fast_item = world.pain_point
    plain_item = world.submit(world.group_1, world.member_a, "Zweiter Punkt, gleicher Zustand")
    for step in STEPS:
        ours = request(world.client, world, step, fast_item)
        theirs = request(plain, world, step, plain_item)
        assert comparable(ours, fast_item) == comparable(theirs, plain_item), step
    # Then both pain points are withdrawn: supporting them is a conflict (409).
    for client, item in ((world.client, fast_item), (plain, plain_item)):
        withdrawn = client.post(
            f"{API}/pain-points/{item}/withdraw",
            json={"reason": "gelöst"},
            headers=world.member_a.auth,
        )
        assert withdrawn.status_code == 200, withdrawn.text
    closed: Step = ("PUT", "member_b", "own", {})
    ours, theirs = (
        request(world.client, world, closed, fast_item),
        request(plain, world, closed, plain_item),
    )
    assert ours.status_code == 409
    assert comparable(ours, fast_item) == comparable(theirs, plain_item)
    # The plain requests were the fast lane's: canonical ids (either case), no body
    # declared; the others fell through to the routes.
    assert plain_item not in served
    assert served.count(fast_item) == 16
    assert served.count(UUID(int=7)) == 2


def test_a_token_signed_out_gets_401_from_the_fast_lane_at_once(
    world: World, served: list[UUID]
) -> None:
    token = sign_in(world.client, world.member_b.email)
    headers = {"Authorization": f"Bearer {token}"}
    path = f"{API}/pain-points/{world.pain_point}/support"
    assert world.client.put(path, headers=headers).status_code == 201

    assert world.client.post(f"{API}/auth/logout", headers=headers).status_code == 204

    refused = world.client.put(path, headers=headers)
    assert refused.status_code == 401
    assert refused.headers["www-authenticate"] == "Bearer"
    assert refused.headers["content-type"] == "application/problem+json"
    assert world.client.delete(path, headers=headers).status_code == 401
    assert served == [world.pain_point] * 3


def test_the_fast_lane_body_is_the_route_model() -> None:
    item = uuid4()
    for supported, position in ((True, 12), (False, None), (True, None)):
        model = SupportOut(pain_point_id=item, supported=supported, position=position)
        assert fastlane.support_body(item, supported, position) == model.model_dump_json().encode()


def test_over_tls_the_fast_lane_adds_hsts_as_the_routes_do(
    world: World, over_tls: tuple[TestClient, TestClient], served: list[UUID]
) -> None:
    fast, plain = over_tls
    fast_item = world.pain_point
    plain_item = world.submit(world.group_1, world.member_b, "Über TLS")
    for step in [s for s in STEPS if s[0] in ("PUT", "DELETE")][:10]:
        ours, theirs = (
            request(fast, world, step, fast_item),
            request(plain, world, step, plain_item),
        )
        assert "strict-transport-security" in ours.headers
        assert comparable(ours, fast_item) == comparable(theirs, plain_item), step
    assert served.count(fast_item) == 10
