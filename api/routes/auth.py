"""Signing in and out: OAuth2 password flow with opaque, revocable bearer tokens."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request, Response
from fastapi.security import OAuth2PasswordRequestForm

from api.deps import AppDep, BearerToken, CurrentPerson, RuntimeDep
from api.schemas import Token
from api.security import new_token, token_digest, verify_password

router = APIRouter(prefix="/auth", tags=["auth"])
WRONG = "e-mail address or password is wrong"


@router.post("/token", response_model=Token, summary="Sign in (OAuth2 password flow)")
def sign_in(
    form: Annotated[OAuth2PasswordRequestForm, Depends()], runtime: RuntimeDep, request: Request
) -> Token:
    client = request.client.host if request.client else "unknown"
    throttle = request.app.state.login_throttle
    if not (throttle.allow(f"email:{form.username.casefold()}") and throttle.allow(client)):
        raise HTTPException(429, "too many sign-in attempts; wait a minute", {"Retry-After": "60"})
    app = runtime.app
    person = app.find_person_by_email(form.username)
    if not verify_password(person.password_hash if person else None, form.password):
        raise HTTPException(401, WRONG, {"WWW-Authenticate": "Bearer"})
    assert person is not None
    # A deactivated person, or one whose company signs in with its identity provider
    # only, gets the answer of a wrong password (the web page explains the latter).
    if not person.is_active or not app.password_sign_in_allowed(person):
        raise HTTPException(401, WRONG, {"WWW-Authenticate": "Bearer"})
    token = new_token()
    expires_at = app.clock() + timedelta(hours=runtime.settings.token_ttl_hours)
    app.open_session(token_digest(token), person.id, expires_at)
    return Token(access_token=token, expires_at=expires_at)


@router.post("/logout", status_code=204, summary="Revoke the bearer token used")
def sign_out(person: CurrentPerson, token: BearerToken, app: AppDep) -> Response:
    app.close_session(token_digest(token))
    return Response(status_code=204)
