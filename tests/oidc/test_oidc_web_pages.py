"""The web pages of sign-in with Microsoft and people management, form by form."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.oidc.flow import API, eventually, ok, sign_in_with_provider
from tests.oidc.provider_process import CONTOSO
from tests.oidc.test_oidc_signin import PASSWORD, association

CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def web_sign_in(client: TestClient, email: str, password: str) -> None:
    client.cookies.clear()
    page = client.get("/login")
    csrf = CSRF.search(page.text).group(1)  # type: ignore[union-attr]
    answer = client.post(
        "/login",
        data={"csrf": csrf, "email": email, "password": password},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text


def csrf_of(client: TestClient, path: str) -> str:
    page = client.get(path)
    assert page.status_code == 200, page.text
    return CSRF.search(page.text).group(1)  # type: ignore[union-attr]


def test_admin_registers_a_tenant_and_approves_a_request_a_lead_agrees(client: TestClient) -> None:
    world = association(client)
    company, group = world["company"], world["group"]
    admin = ("admin@verband.example", "admin-password")
    web_sign_in(client, *admin)
    page = client.get(f"/admin/companies/{company}/sign-in")
    assert CONTOSO in page.text
    csrf = csrf_of(client, f"/admin/companies/{company}/sign-in")
    turned_off = client.post(
        f"/admin/companies/{company}/sign-in/password",
        data={"csrf": csrf, "allowed": "no"},
        follow_redirects=False,
    )
    assert turned_off.status_code == 303
    assert "Microsoft only" in client.get(turned_off.headers["location"]).text
    bad = client.post(
        f"/admin/companies/{company}/sign-in/tenant", data={"csrf": csrf, "tenant_id": "nope"}
    )
    assert bad.status_code == 422
    assert "GUID" in bad.text

    client.cookies.clear()
    sign_in_with_provider(client, "carla")
    csrf = csrf_of(client, "/auth/oidc/request-access")
    client.post(
        "/auth/oidc/request-access",
        data={"csrf": csrf, "display_name": "Carla Neu", "group_ids": [group]},
    )
    web_sign_in(client, *admin)
    listed = eventually(
        lambda: client.get("/admin/access-requests"), lambda page: "Carla Neu" in page.text
    )
    assert "carla.neu@contoso.example" in listed.text
    request_id = re.search(r"/admin/access-requests/([0-9a-f]{32})/approve", listed.text)
    assert request_id
    csrf = CSRF.search(listed.text).group(1)  # type: ignore[union-attr]
    approved = client.post(
        f"/admin/access-requests/{request_id.group(1)}/approve",
        data={"csrf": csrf},
        follow_redirects=False,
    )
    assert approved.status_code == 303
    after = client.get(approved.headers["location"])
    assert 'id="no-pending"' in after.text

    # Ben (the lead, password sign-in: Contoso's people now use Microsoft only) …
    ben = client.post(
        f"{API}/auth/token", data={"username": "ben.weber@contoso.example", "password": PASSWORD}
    )
    assert ben.status_code == 401
    client.cookies.clear()
    assert sign_in_with_provider(client, "ben").status_code == 303
    group_page = client.get(f"/groups/{group}")
    assert 'id="join-requests-link"' in group_page.text
    joins = client.get(f"/groups/{group}/join-requests")
    assert "Carla Neu" in joins.text
    carla = re.search(r"/groups/[0-9a-f]{32}/join-requests/[0-9a-f]{32}/agree", joins.text)
    assert carla
    csrf = CSRF.search(joins.text).group(1)  # type: ignore[union-attr]
    agreed = client.post(
        carla.group(0),
        data={"csrf": csrf},
        follow_redirects=False,
    )
    assert agreed.status_code == 303
    assert 'id="no-join-requests"' in client.get(agreed.headers["location"]).text


def test_admin_edits_and_deactivates_a_person_on_the_web(client: TestClient) -> None:
    world = association(client)
    anna = world["people"]["Anna Schmidt"]
    web_sign_in(client, "admin@verband.example", "admin-password")
    path = f"/admin/people/{anna}"
    csrf = csrf_of(client, path)
    saved = client.post(
        f"{path}/edit",
        data={
            "csrf": csrf,
            "display_name": "Anna Schmidt-Berg",
            "email": "anna.schmidt@contoso.example",
        },
        follow_redirects=False,
    )
    assert saved.status_code == 303, saved.text
    page = client.get(saved.headers["location"])
    assert "Anna Schmidt-Berg" in page.text
    assert "Renamed" in page.text
    off = client.post(f"{path}/active/off", data={"csrf": csrf}, follow_redirects=False)
    assert off.status_code == 303
    page = client.get(off.headers["location"])
    assert 'id="person-inactive"' in page.text
    assert "Deactivated" in page.text
    anna_token = client.post(
        f"{API}/auth/token", data={"username": "anna.schmidt@contoso.example", "password": PASSWORD}
    )
    assert anna_token.status_code == 401
    client.cookies.clear()
    refused = sign_in_with_provider(client, "anna")
    assert refused.status_code == 403
    assert "deactivated" in refused.text
    ok(client.get(f"{API}/companies", headers=world["admin"]))
