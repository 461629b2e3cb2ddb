"""Every page renders for every role, and no page shows a group the viewer is not in.

The test signs in as each role of the demo association and crawls every link it can
reach from the start page (GET only, same site), so new pages are covered without
listing them here.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urldefrag
from uuid import UUID

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from demo.loader import DEMO_PASSWORD, load_demo
from domain.person import Person
from service.security import hash_password
from service.settings import Settings

#: Builds the 18-month demo association first.
pytestmark = pytest.mark.slow

LINK = re.compile(r'href="([^"]+)"')
MAX_PAGES = 120
ROLES = {
    "member": "matthias.peters@taunushoehe-systemhaus.example",
    "admin": "admin@mspn.example",
}


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    settings = Settings(data_dir=Path(tmp_path_factory.mktemp("pages")))
    with TestClient(create_app(settings)) as client:
        runtime = client.app.state.runtime  # type: ignore[attr-defined]
        load_demo(runtime.app, hash_password(DEMO_PASSWORD))
        runtime.projector.catch_up()
        yield client


def sign_in(client: TestClient, email: str) -> None:
    client.cookies.clear()
    form = client.get("/login").text
    csrf = re.search(r'name="csrf" value="([^"]+)"', form)
    assert csrf is not None
    response = client.post(
        "/login",
        data={"email": email, "password": DEMO_PASSWORD, "csrf": csrf.group(1), "next": "/"},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text


def crawl(client: TestClient) -> dict[str, str]:
    """Every same-site page reachable from the start page: path → HTML."""
    seen: dict[str, str] = {}
    queue = deque(["/"])
    while queue and len(seen) < MAX_PAGES:
        path = queue.popleft()
        if path in seen:
            continue
        response = client.get(path)
        assert response.status_code == 200, f"{path} answered {response.status_code}"
        seen[path] = response.text
        for href in LINK.findall(response.text):
            target = urldefrag(href.replace("&amp;", "&"))[0]
            if target.startswith("/") and not target.startswith(("/static", "/api")):
                queue.append(target)
    return seen


def lead_email(client: TestClient) -> str:
    """A lead from the demo logins (their group differs from the member's)."""
    runtime = client.app.state.runtime  # type: ignore[attr-defined]
    with runtime.store.reading() as cur:
        cur.execute(
            "SELECT p.id FROM v_group_members m JOIN v_people p ON p.id = m.person_id"
            " WHERE m.is_lead = 1 ORDER BY p.id LIMIT 1"
        )
        person_id = cur.fetchone()[0]
    return runtime.app.load(Person, UUID(person_id), "person").email


@pytest.mark.parametrize("role", ["member", "lead", "board", "admin"])
def test_every_reachable_page_renders_for_each_role(client: TestClient, role: str) -> None:
    email = ROLES.get(role) or (lead_email(client) if role == "lead" else board_email(client))
    sign_in(client, email)
    pages = crawl(client)
    assert len(pages) > 5, sorted(pages)


def board_email(client: TestClient) -> str:
    runtime = client.app.state.runtime  # type: ignore[attr-defined]
    with runtime.store.reading() as cur:
        cur.execute("SELECT id FROM v_people WHERE roles LIKE '%board%' ORDER BY id LIMIT 1")
        person_id = cur.fetchone()[0]
    return runtime.app.load(Person, UUID(person_id), "person").email


def test_no_page_a_member_reaches_shows_a_group_they_are_not_in(client: TestClient) -> None:
    sign_in(client, ROLES["member"])
    runtime = client.app.state.runtime  # type: ignore[attr-defined]
    person = runtime.app.find_person_by_email(ROLES["member"])
    with runtime.store.reading() as cur:
        cur.execute(
            "SELECT id, title FROM v_pain_points WHERE group_id NOT IN"
            " (SELECT group_id FROM v_group_members WHERE person_id = ?)",
            (person.id.hex,),
        )
        foreign = cur.fetchall()
    assert foreign
    pages = crawl(client)
    for path, html in pages.items():
        for pain_point_id, title in foreign:
            assert pain_point_id not in html, f"{path} links a foreign pain point"
            assert title not in html, f"{path} shows the foreign pain point {title!r}"
    for pain_point_id, _ in foreign[:5]:
        assert client.get(f"/pain-points/{pain_point_id}").status_code == 404
