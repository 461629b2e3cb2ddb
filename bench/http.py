"""Supports per second through HTTP: the real server vs a trivial route and a CRUD baseline.

Every server is a uvicorn subprocess with the settings `sprachrohr serve` uses. The
event-sourced server works on the benchmark's large log (so its memory is measured at
the log's full size afterwards) in three variants, one after another: with the
library's plain SQLite recorder (before group commit), with its projector as a thread
in the server process (the default before ADR 028), and as `sprachrohr serve` runs it
(the projector in its child process; the CPU column counts both processes).
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

from bench import crud_app
from bench.common import Result, Table, mib, ms, rate, ratio, scratch_dir, sized
from bench.loadgen import (
    ROOT,
    SERVE,
    WARMUP_PER_CLIENT,
    Load,
    Request,
    Server,
    drive,
    serving,
)
from bench.supportlog import SupportLog
from service.security import token_digest

CLIENTS = (1, 16, 64)
TOKEN_HOLDERS = 100
#: Timed requests per concurrency: (trivial, CRUD and support).
COUNTS = {
    1: (sized(3000, 300), sized(1500, 200)),
    16: (sized(6000, 800), sized(3000, 400)),
    64: (sized(8000, 1200), sized(4000, 600)),
}
READS = sized(2000, 300)
NAMES = {
    "trivial": "trivial sync route (baseline a)",
    "crud": "CRUD: token + checks in SQL, INSERT OR IGNORE, no lock (baseline b)",
    "crud-locked": "CRUD as in round 1: writes behind a Python lock",
    "library": "`PUT …/support`, before: the library's SQLite recorder",
    "inline": "`PUT …/support`, projector as a thread in the server process",
    "support": "`PUT …/support` (event sourced, as `sprachrohr serve` runs: projector child)",
}
#: BENCH_BEFORE=<a checkout of an earlier commit>: also run that code's server, in the
#: same run, as the `before` row (for before/after ratios of a change).
BEFORE = os.environ.get("BENCH_BEFORE")
if BEFORE:
    NAMES["before"] = f"`PUT …/support`, before: the code in {Path(BEFORE).name}"
#: BENCH_HTTP_VARIANTS=support,before: run only these event-sourced variants (quick runs).
#: `before` runs last: its views' code differs, so it rebuilds the views on start-up, and
#: a variant after it would rebuild them again while it is measured.
VARIANTS = [
    name
    for name in os.environ.get("BENCH_HTTP_VARIANTS", "library,inline,support,before").split(",")
    if name in NAMES
]


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def support_requests(log: SupportLog, tmp: Path) -> tuple[list[Request], list[str]]:
    """Bearer tokens for some people, opened through the Application and copied into
    the CRUD baseline's sessions table; one request per (person, pain point) pair that
    is not supported yet, so each records a new support (201) in both servers."""
    world = log.world
    holders = world.people[:TOKEN_HOLDERS]
    world.open_sessions(holders)
    expires = (datetime.now(UTC) + timedelta(days=1)).timestamp()
    crud_dbs = [str(tmp / "crud.sqlite"), str(tmp / "crud-locked.sqlite")]
    for crud_db in crud_dbs:
        crud_app.prepare(
            crud_db,
            [(token_digest(world.tokens[p]), p, world.company_of[p], expires) for p in holders],
            group=world.group,
            company_of=world.company_of,
            pain_points=world.pain_points,
        )
    per_variant = sum(timed + WARMUP_PER_CLIENT * c for c, (_, timed) in COUNTS.items())
    needed = max(1, len(VARIANTS)) * per_variant
    pairs = log.unused_pairs(holders)
    if len(pairs) < needed:
        raise ValueError("too few unsupported (person, pain point) pairs for the request count")
    requests = [
        ("PUT", f"/api/v1/pain-points/{item}/support", auth(world.tokens[person]))
        for person, item in pairs[:needed]
    ]
    return requests, crud_dbs


def run(log: SupportLog) -> Result:
    loads: dict[str, dict[int, Load]] = {name: {} for name in NAMES}
    with scratch_dir("http") as tmp:
        requests, (crud_db, locked_db) = support_requests(log, tmp)
        log.runtime.projector.catch_up()  # the server starts with its views at the head
        env = {"SPRACHROHR_DATA_DIR": str(log.data_dir)}
        with (
            serving("bench.trivial_app:create_app", {}, "/docs") as trivial,
            serving("bench.crud_app:create_app", {"BENCH_CRUD_DB": crud_db}, "/ready") as crud,
            serving(
                "bench.crud_app:create_app",
                {"BENCH_CRUD_DB": locked_db, "BENCH_CRUD_LOCK": "1"},
                "/ready",
            ) as locked,
        ):
            baselines = {"trivial": trivial, "crud": crud, "crud-locked": locked}
            crud_requests = list(requests)
            for clients, (trivial_count, count) in COUNTS.items():
                items = [
                    ("PUT", f"/items/{n}", auth("unused"))
                    for n in range(trivial_count + WARMUP_PER_CLIENT * clients)
                ]
                # The CRUD baseline has its own database: it takes the same pairs the
                # event-sourced variants take, from the start of the list.
                used = count + WARMUP_PER_CLIENT * clients
                mine, crud_requests = crud_requests[:used], crud_requests[used:]
                plan = {
                    "trivial": (items, 200),
                    "crud": (mine, 201),
                    "crud-locked": (mine, 201),  # its own database: the same pairs again
                }
                for name, (batch, expected) in plan.items():
                    loads[name][clients] = drive(baselines[name], batch, clients, {expected})
                    progress(name, loads[name][clients])
            variants = {
                "library": ("bench.library_store_app:create_app", {}),
                "inline": ("api.main:create_app", {}),
                "before": ("api.main:create_app", {"PYTHONPATH": BEFORE or ""}),
                "support": (SERVE, {}),
            }
            for name in VARIANTS:
                factory, extra = variants[name]
                cwd = Path(BEFORE) if name == "before" and BEFORE else ROOT
                with serving(factory, env | extra, "/api/v1/health/ready", cwd) as real:
                    settle(real)
                    if factory == SERVE:
                        real.settle_child("/api/v1/health/ready")
                    for clients, (_, count) in COUNTS.items():
                        used = count + WARMUP_PER_CLIENT * clients
                        mine, requests = requests[:used], requests[used:]
                        loads[name][clients] = drive(real, mine, clients, {201})
                        progress(name, loads[name][clients])
                    if name == "support":
                        memory = server_memory(log, real)
    return report(loads, memory, log)


def settle(server: Server) -> None:
    """Let the server finish starting before it is timed: the web's pages are built in
    a background thread a second after it listens (api.routing.DeferredRoutes), about
    half a second of CPU that fell into the first, 1-client measurement; a request for
    a page waits for them."""
    httpx.get(server.base + "/login", timeout=60, trust_env=False)


def progress(name: str, load: Load) -> None:
    print(f"  {name}, {load.clients} clients: {load.rate:,.0f} req/s", flush=True)


def server_memory(log: SupportLog, server: Server) -> dict[str, float]:
    """Peak RSS of the real server after the write load and a read load on the log,
    and the latency of the ranking route as a member sees it."""
    world = log.world
    token = auth(world.tokens[world.people[0]])
    ranking = [("GET", f"/api/v1/working-groups/{world.group}/ranking?limit=50", token)] * READS
    pages = [
        ("GET", f"/api/v1/pain-points/{world.pain_points[n % len(world.pain_points)]}", token)
        for n in range(READS)
    ]
    # One client: concurrent reads through `ViewCursor` break on SQLite (see the notes).
    ranked = drive(server, ranking, 1, {200})
    paged = drive(server, pages, 1, {200})
    return {
        "rss_peak": server.peak_rss(),
        "rss_now": server.rss(),
        "child_rss_peak": server.children_peak_rss(),
        "ranking_p50": ranked.p(50),
        "ranking_p99": ranked.p(99),
        "ranking_rps": ranked.rate,
        "page_p50": paged.p(50),
        "page_p99": paged.p(99),
        "head": log.head(),
    }


def report(loads: dict[str, dict[int, Load]], memory: dict[str, float], log: SupportLog) -> Result:
    table = Table(
        ["server", "clients", "requests", "req/s", "p50", "p99", "÷ trivial", "÷ CRUD",
         "server CPU/req", "client CPU/req"]
    )  # fmt: skip
    figures: dict[str, float] = {}
    for name, label in NAMES.items():
        for clients, load in loads[name].items():
            table.add(
                label,
                clients,
                f"{load.requests:,}",
                rate(load.requests, load.seconds),
                ms(load.p(50)),
                ms(load.p(99)),
                ratio(load.rate, loads["trivial"][clients].rate),
                ratio(load.rate, loads["crud"][clients].rate),
                ms(load.server_cpu / load.requests),
                ms(load.client_cpu / load.requests),
            )
            key = f"{name}{clients}"
            figures |= {
                f"{key}_rps": load.rate,
                f"{key}_p50": load.p(50),
                f"{key}_p99": load.p(99),
                f"{key}_server_cpu": load.server_cpu / load.requests,
                f"{key}_client_cpu": load.client_cpu / load.requests,
            }
    figures |= {f"server_{k}": v for k, v in memory.items()}
    support, crud = loads["support"], loads["crud"]
    headline = (
        "; ".join(
            f"{c} client{'s' if c > 1 else ''}: {rate(s.requests, s.seconds)} supports/s ="
            f" {ratio(s.rate, crud[c].rate)} × CRUD"
            for c, s in support.items()
        )
        + f"; server peak RSS {mib(memory['rss_peak'])} at {memory['head']:,.0f} events"
    )
    notes = [
        "All servers: `python -m uvicorn --factory … --workers 1 --log-level info` (what"
        " `sprachrohr serve` runs: uvloop and httptools as uvicorn picks them, access log on,"
        " written to /dev/null), each a subprocess on a free 127.0.0.1 port. The baselines"
        " run throughout and are measured in turn at each concurrency; the event-sourced"
        " variants follow one after another.",
        f"Event-sourced server: the benchmark's log ({log.shape()}), its views caught up. As"
        " `sprachrohr serve` runs it (`python -m cli.main serve`, ADR 028), the projector and"
        " the notification processor follow the writes in its child process (`sprachrohr"
        " project`), woken by the store's doorbell; its server CPU column is the server's"
        " and the child's together. The `inline` row runs them as threads in the server"
        " process (`uvicorn --factory api.main:create_app`), as before ADR 028. Each"
        " `PUT /api/v1/pain-points/{id}/support` is a (person, pain point) pair not yet"
        f" supported and must answer 201; {TOKEN_HOLDERS} people hold bearer tokens opened"
        " through the Application.",
        "(a) `bench/trivial_app.py`: one sync `PUT /items/{id}` route returning a small JSON"
        " object, sent the same headers. (b) `bench/crud_app.py`: the same support route"
        " written without event sourcing the obvious way (FastAPI sync route, one SQLite"
        " connection per server thread, WAL, synchronous=FULL; the bearer token looked up with"
        " its company's membership, the pain point's status and the person's enrolment in its"
        " group checked in SQL, then `INSERT OR IGNORE`; no lock of its own) with the same"
        " tokens and the same (person, pain point) pairs, so it answers 201 to the same"
        " requests. The round-1 variant (writes behind a Python lock) runs as a second row on"
        " its own copy of the database.",
        f"Load: `bench/loadgen.py`, HTTP/1.1 over asyncio streams on uvloop, one keep-alive"
        " connection per client, each client sending its share one request after another;"
        f" {WARMUP_PER_CLIENT} warm-up requests per client, then the timed ones. Latency is per"
        " request as the client sees it. The generator runs in the benchmark process and"
        " shares the 2 cores with the server: the CPU columns show what each side spent per"
        " request (server from /proc, client from `time.process_time()`).",
        f"Reads and memory: after the write load, {READS:,} `GET …/ranking?limit=50` (p50"
        f" {ms(memory['ranking_p50'])}, p99 {ms(memory['ranking_p99'])} as the client sees"
        f" it) and {READS:,} `GET /api/v1/pain-points/{{id}}` (p50 {ms(memory['page_p50'])},"
        f" p99 {ms(memory['page_p99'])}), one client; then the server's VmHWM (peak RSS) is"
        f" {mib(memory['rss_peak'])}, VmRSS {mib(memory['rss_now'])}, with the log at"
        f" {memory['head']:,.0f} events; its projector child's VmHWM is"
        f" {mib(memory['child_rss_peak'])}.",
    ]
    before, inline = loads["library"], loads["inline"]
    if before and inline:
        notes.append(
            "Before/after: the library's recorder (before group commit and one-statement"
            " reads in `storage.sqlite`) served "
            + ", ".join(
                f"{before[c].rate:,.0f} req/s at {c} client{'s' if c > 1 else ''}"
                f" ({ms(before[c].server_cpu / before[c].requests)} server CPU each)"
                for c in CLIENTS
            )
            + "; the projector as a thread in the server process "
            + ", ".join(
                f"{inline[c].rate:,.0f} ({ms(inline[c].server_cpu / inline[c].requests)})"
                for c in CLIENTS
            )
            + "; now, with the projector child, "
            + ", ".join(
                f"{support[c].rate:,.0f} ({ms(support[c].server_cpu / support[c].requests)}"
                " for both processes)"
                for c in CLIENTS
            )
            + "."
        )
    summary = [
        [
            f"HTTP: `PUT …/support`, {c} client{'s' if c > 1 else ''}",
            f"{rate(s.requests, s.seconds)} req/s, p99 {ms(s.p(99))}",
            f"CRUD {rate(crud[c].requests, crud[c].seconds)} req/s",
            ratio(s.rate, crud[c].rate),
        ]
        for c, s in support.items()
    ]
    summary.append(
        [
            f"memory: server peak RSS, {memory['head']:,.0f} events",
            f"{mib(memory['rss_peak'])} (its projector child {mib(memory['child_rss_peak'])})",
            "goal 300 MB",
            ratio(memory["rss_peak"], 300e6),
        ]
    )
    return Result(
        title="2. HTTP: supports per second through uvicorn",
        headline=headline,
        tables=[table],
        notes=notes,
        summary=summary,
        figures=figures,
    )
