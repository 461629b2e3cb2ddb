"""Who may call which route: every route against every kind of caller.

The matrix names each route by method and path template and gives the status
expected for each caller, in the order of ROLES. Callers act on group G1 and its
pain point; people routes target member B (of company B), company routes a
company nobody works for. The vendor's routes on a pain point act on the escalated
one of board_world.py, meeting and response routes on its meeting and response.
Rows that end the pain point or the session come last.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

import pytest
from fastapi.routing import APIRoute, iter_route_contexts

from notify.webhooks import new_secret
from storage.outbox import Message
from storage.webhooks import Webhook
from tests.api.api_world import API, PASSWORD, PROBLEM, Actor, World
from tests.api.board_world import BoardWorld, build_board_world

Route = tuple[str, str]
Request = Callable[[BoardWorld], dict[str, Any]]

ROLES = ("anonymous", "member", "other group member", "lead", "board", "admin", "vendor")


def form(world: World) -> dict[str, Any]:
    return {"data": {"username": world.member_a.email, "password": PASSWORD}}


def new_person(world: World) -> dict[str, Any]:
    person = {"email": "neu@beta.example", "display_name": "Neu", "password": PASSWORD}
    return {"json": {**person, "company_id": str(world.company_b)}}


def member_b(world: World) -> dict[str, Any]:
    return {"json": {"person_id": str(world.member_b.id)}}


def lead(world: World) -> dict[str, Any]:
    return {"json": {"person_id": str(world.lead.id)}}


def body(json: dict[str, Any]) -> Request:
    return lambda world: {"json": json}


def nothing(world: World) -> dict[str, Any]:
    return {}


def escalated(world: BoardWorld) -> dict[str, Any]:
    return {"json": {"pain_point_id": str(world.escalated)}}


def agenda(world: BoardWorld) -> dict[str, Any]:
    return {"json": {"items": [str(world.escalated)]}}


def merge_into_escalated(world: BoardWorld) -> dict[str, Any]:
    return {"json": {"target_id": str(world.escalated), "reason": "Duplikat"}}


def curated(world: BoardWorld) -> dict[str, Any]:
    row = {"pain_point_id": str(world.pain_point), "rationale": "Dringend"}
    return {"json": {"items": [row]}, "headers": {"If-Match": '"1"'}}


def invitation(world: World) -> dict[str, Any]:
    person = {"email": "eingeladen@alpha.example", "display_name": "Eingeladen"}
    groups = [str(world.group_1)]
    return {"json": {**person, "company_id": str(world.company_a), "working_group_ids": groups}}


def password(world: World) -> dict[str, Any]:
    return {"json": {"password": "a long enough passphrase"}}


#: Routes whose {pain_point_id} is the escalated pain point, not the world's own.
ON_ESCALATED = {
    ("GET", "/vendor/pain-points/{pain_point_id}"),
    ("POST", "/pain-points/{pain_point_id}/responses"),
    ("GET", "/pain-points/{pain_point_id}/responses"),
}
LIST = "/working-groups/{group_id}/curated-list"

#                                                   anon member other lead board admin vendor
MATRIX: dict[Route, tuple[tuple[int, ...], Request]] = {
    ("POST", "/auth/token"): ((200, 200, 200, 200, 200, 200, 200), form),
    ("GET", "/me"): ((401, 200, 200, 200, 200, 200, 200), nothing),
    ("POST", "/people"): ((401, 403, 403, 403, 403, 201, 403), new_person),
    ("GET", "/people/{person_id}"): ((401, 404, 404, 200, 200, 200, 404), nothing),
    ("POST", "/people/{person_id}/roles"): (
        (401, 403, 403, 403, 403, 200, 403),
        body({"role": "board"}),
    ),
    ("DELETE", "/people/{person_id}/roles/{role}"): (
        (401, 403, 403, 403, 403, 200, 403),
        nothing,
    ),
    ("GET", "/companies"): ((401, 200, 200, 200, 200, 200, 200), nothing),
    ("POST", "/companies"): ((401, 403, 403, 403, 403, 201, 403), body({"name": "Gamma"})),
    ("GET", "/companies/{company_id}"): ((401, 200, 200, 200, 200, 200, 200), nothing),
    ("POST", "/companies/{company_id}/end-membership"): (
        (401, 403, 403, 403, 403, 200, 403),
        body({"reason": "gekündigt"}),
    ),
    # The directory is every signed-in person's but the vendor's (who never sees a group).
    ("GET", "/working-groups"): ((401, 200, 200, 200, 200, 200, 404), nothing),
    ("POST", "/working-groups"): (
        (401, 403, 403, 403, 403, 201, 403),
        body({"name": "G3 Nord", "kind": "regional"}),
    ),
    ("GET", "/working-groups/{group_id}"): ((401, 200, 200, 200, 200, 200, 404), nothing),
    ("GET", "/working-groups/{group_id}/roadmap"): (
        (401, 200, 404, 200, 200, 200, 404),
        nothing,
    ),
    ("POST", "/working-groups/{group_id}/members"): (
        (401, 403, 403, 200, 403, 200, 403),
        member_b,
    ),
    ("POST", "/working-groups/{group_id}/leads"): ((401, 403, 403, 403, 403, 200, 403), lead),
    ("POST", "/working-groups/{group_id}/pain-points"): (
        (401, 201, 403, 201, 403, 403, 403),
        body({"title": "Updates brechen Schnittstellen"}),
    ),
    # A group's contents are not visible to a non-member (404); its directory entry is.
    ("GET", "/working-groups/{group_id}/ranking"): (
        (401, 200, 404, 200, 200, 200, 404),
        nothing,
    ),
    ("GET", "/working-groups/{group_id}/pain-points"): (
        (401, 200, 404, 200, 200, 200, 404),
        nothing,
    ),
    ("GET", "/working-groups/{group_id}/voting"): ((401, 200, 404, 200, 200, 200, 404), nothing),
    ("GET", "/working-groups/{group_id}/rounds/{number}"): (
        (401, 200, 404, 200, 200, 200, 404),
        nothing,
    ),
    ("PUT", "/working-groups/{group_id}/voting"): (
        (401, 403, 404, 200, 403, 200, 404),
        body({"vote_budget": 3, "rounds": True, "reason": "knapper"}),
    ),
    ("POST", "/working-groups/{group_id}/rounds"): (
        (401, 403, 404, 200, 403, 200, 404),
        body({"title": "Herbst"}),
    ),
    ("POST", "/working-groups/{group_id}/rounds/current/close"): (
        (401, 403, 404, 200, 403, 200, 404),
        nothing,
    ),
    ("GET", "/pain-points/{pain_point_id}"): ((401, 200, 404, 200, 200, 200, 404), nothing),
    # Its author edits until triage, the group's leads and admins after; the board may not.
    ("PATCH", "/pain-points/{pain_point_id}"): (
        (401, 200, 404, 200, 403, 200, 404),
        body({"title": "Lizenzportal meldet falsche Laufzeiten"}),
    ),
    # The triage inbox is there for the leads of a group only.
    ("GET", "/me/triage"): ((401, 404, 404, 200, 404, 404, 404), nothing),
    ("GET", "/pain-points/{pain_point_id}/history"): (
        (401, 200, 404, 200, 200, 200, 404),
        nothing,
    ),
    ("PUT", "/pain-points/{pain_point_id}/support"): (
        (401, 201, 404, 201, 403, 403, 404),
        nothing,
    ),
    ("DELETE", "/pain-points/{pain_point_id}/support"): (
        (401, 200, 404, 200, 200, 200, 404),
        nothing,
    ),
    ("PUT", "/pain-points/{pain_point_id}/follow"): (
        (401, 200, 404, 200, 200, 200, 404),
        nothing,
    ),
    ("DELETE", "/pain-points/{pain_point_id}/follow"): (
        (401, 200, 404, 200, 200, 200, 404),
        nothing,
    ),
    ("PUT", "/working-groups/{group_id}/follow"): (
        (401, 200, 404, 200, 200, 200, 404),
        nothing,
    ),
    ("DELETE", "/working-groups/{group_id}/follow"): (
        (401, 200, 404, 200, 200, 200, 404),
        nothing,
    ),
    ("GET", "/me/notifications"): ((401, 200, 200, 200, 200, 200, 200), nothing),
    ("POST", "/me/notifications/read"): (
        (401, 200, 200, 200, 200, 200, 200),
        body({"all": True}),
    ),
    ("GET", "/me/notification-settings"): ((401, 200, 200, 200, 200, 200, 200), nothing),
    ("PUT", "/me/notification-settings"): (
        (401, 200, 200, 200, 200, 200, 200),
        body({"email": "weekly", "digest_hour": 8}),
    ),
    ("POST", "/webhooks"): (
        (401, 403, 403, 403, 403, 201, 403),
        body({"url": "https://1.1.1.1/hook", "events": ["*"]}),
    ),
    ("GET", "/webhooks/{webhook_id}"): ((401, 403, 403, 403, 403, 200, 403), nothing),
    ("PATCH", "/webhooks/{webhook_id}"): (
        (401, 403, 403, 403, 403, 200, 403),
        body({"description": "Intranet"}),
    ),
    ("GET", "/webhooks/{webhook_id}/deliveries"): (
        (401, 403, 403, 403, 403, 200, 403),
        nothing,
    ),
    ("POST", "/webhooks/{webhook_id}/deliveries/{delivery_id}/redeliver"): (
        (401, 403, 403, 403, 403, 202, 403),
        nothing,
    ),
    ("DELETE", "/webhooks/{webhook_id}"): ((401, 403, 403, 403, 403, 204, 403), nothing),
    # The board moves only escalated items: a new one is the leads' to triage (422).
    ("POST", "/pain-points/{pain_point_id}/status"): (
        (401, 403, 404, 200, 422, 200, 404),
        body({"status": "accepted", "reason": "Mehrere Mitglieder betroffen"}),
    ),
    ("GET", LIST): ((401, 200, 404, 200, 200, 200, 404), nothing),
    ("GET", LIST + "/editions/{edition}"): ((401, 200, 404, 200, 200, 200, 404), nothing),
    ("PUT", LIST): ((401, 403, 404, 200, 403, 200, 404), curated),
    ("POST", "/meetings"): (
        (401, 403, 403, 403, 201, 201, 403),
        body({"name": "Inner Circle", "kind": "inner-circle", "held_on": "2026-09-01"}),
    ),
    ("GET", "/meetings"): ((401, 200, 200, 200, 200, 200, 200), nothing),
    ("GET", "/meetings/{meeting_id}"): ((401, 200, 200, 200, 200, 200, 200), nothing),
    ("PUT", "/meetings/{meeting_id}/agenda"): ((401, 403, 403, 403, 200, 200, 403), agenda),
    ("PUT", "/meetings/{meeting_id}/agenda/order"): (
        (401, 403, 403, 403, 200, 200, 403),
        agenda,
    ),
    ("POST", "/meetings/{meeting_id}/presented"): (
        (401, 403, 403, 403, 200, 200, 403),
        escalated,
    ),
    ("GET", "/meetings/{meeting_id}/changes"): ((401, 200, 200, 200, 200, 200, 403), nothing),
    # The vendor's area exists for the vendor, the board and admins only (404 elsewhere).
    ("GET", "/vendor/pain-points"): ((401, 404, 404, 404, 200, 200, 200), nothing),
    ("GET", "/vendor/pain-points/{pain_point_id}"): (
        (401, 404, 404, 404, 200, 200, 200),
        nothing,
    ),
    # Whoever sees the escalated pain point but is not the vendor: 403; `other` does not see it.
    ("POST", "/pain-points/{pain_point_id}/responses"): (
        (401, 403, 404, 403, 403, 403, 201),
        body({"kind": "acknowledged", "text": "Wir prüfen das."}),
    ),
    ("GET", "/pain-points/{pain_point_id}/responses"): (
        (401, 200, 404, 200, 200, 200, 200),
        nothing,
    ),
    ("POST", "/responses/{response_id}/settle"): (
        (401, 403, 403, 403, 200, 200, 403),
        body({"met": True, "note": "geliefert"}),
    ),
    ("GET", "/promises"): ((401, 404, 404, 200, 200, 200, 404), nothing),
    ("GET", "/reports/response-times"): ((401, 404, 404, 404, 200, 200, 404), nothing),
    ("POST", "/pain-points/{pain_point_id}/merge"): (
        (401, 403, 404, 200, 403, 200, 404),
        merge_into_escalated,
    ),
    ("POST", "/pain-points/{pain_point_id}/unmerge"): (
        (401, 403, 404, 200, 403, 200, 404),
        body({"reason": "doch verschieden"}),
    ),
    ("POST", "/dossiers"): (
        (401, 404, 404, 404, 202, 202, 404),
        lambda world: {"json": {"group_ids": [str(world.group_1)], "formats": ["md"]}},
    ),
    ("GET", "/dossiers"): ((401, 404, 404, 404, 200, 200, 404), nothing),
    ("GET", "/dossiers/{dossier_id}"): ((401, 404, 404, 404, 200, 200, 404), nothing),
    ("GET", "/dossiers/{dossier_id}/files/{fmt}"): ((401, 404, 404, 404, 200, 200, 404), nothing),
    ("POST", "/dossiers/{dossier_id}/verify"): ((401, 404, 404, 404, 202, 202, 404), nothing),
    ("GET", "/dossiers/{dossier_id}/signature"): ((401, 404, 404, 404, 200, 200, 404), nothing),
    ("GET", "/signing-key"): ((401, 200, 200, 200, 200, 200, 200), nothing),
    ("GET", "/dossier-jobs/{job_id}"): ((401, 404, 404, 404, 200, 200, 404), nothing),
    ("PUT", "/companies/{company_id}/identity-provider"): (
        (401, 403, 403, 403, 403, 200, 403),
        body({"tenant_id": "4f1b5a2e-7c1d-4e1a-9b3e-2f6d8c9a0b11"}),
    ),
    ("GET", "/companies/{company_id}/identity-provider"): (
        (401, 403, 403, 403, 403, 200, 403),
        nothing,
    ),
    ("PUT", "/companies/{company_id}/password-sign-in"): (
        (401, 403, 403, 403, 403, 200, 403),
        body({"allowed": False}),
    ),
    ("GET", "/access-requests"): ((401, 403, 403, 403, 403, 200, 403), nothing),
    # No access request exists in this world: the admin learns that (404).
    ("POST", "/access-requests/{request_id}/approve"): (
        (401, 403, 403, 403, 403, 404, 403),
        nothing,
    ),
    ("POST", "/access-requests/{request_id}/decline"): (
        (401, 403, 403, 403, 403, 404, 403),
        body({"reason": "unbekannt"}),
    ),
    ("GET", "/working-groups/{group_id}/join-requests"): (
        (401, 403, 404, 200, 403, 200, 404),
        nothing,
    ),
    # Members: nothing to ask (no-op); `other` (of a member company) asks; the board and
    # admin of this world work for no company (403); the vendor never sees the group.
    ("POST", "/working-groups/{group_id}/join-requests"): (
        (401, 200, 200, 200, 403, 403, 404),
        nothing,
    ),
    # Only member B could withdraw member B's request.
    ("DELETE", "/working-groups/{group_id}/join-requests/{person_id}"): (
        (401, 403, 403, 403, 403, 403, 404),
        nothing,
    ),
    # Member B asked for nothing: a lead and an admin get 409.
    ("POST", "/working-groups/{group_id}/join-requests/{person_id}/approve"): (
        (401, 403, 404, 409, 403, 409, 404),
        nothing,
    ),
    ("POST", "/working-groups/{group_id}/join-requests/{person_id}/decline"): (
        (401, 403, 404, 409, 403, 409, 404),
        nothing,
    ),
    ("PATCH", "/people/{person_id}"): (
        (401, 403, 403, 403, 403, 200, 403),
        body({"display_name": "Bernd Beta"}),
    ),
    ("GET", "/people/{person_id}/history"): ((401, 404, 404, 404, 404, 200, 404), nothing),
    ("DELETE", "/working-groups/{group_id}/leads/{person_id}"): (
        (401, 403, 403, 403, 403, 200, 403),
        nothing,
    ),
    ("POST", "/invitations"): ((401, 403, 403, 201, 403, 201, 403), invitation),
    ("GET", "/invitations"): ((401, 403, 403, 200, 403, 200, 403), nothing),
    # The admin issued it; to anyone else it does not exist.
    ("DELETE", "/invitations/{invitation_id}"): ((401, 404, 404, 404, 404, 200, 404), nothing),
    # A token nobody was sent: the same for everyone (a real one: test_invitations.py).
    ("POST", "/invitations/{token}/accept"): ((404, 404, 404, 404, 404, 404, 404), password),
    ("POST", "/auth/password-reset"): (
        (202, 202, 202, 202, 202, 202, 202),
        body({"email": "anna@alpha.example"}),
    ),
    ("POST", "/auth/password-reset/{token}"): ((404, 404, 404, 404, 404, 404, 404), password),
    ("POST", "/email-changes/{token}/confirm"): ((404, 404, 404, 404, 404, 404, 404), nothing),
    # A wrong current password: the change itself is test_password_self_service.py's.
    ("PUT", "/me/password"): (
        (401, 422, 422, 422, 422, 422, 422),
        body({"current_password": "not it at all", "new_password": "a fine new passphrase"}),
    ),
    ("GET", "/me/sessions"): ((401, 200, 200, 200, 200, 200, 200), nothing),
    ("DELETE", "/me/sessions/{session_id}"): ((401, 404, 404, 404, 404, 404, 404), nothing),
    ("GET", "/health/live"): ((200, 200, 200, 200, 200, 200, 200), nothing),
    ("GET", "/health/ready"): ((200, 200, 200, 200, 200, 200, 200), nothing),
    ("GET", "/pain-points/{pain_point_id}/supporters"): (
        (401, 200, 404, 200, 200, 200, 404),
        nothing,
    ),
    ("PUT", "/working-groups/{group_id}/privacy"): (
        (401, 403, 404, 200, 403, 200, 404),
        body({"supporter_names": "members"}),
    ),
    ("GET", "/pain-points/{pain_point_id}/comments"): (
        (401, 200, 404, 200, 200, 200, 404),
        nothing,
    ),
    ("POST", "/pain-points/{pain_point_id}/comments"): (
        (401, 201, 404, 201, 201, 201, 404),
        body({"text": "Betrifft uns auch."}),
    ),
    # The vendor sees no comments (404); a vendor who is a member gets 403 (test_mentions).
    ("GET", "/pain-points/{pain_point_id}/mentionable"): (
        (401, 200, 404, 200, 200, 200, 404),
        nothing,
    ),
    # The comment and the evidence are member A's (staged by the test).
    ("PATCH", "/comments/{comment_id}"): (
        (401, 200, 404, 403, 403, 403, 404),
        body({"text": "Betrifft uns auch, seit März."}),
    ),
    ("POST", "/comments/{comment_id}/remove"): (
        (401, 403, 404, 200, 403, 200, 404),
        body({"reason": "nicht zum Thema"}),
    ),
    ("GET", "/pain-points/{pain_point_id}/evidence"): (
        (401, 200, 404, 200, 200, 200, 404),
        nothing,
    ),
    ("POST", "/pain-points/{pain_point_id}/evidence"): (
        (401, 201, 404, 201, 403, 403, 404),
        body({"affected_customers": 3, "revenue_band": "10k-100k"}),
    ),
    ("PATCH", "/evidence/{evidence_id}"): (
        (401, 200, 404, 403, 403, 403, 404),
        body({"affected_customers": 4, "revenue_band": "10k-100k", "note": "drei Kunden"}),
    ),
    ("POST", "/evidence/{evidence_id}/remove"): (
        (401, 403, 404, 200, 403, 200, 404),
        body({"reason": "doppelt"}),
    ),
    # A member can never read nor erase another person's data (B is not their colleague;
    # the lead and the board may see B, but only B and admins may read or erase).
    ("GET", "/people/{person_id}/personal-data"): (
        (401, 404, 404, 403, 403, 200, 404),
        nothing,
    ),
    ("POST", "/people/{person_id}/erasure-request"): (
        (401, 404, 404, 403, 403, 403, 404),
        nothing,
    ),
    ("POST", "/people/{person_id}/erasure"): (
        (401, 404, 404, 403, 403, 202, 404),
        body({"reason": "Antrag nach Art. 17 DSGVO"}),
    ),
    ("POST", "/pain-points/{pain_point_id}/withdraw"): (
        (401, 200, 404, 200, 403, 200, 404),
        body({"reason": "hat sich erledigt"}),
    ),
    ("DELETE", "/working-groups/{group_id}/members/{person_id}"): (
        (401, 403, 404, 200, 403, 200, 404),
        nothing,
    ),
    ("POST", "/auth/logout"): ((401, 204, 204, 204, 204, 204, 204), nothing),
}


def caller(world: BoardWorld, role: str) -> Actor | None:
    return {
        "anonymous": None,
        "forged token": Actor(UUID(int=1), "nobody@example", "not-a-token-we-issued"),
        "member": world.member_a,
        "other group member": world.outsider,
        "lead": world.lead,
        "board": world.board,
        "admin": world.admin,
        "vendor": world.vendor,
    }[role]


def concrete(
    world: BoardWorld, route: Route, spare_company: UUID, invitation: str = "", **staged: UUID
) -> str:
    return route[1].format(
        **staged,
        invitation_id=invitation,
        token="a-token-nobody-was-sent",
        session_id=UUID(int=7),
        person_id=world.member_b.id,
        role="board",
        company_id=spare_company,
        group_id=world.group_1,
        pain_point_id=world.escalated if route in ON_ESCALATED else world.pain_point,
        meeting_id=world.meeting,
        response_id=world.response,
        edition=1,
        number=1,
        dossier_id=world.dossier,
        fmt="md",
        job_id=world.job,
        request_id=UUID(int=7),
    )


@pytest.mark.parametrize("role", [*ROLES, "forged token"])
def test_each_caller_gets_the_expected_status_on_every_route(world: World, role: str) -> None:
    staged = build_board_world(world)
    spare_company = staged.admit_company("Ruhende Mitglied GmbH")
    issued = staged.command("POST", "/invitations", staged.admin, 201, **invitation(staged))
    invitation_body = invitation(staged)
    invitation_body["json"]["email"] = "noch-einer@alpha.example"
    column = ROLES.index("anonymous" if role == "forged token" else role)
    actor = caller(staged, role)
    contributions = {**contributions_of_member_a(staged), **a_webhook(staged)}
    wrong = []
    for (method, template), (expected, request) in MATRIX.items():
        path = concrete(staged, (method, template), spare_company, issued["id"], **contributions)
        sent = invitation_body if request is invitation else request(staged)
        response = staged.call(method, path, actor, **sent)
        if response.status_code != expected[column]:
            wrong.append(f"{method} {template}: {response.status_code} {response.text[:120]}")
        elif response.status_code >= 400:
            assert response.headers["content-type"] == PROBLEM, (method, template)
    assert wrong == [], f"expected statuses differ for {role}"


def a_webhook(world: BoardWorld) -> dict[str, Any]:
    """A webhook with one delivery, recorded directly (its URL need not resolve here)."""
    runtime = world.client.app.state.runtime  # type: ignore[attr-defined]
    now = runtime.app.clock()
    hook = Webhook("0" * 31 + "1", "https://1.1.1.1/hook", ["*"], "", "standard", "de",
                   new_secret(), True, 0, now)  # fmt: skip
    runtime.webhooks.add(hook)
    delivery = Message("msg_matrix", "webhook", hook.id, {"type": "round.opened"}, now)
    runtime.outbox.add(delivery)
    return {"webhook_id": hook.id, "delivery_id": delivery.id}


def contributions_of_member_a(world: BoardWorld) -> dict[str, UUID]:
    on = f"/pain-points/{world.pain_point}"
    comment = world.command("POST", on + "/comments", world.member_a, 201, json={"text": "Auch"})
    facts = {"affected_customers": 2, "revenue_band": "10k-100k"}
    evidence = world.command("POST", on + "/evidence", world.member_a, 201, json=facts)
    return {"comment_id": UUID(comment["id"]), "evidence_id": UUID(evidence["id"])}


def api_routes(app: Any) -> set[Route]:
    """Every (method, path template) of an APIRoute under /api/v1. FastAPI 0.165 keeps
    included routers nested in `app.routes`; iter_route_contexts flattens them."""
    return {
        (method, (route.path or "").removeprefix(API))
        for route in iter_route_contexts(app.routes)
        if isinstance(route.original_route, APIRoute) and (route.path or "").startswith(API)
        for method in route.methods or ()
    }


def test_every_route_is_in_the_matrix(world: World) -> None:
    routes = api_routes(world.client.app)

    assert len(routes) > 20
    assert routes - MATRIX.keys() == set(), "routes missing from the matrix"
    assert MATRIX.keys() - routes == set(), "matrix rows for routes that do not exist"


def test_openapi_documents_exactly_the_routes_of_the_matrix(world: World) -> None:
    paths = world.call("GET", "/openapi.json").json()["paths"]
    documented = {
        (method.upper(), path.removeprefix(API))
        for path, operations in paths.items()
        for method in operations
    }

    assert documented == MATRIX.keys()


def test_refusals_to_the_anonymous_ask_for_a_bearer_token(world: World) -> None:
    response = world.call("GET", f"/pain-points/{world.pain_point}")

    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.json()["title"] == "Not signed in"


def test_anonymous_caller_learns_nothing_from_a_garbage_body(world: World) -> None:
    response = world.call("POST", "/companies", json={"name": 42, "extra": True})

    assert response.status_code == 401


def test_member_cannot_register_people_nor_grant_roles_for_their_own_company(
    world: World,
) -> None:
    person = {
        "email": "kollege@alpha.example",
        "display_name": "Kollege",
        "company_id": str(world.company_a),
        "password": PASSWORD,
    }
    registered = world.call("POST", "/people", world.member_a, json=person)
    promoted = world.call(
        "POST", f"/people/{world.outsider.id}/roles", world.member_a, json={"role": "admin"}
    )
    self_promoted = world.call(
        "POST", f"/people/{world.member_a.id}/roles", world.member_a, json={"role": "admin"}
    )

    assert [registered.status_code, promoted.status_code, self_promoted.status_code] == [403] * 3
    assert world.read("/me", world.member_a).json()["roles"] == []


def test_member_sees_colleagues_of_their_company_but_not_of_others(world: World) -> None:
    colleague = world.read(f"/people/{world.outsider.id}", world.member_a)
    stranger = world.read(f"/people/{world.member_b.id}", world.member_a)

    assert colleague.status_code == 200
    assert stranger.status_code == 404


def test_lead_enrols_people_into_their_own_group_but_not_into_another(world: World) -> None:
    newcomer = world.register("nina@beta.example", world.company_b)
    ref = {"person_id": str(newcomer)}

    own = world.call("POST", f"/working-groups/{world.group_1}/members", world.lead, json=ref)
    other = world.call("POST", f"/working-groups/{world.group_2}/members", world.lead, json=ref)

    assert own.status_code == 200
    assert other.status_code == 403
    world.position = own.json()["position"]
    assert world.read(f"/working-groups/{world.group_1}", world.lead).json()["members"] == 4
    assert world.read(f"/working-groups/{world.group_2}", world.lead).json()["members"] == 1


def test_lead_cannot_appoint_further_leads(world: World) -> None:
    ref = {"person_id": str(world.member_b.id)}

    response = world.call("POST", f"/working-groups/{world.group_1}/leads", world.lead, json=ref)

    assert response.status_code == 403


def test_member_of_another_group_cannot_see_its_pain_point_nor_read_its_ranking(
    world: World,
) -> None:
    pain_point = world.read(f"/pain-points/{world.pain_point}", world.outsider)
    ranking = world.read(f"/working-groups/{world.group_1}/ranking", world.outsider)
    support = world.call("PUT", f"/pain-points/{world.pain_point}/support", world.outsider)

    assert pain_point.status_code == 404
    assert ranking.status_code == 404
    assert support.status_code == 404


def test_board_reads_every_groups_ranking_but_cannot_admit_companies(world: World) -> None:
    for group in (world.group_1, world.group_2):
        assert world.read(f"/working-groups/{group}/ranking", world.board).status_code == 200

    admitted = world.call("POST", "/companies", world.board, json={"name": "Gamma"})
    assert admitted.status_code == 403


def test_board_loses_access_as_soon_as_the_role_is_revoked(world: World) -> None:
    world.command("DELETE", f"/people/{world.board.id}/roles/board", world.admin)

    ranking = world.read(f"/working-groups/{world.group_1}/ranking", world.board)
    pain_point = world.read(f"/pain-points/{world.pain_point}", world.board)

    assert ranking.status_code == 404
    assert pain_point.status_code == 404


def test_admin_cannot_revoke_their_own_admin_role(world: World) -> None:
    response = world.call("DELETE", f"/people/{world.admin.id}/roles/admin", world.admin)

    assert response.status_code == 409
    assert world.read("/me", world.admin).json()["roles"] == ["admin"]


def test_only_the_author_or_a_lead_may_withdraw_a_pain_point(world: World) -> None:
    path = f"/pain-points/{world.pain_point}/withdraw"

    by_colleague = world.call("POST", path, world.member_b, json={})
    by_author = world.call("POST", path, world.member_a, json={})

    assert by_colleague.status_code == 403
    assert by_author.status_code == 200
