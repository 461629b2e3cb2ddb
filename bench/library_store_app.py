"""The server as it was before group commit: the library's plain SQLite recorder.

`api.main:create_app` with `Settings.event_store_env()` pointing PERSISTENCE_MODULE at
`eventsourcing.sqlite` (one transaction and one flush per command, reads through the
library's pool), for the before/after rows of the HTTP benchmark.
"""

from __future__ import annotations

from fastapi import FastAPI

from service.settings import Settings


def create_app() -> FastAPI:
    plain = Settings.event_store_env

    def event_store_env(self: Settings) -> dict[str, str]:
        env = plain(self)
        if env.get("PERSISTENCE_MODULE") == "storage.sqlite":
            env["PERSISTENCE_MODULE"] = "eventsourcing.sqlite"
        return env

    Settings.event_store_env = event_store_env  # type: ignore[method-assign]
    from api.main import create_app as server

    return server()
