"""A working group's roadmap: its escalated pain points by column (escalated →
presented → answered → resolved) with the vendor's promises and their states.

"The view a member shows their managing director": for the group's members, the
board and admins (404 for everyone else, the vendor too); printable.
"""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from api.deps import RuntimeDep
from api.web.render import render
from api.web.session import WebPerson
from domain.errors import NotFound
from domain.ranking import score_of
from domain.workinggroup import WorkingGroup
from projections.board_queries import roadmap
from projections.view import moment

router = APIRouter(include_in_schema=False)


@router.get("/groups/{group_id}/roadmap", response_class=HTMLResponse)
def roadmap_page(
    request: Request, group_id: str, person: WebPerson, runtime: RuntimeDep
) -> Response:
    try:
        uuid = UUID(group_id)
    except ValueError:
        raise NotFound("working_group.not_found") from None
    app = runtime.app
    group = app.load(WorkingGroup, uuid, "working group", readonly=True)
    app.require_visible(person.id, group, "working group")
    today = app.today()
    with runtime.store.reading() as cur:
        columns = roadmap(cur, group.id.hex, today)
    shown = {
        status: [
            {**card, "score": score_of(card["units"]), "since": moment(card["since"])
             if card["since"] is not None else None}
            for card in cards
        ]
        for status, cards in columns.items()
    }  # fmt: skip
    return render(request, "groups/roadmap.html", person, group=group, columns=shown, today=today)
