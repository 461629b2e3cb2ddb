"""Checking a sign-in, for the JSON API and the web form alike: abuse limits first
(service/signin_limits.py), then the password; only failures are counted."""

from __future__ import annotations

from fastapi import Request

from api.limits import client_address
from domain.errors import Invalid
from domain.limits import MAX_EMAIL
from domain.person import Person
from service.runtime import Runtime
from service.security import verify_password
from service.signin_limits import SignInLimits


class TooManyAttempts(Exception):
    def __init__(self, retry_after: int) -> None:
        super().__init__(f"retry after {retry_after} s")
        self.retry_after = retry_after


class WrongCredentials(Exception):
    """The e-mail address or the password is wrong (never said which)."""


class IdentityProviderOnly(WrongCredentials):
    """The password is right, but the person's company signs in with its identity
    provider only: the API answers as for a wrong password, the web page says why."""


def authenticate(request: Request, runtime: Runtime, email: str, password: str) -> Person:
    """The person these credentials belong to; TooManyAttempts or WrongCredentials if not.

    An over-long username is refused before anything is looked up or counted."""
    if len(email) > MAX_EMAIL:
        raise Invalid("username.too_long", field="username", max=MAX_EMAIL)
    limits: SignInLimits = request.app.state.signin_limits
    address = client_address(request, request.app.state.trusted_proxies)
    wait = limits.wait(email, address)
    if wait > 0:
        raise TooManyAttempts(wait)
    person = runtime.app.find_person_by_email(email)
    if not verify_password(person.password_hash if person else None, password):
        limits.failed(email, address)
        raise WrongCredentials
    assert person is not None
    limits.succeeded(email, address)
    if not person.is_active:
        raise WrongCredentials
    if not runtime.app.password_sign_in_allowed(person):
        raise IdentityProviderOnly
    return person
