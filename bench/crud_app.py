"""The CRUD baseline: the support route written the plain way, without event sourcing.

`PUT /api/v1/pain-points/{id}/support` with a bearer token, as a CRUD service would
write it: a FastAPI sync route, one SQLite connection per server thread, WAL with
synchronous=FULL (the event store's durability), no lock of our own (SQLite's busy
timeout serialises the writers). It makes the checks Sprachrohr makes, in SQL: the
token (and that the person's company membership is active), that the pain point
exists and is open, and that the person is enrolled in its working group; then
`INSERT OR IGNORE` of the support and 201 (or 200 when the person already supports it).

`GET /api/v1/working-groups/{id}/ranking` is the ranking the obvious way: the token and
the person's enrolment checked, then one `GROUP BY` over the group's supports (companies,
supporters, first support), ordered as Sprachrohr orders it after its company units.

With BENCH_CRUD_LOCK=1 the writes are serialised by a Python lock as in the first
round's baseline (kept as a second row: the lock saves the busy-wait sleeps of
colliding writers). The database file is named by BENCH_CRUD_DB; `prepare` creates it.
"""

# No `from __future__ import annotations`: FastAPI must see the dependencies defined
# inside create_app, which string annotations would hide from it.
import os
import sqlite3
import threading
import time
from collections.abc import Iterable
from contextlib import nullcontext
from typing import Annotated
from uuid import UUID

from fastapi import Depends, FastAPI, HTTPException, Query, Response
from fastapi.security import OAuth2PasswordBearer
from pydantic import BaseModel

from domain.workflow import NEW, OPEN_STATUSES
from service.security import token_digest

SCHEMA = (
    "CREATE TABLE IF NOT EXISTS sessions (token_digest TEXT PRIMARY KEY, person_id TEXT NOT NULL,"
    " company_id TEXT NOT NULL, expires_at REAL NOT NULL)",
    "CREATE TABLE IF NOT EXISTS companies (id TEXT PRIMARY KEY, active INTEGER NOT NULL)",
    "CREATE TABLE IF NOT EXISTS enrolments (group_id TEXT NOT NULL, person_id TEXT NOT NULL,"
    " PRIMARY KEY (group_id, person_id))",
    "CREATE TABLE IF NOT EXISTS pain_points (id TEXT PRIMARY KEY, group_id TEXT NOT NULL,"
    " status TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS supports (pain_point_id TEXT NOT NULL, person_id TEXT NOT NULL,"
    " company_id TEXT NOT NULL, given_at REAL NOT NULL, PRIMARY KEY (pain_point_id, person_id))",
)
#: (token digest, person, company, expires at as a Unix time)
Session = tuple[str, UUID, UUID, float]
OPEN = frozenset(OPEN_STATUSES)
#: The token, and whether the person's company is an active member.
WHO = (
    "SELECT s.person_id, s.company_id, c.active FROM sessions s"
    " JOIN companies c ON c.id = s.company_id WHERE s.token_digest = ? AND s.expires_at > ?"
)
#: The pain point's status, and whether the person is enrolled in its group.
WHERE = (
    "SELECT p.status, EXISTS (SELECT 1 FROM enrolments e"
    " WHERE e.group_id = p.group_id AND e.person_id = ?) FROM pain_points p WHERE p.id = ?"
)
INSERT = "INSERT OR IGNORE INTO supports VALUES (?, ?, ?, ?)"
ENROLLED = "SELECT 1 FROM enrolments WHERE group_id = ? AND person_id = ?"
RANKING = (
    "SELECT p.id, p.status, count(DISTINCT s.company_id) AS companies,"
    " count(s.person_id) AS supporters, min(s.given_at) AS first_support_at"
    " FROM pain_points p LEFT JOIN supports s ON s.pain_point_id = p.id"
    " WHERE p.group_id = ? GROUP BY p.id"
    " ORDER BY companies DESC, supporters DESC, first_support_at, p.id LIMIT ? OFFSET ?"
)


def connect(path: str) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=30)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    return conn


