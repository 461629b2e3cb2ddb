"""Confirming a new e-mail address: the page behind the mailed link.

Opening the link shows a button; only the form post confirms, so a mail scanner
that follows links does not use it up.
"""

from __future__ import annotations

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, Response

from api.deps import RuntimeDep
from api.web.render import render
from api.web.session import CsrfChecked
from service.runtime import announce

router = APIRouter(include_in_schema=False)
Token = Path(min_length=10, max_length=100)


@router.get("/email-change/{token}", response_class=HTMLResponse)
def email_change_page(request: Request, runtime: RuntimeDep, token: str = Token) -> Response:
    change = runtime.email_changes.pending(token)
    return render(request, "home/email_change.html", None, email=change.new_email, done=False)


@router.post("/email-change/{token}", dependencies=[CsrfChecked])
def confirm_email_change(request: Request, runtime: RuntimeDep, token: str = Token) -> Response:
    change = runtime.email_changes.pending(token)
    announce(runtime, runtime.email_changes.confirm(token))
    return render(request, "home/email_change.html", None, email=change.new_email, done=True)
