"""The small world of api_world.py with the board's work under way: a vendor
representative, an escalated pain point on a meeting's agenda that the vendor has
answered with a promise, and the first edition of G1's curated list."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from uuid import UUID

from service.runtime import Runtime
from tests.api.api_world import Actor, Association, World, sign_in

#: How far ahead of the association's today the world's promise is due.
DUE_IN = timedelta(days=30)


@dataclass
class BoardWorld(World):
    """`escalated` (by member B in G1) was escalated by the lead, put on `meeting`'s
    agenda by the board and answered by `vendor` with `response`, which promises a
    fix by `due_on` (DUE_IN after the day the world was built: a promise is never for a
    day that has passed). The lead published edition 1 of G1's curated list: [escalated]."""

    vendor: Actor
    escalated: UUID
    meeting: UUID
    response: UUID
    dossier: UUID
    job: str
    due_on: date


def runtime_of(api: Association) -> Runtime:
    runtime: Runtime = api.client.app.state.runtime  # type: ignore[attr-defined]
    return runtime


def today(api: Association) -> date:
    """The association's date on the service's clock."""
    return runtime_of(api).app.today()


def clock_ahead(api: Association, delta: timedelta) -> None:
    """From now on the service's clock runs `delta` ahead of the real one (never back)."""
    app = runtime_of(api).app
    real = app.clock
    app.clock = lambda: real() + delta  # type: ignore[method-assign]


def vendor_representative(api: Association, email: str = "vera@hersteller.example") -> Actor:
    vendor = api.person(email, None)
    api.command("POST", f"/people/{vendor.id}/roles", api.admin, json={"role": "vendor"})
    return vendor


def move(api: Association, pain_point: UUID, by: Actor, *statuses: str) -> None:
    for status in statuses:
        body = {"status": status, "reason": f"nach Prüfung: {status}"}
        api.command("POST", f"/pain-points/{pain_point}/status", by, json=body)


def schedule(api: Association, by: Actor, name: str = "Quality Board Q2", **extra: Any) -> UUID:
    body = {"name": name, "kind": "quality-board", "held_on": "2026-04-20", **extra}
    return UUID(api.command("POST", "/meetings", by, 201, json=body)["id"])


def respond(api: Association, vendor: Actor, pain_point: UUID, **fields: Any) -> UUID:
    body = {"kind": "planned", "text": "Wir vereinfachen die Registrierung.", **fields}
    path = f"/pain-points/{pain_point}/responses"
    return UUID(api.command("POST", path, vendor, 201, json=body)["id"])


def curate(api: Association, by: Actor, group: UUID, rows: list[UUID], edition: int) -> Any:
    """Publish a curated list; every row carries a rationale, so none is refused."""
    items = [{"pain_point_id": str(row), "rationale": "Begründung"} for row in rows]
    return api.call(
        "PUT",
        f"/working-groups/{group}/curated-list",
        by,
        json={"items": items, "note": "Stand"},
        headers={"If-Match": f'"{edition}"'},
    )


def build_board_world(world: World) -> BoardWorld:
    vendor = vendor_representative(world)
    escalated = world.submit(world.group_1, world.member_b, "Partnerregistrierung dauert Wochen")
    move(world, escalated, world.lead, "accepted", "escalated")
    meeting = schedule(world, world.board)
    on_agenda = {"items": [str(escalated)]}
    world.command("PUT", f"/meetings/{meeting}/agenda", world.board, json=on_agenda)
    due_on = today(world) + DUE_IN
    promise = {"product_group": "Partner Center", "commitment": "Ein Schritt"}
    promise["due_on"] = due_on.isoformat()
    response = respond(world, vendor, escalated, **promise)
    published = curate(world, world.lead, world.group_1, [escalated], edition=0)
    assert published.status_code == 200, published.text
    world.position = max(world.position, published.json()["position"])
    # The group votes in rounds; round 1 is over, so every caller can look at its result.
    rules = {"vote_budget": 5, "rounds": True, "reason": "Punktabstimmung"}
    for method, path, body in (
        ("PUT", f"/working-groups/{world.group_1}/voting", rules),
        ("POST", f"/working-groups/{world.group_1}/rounds", {"title": "Frühjahr"}),
        ("POST", f"/working-groups/{world.group_1}/rounds/current/close", None),
    ):
        world.command(method, path, world.lead, json=body)
    dossier, job = issue_dossier(world, world.board, [world.group_1], ["md"])
    fields = {name: getattr(world, name) for name in World.__dataclass_fields__}
    return BoardWorld(
        **fields, vendor=vendor, escalated=escalated, meeting=meeting, response=response,
        dossier=dossier, job=job, due_on=due_on,
    )  # fmt: skip


def finished(api: Association, by: Actor, job: str) -> dict[str, Any]:
    """Poll a dossier job until it is done or failed."""
    for _ in range(600):
        state: dict[str, Any] = api.call("GET", f"/dossier-jobs/{job}", by).json()
        if state["state"] in ("done", "failed"):
            return state
        time.sleep(0.05)
    raise AssertionError(f"dossier job {job} did not finish")


def issue_dossier(
    api: Association, by: Actor, groups: list[UUID], formats: list[str], **more: Any
) -> tuple[UUID, str]:
    """Issue a dossier through the API; its id and its job's id."""
    body = {"group_ids": [str(g) for g in groups], "formats": formats, **more}
    started = api.call("POST", "/dossiers", by, json=body)
    assert started.status_code == 202, started.text
    state = finished(api, by, started.json()["id"])
    assert state["state"] == "done", state
    return UUID(state["dossier_id"]), started.json()["id"]


def signed_in_again(api: Association, actor: Actor) -> Actor:
    """The actor with a new session (after the clock jumped past the old one's end)."""
    return Actor(actor.id, actor.email, sign_in(api.client, actor.email))
