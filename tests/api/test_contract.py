"""Schemathesis (schema-driven testing) against the API's own OpenAPI document,
in-process, as a member, a lead, a board member and an admin: 0 failures of every check
it has. The configuration (and why anything in it is tuned) is schemathesis.toml
beside this file."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from schemathesis.config import SchemathesisConfig
from schemathesis.engine import Status, from_schema
from schemathesis.engine.events import EngineFinished, ScenarioFinished

from api.main import create_app
from service.settings import Settings
from tests.api.api_world import World

CONFIG = Path(__file__).with_name("schemathesis.toml")
ROLES = tuple(os.environ.get("CONTRACT_ROLES", "member_a,lead,board,admin").split(","))
#: The notification, follow, mention and webhook operations (issue 15): each must be
#: reached; those marked True must also have answered 2xx at least once for the role.
REACHED = {
    "PUT /pain-points/{pain_point_id}/follow": False,
    "DELETE /pain-points/{pain_point_id}/follow": False,
    "PUT /working-groups/{group_id}/follow": False,
    "DELETE /working-groups/{group_id}/follow": False,
    "GET /me/notifications": True,
    "POST /me/notifications/read": True,
    "GET /me/notification-settings": True,
    "PUT /me/notification-settings": True,
    "GET /pain-points/{pain_point_id}/mentionable": False,
}
ADMIN_REACHED = {
    "POST /webhooks": False,
    "GET /webhooks/{webhook_id}": False,
    "PATCH /webhooks/{webhook_id}": False,
    "DELETE /webhooks/{webhook_id}": False,
    "GET /webhooks/{webhook_id}/deliveries": False,
    "POST /webhooks/{webhook_id}/deliveries/{delivery_id}/redeliver": False,
}


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """SQLite only: the contract is the API's, the same on both backends."""
    return Settings(  # type: ignore[call-arg]
        data_dir=tmp_path / "var",
        bootstrap_admin_email="admin@verband.example",
        bootstrap_admin_password="admin-password",
        login_failures_per_address_per_minute=100_000,
    )


def run(app: FastAPI, token: str) -> tuple[list[str], int, dict[str, set[int]]]:
    """Failures (one line each), the number of requests Schemathesis made, and the
    statuses each operation answered."""
    config = SchemathesisConfig.from_path(CONFIG)
    config.projects.default.update(headers={"Authorization": f"Bearer {token}"})
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app, config=config)
    # Signing out revokes the run's token: every operation after it would only ever
    # answer 401 (tests/api/test_token_revocation.py covers signing out).
    schema = schema.exclude(method="POST", path_regex=r"/auth/logout$")
    failures: list[str] = []
    requests = 0
    answered: dict[str, set[int]] = {}
    for event in from_schema(schema).execute():
        if isinstance(event, ScenarioFinished):
            requests += len(event.recorder.interactions)
            statuses = answered.setdefault(event.recorder.label.replace("/api/v1", ""), set())
            for interaction in event.recorder.interactions.values():
                if interaction.response is not None:
                    statuses.add(interaction.response.status_code)
            for checks in event.recorder.checks.values():
                for check in checks:
                    if check.status == Status.FAILURE and check.failure_info is not None:
                        failure = check.failure_info.failure
                        line = f"{event.label} [{check.name}] {failure.title}: {failure.message}"
                        sample = check.failure_info.code_sample
                        failures.append(f"{line[:400]}\n  {sample[:400]}")
        if isinstance(event, EngineFinished):
            break
    return sorted(set(failures)), requests, answered


@pytest.mark.slow
def test_the_api_does_what_its_schema_says_for_every_role(client: TestClient, world: World) -> None:
    runtime = client.app.state.runtime  # type: ignore[attr-defined]
    app = create_app(runtime.settings, runtime=runtime)
    started = time.monotonic()
    report: list[str] = []
    total = 0
    for role in ROLES:
        failures, requests, answered = run(app, getattr(world, role).token)
        total += requests
        report += [f"{role}: {f}" for f in failures]
        if os.environ.get("CONTRACT_DUMP"):
            with open(os.environ["CONTRACT_DUMP"], "a") as dump:
                for label, codes in answered.items():
                    print(role, label, sorted(codes), file=dump)
        wanted = {**REACHED, **(ADMIN_REACHED if role == "admin" else {})}
        for operation, succeeds in wanted.items():
            statuses = answered.get(operation, set())
            if not statuses or (succeeds and not any(200 <= s < 300 for s in statuses)):
                report.append(f"{role}: {operation} not reached (answered {sorted(statuses)})")
    elapsed = time.monotonic() - started
    print(f"schemathesis: {total} requests in {elapsed:.0f} s, {len(report)} failures")
    assert report == [], "\n".join(report)
