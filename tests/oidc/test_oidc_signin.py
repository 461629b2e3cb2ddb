"""Sign in with an OpenID provider: the code flow against a real provider (oidc-provider)."""

from __future__ import annotations

import re
from typing import Any
from uuid import UUID

import pytest
from fastapi.testclient import TestClient

from tests.oidc.flow import (
    API,
    admin_token,
    eventually,
    ok,
    sign_in_with_provider,
    through_provider,
)
from tests.oidc.provider_process import CONTOSO, FABRIKAM

PASSWORD = "correct horse battery"


def association(client: TestClient) -> dict[str, Any]:
    """Contoso (tenant registered) with Anna; a group led by Ben."""
    admin = admin_token(client)
    contoso = ok(client.post(f"{API}/companies", json={"name": "Contoso"}, headers=admin), 201)
    company = contoso["id"]
    ok(
        client.put(
            f"{API}/companies/{company}/identity-provider",
            json={"tenant_id": CONTOSO.upper()},
            headers=admin,
        )
    )
    people = {}
    for email, name in (
        ("anna.schmidt@contoso.example", "Anna Schmidt"),
        ("ben.weber@contoso.example", "Ben Weber"),
    ):
        body = {"email": email, "display_name": name, "company_id": company, "password": PASSWORD}
        people[name] = ok(client.post(f"{API}/people", json=body, headers=admin), 201)["id"]
    group = ok(
        client.post(
            f"{API}/working-groups",
            json={"name": "Lizenzen", "kind": "thematic", "description": ""},
            headers=admin,
        ),
        201,
    )["id"]
    lead = {"person_id": people["Ben Weber"]}
    ok(client.post(f"{API}/working-groups/{group}/leads", json=lead, headers=admin))
    return {"admin": admin, "company": company, "group": group, "people": people}


def bearer(client: TestClient) -> dict[str, str]:
    return {"Authorization": f"Bearer {client.cookies['sr_session']}"}


def test_a_registered_person_of_a_registered_tenant_signs_in(client: TestClient) -> None:
    world = association(client)
    answer = sign_in_with_provider(client, "anna", next_path="/groups")
    assert answer.status_code == 303, answer.text
    assert answer.headers["location"] == "/groups"
    me = ok(client.get(f"{API}/me", headers=bearer(client)))
    assert me["id"] == world["people"]["Anna Schmidt"]
    assert client.get("/").status_code == 200


def test_the_login_page_offers_microsoft_sign_in(client: TestClient) -> None:
    page = client.get("/login", headers={"Accept-Language": "de"})
    assert "Mit Microsoft anmelden" in page.text
    page = client.get("/login", headers={"Accept-Language": "en"})
    assert "Sign in with Microsoft" in page.text


def test_a_callback_with_another_state_is_refused(client: TestClient) -> None:
    association(client)
    start = client.get("/auth/oidc/start", follow_redirects=False)
    back = through_provider(start, "anna")
    tampered = back.replace("state=", "state=x")
    answer = client.get(tampered, follow_redirects=False)
    assert answer.status_code == 400
    assert "sr_session" not in client.cookies


def test_a_callback_without_the_flow_cookie_is_refused(client: TestClient) -> None:
    association(client)
    start = client.get("/auth/oidc/start", follow_redirects=False)
    back = through_provider(start, "anna")
    client.cookies.clear()
    assert client.get(back, follow_redirects=False).status_code == 400
    assert "sr_session" not in client.cookies


def test_a_code_is_redeemed_once(client: TestClient) -> None:
    association(client)
    start = client.get("/auth/oidc/start", follow_redirects=False)
    back = through_provider(start, "anna")
    flow_cookie = client.cookies["sr_oidc_flow"]
    assert client.get(back, follow_redirects=False).status_code == 303
    client.cookies.clear()
    client.cookies.set("sr_oidc_flow", flow_cookie, path="/auth/oidc")
    assert client.get(back, follow_redirects=False).status_code == 401


def test_a_tenant_of_no_member_company_is_refused_with_a_clear_page(client: TestClient) -> None:
    association(client)
    answer = sign_in_with_provider(client, "frank")
    assert answer.status_code == 403
    assert "Your organisation is not a member" in answer.text
    assert "sr_session" not in client.cookies
    client.headers["Accept-Language"] = "de"
    assert "Ihre Organisation ist kein Mitglied" in sign_in_with_provider(client, "frank").text


