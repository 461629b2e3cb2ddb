"""Ranking read latency (live and as-of) vs `SELECT 1` on the same view connection."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime

from bench.common import Result, Table, ms, percentile, ratio, sized
from bench.supportlog import SupportLog
from projections.ranking_view import live_ranking, ranking_as_of
from projections.store import Cursor
from projections.view import micros

TOP = 50
#: Each measurement stops after its call count or this many seconds, whichever is first.
MAX_SECONDS = 8.0
Query = Callable[[Cursor], object]


def timed_reads(log: SupportLog, query: Query, calls: int) -> list[float]:
    """Latency of `query` in a read transaction, as a route's ViewCursor runs it."""
    store = log.runtime.store
    samples: list[float] = []
    deadline = time.perf_counter() + MAX_SECONDS
    while len(samples) < calls and (len(samples) < 10 or time.perf_counter() < deadline):
        started = time.perf_counter()
        with store.reading() as cur:
            query(cur)
        samples.append(time.perf_counter() - started)
    return samples


def select_one(cur: Cursor) -> None:
    cur.execute("SELECT 1")
    cur.fetchone()


def queries(group: str, at: int) -> dict[str, tuple[Query, int]]:
    """What to time at each size: name → (query, call count)."""

    def live(cur: Cursor) -> None:
        live_ranking(cur, group, TOP, 0)

    def as_of(cur: Cursor) -> None:
        ranking_as_of(cur, group, at, TOP, 0)

    fast, slow = sized(2000, 500), sized(200, 50)
    return {"select1": (select_one, fast), "live": (live, fast), "as_of": (as_of, slow)}


def top_ids_agree(log: SupportLog, group: str, at: int) -> bool:
    with log.runtime.store.reading() as cur:
        live = [item.pain_point_id for item in live_ranking(cur, group, TOP, 0)[0]]
        as_of = [item.pain_point_id for item in ranking_as_of(cur, group, at, TOP, 0)[0]]
    return live == as_of


def run(log: SupportLog) -> Result:
    sizes = sized(10_000, 1_000), sized(100_000, 10_000)
    labels = {"select1": "`SELECT 1` (baseline)", "live": f"live top {TOP}",
              "as_of": f"as-of top {TOP}"}  # fmt: skip
    table = Table(["supports", "query", "calls", "p50", "p99", "p50 ÷ `SELECT 1` p50"])
    notes: list[str] = []
    p50: dict[str, float] = {}
    for supports in sizes:
        log.grow_to(supports)
        log.runtime.projector.catch_up()
        group, now = log.world.group.hex, micros(datetime.now(UTC))
        timed = queries(group, now)
        for query, _ in timed.values():  # warm the connection, statements and page cache
            timed_reads(log, query, 3)
        for name, (query, calls) in timed.items():
            samples = timed_reads(log, query, calls)
            p50[f"{name}_{supports}"] = percentile(samples, 50)
            table.add(f"{supports:,}", labels[name], len(samples), ms(p50[f"{name}_{supports}"]),
                      ms(percentile(samples, 99)),
                      ratio(p50[f"{name}_{supports}"], p50[f"select1_{supports}"]))  # fmt: skip
        if not top_ids_agree(log, group, now):
            notes.append(f"**At {supports:,} supports the live and as-of top {TOP} disagreed.**")
    big = sizes[-1]
    notes += [
        f"Shape: {log.shape()}.",
        "Each call opens and ends a read transaction on the view store's SQLite connection"
        " (as the API's `ViewCursor` does) and runs the query; `SELECT 1` measures just that.",
        "As-of is taken at the present moment, so it covers every support: the worst case for"
        f" that query; its top {TOP} is checked against the live top {TOP} (they agree unless"
        " a bold line above says otherwise).",
        f"Each row stops after its call count or {MAX_SECONDS:.0f} s; one thread, warm page cache.",
    ]
    return Result(
        title="4. Reads: ranking latency",
        headline=(
            f"at {big:,} supports: live top {TOP} p50 {ms(p50[f'live_{big}'])}"
            f" ({ratio(p50[f'live_{big}'], p50[f'select1_{big}'])} × `SELECT 1`); as-of top"
            f" {TOP} p50 {ms(p50[f'as_of_{big}'])}"
            f" ({ratio(p50[f'as_of_{big}'], p50[f'select1_{big}'])} ×)"
        ),
        tables=[table],
        notes=notes,
        summary=[
            [
                f"reads: {labels[name]}, {big:,} supports",
                f"p50 {ms(p50[f'{name}_{big}'])}",
                f"`SELECT 1` p50 {ms(p50[f'select1_{big}'])}",
                ratio(p50[f"{name}_{big}"], p50[f"select1_{big}"]),
            ]
            for name in ("live", "as_of")
        ],
        figures={**p50, "small": sizes[0], "big": big},
    )
