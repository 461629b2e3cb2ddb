"""Erasure leaves no byte of a person and changes no number (issue 12's acceptance).

A person with unique canary strings in their name, e-mail address, comments and
evidence acts in several groups of the demo association; their copy of their data holds
every canary; after their erasure no file under the data directory (SQLite) and no
table of the schema (PostgreSQL) holds any, while rankings at 20 past moments, the
demo's dossiers and a dossier that counts their evidence are unchanged.
"""

from __future__ import annotations

import random
import secrets
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

import psycopg
import pytest
from fastapi.testclient import TestClient
from psycopg import sql

from api.main import create_app
from demo.loader import DEMO_PASSWORD, load_demo
from domain.workinggroup import WorkingGroup
from service.runtime import Runtime
from service.security import hash_password
from service.settings import Settings
from storage.backup import write_backup
from storage.postgres import postgres_conninfo
from tests.api.api_world import (
    ADMIN_EMAIL,
    ADMIN_PASSWORD,
    API,
    PASSWORD,
    Actor,
    Association,
    sign_in,
)
from tests.api.board_world import finished, issue_dossier

pytestmark = pytest.mark.slow


def canaries() -> dict[str, str]:
    tag = secrets.token_hex(6)
    return {
        name: f"{name}{tag}"
        for name in (
            "kanarienname",
            "kanarienpost",
            "kanarienkommentar",
            "kanarienedit",
            "kanariennotiz",
            "kanarienlink",
        )
    }


def test_erasure_leaves_no_canary_and_every_number_valid(
    settings: Settings, tmp_path: Path
) -> None:
    canary = canaries()
    with TestClient(create_app(settings)) as client:
        runtime: Runtime = client.app.state.runtime  # type: ignore[attr-defined]
        load_demo(runtime.app, hash_password(DEMO_PASSWORD))
        runtime.projector.catch_up()
        admin_token = sign_in(client, ADMIN_EMAIL, ADMIN_PASSWORD)
        me = client.get(f"{API}/me", headers={"Authorization": f"Bearer {admin_token}"}).json()
        api = Association(client, Actor(UUID(me["id"]), ADMIN_EMAIL, admin_token), 0)
        api.command("POST", f"/people/{api.admin.id}/roles", api.admin, json={"role": "board"})
        groups = the_busiest_groups(runtime, 3)
        person = canary_acts(api, runtime, groups, canary)

        copy = api.read(f"/people/{person.id}/personal-data", person)
        assert copy.status_code == 200
        for value in canary.values():
            assert value in copy.text, value
        assert len(copy.json()["supports"]) >= 2 * len(groups)

        dossier, _ = issue_dossier(api, api.admin, groups, ["md", "json"])
        moments = past_moments(runtime)
        before = rankings(api, groups, moments)

        erased = api.call(
            "POST", f"/people/{person.id}/erasure", api.admin, json={"reason": "Art. 17"}
        )
        assert erased.status_code == 202, erased.text
        api.position = erased.json()["position"]
        shown = api.read(f"/people/{person.id}", api.admin).json()
        assert (shown["erased"], shown["display_name"], shown["email"]) == (
            True,
            "former member",
            "",
        )
        refused = client.post(
            f"{API}/auth/token",
            data={"username": f"{canary['kanarienpost']}@vogel.example", "password": PASSWORD},
        )
        assert refused.status_code == 401

        assert rankings(api, groups, moments) == before
        for issued in [dossier, *demo_dossiers(api)]:
            started = api.call("POST", f"/dossiers/{issued}/verify", api.admin)
            assert finished(api, api.admin, started.json()["id"])["verified"] is True

        # The server runs on: the projector commits further batches, then checkpoints.
        api.command("POST", "/companies", api.admin, 201, json={"name": "Nachzügler GmbH"})
        api.read("/companies", api.admin)
        assert_no_canary(settings, runtime, canary)
        backup = tmp_path / "after-erasure.zip"
        write_backup(runtime.app.recorder, backup, runtime.app.keys)
        with zipfile.ZipFile(backup) as archive:
            unpacked = b"".join(archive.read(name) for name in archive.namelist())
        assert [c for c in canary.values() if c.encode() in unpacked] == []
    assert_no_canary(settings, None, canary)


def the_busiest_groups(runtime: Runtime, count: int) -> list[UUID]:
    with runtime.store.reading() as cur:
        cur.execute(
            "SELECT group_id FROM v_pain_points WHERE status IN ('new', 'accepted')"
            " GROUP BY group_id ORDER BY COUNT(*) DESC, group_id LIMIT ?",
            (count,),
        )
        return [UUID(row[0]) for row in cur.fetchall()]