def test_someone_of_another_company_with_a_known_address_is_not_signed_in(
    client: TestClient,
) -> None:
    """Anna's address at a tenant that is not Contoso's does not sign Anna in."""
    world = association(client)
    admin = world["admin"]
    fabrikam = ok(client.post(f"{API}/companies", json={"name": "Fabrikam"}, headers=admin), 201)
    ok(
        client.put(
            f"{API}/companies/{fabrikam['id']}/identity-provider",
            json={"tenant_id": FABRIKAM},
            headers=admin,
        )
    )
    answer = sign_in_with_provider(client, "frank")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/auth/oidc/request-access"
    assert "sr_session" not in client.cookies


def test_unknown_person_requests_access_admin_approves_lead_agrees(client: TestClient) -> None:
    world = association(client)
    admin, group = world["admin"], world["group"]
    answer = sign_in_with_provider(client, "carla")
    assert answer.headers["location"] == "/auth/oidc/request-access"
    form = client.get("/auth/oidc/request-access")
    assert form.status_code == 200
    assert "carla.neu@contoso.example" in form.text
    assert "Contoso" in form.text
    csrf = form_csrf(form.text)
    sent = client.post(
        "/auth/oidc/request-access",
        data={"csrf": csrf, "display_name": "Carla Neu", "group_ids": [group]},
    )
    assert sent.status_code == 200, sent.text
    assert 'id="request-pending"' in sent.text

    requests = eventually(
        lambda: ok(
            client.get(f"{API}/access-requests", params={"status": "pending"}, headers=admin)
        ),
        lambda page: page["total"] > 0,
    )
    assert requests["total"] == 1
    request = requests["items"][0]
    assert request["email"] == "carla.neu@contoso.example"
    assert request["company_id"] == world["company"]
    assert request["group_ids"] == [group]
    approved = ok(client.post(f"{API}/access-requests/{request['id']}/approve", headers=admin))
    # approving twice is a conflict, not a second person
    assert (
        client.post(f"{API}/access-requests/{request['id']}/approve", headers=admin).status_code
        == 409
    )
    done = ok(
        client.get(
            f"{API}/access-requests",
            params={"min_position": approved["position"]},
            headers=admin,
        )
    )["items"][0]
    assert done["status"] == "approved"
    carla = done["person_id"]

    client.cookies.clear()
    answer = sign_in_with_provider(client, "carla")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/"
    carla_auth = bearer(client)
    me = ok(client.get(f"{API}/me", headers=carla_auth))
    assert me["id"] == carla
    assert me["company_id"] == world["company"]
    assert me["groups"] == []  # until the lead agrees

    client.cookies.clear()
    ben = {"username": "ben.weber@contoso.example", "password": PASSWORD}
    lead = {
        "Authorization": f"Bearer {ok(client.post(f'{API}/auth/token', data=ben))['access_token']}"
    }
    pending = ok(client.get(f"{API}/working-groups/{group}/join-requests", headers=lead))
    assert pending == [{"person_id": carla, "display_name": "Carla Neu"}]
    # Carla herself may not decide; Anna (not a lead) may not see the group's requests
    assert (
        client.post(
            f"{API}/working-groups/{group}/join-requests/{carla}/approve", headers=carla_auth
        ).status_code
        == 404
    )
    agreed = ok(
        client.post(f"{API}/working-groups/{group}/join-requests/{carla}/approve", headers=lead)
    )
    me = ok(
        client.get(f"{API}/me", params={"min_position": agreed["position"]}, headers=carla_auth)
    )
    assert [g["id"] for g in me["groups"]] == [group]
    assert ok(client.get(f"{API}/working-groups/{group}/join-requests", headers=lead)) == []


def form_csrf(page: str) -> str:
    """The page's CSRF token (masked per response, as a browser would send it)."""
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found is not None
    return found[1]


