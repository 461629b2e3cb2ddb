"""Fixtures for the API tests: a small association built through the JSON API itself."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import httpx
import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.settings import Settings

API = "/api/v1"
ADMIN_EMAIL = "admin@verband.example"
ADMIN_PASSWORD = "admin-password"  # noqa: S105 (the fixture's bootstrap admin)
PASSWORD = "correct horse battery"  # noqa: S105 (every test person's password)
PROBLEM = "application/problem+json"


@dataclass
class Actor:
    """A signed-in person: who they are and the bearer token they use."""

    id: UUID
    email: str
    token: str

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def sign_in(client: TestClient, email: str, password: str = PASSWORD) -> str:
    response = client.post(f"{API}/auth/token", data={"username": email, "password": password})
    assert response.status_code == 200, response.text
    token: str = response.json()["access_token"]
    return token


def written(response: httpx.Response, status: int = 201) -> dict[str, Any]:
    """The body of a command's answer, after checking its status."""
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    return body


@dataclass
class World:
    """An admin, companies A and B, groups G1 and G2, and people in several roles.

    member_a (company A) and member_b (company B) are enrolled in G1; outsider
    (company A) only in G2; board has the board role and no company; lead (company B)
    leads G1. member_a submitted `pain_point` in G1. `position` is the log position
    of the last write, for reads that must see all of it.
    """

    client: TestClient
    admin: Actor
    company_a: UUID
    company_b: UUID
    group_1: UUID
    group_2: UUID
    member_a: Actor
    member_b: Actor
    outsider: Actor
    board: Actor
    lead: Actor
    pain_point: UUID
    position: int

    def call(self, method: str, path: str, actor: Actor | None = None, **kw: Any) -> httpx.Response:
        headers = {**kw.pop("headers", {}), **(actor.auth if actor else {})}
        return self.client.request(method, f"{API}{path}", headers=headers, **kw)

    def command(
        self, method: str, path: str, actor: Actor, status: int = 200, **kw: Any
    ) -> dict[str, Any]:
        """Run a command, check its status, and remember its position for later reads."""
        body = written(self.call(method, path, actor, **kw), status)
        if body.get("position") is not None:
            self.position = max(self.position, body["position"])
        return body

    def read(self, path: str, actor: Actor, **params: Any) -> httpx.Response:
        """A read that sees every write made through `command` so far."""
        return self.call("GET", path, actor, params={"min_position": self.position, **params})

    def admit_company(self, name: str) -> UUID:
        return UUID(self.command("POST", "/companies", self.admin, 201, json={"name": name})["id"])

    def register(self, email: str, company: UUID | None, name: str | None = None) -> UUID:
        body = {
            "email": email,
            "display_name": name or email.split("@")[0].title(),
            "company_id": str(company) if company else None,
            "password": PASSWORD,
        }
        return UUID(self.command("POST", "/people", self.admin, 201, json=body)["id"])

    def enrol(self, group: UUID, person: UUID, by: Actor | None = None) -> None:
        person_ref = {"person_id": str(person)}
        self.command("POST", f"/working-groups/{group}/members", by or self.admin, json=person_ref)

    def person(self, email: str, company: UUID | None, *groups: UUID) -> Actor:
        """Register a person, enrol them in `groups`, and sign them in."""
        person_id = self.register(email, company)
        for group in groups:
            self.enrol(group, person_id)
        return Actor(person_id, email, sign_in(self.client, email))


def found_group(client: TestClient, admin: Actor, name: str) -> tuple[UUID, int]:
    body = {"name": name, "kind": "thematic", "description": f"Arbeitskreis {name}"}
    response = client.post(f"{API}/working-groups", json=body, headers=admin.auth)
    answer = written(response)
    return UUID(answer["id"]), answer["position"]


def build_world(client: TestClient) -> World:
    admin_token = sign_in(client, ADMIN_EMAIL, ADMIN_PASSWORD)
    me = client.get(f"{API}/me", headers={"Authorization": f"Bearer {admin_token}"}).json()
    admin = Actor(UUID(me["id"]), ADMIN_EMAIL, admin_token)
    group_1, _ = found_group(client, admin, "G1 Lizenzen")
    group_2, position = found_group(client, admin, "G2 Support")
    world = World(
        client, admin, UUID(int=0), UUID(int=0), group_1, group_2,
        *(admin,) * 5, UUID(int=0), position,
    )  # fmt: skip
    world.company_a = world.admit_company("Alpha Systemhaus GmbH")
    world.company_b = world.admit_company("Beta IT AG")
    world.member_a = world.person("anna@alpha.example", world.company_a, group_1)
    world.member_b = world.person("bernd@beta.example", world.company_b, group_1)
    world.outsider = world.person("otto@alpha.example", world.company_a, group_2)
    world.board = world.person("berta@verband.example", None)
    world.command(
        "POST", f"/people/{world.board.id}/roles", admin, json={"role": "board"}
    )
    world.lead = world.person("lena@beta.example", world.company_b)
    world.command(
        "POST", f"/working-groups/{group_1}/leads", admin, json={"person_id": str(world.lead.id)}
    )
    pain_point = {
        "title": "Lizenzportal meldet falsche Restlaufzeiten",
        "description": "Die Restlaufzeit weicht oft um Wochen vom Vertrag ab.",
        "tags": ["Lizenzen", "Portal"],
    }
    answer = world.command(
        "POST", f"/working-groups/{group_1}/pain-points", world.member_a, 201, json=pain_point
    )
    world.pain_point = UUID(answer["id"])
    return world


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    """The service on a fresh store, with its projector running."""
    with TestClient(create_app(settings)) as test_client:
        yield test_client


@pytest.fixture
def world(client: TestClient) -> World:
    return build_world(client)
