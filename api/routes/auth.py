"""Signing in and out: OAuth2 password flow with opaque, revocable bearer tokens."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import Depends, HTTPException, Request, Response
from fastapi.security import OAuth2PasswordRequestForm

from api.deps import AppDep, BearerToken, CurrentPerson, RuntimeDep
from api.routes.common import api_router
from api.schemas.common import Token
from api.signin import TooManyAttempts, WrongCredentials, authenticate
from service.security import new_token, token_digest

router = api_router("/auth", tags=["auth"])
WRONG = "e-mail address or password is wrong"


@router.post("/token", response_model=Token, summary="Sign in (OAuth2 password flow)")
def sign_in(
    form: Annotated[OAuth2PasswordRequestForm, Depends()], runtime: RuntimeDep, request: Request
) -> Token:
    try:
        person = authenticate(request, runtime, form.username, form.password)
    except TooManyAttempts as refused:
        detail = f"too many failed sign-ins; try again in {refused.retry_after} seconds"
        raise HTTPException(429, detail, {"Retry-After": str(refused.retry_after)}) from None
    except WrongCredentials:
        raise HTTPException(401, WRONG, {"WWW-Authenticate": "Bearer"}) from None
    app = runtime.app
    token = new_token()
    expires_at = app.clock() + timedelta(hours=runtime.settings.token_ttl_hours)
    app.open_session(token_digest(token), person.id, expires_at)
    return Token(access_token=token, expires_at=expires_at)


@router.post("/logout", status_code=204, summary="Revoke the bearer token used")
def sign_out(person: CurrentPerson, token: BearerToken, app: AppDep) -> Response:
    app.close_session(token_digest(token))
    return Response(status_code=204)
