"""Routers whose routes are added to the app as they were built."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI


def attach(target: FastAPI | APIRouter, router: APIRouter) -> None:
    """Add the router's routes to `target` as they were built, in their order.

    FastAPI's `include_router` keeps the router and builds each of its routes a second
    time (dependencies, request and response validators) the first time a request is
    matched against it: a restart's first request paid for every route listed before
    its own (about a second). Routers given to `attach` carry their final prefix and
    dependencies themselves, so nothing is left to combine.
    """
    routes = target.router.routes if isinstance(target, FastAPI) else target.routes
    routes.extend(router.routes)
