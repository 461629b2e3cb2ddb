"""The HTTP baseline: a FastAPI app with one sync route and nothing else."""

from __future__ import annotations

from fastapi import FastAPI


def create_app() -> FastAPI:
    app = FastAPI()

    @app.put("/items/{item_id}")
    def put_item(item_id: str) -> dict[str, str]:
        return {"item_id": item_id}

    return app
