"""What leads and the board do on a pain point's page: status moves, merges."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter
from fastapi.responses import Response

from api.web.forms import Text
from api.web.pages.painpoints.forms import PostedForm, attempt, hex_id
from domain.person import Person
from domain.workflow import MERGED, OPEN_STATUSES, moves_for
from domain.workinggroup import WorkingGroup
from projections.painpoint_view import merged_from
from projections.store import Cursor, rows_as_dicts
from service.application import Outcome, Sprachrohr

router = APIRouter(include_in_schema=False)


def triage_context(
    app: Sprachrohr, cur: Cursor, person: Person, row: dict[str, Any], group: WorkingGroup
) -> dict[str, Any]:
    """The lead/board section of the page: allowed moves, merge targets, merge links."""
    admin = app.is_admin(person.id)
    lead = admin or group.is_lead(person.id)
    board = admin or app.is_board(person.id)
    targets: list[dict[str, Any]] = []
    if lead and row["status"] in OPEN_STATUSES and not merged_from(cur, row["id"]):
        marks = ", ".join("?" for _ in OPEN_STATUSES)
        targets = rows_as_dicts(
            cur,
            f"SELECT id, title FROM v_pain_points WHERE group_id = ? AND id <> ?"
            f" AND status IN ({marks}) ORDER BY title, id",
            (row["group_id"], row["id"], *sorted(OPEN_STATUSES)),
        )
    merged_into = None
    if row["merged_into"]:
        cur.execute("SELECT id, title FROM v_pain_points WHERE id = ?", (row["merged_into"],))
        found = cur.fetchone()
        merged_into = {"id": found[0], "title": found[1]} if found else None
    return {
        "moves": sorted(moves_for(row["status"], lead=lead, board=board)),
        "can_merge": bool(targets),
        "targets": targets,
        "can_unmerge": lead and row["status"] == MERGED,
        "merged_into": merged_into,
        "merged_from": merged_from(cur, row["id"]),
    }


@router.post("/pain-points/{pain_point_id}/status")
def change_status(at: PostedForm, status: Text = "", reason: Text = "") -> Response:
    def command() -> Outcome:
        return at.runtime.app.change_status(at.pain_point_id, status, reason, by=at.person.id)

    return attempt(at, ("status", {"status": status, "reason": reason}), command, "status")


@router.post("/pain-points/{pain_point_id}/merge")
def merge(at: PostedForm, target: Text = "", reason: Text = "") -> Response:
    def command() -> Outcome:
        target_id = UUID(hex_id(target)) if hex_id(target) else at.pain_point_id
        return at.runtime.app.merge(at.pain_point_id, target_id, reason, by=at.person.id)

    return attempt(at, ("merge", {"target": target, "reason": reason}), command, "merged")


@router.post("/pain-points/{pain_point_id}/unmerge")
def unmerge(at: PostedForm, reason: Text = "") -> Response:
    def command() -> Outcome:
        return at.runtime.app.unmerge(at.pain_point_id, reason, by=at.person.id)

    return attempt(at, ("unmerge", {"reason": reason}), command, "unmerged")
