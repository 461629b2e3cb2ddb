"""The FastAPI application: `uvicorn --factory api.main:create_app`."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import APIRouter, FastAPI

from api import problems
from api.limits import BodyLimit
from api.routes import auth, companies, groups, health, painpoints, people
from api.runtime import Runtime, build_runtime, ensure_bootstrap_admin
from api.security import LoginThrottle
from api.settings import Settings

DESCRIPTION = """
The mouthpiece of a partner association: members submit the key pain points they
have with the vendor and support each other's; working groups rank them by breadth
of support across member companies. Every change is an event; rankings can be read
as of any past moment. Errors are `application/problem+json` (RFC 9457).
Commands answer with the log `position` of their change: pass it as `min_position`
to a read to see your own write.
"""


def create_app(settings: Settings | None = None, runtime: Runtime | None = None) -> FastAPI:
    """Build the service; with `runtime` given, the caller owns its lifecycle."""
    settings = settings or (runtime.settings if runtime else Settings())

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owned = runtime is None
        running = runtime or build_runtime(settings)
        ensure_bootstrap_admin(running)
        if owned and settings.run_projector:
            running.start_projector()
        app.state.runtime = running
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
        docs_url="/api/docs",
        redoc_url=None,
    )
    app.state.login_throttle = LoginThrottle(settings.login_attempts_per_minute)
    problems.install(app)
    api = APIRouter(prefix="/api/v1")
    for module in (auth, people, companies, groups, painpoints, health):
        api.include_router(module.router)
    app.include_router(api)
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    return app
