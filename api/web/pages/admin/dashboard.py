"""The administration area (admins only; a 404 to everyone else): the dashboard,
and the routers of its parts (companies, people, working groups)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from api.deps import RuntimeDep
from api.routing import attach
from api.web.pages.admin import companies as admin_companies
from api.web.pages.admin import groups as admin_groups
from api.web.pages.admin import importing as admin_import
from api.web.pages.admin import people as admin_people
from api.web.pages.admin.common import ADMIN_ONLY, AdminPerson
from api.web.render import render
from projections.directory_queries import counts

router = APIRouter(include_in_schema=False)
dashboard = APIRouter(include_in_schema=False, dependencies=ADMIN_ONLY)


@dashboard.get("/admin", response_class=HTMLResponse)
def admin_home(request: Request, person: AdminPerson, runtime: RuntimeDep) -> Response:
    with runtime.store.reading() as cur:
        numbers = counts(cur)
    return render(request, "admin/index.html", person, counts=numbers)


for part in (
    dashboard,
    admin_companies.router,
    admin_people.router,
    admin_groups.router,
    admin_import.router,
):
    attach(router, part)
