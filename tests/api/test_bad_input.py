"""Garbage in, a precise 4xx out: never a 500, always problem+json naming the field."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from uuid import UUID, uuid4

import httpx
import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from api.main import create_app
from service.settings import Settings
from tests.api.api_world import PASSWORD, PROBLEM, Actor, World

BodyRoute = tuple[str, Actor, dict[str, Any]]
JSON_TYPE = "application/json"


def body_routes(world: World) -> list[BodyRoute]:
    """Every route that takes a JSON body: its path, a caller allowed to use it, and a
    valid body (its string fields are the ones the garbage tests inflate)."""
    admin, member = world.admin, world.member_a
    person = {
        "email": "neu@alpha.example",
        "display_name": "Neu",
        "company_id": str(world.company_a),
        "password": PASSWORD,
    }
    return [
        ("/people", admin, person),
        (f"/people/{world.member_b.id}/roles", admin, {"role": "board"}),
        ("/companies", admin, {"name": "Gamma"}),
        (f"/companies/{world.company_b}/end-membership", admin, {"reason": "gekündigt"}),
        ("/working-groups", admin, {"name": "G3", "kind": "regional", "description": "Nord"}),
        (f"/working-groups/{world.group_1}/members", admin, {"person_id": str(member.id)}),
        (f"/working-groups/{world.group_1}/leads", admin, {"person_id": str(member.id)}),
        (
            f"/working-groups/{world.group_1}/pain-points",
            member,
            {"title": "Zu langsam", "description": "Sehr", "tags": ["tempo"]},
        ),
        (f"/pain-points/{world.pain_point}/withdraw", member, {"reason": "erledigt"}),
        (
            "/invitations",
            admin,
            {
                "email": "eingeladen@alpha.example",
                "display_name": "Eingeladen",
                "company_id": str(world.company_a),
                "working_group_ids": [str(world.group_1)],
                "language": "de",
            },
        ),
        ("/invitations/a-token-nobody-was-sent/accept", member, {"password": PASSWORD}),
        ("/auth/password-reset", member, {"email": member.email}),
        ("/auth/password-reset/a-token-nobody-was-sent", member, {"password": PASSWORD}),
    ]


def id_routes(world: World) -> Iterator[tuple[str, str, Actor, dict[str, Any], str]]:
    """Every route with an id in its path: method, path with `{id}` in place of that id,
    a caller allowed to use it, a valid body, and the name of the path parameter."""
    admin, member = world.admin, world.member_a
    ref = {"json": {"person_id": str(member.id)}}
    yield "GET", "/people/{id}", admin, {}, "person_id"
    yield "POST", "/people/{id}/roles", admin, {"json": {"role": "board"}}, "person_id"
    yield "DELETE", "/people/{id}/roles/board", admin, {}, "person_id"
    yield "GET", "/companies/{id}", admin, {}, "company_id"
    yield "POST", "/companies/{id}/end-membership", admin, {"json": {}}, "company_id"
    yield "GET", "/working-groups/{id}", admin, {}, "group_id"
    yield "POST", "/working-groups/{id}/members", admin, ref, "group_id"
    yield "POST", "/working-groups/{id}/leads", admin, ref, "group_id"
    yield "POST", "/working-groups/{id}/pain-points", member, {"json": {"title": "t"}}, "group_id"
    yield "GET", "/working-groups/{id}/ranking", admin, {}, "group_id"
    yield "GET", "/pain-points/{id}", member, {}, "pain_point_id"
    yield "GET", "/pain-points/{id}/history", member, {}, "pain_point_id"
    yield "PUT", "/pain-points/{id}/support", member, {}, "pain_point_id"
    yield "DELETE", "/pain-points/{id}/support", member, {}, "pain_point_id"
    yield "POST", "/pain-points/{id}/withdraw", member, {"json": {}}, "pain_point_id"


def assert_invalid(response: httpx.Response, field: str) -> None:
    """A 422 problem whose `errors` name `field` (a body field, or e.g. `path.x`)."""
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == PROBLEM
    problem = response.json()
    assert problem["status"] == 422
    # A rule the domain enforced also names its code and parameters.
    assert set(problem) - {"code", "params"} == {"type", "title", "status", "detail", "errors"}
    fields = [error["field"] for error in problem["errors"]]
    assert field in fields, (field, problem)


def post(world: World, path: str, actor: Actor, **kw: Any) -> httpx.Response:
    return world.call("POST", path, actor, **kw)


def test_invalid_json_is_422_on_every_body_route(world: World) -> None:
    for path, actor, _ in body_routes(world):
        response = post(
            world,
            path,
            actor,
            content=b'{"title": "unterminated',
            headers={"content-type": JSON_TYPE},
        )
        assert response.status_code == 422, path
        assert response.headers["content-type"] == PROBLEM
        assert response.json()["errors"], path


def test_a_body_that_is_not_an_object_is_422(world: World, subtests: pytest.Subtests) -> None:
    for garbage in ["[]", '"text"', "null", "42", "true", ""]:
        for path, actor, _ in body_routes(world):
            with subtests.test(path=path, body=garbage):
                response = post(
                    world, path, actor, content=garbage, headers={"content-type": JSON_TYPE}
                )
                assert response.status_code == 422, response.text
                assert response.headers["content-type"] == PROBLEM


def test_a_field_of_the_wrong_type_is_422_naming_the_field(
    world: World, subtests: pytest.Subtests
) -> None:
    for path, actor, valid in body_routes(world):
        for field in valid:
            with subtests.test(path=path, field=field):
                response = post(world, path, actor, json={**valid, field: {"nested": [1, 2]}})
                assert_invalid(response, field)


def test_an_unknown_field_is_422_naming_the_field(world: World) -> None:
    for path, actor, valid in body_routes(world):
        response = post(world, path, actor, json={**valid, "is_admin": True})
        assert_invalid(response, "is_admin")


def test_a_missing_required_field_is_422_naming_the_field(world: World) -> None:
    required = {"email", "display_name", "company_id", "password", "role", "name", "kind"}
    required |= {"person_id", "title"}
    for path, actor, valid in body_routes(world):
        for field in required & valid.keys():
            response = post(world, path, actor, json={k: v for k, v in valid.items() if k != field})
            assert_invalid(response, field)


def test_a_huge_string_is_422_naming_the_field(world: World, subtests: pytest.Subtests) -> None:
    for path, actor, valid in body_routes(world):
        for field in [f for f, value in valid.items() if isinstance(value, str)]:
            with subtests.test(path=path, field=field):
                response = post(world, path, actor, json={**valid, field: "x" * 30_000})
                assert_invalid(response, field)


def test_a_tag_that_is_not_a_string_is_422_naming_its_position(world: World) -> None:
    response = post(
        world,
        f"/working-groups/{world.group_1}/pain-points",
        world.member_a,
        json={"title": "Zu langsam", "tags": ["ok", 7]},
    )

    assert_invalid(response, "tags.1")


def submit(world: World, **fields: Any) -> httpx.Response:
    path = f"/working-groups/{world.group_1}/pain-points"
    return post(world, path, world.member_a, json={"title": "Zu langsam", **fields})


PAIN_POINT_RULES = {
    "empty title": ({"title": ""}, "title"),
    "blank title": ({"title": " \t\n "}, "title"),
    "title of 201 characters": ({"title": "x" * 201}, "title"),
    "description of 20,001 characters": ({"description": "x" * 20_001}, "description"),
    "11 tags": ({"tags": [f"tag{n}" for n in range(11)]}, "tags"),
    "tag of 41 characters": ({"tags": ["x" * 41]}, "tags"),
    "blank tag": ({"tags": [" "]}, "tags"),
}


def test_pain_point_breaking_a_rule_is_422_naming_the_field(
    world: World, subtests: pytest.Subtests
) -> None:
    for rule, (fields, field) in PAIN_POINT_RULES.items():
        with subtests.test(rule):
            assert_invalid(submit(world, **fields), field)


def test_pain_point_at_every_limit_is_accepted(world: World) -> None:
    response = submit(
        world,
        title="x" * 200,
        description="y" * 20_000,
        tags=[f"{n}{'z' * 39}" for n in range(10)],
    )

    assert response.status_code == 201, response.text


ADMIN_RULES = [
    ("/people", {"email": "not-an-address"}, "email"),
    ("/people", {"password": "short"}, "password"),
    ("/people", {"display_name": "  "}, "display_name"),
    ("/people/{member_b}/roles", {"role": "vendors"}, "role"),
    ("/companies", {"name": ""}, "name"),
    ("/working-groups", {"kind": "secret"}, "kind"),
    ("/working-groups", {"name": "x" * 121}, "name"),
]


def test_admin_input_breaking_a_rule_is_422_naming_the_field(
    world: World, subtests: pytest.Subtests
) -> None:
    routes = {path: (actor, valid) for path, actor, valid in body_routes(world)}
    for template, fields, field in ADMIN_RULES:
        path = template.format(member_b=world.member_b.id)
        actor, valid = routes[path]
        with subtests.test(path=template, fields=fields):
            assert_invalid(post(world, path, actor, json={**valid, **fields}), field)


def test_a_path_id_that_is_not_a_uuid_is_422_naming_the_parameter(
    world: World, subtests: pytest.Subtests
) -> None:
    for method, template, actor, request, name in id_routes(world):
        for garbage in ("42", "not-a-uuid", "%00", "' OR 1=1 --"):
            with subtests.test(method=method, path=template, id=garbage):
                response = world.call(method, template.replace("{id}", garbage), actor, **request)
                assert_invalid(response, f"path.{name}")


def test_an_unknown_id_is_404_on_every_route_with_an_id(world: World) -> None:
    for method, template, actor, request, _ in id_routes(world):
        response = world.call(method, template.replace("{id}", str(uuid4())), actor, **request)
        assert response.status_code == 404, (method, template, response.text)
        assert response.headers["content-type"] == PROBLEM


def test_an_id_of_another_kind_of_thing_is_404(world: World) -> None:
    others = {
        "person_id": world.company_a,
        "company_id": world.group_1,
        "group_id": world.pain_point,
        "pain_point_id": world.member_a.id,
    }
    for method, template, actor, request, name in id_routes(world):
        path = template.replace("{id}", str(others[name]))
        response = world.call(method, path, actor, **request)
        assert response.status_code == 404, (method, template, response.text)


def test_an_unknown_person_or_company_named_in_a_body_is_404(world: World) -> None:
    nobody = {"person_id": str(uuid4())}
    person = {
        "email": "geist@alpha.example",
        "display_name": "Geist",
        "company_id": str(uuid4()),
        "password": PASSWORD,
    }

    enrolled = post(world, f"/working-groups/{world.group_1}/members", world.admin, json=nobody)
    appointed = post(world, f"/working-groups/{world.group_1}/leads", world.admin, json=nobody)
    registered = post(world, "/people", world.admin, json=person)

    assert [enrolled.status_code, appointed.status_code, registered.status_code] == [404] * 3


def test_an_unknown_role_in_the_path_is_422(world: World) -> None:
    response = world.call("DELETE", f"/people/{world.member_b.id}/roles/vendors", world.admin)

    assert_invalid(response, "path.role")


def test_a_bad_query_parameter_is_422_naming_it(world: World, subtests: pytest.Subtests) -> None:
    path = f"/working-groups/{world.group_1}/ranking"
    for name, value in [
        ("limit", 0),
        ("limit", 101),
        ("limit", "many"),
        ("offset", -1),
        ("min_position", -1),
        ("as_of", "yesterday"),
    ]:
        with subtests.test(name=name, value=value):
            response = world.call("GET", path, world.member_a, params={name: value})
            assert_invalid(response, f"query.{name}")


def test_idempotency_key_that_is_empty_or_too_long_is_422(
    world: World, subtests: pytest.Subtests
) -> None:
    for key in ("", "k" * 201):
        with subtests.test(length=len(key)):
            response = post(
                world,
                "/companies",
                world.admin,
                json={"name": "Gamma"},
                headers={"Idempotency-Key": key},
            )
            assert_invalid(response, "header.Idempotency-Key")


def test_unknown_paths_and_methods_are_problems_too(client: TestClient) -> None:
    missing = client.get("/api/v1/nothing-here")
    wrong_method = client.patch("/api/v1/companies")

    assert (missing.status_code, missing.headers["content-type"]) == (404, PROBLEM)
    assert (wrong_method.status_code, wrong_method.headers["content-type"]) == (405, PROBLEM)
    assert "allow" in wrong_method.headers


def test_sign_in_without_a_password_is_422(client: TestClient) -> None:
    response = client.post("/api/v1/auth/token", data={"username": "admin@verband.example"})

    assert_invalid(response, "password")


def test_sign_in_with_json_instead_of_a_form_is_422(client: TestClient) -> None:
    response = client.post(
        "/api/v1/auth/token",
        json={"username": "admin@verband.example", "password": "admin-password"},
    )

    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM


def test_a_json_body_sent_as_plain_text_is_refused(world: World) -> None:
    response = post(
        world,
        "/companies",
        world.admin,
        content=json.dumps({"name": "Gamma"}),
        headers={"content-type": "text/plain"},
    )

    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM


def test_a_body_over_64_kib_is_413(world: World) -> None:
    oversized = {"title": "t", "description": "x" * (64 * 1024)}

    response = post(
        world, f"/working-groups/{world.group_1}/pain-points", world.member_a, json=oversized
    )

    assert response.status_code == 413
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["status"] == 413


def test_a_streamed_body_over_64_kib_without_length_is_413(world: World) -> None:
    chunks = [b'{"title": "t", "description": "', b"x" * 40_000, b"x" * 40_000, b'"}']

    response = post(
        world,
        f"/working-groups/{world.group_1}/pain-points",
        world.member_a,
        content=iter(chunks),
        headers={"content-type": JSON_TYPE},
    )

    assert response.status_code == 413
    assert response.headers["content-type"] == PROBLEM


def test_a_body_just_under_the_cap_reaches_validation(world: World) -> None:
    almost = {"title": "t", "description": "x" * (64 * 1024 - 100)}

    response = post(
        world, f"/working-groups/{world.group_1}/pain-points", world.member_a, json=almost
    )

    assert_invalid(response, "description")


def test_a_nul_character_in_text_never_stops_the_views(world: World) -> None:
    nul = "Lizenz\x00portal"
    attempts = [
        ("/companies", world.admin, {"name": nul}),
        ("/working-groups", world.admin, {"name": nul, "kind": "thematic", "description": nul}),
        (f"/working-groups/{world.group_1}/pain-points", world.member_a, {"title": nul}),
        (
            f"/working-groups/{world.group_1}/pain-points",
            world.member_a,
            {"title": "ok", "description": nul, "tags": [nul]},
        ),
    ]
    for path, actor, body in attempts:
        response = post(world, path, actor, json=body)
        assert response.status_code in (201, 422), response.text
        if response.status_code == 201:
            world.position = max(world.position, response.json()["position"])

    assert world.read(f"/working-groups/{world.group_1}/ranking", world.member_a).status_code == 200
    assert world.call("GET", "/health/ready").json()["status"] == "ok"


def test_reading_a_position_beyond_the_log_is_503_with_retry_after_at_once(world: World) -> None:
    """The schema allows any position; one not written yet is 'not yet', like a lagging view."""
    response = world.call("GET", "/me", world.admin, params={"min_position": 10**9})

    assert response.status_code == 503
    assert response.headers["retry-after"] == "1"
    assert response.headers["content-type"] == PROBLEM


def test_reading_a_position_the_views_do_not_reach_in_time_is_503_with_retry_after(
    settings: Settings,
) -> None:
    stalled = settings.model_copy(update={"read_wait_seconds": 0.2, "run_projector": False})
    with TestClient(create_app(stalled)) as client:
        token = client.post(
            "/api/v1/auth/token",
            data={"username": "admin@verband.example", "password": "admin-password"},
        ).json()["access_token"]
        headers = {"Authorization": f"Bearer {token}"}
        written = client.post("/api/v1/companies", json={"name": "Neu GmbH"}, headers=headers)
        response = client.get(
            "/api/v1/companies",
            params={"min_position": written.json()["position"]},
            headers=headers,
        )

    assert response.status_code == 503
    assert response.headers["retry-after"] == "1"
    assert response.headers["content-type"] == PROBLEM


def text(max_size: int | None = None) -> st.SearchStrategy[str]:
    """Any text, control characters included."""
    return st.text(max_size=max_size)


JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(text(), inner, max_size=4),
    max_leaves=12,
)
PAIN_POINTS = st.fixed_dictionaries(
    {"title": text(max_size=250)},
    optional={"description": text(max_size=300), "tags": st.lists(text(max_size=45), max_size=12)},
)


@hypothesis_settings(
    max_examples=50,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(body=JSON | PAIN_POINTS | st.binary(max_size=200))
def test_no_body_makes_a_submission_fail_on_the_server(world: World, body: Any) -> None:
    path = f"/working-groups/{world.group_1}/pain-points"
    raw = {"content": body, "headers": {"content-type": JSON_TYPE}}

    response = post(
        world, path, world.member_a, **(raw if isinstance(body, bytes) else {"json": body})
    )

    # FastAPI answers 400 ("error parsing the body") to bytes that are not even text
    allowed = {201, 422} | ({400} if isinstance(body, bytes) else set())
    assert response.status_code in allowed, response.text
    assert response.headers["content-type"] == (JSON_TYPE if response.is_success else PROBLEM)
    if response.status_code == 201:
        world.position = max(world.position, response.json()["position"])
        ranked = world.read(f"/working-groups/{world.group_1}/ranking", world.member_a, limit=100)
        assert ranked.status_code == 200, ranked.text
        ids = {UUID(item["pain_point_id"]) for item in ranked.json()["items"]}
        assert UUID(response.json()["id"]) in ids
