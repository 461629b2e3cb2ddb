"""The web reads its own writes: after a form's POST, the next page shows the change.

A web form posts, the server answers with a redirect (or htmx swaps or redirects), and
the browser's next request reads the views. The views follow the log a moment later
(the projector lingers a few milliseconds to apply a trickle of commands together, ADR
027), so without waiting the next page could show the state before the click. The API
has `min_position` for that; a browser has no such parameter, so the server waits, once
the command has answered and before the answer leaves, until the views include the
log's head (at most `SETTLE_SECONDS`; a waiting reader hurries the projector). A
courtesy: a busy or unreachable view store does not hold the answer back longer, and a
storage fault while waiting is ignored (the command's own answer stands).
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.problems import is_storage_fault

SETTLE_SECONDS = 5.0


def settle(runtime: object) -> None:
    """Wait for this process's projector (a server whose views another process keeps
    does not wait: its projector thread is not running)."""
    if not getattr(runtime, "projector_running", False):
        return
    projector = runtime.projector  # type: ignore[attr-defined]
    try:
        projector.wait_for(projector.head(), SETTLE_SECONDS)
    except Exception as error:
        if not is_storage_fault(error):
            raise


class SettleAfterWebWrites:
    """Pure ASGI: only the web's POSTs (not the API's) that succeeded wait."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] != "POST"
            or scope["path"].startswith("/api/")
        ):
            await self.app(scope, receive, send)
            return

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] < 400:
                runtime = getattr(scope["app"].state, "runtime", None)
                await run_in_threadpool(settle, runtime)
            await send(message)

        await self.app(scope, receive, sending)