def canary_acts(
    api: Association, runtime: Runtime, groups: list[UUID], canary: dict[str, str]
) -> Actor:
    """Register the canary person in a demo company and let them act in every group."""
    with runtime.store.reading() as cur:
        cur.execute("SELECT id FROM v_companies WHERE ended_at IS NULL ORDER BY name LIMIT 1")
        company = cur.fetchone()[0]
    email = f"{canary['kanarienpost']}@vogel.example"
    body = {
        "email": email,
        "display_name": f"Erika {canary['kanarienname']}",
        "company_id": company,
        "password": PASSWORD,
    }
    person_id = UUID(api.command("POST", "/people", api.admin, 201, json=body)["id"])
    for group in groups:
        api.enrol(group, person_id)
    person = Actor(person_id, email, sign_in(api.client, email))
    for group in groups:
        app_group = runtime.app.load(WorkingGroup, group, "group", readonly=True)
        assert app_group.is_member(person_id)
        with runtime.store.reading() as cur:
            cur.execute(
                "SELECT id FROM v_pain_points WHERE group_id = ? AND status IN ('new', 'accepted')"
                " ORDER BY id LIMIT 2",
                (group.hex,),
            )
            items = [UUID(row[0]) for row in cur.fetchall()]
        for item in items:
            api.command("PUT", f"/pain-points/{item}/support", person, 201)
        on = f"/pain-points/{items[0]}"
        text = {"text": f"Bei uns auch: {canary['kanarienkommentar']}"}
        comment = api.command("POST", on + "/comments", person, 201, json=text)
        edited = {"text": f"Bei uns auch, seit März: {canary['kanarienedit']}"}
        api.command("PATCH", f"/comments/{comment['id']}", person, json=edited)
        facts = {
            "affected_customers": 7,
            "revenue_band": "10k-100k",
            "product_area": "Lizenzen",
            "link": f"https://intranet.example/{canary['kanarienlink']}",
            "note": f"Sieben Kunden, {canary['kanariennotiz']}",
        }
        api.command("POST", on + "/evidence", person, 201, json=facts)
    reset = api.client.post(f"{API}/auth/password-reset", json={"email": email})
    assert reset.status_code == 202
    # The reset mail is queued to the address, unless the mail thread has already sent
    # (or given up on) it: a one-time message loses its recipient then.
    mails = runtime.outbox.all(kind="mail")
    assert any(
        message.recipient == email
        or (message.recipient == "" and message.payload.get("template") == "password_reset")
        for message in mails
    ), mails
    return person


def past_moments(runtime: Runtime) -> list[datetime]:
    """20 random moments between the demo's first event and now."""
    first = runtime.app.recorder.select_notifications(start=1, limit=1)[0]
    start = runtime.app.mapper.to_domain_event(first).timestamp  # type: ignore[attr-defined]
    span = (datetime.now(UTC) - start).total_seconds()
    rng = random.Random(12)
    return sorted(start + timedelta(seconds=rng.uniform(0, span)) for _ in range(20))


def rankings(api: Association, groups: list[UUID], moments: list[datetime]) -> list[Any]:
    answers = []
    for group in groups:
        answers.append(api.read(f"/working-groups/{group}/ranking", api.admin).json())
        for moment in moments:
            as_of = moment.isoformat().replace("+00:00", "Z")
            path = f"/working-groups/{group}/ranking?as_of={as_of}&limit=100"
            answers.append(api.read(path, api.admin).json())
    return answers


def demo_dossiers(api: Association) -> list[str]:
    page = api.read("/dossiers", api.admin).json()
    issued = [item["id"] for item in page["items"]]
    assert len(issued) >= 3  # the demo's two and this test's
    return issued[-2:]


def assert_no_canary(settings: Settings, runtime: Runtime | None, canary: dict[str, str]) -> None:
    if settings.uses_postgres:
        assert_no_canary_in_schema(settings, canary)
        return
    found = []
    for path in sorted(Path(settings.data_dir).rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            found += [(path.name, c) for c in canary.values() if c.encode() in data]
    assert found == [], "canary bytes left under the data directory"


def assert_no_canary_in_schema(settings: Settings, canary: dict[str, str]) -> None:
    env = settings.event_store_env()
    schema = env["POSTGRES_SCHEMA"]
    found = []
    with psycopg.connect(postgres_conninfo(env), autocommit=True) as conn:
        tables = conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = %s",
            (schema,),
        ).fetchall()
        for (table,) in tables:
            rows = conn.execute(
                sql.SQL("SELECT t::text FROM {} t").format(sql.Identifier(schema, table))
            ).fetchall()
            text = "\n".join(row[0] for row in rows)
            for value in canary.values():
                if value in text or value.encode().hex() in text:
                    found.append((table, value))
    assert found == [], "canary text left in the schema"
