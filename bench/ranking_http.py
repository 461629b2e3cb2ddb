"""Ranking reads over HTTP: Sprachrohr's ranking route vs the CRUD service's `GROUP BY`.

Both servers hold the same supports: Sprachrohr the benchmark's log (its views caught
up), the CRUD service (bench/crud_app.py) every one of those supports as a row of its
`supports` table. Each answers `GET /api/v1/working-groups/{id}/ranking?limit=50` for
the same member's bearer token, one client, keep-alive, after warm-up requests.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx

from bench import crud_app
from bench.common import Result, Table, ms, ratio, scratch_dir, sized
from bench.loadgen import Load, Server, drive, serving
from bench.supportlog import PAIN_POINTS, SupportLog
from service.security import token_digest

#: Timed requests: Sprachrohr's ranking is an index walk, the CRUD one aggregates every
#: support of the group at each request.
COUNTS = {"sprachrohr": sized(1000, 300), "crud": sized(30, 100)}
LIMIT = 50


def run(log: SupportLog) -> Result:
    world = log.world
    reader = world.people[0]
    if reader not in world.tokens:
        world.open_sessions([reader])
    token = world.tokens[reader]
    expires = (datetime.now(UTC) + timedelta(days=1)).timestamp()
    path = f"/api/v1/working-groups/{world.group}/ranking?limit={LIMIT}"
    request = ("GET", path, {"Authorization": f"Bearer {token}"})
    loads: dict[str, Load] = {}
    with scratch_dir("ranking") as tmp:
        crud_db = str(tmp / "crud.sqlite")
        supports = (
            (world.pain_points[code % PAIN_POINTS], world.people[code // PAIN_POINTS], float(n))
            for n, code in enumerate(log.order[: log.given])
        )
        crud_app.prepare(
            crud_db,
            [(token_digest(token), reader, world.company_of[reader], expires)],
            group=world.group,
            company_of=world.company_of,
            pain_points=world.pain_points,
            supports=supports,
        )
        log.runtime.projector.catch_up()
        servers = {
            "sprachrohr": (
                "api.main:create_app",
                {"SPRACHROHR_DATA_DIR": str(log.data_dir)},
                "/api/v1/health/ready",
            ),
            "crud": ("bench.crud_app:create_app", {"BENCH_CRUD_DB": crud_db}, "/ready"),
        }
        for name, (factory, env, ready) in servers.items():
            with serving(factory, env, ready) as server:
                check(server, path, token)
                loads[name] = drive(server, [request] * COUNTS[name], 1, {200})
                print(f"  ranking, {name}: {loads[name].rate:,.1f} req/s", flush=True)
    return report(loads, log)


def check(server: Server, path: str, token: str) -> None:
    """Both answer a full page of the ranking (not an error, not an empty list)."""
    answer = httpx.get(
        server.base + path, headers={"Authorization": f"Bearer {token}"}, timeout=120
    )
    answer.raise_for_status()
    if len(answer.json()["items"]) != LIMIT:
        raise AssertionError(f"{server.base}{path} answered {len(answer.json()['items'])} items")


def report(loads: dict[str, Load], log: SupportLog) -> Result:
    ours, crud = loads["sprachrohr"], loads["crud"]
    table = Table(
        ["server", "supports", "requests", "req/s", "p50", "p99", "÷ CRUD", "server CPU/req"]
    )
    labels = {
        "crud": "CRUD: `GROUP BY` over the supports table (baseline)",
        "sprachrohr": "`GET …/ranking?limit=50` (event sourced, the ranking view)",
    }
    for name in ("crud", "sprachrohr"):
        load = loads[name]
        table.add(
            labels[name],
            f"{log.given:,}",
            load.requests,
            f"{load.rate:,.1f}",
            ms(load.p(50)),
            ms(load.p(99)),
            ratio(load.rate, crud.rate),
            ms(load.server_cpu / load.requests),
        )
    quotient = ours.rate / crud.rate
    return Result(
        title="9. HTTP ranking reads: Sprachrohr vs the CRUD service's `GROUP BY`",
        headline=(
            f"top-50 ranking at {log.given:,} supports: {ours.rate:,.0f} req/s ="
            f" {quotient:,.1f} × the CRUD service's `GROUP BY` ({crud.rate:,.1f} req/s)"
        ),
        tables=[table],
        notes=[
            f"Log: {log.shape()}; {log.given:,} supports, the views caught up. The CRUD"
            " service's database holds the same supports (pain point, person, company, an"
            " increasing time) in its `supports` table, keyed (pain point, person), with the"
            " same member's session; its route checks the token and the enrolment, then"
            " `SELECT … count(DISTINCT company), count(*), min(given_at) … GROUP BY pain"
            " point ORDER BY … LIMIT 50` (bench/crud_app.py).",
            "One client, keep-alive, 3 warm-up requests, both servers uvicorn subprocesses"
            " as in section 2, one after the other; each answered a full page of 50 items"
            " before it was timed.",
            "Sprachrohr keeps the ranking as a view the projector maintains per support"
            " (`v_rank_items`, ordered by an index), so a read walks 50 index entries"
            " whatever the number of supports; the `GROUP BY` reads every support of the"
            " group at every request.",
        ],
        summary=[
            [
                f"HTTP: top-50 ranking, {log.given:,} supports",
                f"{ours.rate:,.0f} req/s, p99 {ms(ours.p(99))}",
                f"CRUD `GROUP BY` {crud.rate:,.1f} req/s",
                ratio(ours.rate, crud.rate),
            ]
        ],
        figures={
            "supports": log.given,
            "ours_rps": ours.rate,
            "crud_rps": crud.rate,
            "ours_p99": ours.p(99),
            "crud_p99": crud.p(99),
        },
    )
