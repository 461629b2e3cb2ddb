"""Supports per second through HTTP on PostgreSQL: Sprachrohr vs a CRUD service on the
same database.

Sprachrohr runs as `sprachrohr serve` runs with SPRACHROHR_DATABASE_URL set (event
store, views and notifications in one schema of the local PostgreSQL); the CRUD
baseline is bench/crud_pg_app.py in a schema of its own beside it. Both are uvicorn
subprocesses, up at the same time and measured in turn at each concurrency, with the
same bearer tokens and the same (person, pain point) pairs. Both schemas are made for
the run and dropped afterwards; nothing else in the database is touched.

BENCH_PG_URL names the database (default: `test` on 127.0.0.1:5432 as `postgres`);
when it cannot be reached the section is left out.
"""

from __future__ import annotations

import os
import random
import time
from pathlib import Path
from uuid import uuid4

import httpx
import psycopg

from bench import crud_pg_app
from bench.common import Result, Table, ms, rate, ratio, scratch_dir, sized
from bench.http import BEFORE, CLIENTS, COUNTS, auth, progress
from bench.loadgen import ROOT, SERVE, WARMUP_PER_CLIENT, Load, Request, Server, drive, serving
from bench.world import populate
from service.runtime import build_runtime
from service.security import token_digest
from service.settings import Settings
from storage.postgres import postgres_conninfo

URL = os.environ.get("BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")
COMPANIES = 20
PEOPLE = sized(300, 200)
#: Each pair of a token holder and a pain point is one request: enough for three variants.
TOKEN_HOLDERS = sized(300, 200)
PAIN_POINTS = sized(100, 40)
NAMES = {
    "crud": "CRUD on PostgreSQL: token + checks in SQL, INSERT … ON CONFLICT DO NOTHING, pool",
    "support": "`PUT …/support` on PostgreSQL (event sourced, as `sprachrohr serve` runs:"
    " projector child)",
    "inline": "`PUT …/support` on PostgreSQL, projector as a thread in the server process",
}
if BEFORE:
    NAMES["before"] = f"`PUT …/support` on PostgreSQL, before: the code in {Path(BEFORE).name}"


def conninfo() -> str:
    return postgres_conninfo(Settings(database_url=URL).event_store_env())


def reachable() -> bool:
    try:
        with psycopg.connect(conninfo(), connect_timeout=3):
            return True
    except psycopg.Error:
        return False


def run() -> Result | None:
    if not reachable():
        print(f"  PostgreSQL at {URL} not reachable: section 5 left out", flush=True)
        return None
    schema = f"bench_{uuid4().hex[:10]}"
    crud_schema = f"{schema}_crud"
    url = f"{URL}?schema={schema}"
    loads: dict[str, dict[int, Load]] = {name: {} for name in NAMES}
    info = conninfo()
    with scratch_dir("http-pg") as tmp:
        try:
            started = time.perf_counter()
            requests = prepare(url, tmp, info, crud_schema)
            setup = time.perf_counter() - started
            env = {"SPRACHROHR_DATABASE_URL": url, "SPRACHROHR_DATA_DIR": str(tmp / "var")}
            crud_env = {"BENCH_CRUD_CONNINFO": info, "BENCH_CRUD_SCHEMA": crud_schema}
            ready = "/api/v1/health/ready"
            with (
                serving("bench.crud_pg_app:create_app", crud_env, "/ready") as crud,
                serving(SERVE, env, ready) as real,
            ):
                settle(real)
                real.settle_child("/api/v1/health/ready")
                servers = {"crud": crud, "support": real}
                for clients, (_, count) in COUNTS.items():
                    used = count + WARMUP_PER_CLIENT * clients
                    mine, requests = requests[:used], requests[used:]
                    for name in ("crud", "support"):  # the CRUD database has its own copy
                        loads[name][clients] = drive(servers[name], mine, clients, {201})
                        progress(f"{name} (PostgreSQL)", loads[name][clients])
            # One after the other, not beside `support`: a second server's projector
            # would stand by for (or take over from) the child.
            later = {"inline": (env, ROOT)}
            if BEFORE:
                later["before"] = (env | {"PYTHONPATH": BEFORE}, Path(BEFORE))
            for name, (extra, cwd) in later.items():
                with serving("api.main:create_app", extra, ready, cwd) as other:
                    settle(other)
                    for clients, (_, count) in COUNTS.items():
                        used = count + WARMUP_PER_CLIENT * clients
                        mine, requests = requests[:used], requests[used:]
                        loads[name][clients] = drive(other, mine, clients, {201})
                        progress(f"{name} (PostgreSQL)", loads[name][clients])
        finally:
            crud_pg_app.drop(info, crud_schema)
            crud_pg_app.drop(info, schema)
    return report(loads, setup)


def settle(server: Server) -> None:
    """Let Sprachrohr's start-up finish before the timed requests: the web pages' routes
    are built in a background thread a second after the server listens (api/routing.py),
    which otherwise fell into the 1-client run (a one-off 0.3 s of CPU, nothing to do with
    writes). Asking for a page builds them at once."""
    httpx.get(server.base + "/login", timeout=60, trust_env=False).raise_for_status()


