"""Driving a sign-in through the test OpenID provider over HTTP, as a browser would."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx
from fastapi.testclient import TestClient

API = "/api/v1"
ADMIN = {"username": "admin@verband.example", "password": "admin-password"}


def form_action(html: str, base: str) -> str:
    match = re.search(r'<form[^>]*action="([^"]+)"', html)
    assert match, html
    return urljoin(base, match.group(1).replace("&amp;", "&"))


def through_provider(start: httpx.Response, login: str) -> str:
    """From our redirect to the provider, sign in as `login` and consent; the URL of
    the provider's redirect back to us (our callback with code and state)."""
    assert start.status_code == 303, start.text
    with httpx.Client(timeout=10) as browser:
        page = browser.get(start.headers["location"], follow_redirects=True)
        answer = browser.post(
            form_action(page.text, str(page.url)),
            data={"prompt": "login", "login": login, "password": "any"},
        )
        for _ in range(10):
            location = answer.headers.get("location")
            if answer.status_code == 200 and "<form" in answer.text:  # consent
                answer = browser.post(
                    form_action(answer.text, str(answer.url)), data={"prompt": "consent"}
                )
                continue
            assert location, answer.text
            target = urljoin(str(answer.url), location)
            if urlsplit(target).hostname == "testserver":
                return target
            answer = browser.get(target)
    raise AssertionError("the provider never redirected back")


def sign_in_with_provider(client: TestClient, login: str, next_path: str = "/") -> httpx.Response:
    """The whole code flow; our callback's answer (not followed)."""
    start = client.get("/auth/oidc/start", params={"next": next_path}, follow_redirects=False)
    back = through_provider(start, login)
    return client.get(back, follow_redirects=False)


def admin_token(client: TestClient) -> dict[str, str]:
    response = client.post(f"{API}/auth/token", data=ADMIN)
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def eventually(read: Callable[[], Any], done: Callable[[Any], bool], seconds: float = 10) -> Any:
    """What `read` answers once `done` holds: for reads after a web form's write, whose
    log position the test does not learn."""
    deadline = time.monotonic() + seconds
    while True:
        value = read()
        if done(value) or time.monotonic() > deadline:
            return value
        time.sleep(0.05)
