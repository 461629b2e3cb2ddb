"""Sign-in abuse limits through the API: failures are limited, sign-ins never."""

from __future__ import annotations

import secrets
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from service.settings import Settings
from tests.api.api_world import API, PASSWORD, Association, World, build_world

PROXY = ("127.0.0.1", 50000)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Behind a trusted proxy on loopback, so a test can speak for many client addresses."""
    return Settings(
        data_dir=tmp_path / "var",
        bootstrap_admin_email="admin@verband.example",
        bootstrap_admin_password="admin-password",
        trusted_proxies="127.0.0.1/32",
    )


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings), client=PROXY) as client:
        yield client


@pytest.fixture
def world(client: TestClient) -> World:
    return build_world(client)


def attempt(client: TestClient, email: str, password: str, address: str = "203.0.113.7") -> int:
    response = client.post(
        f"{API}/auth/token",
        data={"username": email, "password": password},
        headers={"X-Forwarded-For": f"198.51.100.1, {address}"},
    )
    return response.status_code


def test_sixty_people_sign_in_from_one_office_address_within_a_minute(world: World) -> None:
    api = Association(world.client, world.admin, world.position)
    emails = [f"person{n}@alpha.example" for n in range(60)]
    for email in emails:
        api.register(email, world.company_a)

    statuses = [attempt(world.client, email, PASSWORD) for email in emails]

    assert statuses == [200] * 60


def test_the_sixth_wrong_password_waits_while_colleagues_still_sign_in(world: World) -> None:
    wrong = [attempt(world.client, world.member_a.email, "wrong password!") for _ in range(5)]
    sixth = world.client.post(
        f"{API}/auth/token",
        data={"username": world.member_a.email, "password": "wrong password!"},
        headers={"X-Forwarded-For": "203.0.113.7"},
    )
    colleague = attempt(world.client, world.member_b.email, PASSWORD)

    assert wrong == [401] * 5
    assert sixth.status_code == 429
    assert sixth.headers["Retry-After"] == "30"
    assert sixth.headers["content-type"] == "application/problem+json"
    assert colleague == 200


def test_the_owner_signs_in_from_elsewhere_while_a_stranger_keeps_failing(world: World) -> None:
    stranger = [
        attempt(world.client, world.member_a.email, f"guess {n}!!", "192.0.2.66") for n in range(12)
    ]

    owner = attempt(world.client, world.member_a.email, PASSWORD, "203.0.113.10")

    assert stranger[:5] == [401] * 5
    assert set(stranger[5:]) == {429}
    assert owner == 200


def test_addresses_without_an_account_get_the_same_answers(world: World) -> None:
    unknown = [
        attempt(world.client, "niemand@nirgends.example", "wrong password!") for _ in range(6)
    ]
    known = [attempt(world.client, world.member_b.email, "wrong password!") for _ in range(6)]

    assert unknown == known == [401] * 5 + [429]


def test_whitespace_and_case_variants_of_an_e_mail_share_one_budget(world: World) -> None:
    email = world.member_a.email
    variants = [email, f"{email} ", f" {email}", email.upper(), f"\t{email}", email]

    statuses = [attempt(world.client, variant, "wrong password!") for variant in variants]

    assert statuses == [401] * 5 + [429]


def test_the_right_password_from_the_failing_address_waits_too(world: World) -> None:
    for _ in range(5):
        attempt(world.client, world.member_a.email, "wrong password!")

    assert attempt(world.client, world.member_a.email, PASSWORD) == 429


def test_an_address_from_an_untrusted_peer_is_the_peer_itself(settings: Settings) -> None:
    with TestClient(create_app(settings), client=("192.0.2.1", 1)) as client:
        statuses = [
            attempt(client, "admin@verband.example", "wrong password!", f"203.0.113.{n}")
            for n in range(6)
        ]

    assert statuses == [401] * 5 + [429]


def test_a_username_longer_than_an_e_mail_can_be_is_422_and_not_counted(world: World) -> None:
    response = world.client.post(f"{API}/auth/token", data={"username": "a" * 255, "password": "x"})

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "username"
    assert len(world.client.app.state.signin_limits) == 0  # type: ignore[attr-defined]


@pytest.mark.slow
def test_ten_thousand_attempts_with_huge_usernames_keep_memory_flat(client: TestClient) -> None:
    """Measured with tracemalloc in this process (the server's whole Python heap)."""
    for _ in range(200):  # warm up caches and pools first
        attempt(client, secrets.token_urlsafe(45_000), "x")
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        statuses = {attempt(client, secrets.token_urlsafe(45_000), "x") for _ in range(10_000)}
        grown = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()

    assert statuses == {422}
    assert grown < 20 * 2**20, f"grew by {grown / 2**20:.1f} MiB"
