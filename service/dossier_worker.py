"""Compose a dossier in a child process, so a large one never slows the server down.

The parent sends the event store's environment and the definition; the child opens
the store itself, reports progress and sends back the rendered files (or an error).
"""

from __future__ import annotations

from multiprocessing.connection import Connection
from typing import Any

from domain.errors import DomainError


def main(env: dict[str, str], definition: dict[str, Any], conn: Connection) -> None:
    from dossiers.content import Definition
    from dossiers.issuing import compose
    from service.application import Sprachrohr

    try:
        app = Sprachrohr(env=env)
        try:

            def progress(step: str, done: int, total: int) -> None:
                conn.send(("progress", step, done, total))

            composed = compose(app.recorder, app.mapper, Definition.of(definition), progress)
        finally:
            app.close()
        content_hash = composed.content["content_hash"]
        conn.send(("done", composed.files, content_hash, composed.title, composed.chain_head))
    except DomainError as error:
        conn.send(("invalid", type(error).__name__, str(error), getattr(error, "field", None)))
    except Exception as error:  # reported to the parent, which answers for it
        conn.send(("failed", type(error).__name__, str(error), None))
    finally:
        conn.close()