def prepare(url: str, tmp: Path, info: str, crud_schema: str) -> list[Request]:
    """The association through the Application on PostgreSQL, bearer tokens for some
    people (copied into the CRUD schema), and one request per (token holder, pain point)
    pair in a fixed shuffled order: each records a new support in both services."""
    runtime = build_runtime(Settings(database_url=url, data_dir=tmp / "var", run_projector=False))
    try:
        world = populate(runtime.app, companies=COMPANIES, people=PEOPLE, pain_points=PAIN_POINTS)
        holders = world.people[:TOKEN_HOLDERS]
        world.open_sessions(holders)
        runtime.projector.catch_up()
    finally:
        runtime.close()
    expires = time.time() + 86400
    crud_pg_app.prepare(
        info,
        crud_schema,
        [(token_digest(world.tokens[p]), p, world.company_of[p], expires) for p in holders],
        group=world.group,
        company_of=world.company_of,
        pain_points=world.pain_points,
    )
    pairs = [(p, i) for p in holders for i in world.pain_points]
    random.Random(3).shuffle(pairs)
    runs = 2 if BEFORE else 1
    needed = runs * sum(timed + WARMUP_PER_CLIENT * c for c, (_, timed) in COUNTS.items())
    if len(pairs) < needed:
        raise ValueError("too few (person, pain point) pairs for the request count")
    return [
        ("PUT", f"/api/v1/pain-points/{item}/support", auth(world.tokens[person]))
        for person, item in pairs
    ]


def report(loads: dict[str, dict[int, Load]], setup: float) -> Result:
    table = Table(
        ["server", "clients", "requests", "req/s", "p50", "p99", "÷ CRUD", "server CPU/req",
         "client CPU/req"]
    )  # fmt: skip
    figures: dict[str, float] = {"setup_s": setup}
    crud = loads["crud"]
    for name, label in NAMES.items():
        for clients, load in loads[name].items():
            table.add(
                label,
                clients,
                f"{load.requests:,}",
                rate(load.requests, load.seconds),
                ms(load.p(50)),
                ms(load.p(99)),
                ratio(load.rate, crud[clients].rate),
                ms(load.server_cpu / load.requests),
                ms(load.client_cpu / load.requests),
            )
            key = f"{name}{clients}"
            figures |= {
                f"{key}_rps": load.rate,
                f"{key}_p50": load.p(50),
                f"{key}_p99": load.p(99),
                f"{key}_server_cpu": load.server_cpu / load.requests,
            }
    support = loads["support"]
    headline = "; ".join(
        f"{c} client{'s' if c > 1 else ''}: {rate(s.requests, s.seconds)} supports/s ="
        f" {ratio(s.rate, crud[c].rate)} × CRUD on PostgreSQL"
        for c, s in support.items()
    )
    notes = [
        f"Database: {URL} (synchronous_commit as the server has it), one schema for"
        " Sprachrohr's event store, views and notifications, another for the CRUD tables;"
        " both made for the run and dropped after it. The association: an admin,"
        f" {COMPANIES} member companies, one working group of {PEOPLE} enrolled people,"
        f" {PAIN_POINTS} pain points, all created through the Application (setup"
        f" {setup:.0f} s); {TOKEN_HOLDERS} people hold bearer tokens, copied into the CRUD"
        " sessions table. Each request is a (person, pain point) pair not yet supported"
        " and must answer 201 in both services.",
        "CRUD (`bench/crud_pg_app.py`): FastAPI sync route, psycopg_pool connection pool"
        f" of up to {crud_pg_app.POOL_SIZE} connections, the token looked up with its"
        " company's membership in a dependency, then the pain point's status and the"
        " person's enrolment in one SELECT, `INSERT … ON CONFLICT DO NOTHING` and the"
        " commit, in one transaction. Sprachrohr: `sprachrohr serve` with"
        " SPRACHROHR_DATABASE_URL (storage.postgres: group commit under the library's"
        " table lock; the projector and the notification processor in its child process,"
        " following the writes through LISTEN/NOTIFY, ADR 028); the `inline` row runs them"
        " as threads in the server process (`api.main:create_app`), as before ADR 028.",
        "CRUD and `sprachrohr serve` are up throughout and measured in turn at each"
        " concurrency (CRUD first), with the load generator of section 2; the other"
        " variants follow one after another. The server CPU column is the server's and its"
        " children's (the projector child): the PostgreSQL backends' CPU is not in it (they"
        " share the same 2 cores).",
    ]
    summary = [
        [
            f"HTTP on PostgreSQL: `PUT …/support`, {c} client{'s' if c > 1 else ''}",
            f"{rate(s.requests, s.seconds)} req/s, p99 {ms(s.p(99))}",
            f"CRUD {rate(crud[c].requests, crud[c].seconds)} req/s",
            ratio(s.rate, crud[c].rate),
        ]
        for c, s in support.items()
    ]
    return Result(
        title="5. HTTP on PostgreSQL: Sprachrohr vs a CRUD service on the same database",
        headline=headline,
        tables=[table],
        notes=notes,
        summary=summary,
        figures=figures | {"clients": float(len(CLIENTS))},
    )
