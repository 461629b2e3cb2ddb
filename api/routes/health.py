"""Liveness and readiness for load balancers and operators."""

from __future__ import annotations

from fastapi.responses import JSONResponse

from api.deps import RuntimeDep
from api.routes.common import api_router
from api.schemas.common import Health

router = api_router("/health", tags=["health"])
#: Ready means the views are at most this many events behind the log.
MAX_LAG = 1000


@router.get("/live", response_model=Health, summary="The process is up")
def live() -> Health:
    return Health(status="ok")


@router.get(
    "/ready",
    response_model=Health,
    responses={503: {"model": Health}},
    summary="The store is reachable and the views are caught up",
)
def ready(runtime: RuntimeDep) -> Health | JSONResponse:
    try:
        head = runtime.projector.head()
        position = runtime.projector.position()
    except Exception as error:  # any storage failure means "not ready"
        return _unavailable(f"store unreachable: {type(error).__name__}")
    if runtime.projector.failure is not None:
        return _unavailable("the projector stopped; see the server log")
    if head - position > MAX_LAG:
        return _unavailable(f"views are {head - position} events behind")
    return Health(status="ok", log_position=head, view_position=position)


def _unavailable(detail: str) -> JSONResponse:
    body = Health(status="unavailable", detail=detail).model_dump()
    return JSONResponse(body, status_code=503, headers={"Retry-After": "5"})
