"""Routers whose routes are added to the app as they were built, and routes built after
the server started (the web's pages)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from typing import Any

from fastapi import APIRouter, FastAPI
from starlette.routing import BaseRoute, Match, NoMatchFound
from starlette.types import Receive, Scope, Send

log = logging.getLogger(__name__)
#: Where `DeferredRoutes.matches` leaves the route it matched for `handle`.
_MATCHED = "sprachrohr.deferred_route"
#: Seconds after start-up until the deferred routes are built (a request that needs
#: them earlier builds them itself).
BUILD_DELAY = 1.0


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


class DeferredRoutes(BaseRoute):
    """Routes whose modules are imported and built at their first use, in their place
    among the app's routes: the web's pages (a third of a restart's imports and route
    building) are built in a background thread once the server listens (`build_soon`),
    and a request that needs them before waits for them (never a 404 for a page)."""

    def __init__(self, load: Callable[[], Sequence[BaseRoute]]) -> None:
        self._load = load
        self._routes: list[BaseRoute] | None = None
        self._lock = threading.Lock()

    @property
    def routes(self) -> list[BaseRoute]:
        if self._routes is None:
            with self._lock:
                if self._routes is None:
                    self._routes = list(self._load())
        return self._routes

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        partial: tuple[BaseRoute, Scope] | None = None
        for route in self.routes:
            match, child = route.matches(scope)
            if match == Match.FULL:
                return Match.FULL, {**child, _MATCHED: route}
            if match == Match.PARTIAL and partial is None:
                partial = (route, child)
        if partial is not None:
            return Match.PARTIAL, {**partial[1], _MATCHED: partial[0]}
        return Match.NONE, {}

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        route: BaseRoute = scope.pop(_MATCHED)
        await route.handle(scope, receive, send)

    def url_path_for(self, name: str, /, **path_params: Any) -> Any:
        for route in self.routes:
            try:
                return route.url_path_for(name, **path_params)
            except NoMatchFound:
                pass
        raise NoMatchFound(name, path_params)

    def build_soon(self, delay: float = BUILD_DELAY) -> None:
        """Build the routes in a background thread `delay` seconds from now: the server
        listens and answers its first requests meanwhile (building at once held the
        interpreter while the first request waited)."""

        def build() -> None:
            try:
                _ = self.routes
            except Exception:  # a request that needs them raises it again, and is a 500
                log.exception("building the deferred routes failed")

        timer = threading.Timer(delay, build)
        timer.name = "deferred-routes"
        timer.daemon = True
        timer.start()


def every_route(routes: Sequence[BaseRoute]) -> list[BaseRoute]:
    """The routes with those of `DeferredRoutes` in their place (built if need be)."""
    found: list[BaseRoute] = []
    for route in routes:
        found += every_route(route.routes) if isinstance(route, DeferredRoutes) else [route]
    return found


def build_deferred_soon(app: FastAPI) -> None:
    for route in app.router.routes:
        if isinstance(route, DeferredRoutes):
            route.build_soon()
