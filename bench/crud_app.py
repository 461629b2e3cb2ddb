"""The CRUD baseline: the support route written the plain way, without event sourcing.

`PUT /api/v1/pain-points/{id}/support` with a bearer token: look the token up in a
sessions table, insert one row into a supports table, answer 201 (or 200 when the
person already supports it). SQLite in WAL mode with synchronous=FULL (the event
store's durability), one connection per server thread, writes serialised by a lock
(SQLite admits one writer; the lock saves the busy-wait sleeps of colliding writers).
The database file is named by BENCH_CRUD_DB; `prepare` creates it.
"""

# No `from __future__ import annotations`: FastAPI must see the dependencies defined
# inside create_app, which string annotations would hide from it.
import os
import sqlite3
import threading
import time
from collections.abc import Iterable
from typing import Annotated
from uuid import UUID

from fastapi import Depends, FastAPI, HTTPException, Response
from fastapi.security import OAuth2PasswordBearer
from pydantic import BaseModel

from service.security import token_digest

SCHEMA = (
    "CREATE TABLE IF NOT EXISTS sessions (token_digest TEXT PRIMARY KEY, person_id TEXT NOT NULL,"
    " company_id TEXT NOT NULL, expires_at REAL NOT NULL)",
    "CREATE TABLE IF NOT EXISTS supports (pain_point_id TEXT NOT NULL, person_id TEXT NOT NULL,"
    " company_id TEXT NOT NULL, given_at REAL NOT NULL, PRIMARY KEY (pain_point_id, person_id))",
)
#: (token digest, person, company, expires at as a Unix time)
Session = tuple[str, UUID, UUID, float]


def connect(path: str) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=30)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    return conn


def prepare(path: str, sessions: Iterable[Session]) -> None:
    conn = connect(path)
    try:
        for statement in SCHEMA:
            conn.execute(statement)
        conn.execute("BEGIN")
        conn.executemany(
            "INSERT INTO sessions VALUES (?, ?, ?, ?)",
            [(digest, p.hex, c.hex, expires) for digest, p, c, expires in sessions],
        )
        conn.execute("COMMIT")
    finally:
        conn.close()


class SupportOut(BaseModel):
    pain_point_id: UUID
    supported: bool


def create_app() -> FastAPI:
    path = os.environ["BENCH_CRUD_DB"]
    local = threading.local()
    write_lock = threading.Lock()
    oauth2 = OAuth2PasswordBearer(tokenUrl="/token", auto_error=False)

    def db() -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(local, "conn", None)
        if conn is None:
            conn = local.conn = connect(path)
        return conn

    def current_person(token: Annotated[str | None, Depends(oauth2)]) -> tuple[str, str]:
        row = None
        if token:
            row = (
                db()
                .execute(
                    "SELECT person_id, company_id FROM sessions"
                    " WHERE token_digest = ? AND expires_at > ?",
                    (token_digest(token), time.time()),
                )
                .fetchone()
            )
        if row is None:
            raise HTTPException(401, "sign in first", {"WWW-Authenticate": "Bearer"})
        return row[0], row[1]

    app = FastAPI()

    @app.put("/api/v1/pain-points/{pain_point_id}/support", response_model=SupportOut)
    def support(
        pain_point_id: UUID,
        person: Annotated[tuple[str, str], Depends(current_person)],
        response: Response,
    ) -> SupportOut:
        conn = db()
        with write_lock:
            conn.execute("BEGIN IMMEDIATE")
            try:
                cursor = conn.execute(
                    "INSERT INTO supports VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                    (pain_point_id.hex, person[0], person[1], time.time()),
                )
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        response.status_code = 201 if cursor.rowcount else 200
        return SupportOut(pain_point_id=pain_point_id, supported=True)

    @app.get("/ready")
    def ready() -> dict[str, str]:
        return {"status": "ok"}

    return app
