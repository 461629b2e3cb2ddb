"""Web sign-in: the bearer-token session in an HttpOnly cookie, plus CSRF tokens.

The cookie holds the same opaque token the JSON API hands out (stored server-side
only as a digest, revocable). Every form carries a CSRF token: derived from the
session token when signed in, a double-submit cookie before that (sign-in form).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, Form, HTTPException, Request, Response

from api.deps import RuntimeDep
from api.problems import is_storage_fault
from domain.person import Person
from service.runtime import Runtime
from service.security import token_digest

SESSION_COOKIE = "sr_session"
CSRF_COOKIE = "sr_csrf"
LANGUAGE_COOKIE = "sr_lang"


def csrf_for(request: Request) -> str:
    """The CSRF token forms on this page must carry."""
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        return hmac.new(token.encode(), b"csrf", hashlib.sha256).hexdigest()
    existing = request.cookies.get(CSRF_COOKIE)
    if existing and len(existing) == 43:
        return existing
    fresh: str = getattr(request.state, "fresh_csrf", "") or secrets.token_urlsafe(32)
    request.state.fresh_csrf = fresh  # set as a cookie by the response (see set_cookies)
    return fresh


def mask_csrf(token: str) -> str:
    """The token as a page carries it: XORed with a fresh random pad, pad prepended.

    Every response shows different bytes for the same session token, so compressed pages
    (gzip) cannot leak the token by their length (BREACH).
    """
    secret = token.encode()
    pad = secrets.token_bytes(len(secret))
    masked = bytes(a ^ b for a, b in zip(pad, secret, strict=True))
    return base64.urlsafe_b64encode(pad + masked).decode().rstrip("=")


def unmask_csrf(masked: str) -> str:
    """The token a masked form value stands for ("" when it is not one of ours)."""
    try:
        raw = base64.urlsafe_b64decode(masked + "=" * (-len(masked) % 4))
    except (binascii.Error, ValueError):
        return ""
    half = len(raw) // 2
    if not raw or len(raw) % 2:
        return ""
    pad, body = raw[:half], raw[half:]
    try:
        # Our tokens are ASCII; anything else is a forged value (and compare_digest
        # refuses non-ASCII strings).
        return bytes(a ^ b for a, b in zip(pad, body, strict=True)).decode("ascii")
    except UnicodeDecodeError:
        return ""


def check_csrf(request: Request, csrf: Annotated[str, Form()] = "") -> None:
    """Reject a post whose CSRF token (form field, or htmx's X-CSRF-Token header) is wrong.

    Pages carry the token masked (`mask_csrf`); a post must send such a masked value.
    """
    csrf = unmask_csrf(csrf or request.headers.get("x-csrf-token", ""))
    if not (csrf and hmac.compare_digest(csrf, csrf_for(request))):
        raise HTTPException(403, "the form has expired; please reload the page and try again")


CsrfChecked = Depends(check_csrf)


def web_person(request: Request, runtime: RuntimeDep) -> Person | None:
    token = request.cookies.get(SESSION_COOKIE)
    return runtime.app.session_person(token_digest(token)) if token else None


MaybePerson = Annotated[Person | None, Depends(web_person)]


class SignInRequired(Exception):
    def __init__(self, next_path: str) -> None:
        self.next_path = next_path


def signed_in(request: Request, person: MaybePerson) -> Person:
    if person is None:
        raise SignInRequired(
            request.url.path + (f"?{request.url.query}" if request.url.query else "")
        )
    return person


WebPerson = Annotated[Person, Depends(signed_in)]


def sign_in_location(next_path: str) -> str:
    return f"/login?next={quote(next_path)}"


def safe_next(next_path: str | None) -> str:
    """Only redirect to paths of this site after signing in."""
    if next_path and next_path.startswith("/") and not next_path.startswith("//"):
        return next_path
    return "/"


def await_session(runtime: Runtime, position: int | None) -> None:
    """Wait (at most 5 s) until the views include a new session, so the next page lists
    it (the account page's sessions). A courtesy: a view store that is busy or
    unreachable does not stop the sign-in, the event store has the session."""
    try:
        runtime.projector.wait_for(position or 0, 5)
    except Exception as error:
        if not is_storage_fault(error):
            raise


def set_session(response: Response, request: Request, token: str, max_age: int) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=max_age,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
        path="/",
    )


def set_fresh_csrf(response: Response, request: Request) -> None:
    fresh = getattr(request.state, "fresh_csrf", None)
    if fresh:
        response.set_cookie(
            CSRF_COOKIE,
            fresh,
            httponly=True,
            samesite="lax",
            secure=request.url.scheme == "https",
            path="/",
        )
