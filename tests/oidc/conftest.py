"""Fixtures for sign-in with an OpenID provider: the real provider and the service."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from service.settings import Settings
from tests.oidc.provider_process import (
    CALLBACK,
    CLIENT_ID,
    CLIENT_SECRET,
    Provider,
    running_provider,
)


@pytest.fixture(scope="module")
def provider() -> Iterator[Provider]:
    with running_provider(CALLBACK) as running:
        yield running


def oidc_settings(data_dir: Path, issuer: str) -> Settings:
    return Settings(
        data_dir=data_dir,
        bootstrap_admin_email="admin@verband.example",
        bootstrap_admin_password="admin-password",
        oidc_issuer=issuer,
        oidc_client_id=CLIENT_ID,
        oidc_client_secret=CLIENT_SECRET,
    )


@pytest.fixture
def client(provider: Provider, tmp_path: Path) -> Iterator[TestClient]:
    app = create_app(oidc_settings(tmp_path / "var", provider.issuer))
    with TestClient(app, headers={"Accept-Language": "en"}) as client:
        yield client
