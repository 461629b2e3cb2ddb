"""The FastAPI application: `uvicorn --factory api.main:create_app`."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.constants import REF_TEMPLATE
from pydantic.json_schema import models_json_schema
from starlette.middleware.gzip import GZipMiddleware

from api import problems
from api.edges import SecurityHeaders, install_api_docs
from api.fastlane import SupportFastLane
from api.limits import BodyLimit, trusted_networks
from api.problems import PROBLEM
from api.routes import (
    access_requests,
    account,
    auth,
    companies,
    contributions,
    curation,
    dossiers,
    groups,
    health,
    invitations,
    meetings,
    notifications,
    painpoints,
    people,
    people_admin,
    privacy,
    triage,
    vendor,
    voting,
    webhooks,
)
from api.routing import attach, build_deferred_soon
from api.schemas.common import Problem
from api.web.app import describe_error, error_page, install_web
from service.dossier_jobs import DossierJobs
from service.oidc import open_id_client
from service.runtime import Runtime, build_runtime, ensure_bootstrap_admin
from service.settings import Settings
from service.signin_limits import SignInLimits
from storage.faults import load_driver

DESCRIPTION = """
The mouthpiece of a partner association: members submit the key pain points they
have with the vendor and support each other's; working groups rank them by breadth
of support across member companies. Every change is an event; rankings can be read
as of any past moment. Errors are `application/problem+json` (RFC 9457).
Commands answer with the log `position` of their change: pass it as `min_position`
to a read to see your own write.
"""


def create_app(
    settings: Settings | None = None, runtime: Runtime | None = None, *, fast_lane: bool = True
) -> FastAPI:
    """Build the service; with `runtime` given, the caller owns its lifecycle.
    `fast_lane=False` leaves the support routes to FastAPI (tests compare the two)."""
    settings = settings or (runtime.settings if runtime else Settings())

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owned = runtime is None
        running = runtime or build_runtime(settings)
        ensure_bootstrap_admin(running)
        if owned and settings.run_projector:
            running.start_projector()
        if owned:
            running.start_mailer()
        app.state.runtime = running
        app.state.dossier_jobs = DossierJobs(running)
        build_deferred_soon(app)  # the web's pages, while the server starts listening
        try:
            yield
        finally:
            if owned:
                running.close()

    app = FastAPI(
        title="Sprachrohr",
        version="0.1.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        openapi_url="/api/v1/openapi.json",
        docs_url=None,
        redoc_url=None,
    )
    app.state.oidc = open_id_client(settings)
    app.state.signin_limits = SignInLimits(
        per_account=settings.login_failures_per_account,
        per_address=settings.login_failures_per_address_per_minute,
        wait_cap=settings.login_retry_after_cap_seconds,
    )
    app.state.trusted_proxies = trusted_networks(settings.trusted_proxies)
    if settings.uses_postgres:
        load_driver()  # before its fault types are given their handlers (503)
    problems.install(app, page=error_page, describe=describe_error)
    # Each router's routes are added as they were built (api/routes/common.py: `attach`).
    for module in (
        auth,
        account,
        people,
        people_admin,
        invitations,
        companies,
        access_requests,
        groups,
        painpoints,
        triage,
        curation,
        meetings,
        vendor,
        voting,
        dossiers,
        notifications,
        privacy,
        contributions,
        health,
        webhooks,
    ):
        attach(app, module.router)
    install_web(app)
    install_api_docs(app, settings.api_docs, "/api/v1/openapi.json")
    app.add_middleware(
        BodyLimit, max_bytes=settings.max_body_bytes, upload_bytes=settings.max_upload_bytes
    )
    app.add_middleware(SecurityHeaders)
    if fast_lane:  # outside the security headers and the body limit: api/fastlane.py
        app.add_middleware(SupportFastLane)
    # HTML, CSS, JS and JSON compressed for clients that accept gzip (pages carry their
    # CSRF token masked per response, so compression leaks nothing: api/web/session.py).
    app.add_middleware(GZipMiddleware, minimum_size=1000, compresslevel=6)
    _document_problems_only_as_problem_json(app)
    return app


def _document_problems_only_as_problem_json(app: FastAPI) -> None:
    """FastAPI lists a response model under application/json too; errors are never that.
    The problems every API route declares name Problem's schema without a model
    (api/routes/common.py): it is added to the components here."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = generate()
            _, problem_schemas = models_json_schema(
                [(Problem, "serialization")], ref_template=REF_TEMPLATE
            )
            components = schema.setdefault("components", {}).setdefault("schemas", {})
            for name, definition in problem_schemas.get("$defs", {}).items():
                components.setdefault(name, definition)
            schema["components"]["schemas"] = dict(sorted(components.items()))
            for operation in (op for path in schema["paths"].values() for op in path.values()):
                for response in operation.get("responses", {}).values():
                    content = response.get("content", {})
                    if PROBLEM in content:
                        content.pop("application/json", None)
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
