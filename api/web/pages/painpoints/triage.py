"""What leads and the board do on a pain point's page: status moves, merges."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter
from fastapi.responses import Response

from api.web.forms import Text
from api.web.pages.painpoints.forms import PostedForm, hex_id
from api.web.pages.painpoints.page import attempt
from service.application import Outcome

router = APIRouter(include_in_schema=False)


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
