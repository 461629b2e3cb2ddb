"""Password self-service and one's own sessions."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import BackgroundTasks, Path, Response

from api.deps import BearerToken, CurrentPerson, RuntimeDep, ViewCursor
from api.routes.common import GONE, api_router
from api.schemas.accounts import PasswordChangeIn, PasswordIn, PasswordResetIn, SessionOut
from domain.ids import session_id
from projections.accounts_view import open_sessions
from service.runtime import announce
from service.security import token_digest

router = api_router(tags=["account"])
Token = Annotated[str, Path(min_length=1, max_length=128)]


@router.post(
    "/auth/password-reset",
    status_code=202,
    response_class=Response,
    summary="Ask for a password-reset link by mail (the same answer for every address)",
)
def request_reset(body: PasswordResetIn, runtime: RuntimeDep, tasks: BackgroundTasks) -> Response:
    # After the answer is sent: its timing cannot tell whether the address has an account.
    tasks.add_task(runtime.accounts.request_password_reset, body.email)
    return Response(status_code=202)


@router.post(
    "/auth/password-reset/{token}",
    status_code=204,
    responses=GONE,
    summary="Set a new password through a reset link; every session ends",
)
def reset(token: Token, body: PasswordIn, runtime: RuntimeDep) -> Response:
    announce(runtime, runtime.accounts.reset_password(token, body.password))
    return Response(status_code=204)


@router.put("/me/password", status_code=204, summary="Change my password; my other sessions end")
def change_password(
    body: PasswordChangeIn, person: CurrentPerson, token: BearerToken, runtime: RuntimeDep
) -> Response:
    current = session_id(token_digest(token))
    outcome = runtime.accounts.change_password(
        person.id, body.current_password, body.new_password, session_id=current
    )
    announce(runtime, outcome)
    return Response(status_code=204)


@router.get("/me/sessions", response_model=list[SessionOut], summary="Where I am signed in")
def sessions(
    person: CurrentPerson, token: BearerToken, runtime: RuntimeDep, cur: ViewCursor
) -> list[SessionOut]:
    current = session_id(token_digest(token)).hex
    rows = open_sessions(cur, person.id.hex, runtime.app.clock())
    return [
        SessionOut(
            id=UUID(row["id"]),
            opened_at=row["opened_at"],
            expires_at=row["expires_at"],
            current=row["id"] == current,
        )
        for row in rows
    ]


@router.delete("/me/sessions/{session_id}", status_code=204, summary="End one of my sessions")
def end_session(session_id: UUID, person: CurrentPerson, runtime: RuntimeDep) -> Response:
    announce(runtime, runtime.accounts.end_session(session_id, by=person.id))
    return Response(status_code=204)
