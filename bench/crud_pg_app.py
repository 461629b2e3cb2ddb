"""The CRUD baseline on PostgreSQL: bench/crud_app.py's support route on the same database
Sprachrohr's PostgreSQL store uses.

`PUT /api/v1/pain-points/{id}/support` with a bearer token, written the obvious way: a
FastAPI sync route, a psycopg connection pool (psycopg_pool), one transaction per
request committed with the server's durability (synchronous_commit as configured),
no lock of our own. The same checks as Sprachrohr, in SQL: the token and that the
person's company membership is active, that the pain point exists and is open, and
that the person is enrolled in its working group; then `INSERT … ON CONFLICT DO
NOTHING` and 201 (or 200 when the person already supports it).

The tables live in their own schema, BENCH_CRUD_SCHEMA, in the database of
BENCH_CRUD_CONNINFO (a libpq connection string); `prepare` creates them and `drop`
removes the schema.
"""

# No `from __future__ import annotations`: FastAPI must see the dependencies defined
# inside create_app, which string annotations would hide from it.
import os
import time
from collections.abc import Iterable
from typing import Annotated
from uuid import UUID

import psycopg
from fastapi import Depends, FastAPI, HTTPException, Response
from fastapi.security import OAuth2PasswordBearer
from psycopg.sql import SQL, Identifier
from psycopg_pool import ConnectionPool

from bench.crud_app import OPEN, Session, SupportOut
from domain.workflow import NEW
from service.security import token_digest

SCHEMA = (
    "CREATE TABLE sessions (token_digest TEXT PRIMARY KEY, person_id UUID NOT NULL,"
    " company_id UUID NOT NULL, expires_at DOUBLE PRECISION NOT NULL)",
    "CREATE TABLE companies (id UUID PRIMARY KEY, active BOOLEAN NOT NULL)",
    "CREATE TABLE enrolments (group_id UUID NOT NULL, person_id UUID NOT NULL,"
    " PRIMARY KEY (group_id, person_id))",
    "CREATE TABLE pain_points (id UUID PRIMARY KEY, group_id UUID NOT NULL, status TEXT NOT NULL)",
    "CREATE TABLE supports (pain_point_id UUID NOT NULL, person_id UUID NOT NULL,"
    " company_id UUID NOT NULL, given_at DOUBLE PRECISION NOT NULL,"
    " PRIMARY KEY (pain_point_id, person_id))",
)
WHO = (
    "SELECT s.person_id, s.company_id, c.active FROM sessions s"
    " JOIN companies c ON c.id = s.company_id WHERE s.token_digest = %s AND s.expires_at > %s"
)
WHERE = (
    "SELECT p.status, EXISTS (SELECT 1 FROM enrolments e"
    " WHERE e.group_id = p.group_id AND e.person_id = %s) FROM pain_points p WHERE p.id = %s"
)
INSERT = "INSERT INTO supports VALUES (%s, %s, %s, %s) ON CONFLICT DO NOTHING"
#: Connections in the pool: as many as FastAPI's thread pool runs sync routes at once.
POOL_SIZE = 40


def prepare(
    conninfo: str,
    schema: str,
    sessions: Iterable[Session],
    *,
    group: UUID,
    company_of: dict[UUID, UUID],
    pain_points: Iterable[UUID],
) -> None:
    """The schema and its tables: sessions, active companies, everyone enrolled in
    `group`, and its pain points open (status `new`)."""
    with psycopg.connect(conninfo) as conn:
        conn.execute(SQL("CREATE SCHEMA {}").format(Identifier(schema)))
        conn.execute(SQL("SET search_path TO {}").format(Identifier(schema)))
        for statement in SCHEMA:
            conn.execute(statement.encode())
        with conn.cursor() as cur:
            cur.executemany(
                "INSERT INTO sessions VALUES (%s, %s, %s, %s)",
                [(digest, p, c, expires) for digest, p, c, expires in sessions],
            )
            companies = set(company_of.values())
            cur.executemany("INSERT INTO companies VALUES (%s, true)", [(c,) for c in companies])
            cur.executemany(
                "INSERT INTO enrolments VALUES (%s, %s)", [(group, p) for p in company_of]
            )
            cur.executemany(
                "INSERT INTO pain_points VALUES (%s, %s, %s)",
                [(i, group, NEW) for i in pain_points],
            )


def drop(conninfo: str, schema: str) -> None:
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(Identifier(schema)))


def create_app() -> FastAPI:
    conninfo, schema = os.environ["BENCH_CRUD_CONNINFO"], os.environ["BENCH_CRUD_SCHEMA"]
    pool = ConnectionPool(
        conninfo,
        min_size=4,
        max_size=POOL_SIZE,
        kwargs={"options": f"-c search_path={schema}"},
        open=True,
    )
    oauth2 = OAuth2PasswordBearer(tokenUrl="/token", auto_error=False)

    def current_person(token: Annotated[str | None, Depends(oauth2)]) -> tuple[UUID, UUID]:
        row = None
        if token:
            with pool.connection() as conn:
                row = conn.execute(WHO, (token_digest(token), time.time())).fetchone()
        if row is None:
            raise HTTPException(401, "sign in first", {"WWW-Authenticate": "Bearer"})
        if not row[2]:
            raise HTTPException(403, "the company's membership has ended")
        return row[0], row[1]

    app = FastAPI()

    @app.put("/api/v1/pain-points/{pain_point_id}/support", response_model=SupportOut)
    def support(
        pain_point_id: UUID,
        person: Annotated[tuple[UUID, UUID], Depends(current_person)],
        response: Response,
    ) -> SupportOut:
        with pool.connection() as conn:  # one transaction, committed at the block's end
            found = conn.execute(WHERE, (person[0], pain_point_id)).fetchone()
            if found is None:
                raise HTTPException(404, "no such pain point")
            if found[0] not in OPEN:
                raise HTTPException(409, "the pain point is not open")
            if not found[1]:
                raise HTTPException(403, "not enrolled in the pain point's working group")
            cursor = conn.execute(INSERT, (pain_point_id, person[0], person[1], time.time()))
        response.status_code = 201 if cursor.rowcount else 200
        return SupportOut(pain_point_id=pain_point_id, supported=True)

    @app.get("/ready")
    def ready() -> dict[str, str]:
        return {"status": "ok"}

    return app
