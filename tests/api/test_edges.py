"""The service's edges: security headers on every kind of response, no inline script or
style anywhere (the CSP forbids them), and an API explorer served from the package."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from service.settings import Settings
from tests.api.api_world import World

TEMPLATES = Path(__file__).resolve().parents[2] / "api" / "templates"
INLINE = [
    re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I),  # an inline script
    re.compile(r"<style\b", re.I),  # an inline style sheet
    re.compile(r"\sstyle=", re.I),  # a style attribute
    re.compile(r"\son[a-z]+=", re.I),  # an event handler attribute
    re.compile(r"\shx-on", re.I),  # htmx's inline handlers (evaluated code)
    re.compile(r"javascript:", re.I),
]


def assert_hardened(response: object, *, cached: bool = False) -> None:
    headers = response.headers  # type: ignore[attr-defined]
    csp = headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"]
    assert "camera=()" in headers["permissions-policy"]
    if not cached:
        assert headers["cache-control"] == "no-store"


def test_every_kind_of_response_carries_the_security_headers(world: World) -> None:
    client = world.client
    answers = {
        "api read": world.read("/me", world.member_a),
        "api problem": client.get("/api/v1/pain-points/not-a-uuid", headers=world.member_a.auth),
        "api 401": client.get("/api/v1/me"),
        "login page": client.get("/login"),
        "error page": client.get("/no-such-page"),
        "openapi": client.get("/api/v1/openapi.json"),
        "health": client.get("/api/v1/health"),
    }
    for name, answer in answers.items():
        assert answer.status_code < 500, name
        assert_hardened(answer)
    static = client.get("/static/app.css")
    assert static.status_code == 200
    assert_hardened(static, cached=True)
    assert "no-store" not in static.headers.get("cache-control", "")
    assert "strict-transport-security" not in answers["api read"].headers


def test_hsts_only_when_served_over_tls(settings: Settings) -> None:
    with TestClient(create_app(settings), base_url="https://sprachrohr.example") as client:
        answer = client.get("/login")
    assert answer.headers["strict-transport-security"].startswith("max-age=31536000")


def test_no_template_holds_an_inline_script_style_or_handler() -> None:
    found = []
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text()
        for pattern in INLINE:
            found += [
                f"{template.relative_to(TEMPLATES)}: {m.group(0)}" for m in pattern.finditer(text)
            ]
    assert found == []


def test_a_rendered_page_has_no_inline_script(world: World) -> None:
    page = world.client.get("/login").text
    for pattern in INLINE:
        assert not pattern.search(page), pattern.pattern


@pytest.fixture
def docs_client(request: pytest.FixtureRequest, settings: Settings) -> Iterator[TestClient]:
    tuned = settings.model_copy(update={"api_docs": request.param})
    with TestClient(create_app(tuned)) as client:
        yield client


def admin_token(client: TestClient) -> dict[str, str]:
    form = {"username": "admin@verband.example", "password": "admin-password"}
    token = client.post("/api/v1/auth/token", data=form).json()["access_token"]
    return {"Authorization": f"Bearer {token}"}


@pytest.mark.parametrize("docs_client", ["signed-in"], indirect=True)
def test_the_explorer_is_for_signed_in_people_by_default(docs_client: TestClient) -> None:
    anonymous = docs_client.get("/api/docs", follow_redirects=False)
    signed_in = docs_client.get("/api/docs", headers=admin_token(docs_client))

    assert anonymous.status_code == 303
    assert anonymous.headers["location"].startswith("/login")
    assert signed_in.status_code == 200
    assert_hardened(signed_in)
    scripts = re.findall(r'<script src="([^"]+)"', signed_in.text)
    assert scripts == ["/api/docs/assets/swagger-ui-bundle.js", "/static/api-docs.js"]
    assert "http" not in signed_in.text.replace('charset="utf-8"', "")  # nothing from elsewhere
    for script in scripts:
        asset = docs_client.get(script)
        assert asset.status_code == 200
        assert "javascript" in asset.headers["content-type"]
    assert docs_client.get("/api/docs/assets/swagger-ui.css").status_code == 200


@pytest.mark.parametrize("docs_client", ["public"], indirect=True)
def test_a_public_explorer_needs_no_sign_in(docs_client: TestClient) -> None:
    assert docs_client.get("/api/docs").status_code == 200


@pytest.mark.parametrize("docs_client", ["off"], indirect=True)
def test_an_explorer_turned_off_is_not_there(docs_client: TestClient) -> None:
    assert docs_client.get("/api/docs", headers=admin_token(docs_client)).status_code == 404
    assert docs_client.get("/api/v1/openapi.json").status_code == 200  # for clients
