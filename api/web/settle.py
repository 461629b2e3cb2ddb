"""The web reads its own writes: after a form's POST, the next page shows the change.

A web form posts, the server answers with a redirect (or htmx swaps or redirects), and
the browser's next request reads the views. The views follow the log a moment later
(the projector lingers a few milliseconds to apply a trickle of commands together, ADR
027), so without waiting the next page could show the state before the click. The API
has `min_position` for that; a browser has no such parameter, so the server waits, once
the command has answered and before the answer leaves, until the views include the
log's head (at most `SETTLE_SECONDS`, or `STALL_SECONDS` while the views do not move
at all; a waiting reader hurries the projector, in this process or another). A courtesy:
a busy or unreachable view store does not hold the answer back longer, and a storage
fault while waiting is ignored (the command's own answer stands).
"""

from __future__ import annotations

import time

from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.problems import is_storage_fault

SETTLE_SECONDS = 5.0
#: A wait ends early when the views did not move for this long: no projector runs
#: (`--no-projector` without a worker, a projector between restarts), and a form should
#: not hang for the whole SETTLE_SECONDS.
STALL_SECONDS = 1.0


def settle(runtime: object) -> None:
    """Wait until the views include the log's head, wherever the projector runs (this
    process's thread, the child of `sprachrohr serve`, a `sprachrohr project` worker):
    the tracking row is the truth."""
    projector = getattr(runtime, "projector", None)
    if projector is None:
        return
    try:
        head = projector.head()
        deadline = time.monotonic() + SETTLE_SECONDS
        while (remaining := deadline - time.monotonic()) > 0:
            before = projector.position()
            if projector.wait_for(head, min(STALL_SECONDS, remaining)):
                return
            if projector.position() == before:
                return  # the views stand still: nobody applies events now
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