def test_a_declined_request_can_be_made_again(client: TestClient) -> None:
    world = association(client)
    admin = world["admin"]
    sign_in_with_provider(client, "carla")
    csrf = form_csrf(client.get("/auth/oidc/request-access").text)
    client.post("/auth/oidc/request-access", data={"csrf": csrf, "display_name": "Carla"})
    request = eventually(
        lambda: ok(client.get(f"{API}/access-requests", headers=admin)),
        lambda page: page["total"] > 0,
    )["items"][0]
    declined = ok(
        client.post(
            f"{API}/access-requests/{request['id']}/decline",
            json={"reason": "unknown to us"},
            headers=admin,
        )
    )
    page = client.get("/auth/oidc/request-access")
    assert "declined" in page.text
    again = client.post(
        "/auth/oidc/request-access", data={"csrf": csrf, "display_name": "Carla N."}
    )
    assert 'id="request-pending"' in again.text
    rows = ok(
        client.get(
            f"{API}/access-requests",
            params={"min_position": declined["position"] + 1},
            headers=admin,
        )
    )["items"]
    assert [(r["status"], r["display_name"]) for r in rows] == [("pending", "Carla N.")]


def test_the_request_access_page_needs_a_verified_identity(client: TestClient) -> None:
    assert client.get("/auth/oidc/request-access", follow_redirects=False).status_code == 401
    forged = client.post(
        "/auth/oidc/request-access",
        data={"csrf": "x", "display_name": "Mallory"},
        cookies={"sr_oidc_identity": "eyJ0aWQiOiAiIn0.0000"},
    )
    assert forged.status_code in (401, 403)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"tenant_id": "not-a-guid"}, "tenant_id"),
        ({}, "tenant_id"),
        ({"tenant_id": 5}, "tenant_id"),
    ],
)
def test_a_bad_tenant_id_is_422(client: TestClient, body: dict[str, Any], field: str) -> None:
    admin = admin_token(client)
    company = ok(client.post(f"{API}/companies", json={"name": "X"}, headers=admin), 201)["id"]
    answer = client.put(f"{API}/companies/{company}/identity-provider", json=body, headers=admin)
    assert answer.status_code == 422
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert field in answer.text


def test_one_tenant_belongs_to_one_company(client: TestClient) -> None:
    world = association(client)
    admin = world["admin"]
    other = ok(client.post(f"{API}/companies", json={"name": "Other"}, headers=admin), 201)["id"]
    answer = client.put(
        f"{API}/companies/{other}/identity-provider", json={"tenant_id": CONTOSO}, headers=admin
    )
    assert answer.status_code == 409
    UUID(world["company"])


def test_password_sign_in_turned_off_answers_like_a_wrong_password(client: TestClient) -> None:
    world = association(client)
    admin, company = world["admin"], world["company"]
    ok(
        client.put(
            f"{API}/companies/{company}/password-sign-in", json={"allowed": False}, headers=admin
        )
    )
    anna = {"username": "anna.schmidt@contoso.example", "password": PASSWORD}
    refused = client.post(f"{API}/auth/token", data=anna)
    assert refused.status_code == 401
    assert refused.json()["detail"] == "e-mail address or password is wrong"
    csrf = form_csrf(client.get("/login").text)
    page = client.post(
        "/login",
        data={"csrf": csrf, "email": anna["username"], "password": PASSWORD},
        headers={"Accept-Language": "en"},
    )
    assert page.status_code == 401
    assert "Sign in with Microsoft" in page.text
    assert "signs in with Microsoft" in page.text
    # a wrong password gets no hint
    wrong = client.post(
        "/login", data={"csrf": csrf, "email": anna["username"], "password": "x" * 12}
    )
    assert "signs in with Microsoft" not in wrong.text
    # Microsoft sign-in still works
    assert sign_in_with_provider(client, "anna").status_code == 303
    ok(
        client.put(
            f"{API}/companies/{company}/password-sign-in", json={"allowed": True}, headers=admin
        )
    )
    assert client.post(f"{API}/auth/token", data=anna).status_code == 200


def test_password_sign_in_stays_on_for_a_company_without_a_tenant(client: TestClient) -> None:
    admin = admin_token(client)
    company = ok(client.post(f"{API}/companies", json={"name": "Y"}, headers=admin), 201)["id"]
    answer = client.put(
        f"{API}/companies/{company}/password-sign-in", json={"allowed": False}, headers=admin
    )
    assert answer.status_code == 409
