"""Bad bodies on the routes of sign-in administration and people management: 422."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.api_world import PROBLEM, World

JSON = {"Content-Type": "application/json"}


def routes(world: World) -> list[tuple[str, str, dict[str, Any]]]:
    """Method, path and a valid body of every such route with a JSON body."""
    return [
        ("PUT", f"/companies/{world.company_b}/identity-provider", {"tenant_id": "x" * 36}),
        ("PUT", f"/companies/{world.company_b}/password-sign-in", {"allowed": True}),
        ("PATCH", f"/people/{world.member_b.id}", {"display_name": "Bernd"}),
        ("POST", "/access-requests/00000000-0000-0000-0000-000000000007/decline", {"reason": ""}),
    ]


def assert_422(answer: Any, field: str | None = None) -> None:
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"] == PROBLEM
    if field is not None:
        assert field in [e["field"] for e in answer.json()["errors"]], answer.json()


def test_invalid_json_is_422(world: World) -> None:
    for method, path, _ in routes(world):
        answer = world.call(method, path, world.admin, content=b"{not json", headers=JSON)
        assert_422(answer)


@pytest.mark.parametrize("body", [[], "text", 5, None])
def test_a_body_that_is_not_an_object_is_422(world: World, body: Any) -> None:
    for method, path, _ in routes(world):
        assert_422(world.call(method, path, world.admin, json=body))


def test_wrong_types_unknown_fields_and_huge_strings_are_422_naming_the_field(
    world: World,
) -> None:
    for method, path, valid in routes(world):
        for field in valid:
            assert_422(
                world.call(method, path, world.admin, json={**valid, field: {"x": 1}}), field
            )
            if isinstance(valid[field], str):
                huge = {**valid, field: "x" * 100_000}
                answer = world.call(method, path, world.admin, json=huge)
                assert answer.status_code in (413, 422), answer.text
        assert_422(world.call(method, path, world.admin, json={**valid, "surprise": 1}), "surprise")
