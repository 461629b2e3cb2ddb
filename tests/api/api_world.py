"""A small association built through the JSON API itself, and helpers to drive it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

import httpx
from fastapi.testclient import TestClient

API = "/api/v1"
ADMIN_EMAIL = "admin@verband.example"
ADMIN_PASSWORD = "admin-password"
PASSWORD = "correct horse battery"
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
class Association:
    """The API as the admin drives it; `position` is the log position of the last
    write made through `command`, so that `read` sees all of them."""

    client: TestClient
    admin: Actor
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

    def register(self, email: str, company: UUID | None) -> UUID:
        """Register a person whose display name is the e-mail's local part, capitalised."""
        body = {
            "email": email,
            "display_name": email.split("@")[0].title(),
            "company_id": str(company) if company else None,
            "password": PASSWORD,
        }
        return UUID(self.command("POST", "/people", self.admin, 201, json=body)["id"])

    def enrol(self, group: UUID, person: UUID) -> None:
        person_ref = {"person_id": str(person)}
        self.command("POST", f"/working-groups/{group}/members", self.admin, json=person_ref)

    def person(self, email: str, company: UUID | None, *groups: UUID) -> Actor:
        """Register a person, enrol them in `groups`, and sign them in."""
        person_id = self.register(email, company)
        for group in groups:
            self.enrol(group, person_id)
        return Actor(person_id, email, sign_in(self.client, email))

    def found_group(self, name: str) -> UUID:
        body = {"name": name, "kind": "thematic", "description": f"Arbeitskreis {name}"}
        return UUID(self.command("POST", "/working-groups", self.admin, 201, json=body)["id"])

    def submit(self, group: UUID, by: Actor, title: str) -> UUID:
        body = {"title": title, "description": f"{title}: seit Monaten.", "tags": ["portal"]}
        path = f"/working-groups/{group}/pain-points"
        return UUID(self.command("POST", path, by, 201, json=body)["id"])


@dataclass
class World(Association):
    """An admin, companies A and B, groups G1 and G2, and people in several roles.

    member_a (company A) and member_b (company B) are enrolled in G1; outsider
    (company A) only in G2; board has the board role and no company; lead (company B)
    leads G1. member_a submitted `pain_point` in G1.
    """

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


def build_world(client: TestClient) -> World:
    token = sign_in(client, ADMIN_EMAIL, ADMIN_PASSWORD)
    me = client.get(f"{API}/me", headers={"Authorization": f"Bearer {token}"}).json()
    admin = Actor(UUID(me["id"]), ADMIN_EMAIL, token)
    api = Association(client, admin, 0)
    company_a = api.admit_company("Alpha Systemhaus GmbH")
    company_b = api.admit_company("Beta IT AG")
    group_1 = api.found_group("G1 Lizenzen")
    group_2 = api.found_group("G2 Support")
    member_a = api.person("anna@alpha.example", company_a, group_1)
    member_b = api.person("bernd@beta.example", company_b, group_1)
    outsider = api.person("otto@alpha.example", company_a, group_2)
    board = api.person("berta@verband.example", None)
    api.command("POST", f"/people/{board.id}/roles", admin, json={"role": "board"})
    lead = api.person("lena@beta.example", company_b)
    lead_ref = {"person_id": str(lead.id)}
    api.command("POST", f"/working-groups/{group_1}/leads", admin, json=lead_ref)
    pain_point = api.submit(group_1, member_a, "Lizenzportal meldet falsche Restlaufzeiten")
    return World(
        client, admin, api.position, company_a, company_b, group_1, group_2,
        member_a, member_b, outsider, board, lead, pain_point,
    )  # fmt: skip