def prepare(
    path: str,
    sessions: Iterable[Session],
    *,
    group: UUID,
    company_of: dict[UUID, UUID],
    pain_points: Iterable[UUID],
    supports: Iterable[tuple[UUID, UUID, float]] = (),
) -> None:
    """The database: sessions, active companies, everyone enrolled in `group`, its pain
    points open (status `new`), and `supports` given ((pain point, person, when))."""
    conn = connect(path)
    try:
        for statement in SCHEMA:
            conn.execute(statement)
        conn.execute("BEGIN")
        conn.executemany(
            "INSERT INTO sessions VALUES (?, ?, ?, ?)",
            [(digest, p.hex, c.hex, expires) for digest, p, c, expires in sessions],
        )
        companies = {c.hex for c in company_of.values()}
        conn.executemany("INSERT INTO companies VALUES (?, 1)", [(c,) for c in companies])
        conn.executemany(
            "INSERT INTO enrolments VALUES (?, ?)", [(group.hex, p.hex) for p in company_of]
        )
        conn.executemany(
            "INSERT INTO pain_points VALUES (?, ?, ?)",
            [(i.hex, group.hex, NEW) for i in pain_points],
        )
        conn.executemany(INSERT, ((i.hex, p.hex, company_of[p].hex, at) for i, p, at in supports))
        conn.execute("COMMIT")
    finally:
        conn.close()


class SupportOut(BaseModel):
    pain_point_id: UUID
    supported: bool


class RankedOut(BaseModel):
    rank: int
    pain_point_id: UUID
    status: str
    companies: int
    supporters: int


class RankingOut(BaseModel):
    items: list[RankedOut]


def create_app() -> FastAPI:
    path = os.environ["BENCH_CRUD_DB"]
    local = threading.local()
    write_lock = threading.Lock() if os.environ.get("BENCH_CRUD_LOCK") == "1" else nullcontext()
    oauth2 = OAuth2PasswordBearer(tokenUrl="/token", auto_error=False)

    def db() -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(local, "conn", None)
        if conn is None:
            conn = local.conn = connect(path)
        return conn

    def current_person(token: Annotated[str | None, Depends(oauth2)]) -> tuple[str, str]:
        row = None
        if token:
            row = db().execute(WHO, (token_digest(token), time.time())).fetchone()
        if row is None:
            raise HTTPException(401, "sign in first", {"WWW-Authenticate": "Bearer"})
        if not row[2]:
            raise HTTPException(403, "the company's membership has ended")
        return row[0], row[1]

    app = FastAPI()

    @app.put("/api/v1/pain-points/{pain_point_id}/support", response_model=SupportOut)
    def support(
        pain_point_id: UUID,
        person: Annotated[tuple[str, str], Depends(current_person)],
        response: Response,
    ) -> SupportOut:
        conn = db()
        found = conn.execute(WHERE, (person[0], pain_point_id.hex)).fetchone()
        if found is None:
            raise HTTPException(404, "no such pain point")
        if found[0] not in OPEN:
            raise HTTPException(409, "the pain point is not open")
        if not found[1]:
            raise HTTPException(403, "not enrolled in the pain point's working group")
        with write_lock:  # a no-op unless BENCH_CRUD_LOCK=1
            cursor = conn.execute(INSERT, (pain_point_id.hex, person[0], person[1], time.time()))
        response.status_code = 201 if cursor.rowcount else 200
        return SupportOut(pain_point_id=pain_point_id, supported=True)

    @app.get("/api/v1/working-groups/{group_id}/ranking", response_model=RankingOut)
    def ranking(
        group_id: UUID,
        person: Annotated[tuple[str, str], Depends(current_person)],
        limit: Annotated[int, Query(ge=1, le=100)] = 50,
        offset: Annotated[int, Query(ge=0)] = 0,
    ) -> RankingOut:
        conn = db()
        if conn.execute(ENROLLED, (group_id.hex, person[0])).fetchone() is None:
            raise HTTPException(404, "no such working group")
        rows = conn.execute(RANKING, (group_id.hex, limit, offset)).fetchall()
        return RankingOut(
            items=[
                RankedOut(
                    rank=offset + n + 1,
                    pain_point_id=UUID(hex=row[0]),
                    status=row[1],
                    companies=row[2],
                    supporters=row[3],
                )
                for n, row in enumerate(rows)
            ]
        )

    @app.get("/ready")
    def ready() -> dict[str, str]:
        return {"status": "ok"}

    return app
