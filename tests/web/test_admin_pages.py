"""The administration pages: only admins reach them; every form works end to end."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from uuid import UUID

import pytest
from fastapi.testclient import TestClient
from httpx import Response

from api.main import create_app
from service import security
from service.runtime import Runtime
from service.settings import Settings

ADMIN = "admin@verband.example"
ADMIN_PASSWORD = "admin-password"
PASSWORD = "a-long-enough-password"
CSRF = re.compile(r'name="csrf" value="([^"]+)"')
KEY = re.compile(r'name="key" value="([^"]+)"')


@dataclass
class AdminWorld:
    client: TestClient
    runtime: Runtime
    company: UUID
    group: UUID
    member: UUID
    lead: UUID
    board: UUID
    admin: UUID

    def count(self, table: str) -> int:
        with self.runtime.store.reading() as cur:
            cur.execute(f"SELECT COUNT(*) FROM {table}")
            return int(cur.fetchone()[0])


@pytest.fixture
def admin_world(settings: Settings) -> Iterator[AdminWorld]:
    """An association with one company, one group, a member, a lead, a board person."""
    with TestClient(create_app(settings), headers={"Accept-Language": "en"}) as client:
        runtime: Runtime = client.app.state.runtime  # type: ignore[attr-defined]
        yield _populate(client, runtime)


def _populate(client: TestClient, runtime: Runtime) -> AdminWorld:
    app = runtime.app
    admin = app.find_person_by_email(ADMIN)
    assert admin is not None
    by = admin.id
    company = app.admit_company("Alpha Systemhaus GmbH", by=by).id
    group = app.found_group("Süd (München)", "regional", "Branch office Munich", by=by).id
    people = {}
    for name in ("member", "lead", "board"):
        email = f"{name}@alpha.example"
        hashed = security.hash_password(PASSWORD)
        people[name] = app.register_person(email, name.title(), company, hashed, by=by).id
    app.enrol(group, people["member"], by=by)
    app.appoint_lead(group, people["lead"], by=by)
    app.grant_role(people["board"], "board", by=by)
    runtime.projector.catch_up()
    return AdminWorld(client, runtime, company, group, admin=by, **people)


def sign_in(client: TestClient, email: str, password: str = PASSWORD) -> str:
    """Sign in; the CSRF token of the new session."""
    client.cookies.clear()
    csrf = CSRF.search(client.get("/login").text)
    assert csrf is not None
    data = {"email": email, "password": password, "csrf": csrf.group(1), "next": "/"}
    assert client.post("/login", data=data, follow_redirects=False).status_code == 303
    token = CSRF.search(client.get("/").text)
    assert token is not None
    return token.group(1)


def as_admin(world: AdminWorld) -> str:
    return sign_in(world.client, ADMIN, ADMIN_PASSWORD)


def post(world: AdminWorld, path: str, csrf: str, **data: str) -> Response:
    response: Response = world.client.post(
        path, data={"csrf": csrf, **data}, follow_redirects=False
    )
    return response


def follow(world: AdminWorld, response: Response, done: str) -> str:
    """The page a successful form redirects to, which confirms what was done."""
    assert response.status_code == 303, response.text
    location = response.headers["location"]
    assert location.endswith(f"done={done}"), location
    page = world.client.get(location)
    assert page.status_code == 200
    text: str = page.text
    assert 'class="flash"' in text
    return text


def form_key(world: AdminWorld, path: str) -> str:
    key = KEY.search(world.client.get(path).text)
    assert key is not None
    return key.group(1)


def admin_urls(world: AdminWorld) -> list[str]:
    company, group, person = world.company.hex, world.group.hex, world.member.hex
    return [
        "/admin",
        "/admin/companies",
        "/admin/companies?page=2",
        f"/admin/companies/{company}/end",
        "/admin/people",
        f"/admin/people?company={company}&q=mem",
        "/admin/people?company=staff",
        "/admin/people?q=100%25_%5C&company=nonsense&page=x",
        f"/admin/people/{person}",
        f"/admin/people/{world.admin.hex}",
        "/admin/groups",
        f"/admin/groups/{group}",
        f"/admin/groups/{group}?q=zzz",
    ]


def admin_posts(world: AdminWorld) -> list[tuple[str, dict[str, str]]]:
    company, group, person = world.company.hex, world.group.hex, world.member.hex
    return [
        ("/admin/companies", {"name": "Intruder AG"}),
        (f"/admin/companies/{company}/end", {"reason": "x"}),
        ("/admin/people", {"email": "x@y.example", "display_name": "X", "company": "staff",
                           "password": PASSWORD}),
        (f"/admin/people/{person}/roles/grant", {"role": "admin"}),
        (f"/admin/people/{world.admin.hex}/roles/revoke", {"role": "admin"}),
        ("/admin/groups", {"name": "Intruders", "kind": "thematic"}),
        (f"/admin/groups/{group}/members", {"member": world.board.hex}),
        (f"/admin/groups/{group}/leads", {"lead": person}),
    ]  # fmt: skip


def snapshot(world: AdminWorld) -> tuple[object, ...]:
    """What the admin forms could change, as the views show it."""
    tables = ("v_companies", "v_people", "v_groups", "v_group_members")
    with world.runtime.store.reading() as cur:
        rows = []
        for table in tables:
            cur.execute(f"SELECT * FROM {table} ORDER BY 1, 2")
            rows.append(tuple(map(tuple, cur.fetchall())))
    return (world.runtime.app.recorder.max_notification_id(), *rows)


# -- who may enter ---------------------------------------------------------------------


def test_every_admin_page_renders_for_an_admin(admin_world: AdminWorld) -> None:
    as_admin(admin_world)
    for url in admin_urls(admin_world):
        response = admin_world.client.get(url)
        assert response.status_code == 200, url
        assert "<h1>" in response.text
    home = admin_world.client.get("/").text
    assert 'href="/admin"' in home


@pytest.mark.parametrize("role", ["member", "lead", "board"])
def test_everyone_else_finds_no_admin_area(admin_world: AdminWorld, role: str) -> None:
    csrf = sign_in(admin_world.client, f"{role}@alpha.example")
    before = snapshot(admin_world)
    for url in admin_urls(admin_world):
        assert admin_world.client.get(url).status_code == 404, url
    for url, data in admin_posts(admin_world):
        assert post(admin_world, url, csrf, **data).status_code == 404, url
    assert snapshot(admin_world) == before
    assert 'href="/admin"' not in admin_world.client.get("/").text


def test_signing_in_comes_first(admin_world: AdminWorld) -> None:
    admin_world.client.cookies.clear()
    response = admin_world.client.get("/admin/people", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/admin/people"


def test_a_wrong_csrf_token_is_refused_and_nothing_written(admin_world: AdminWorld) -> None:
    as_admin(admin_world)
    before = snapshot(admin_world)
    for url, data in admin_posts(admin_world):
        assert post(admin_world, url, "forged", **data).status_code == 403, url
        missing = admin_world.client.post(url, data=data, follow_redirects=False)
        assert missing.status_code == 403, url
    assert snapshot(admin_world) == before


def test_an_unknown_id_is_not_found(admin_world: AdminWorld) -> None:
    csrf = as_admin(admin_world)
    for url in (
        "/admin/people/nonsense",
        f"/admin/groups/{UUID(int=7)}",
        f"/admin/companies/{UUID(int=7)}/end",
        f"/admin/people/{UUID(int=7)}",
    ):
        assert admin_world.client.get(url).status_code == 404, url  # fmt: skip
    response = post(admin_world, f"/admin/groups/{UUID(int=7)}/members", csrf, member="x")
    assert response.status_code == 404


# -- companies ------------------------------------------------------------------------


def test_admitting_a_company(admin_world: AdminWorld) -> None:
    csrf = as_admin(admin_world)
    key = form_key(admin_world, "/admin/companies")
    response = post(admin_world, "/admin/companies", csrf, name="Beta IT GmbH", key=key)
    page = follow(admin_world, response, "admitted")
    assert "Beta IT GmbH" in page
    again = post(admin_world, "/admin/companies", csrf, name="Beta IT GmbH", key=key)
    assert again.status_code == 303  # a double submit creates nothing new
    assert admin_world.count("v_companies") == 2


def test_a_company_name_is_taken_once(admin_world: AdminWorld) -> None:
    csrf = as_admin(admin_world)
    key = form_key(admin_world, "/admin/companies")
    response = post(admin_world, "/admin/companies", csrf, name="alpha systemhaus gmbh", key=key)
    assert response.status_code == 422
    assert 'id="admit-name-error"' in response.text
    assert 'value="alpha systemhaus gmbh"' in response.text
    blank = post(admin_world, "/admin/companies", csrf, name="  ", key=key)
    assert blank.status_code == 422
    assert 'id="admit-name-error"' in blank.text
    assert admin_world.count("v_companies") == 1


def test_ending_a_membership_after_confirming(admin_world: AdminWorld) -> None:
    csrf = as_admin(admin_world)
    end = f"/admin/companies/{admin_world.company.hex}/end"
    listing = admin_world.client.get("/admin/companies").text
    assert f'action="{end}"' in listing
    confirm = admin_world.client.get(end)
    assert confirm.status_code == 200
    assert 'name="reason"' in confirm.text
    page = follow(admin_world, post(admin_world, end, csrf, reason="Resigned"), "ended")
    assert f'action="{end}"' not in page
    assert "status-withdrawn" in page
    assert post(admin_world, end, csrf, reason="again").status_code == 422
    data = register_form(admin_world, email="late@alpha.example")
    late = post(admin_world, "/admin/people", csrf, **data)
    assert late.status_code == 422
    assert 'id="register-company-error"' in late.text


# -- people ---------------------------------------------------------------------------


def register_form(world: AdminWorld, **changes: str) -> dict[str, str]:
    data = {
        "display_name": "Dana Neu",
        "email": "dana.neu@alpha.example",
        "company": world.company.hex,
        "password": PASSWORD,
        "key": form_key(world, "/admin/people"),
    }
    return {**data, **changes}


def test_registering_a_person(admin_world: AdminWorld) -> None:
    csrf = as_admin(admin_world)
    data = register_form(admin_world)
    response = post(admin_world, "/admin/people", csrf, **data)
    page = follow(admin_world, response, "registered")
    again = post(admin_world, "/admin/people", csrf, **data)  # a double submit
    assert again.headers["location"] == response.headers["location"]
    assert "dana.neu@alpha.example" in page
    assert "Alpha Systemhaus GmbH" in page
    company = admin_world.company.hex
    listing = admin_world.client.get(f"/admin/people?company={company}&q=DANA").text
    assert "Dana Neu" in listing
    assert ">Member</a>" not in listing
    assert "Dana Neu" not in admin_world.client.get("/admin/people?company=staff").text
    assert admin_world.count("v_people") == 5
    for literal in ("_", "%", "\\"):  # LIKE wildcards match only themselves
        found = admin_world.client.get("/admin/people", params={"q": literal})
        assert "No one matches." in found.text
    sign_in(admin_world.client, "dana.neu@alpha.example")  # the password works


def test_registering_association_staff(admin_world: AdminWorld) -> None:
    csrf = as_admin(admin_world)
    data = register_form(admin_world, email="office@verband.example", company="staff")
    follow(admin_world, post(admin_world, "/admin/people", csrf, **data), "registered")
    assert "Dana Neu" in admin_world.client.get("/admin/people?company=staff").text


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"email": "not-an-address"}, "email"),
        ({"email": "MEMBER@alpha.example"}, "email"),
        ({"password": "too-short"}, "password"),
        ({"company": ""}, "company"),
        ({"display_name": " "}, "display_name"),
    ],
)
def test_a_bad_registration_is_shown_next_to_the_field(
    admin_world: AdminWorld, changes: dict[str, str], field: str
) -> None:
    csrf = as_admin(admin_world)
    people = admin_world.count("v_people")
    data = register_form(admin_world, **changes)
    response = post(admin_world, "/admin/people", csrf, **data)
    assert response.status_code == 422
    text = html.unescape(response.text)
    assert f'id="register-{field}-error"' in text
    assert f'aria-describedby="register-{field}-error"' in text or (
        f'register-{field}-hint register-{field}-error"' in text
    )
    for kept in ("display_name", "email"):
        if data[kept].strip():
            assert f'value="{data[kept]}"' in text
    assert PASSWORD not in text
    assert admin_world.count("v_people") == people


def test_granting_and_revoking_roles(admin_world: AdminWorld) -> None:
    csrf = as_admin(admin_world)
    person = admin_world.member.hex
    grant = f"/admin/people/{person}/roles/grant"
    page = follow(admin_world, post(admin_world, grant, csrf, role="board"), "granted")
    assert f'action="/admin/people/{person}/roles/revoke"' in page
    listing = admin_world.client.get("/admin/people?q=member").text
    assert '<span class="tag">board</span>' in listing
    follow(admin_world, post(admin_world, grant, csrf, role="board"), "unchanged")
    revoke = f"/admin/people/{person}/roles/revoke"
    follow(admin_world, post(admin_world, revoke, csrf, role="board"), "revoked")
    listing = admin_world.client.get("/admin/people?q=member").text
    assert '<span class="tag">board</span>' not in listing
    assert post(admin_world, grant, csrf, role="emperor").status_code == 422


def test_an_admin_keeps_their_own_admin_role(admin_world: AdminWorld) -> None:
    csrf = as_admin(admin_world)
    me = admin_world.admin.hex
    assert f'action="/admin/people/{me}/roles/revoke"' not in (
        admin_world.client.get(f"/admin/people/{me}").text
    )
    response = post(admin_world, f"/admin/people/{me}/roles/revoke", csrf, role="admin")
    assert response.status_code == 422
    assert 'role="alert">You cannot revoke your own admin role.' in response.text
    assert admin_world.runtime.app.is_admin(admin_world.admin)


# -- working groups -------------------------------------------------------------------


def test_founding_a_group(admin_world: AdminWorld) -> None:
    csrf = as_admin(admin_world)
    key = form_key(admin_world, "/admin/groups")
    data = {"name": "Learning", "kind": "thematic", "description": "Trainings", "key": key}
    page = follow(admin_world, post(admin_world, "/admin/groups", csrf, **data), "founded")
    assert "<h1>Learning" in page
    assert "Learning" in admin_world.client.get("/admin/groups").text
    assert post(admin_world, "/admin/groups", csrf, **data).status_code == 303
    assert admin_world.count("v_groups") == 2


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"kind": "secret"}, "kind"), ({"name": ""}, "name"), ({"name": "süd (münchen)"}, "name")],
)
def test_a_bad_group_is_shown_next_to_the_field(
    admin_world: AdminWorld, changes: dict[str, str], field: str
) -> None:
    csrf = as_admin(admin_world)
    data = {"name": "Learning", "kind": "thematic", "description": "Kept text", **changes}
    response = post(admin_world, "/admin/groups", csrf, **data)
    assert response.status_code == 422
    assert f'id="found-{field}-error"' in response.text
    assert "Kept text</textarea>" in response.text
    assert admin_world.count("v_groups") == 1


def test_enrolling_and_appointing_a_lead(admin_world: AdminWorld) -> None:
    csrf = as_admin(admin_world)
    group = f"/admin/groups/{admin_world.group.hex}"
    page = admin_world.client.get(group).text
    assert f'<option value="{admin_world.board.hex}">' in page
    assert f'<option value="{admin_world.member.hex}">' not in page.split('id="lead"')[0]
    enrolled = post(admin_world, f"{group}/members", csrf, member=admin_world.board.hex)
    page = follow(admin_world, enrolled, "enrolled")
    assert f'href="/admin/people/{admin_world.board.hex}"' in page
    by_email = post(admin_world, f"{group}/members", csrf, email="ADMIN@verband.example")
    follow(admin_world, by_email, "enrolled")
    appointed = post(admin_world, f"{group}/leads", csrf, lead=admin_world.board.hex)
    follow(admin_world, appointed, "appointed")
    person_page = admin_world.client.get(f"/admin/people/{admin_world.board.hex}").text
    assert "Süd (München)" in person_page
    assert ">Lead<" in person_page
    assert admin_world.count("v_group_members") == 4


def test_enrolling_needs_someone_known(admin_world: AdminWorld) -> None:
    csrf = as_admin(admin_world)
    group = f"/admin/groups/{admin_world.group.hex}"
    before = admin_world.count("v_group_members")
    nobody = post(admin_world, f"{group}/members", csrf, email="nobody@nowhere.example")
    assert nobody.status_code == 422
    assert 'id="enrol-email-error"' in nobody.text
    assert 'value="nobody@nowhere.example"' in nobody.text
    unknown = post(admin_world, f"{group}/members", csrf, member=UUID(int=5).hex)
    assert unknown.status_code == 422
    assert 'id="enrol-member-error"' in unknown.text
    empty = post(admin_world, f"{group}/members", csrf)
    assert empty.status_code == 422
    assert 'id="enrol-member-error"' in empty.text
    lead = post(admin_world, f"{group}/leads", csrf, lead="someone")
    assert lead.status_code == 422
    assert 'id="lead-lead-error"' in lead.text
    assert admin_world.count("v_group_members") == before
