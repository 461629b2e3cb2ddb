"""Web platform basics: hashed static files cached for a year, gzip, a favicon, and the
CSRF token masked per response (so compressed pages do not leak it: BREACH)."""

from __future__ import annotations

import gzip
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.web.session import mask_csrf, unmask_csrf
from service.settings import Settings

ADMIN = "admin@verband.example"
PASSWORD = "admin-password"
CSRF = re.compile(r'name="csrf" value="([^"]+)"')
ASSET = re.compile(r'(?:href|src)="(/static/[^"]+)"')


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    settings = Settings(
        data_dir=tmp_path / "var",
        bootstrap_admin_email=ADMIN,
        bootstrap_admin_password=PASSWORD,
    )
    with TestClient(create_app(settings), headers={"Accept-Language": "de"}) as client:
        yield client


def sign_in(client: TestClient) -> None:
    csrf = CSRF.search(client.get("/login").text)
    assert csrf is not None
    answer = client.post(
        "/login",
        data={"email": ADMIN, "password": PASSWORD, "csrf": csrf.group(1), "next": "/"},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text


def test_pages_link_static_files_by_content_hash_and_they_are_cached_for_a_year(
    client: TestClient,
) -> None:
    page = client.get("/login").text
    links = ASSET.findall(page)
    assert {Path(link).suffix for link in links} >= {".css", ".js", ".svg"}
    for link in links:
        assert re.fullmatch(r"/static/[a-z.-]+\.[0-9a-f]{12}\.(css|js|svg)", link), link
        answer = client.get(link)
        assert answer.status_code == 200
        assert answer.headers["cache-control"] == "public, max-age=31536000, immutable"
    plain = client.get("/static/app.css")
    assert plain.status_code == 200
    assert plain.headers["cache-control"] == "no-cache"
    assert client.get("/static/nothing.1234567890ab.css").status_code == 404


def test_html_css_and_js_are_compressed(client: TestClient) -> None:
    page = client.get("/login", headers={"Accept-Encoding": "gzip"})
    assert page.headers["content-encoding"] == "gzip"
    for link in ASSET.findall(page.text):
        if link.endswith((".css", ".js")):
            answer = client.get(link, headers={"Accept-Encoding": "gzip"})
            assert answer.headers["content-encoding"] == "gzip", link
    raw = client.get("/static/htmx.min.js", headers={"Accept-Encoding": "gzip"})
    assert len(gzip.compress(raw.content)) < 20_000 < len(raw.content)


def test_there_is_a_favicon(client: TestClient) -> None:
    answer = client.get("/favicon.ico")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("image/svg+xml")
    assert b"<svg" in answer.content


def test_the_csrf_token_is_masked_differently_in_every_response(client: TestClient) -> None:
    sign_in(client)
    tokens = set()
    for _ in range(3):
        found = CSRF.search(client.get("/profile").text)
        assert found is not None
        tokens.add(found.group(1))
    assert len(tokens) == 3, "the same bytes in every page would let BREACH read the token"
    assert len({unmask_csrf(token) for token in tokens}) == 1
    # Each masked token is accepted; the unmasked token and garbage are not.
    for token in tokens:
        answer = client.post(
            "/language",
            data={"csrf": token, "language": "en", "next": "/"},
            follow_redirects=False,
        )
        assert answer.status_code == 303, answer.text
    raw = unmask_csrf(tokens.pop())
    for wrong in (raw, "x" * 20, "", mask_csrf("something-else")):
        answer = client.post(
            "/language",
            data={"csrf": wrong, "language": "en", "next": "/"},
            follow_redirects=False,
        )
        assert answer.status_code == 403, wrong


def test_masking_round_trips() -> None:
    for token in ("a" * 43, "0123456789abcdef" * 4):
        assert unmask_csrf(mask_csrf(token)) == token
        assert mask_csrf(token) != mask_csrf(token)
    assert unmask_csrf("not base64 !!") == ""
