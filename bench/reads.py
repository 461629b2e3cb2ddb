"""Read latency as the log grows: top-50 ranking (live and as-of) and search.

Measured at each of the support log's sizes, on the view store's SQLite connection as
a route's `ViewCursor` uses it, against `SELECT 1` on the same connection.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from bench.common import Result, Table, ms, percentile, ratio, sized
from bench.supportlog import SIZES, SupportLog
from bench.world import WORDS
from projections.ranking_view import live_ranking, ranking_as_of
from projections.search_view import matching
from projections.store import Cursor
from projections.view import micros

TOP = 50
#: Each measurement stops after its call count or this many seconds, whichever is first.
MAX_SECONDS = 8.0
#: What a member types into the search box: two words, the second half typed.
SEARCH = f"{WORDS[1]} {WORDS[7][:4]}"
Query = Callable[[Cursor], object]
LABELS = {
    "select1": "`SELECT 1` (baseline)",
    "live": f"live top {TOP}",
    "as_of": f"as-of top {TOP} (at the present)",
    "search": f"search “{SEARCH}”, top 20",
}


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


def queries(group: str, at: int) -> dict[str, tuple[Query, int]]:
    """What to time at each size: name → (query, call count)."""

    def select_one(cur: Cursor) -> None:
        cur.execute("SELECT 1")
        cur.fetchone()

    def live(cur: Cursor) -> None:
        live_ranking(cur, group, TOP, 0)

    def as_of(cur: Cursor) -> None:
        ranking_as_of(cur, group, at, TOP, 0)

    def search(cur: Cursor) -> None:
        matching(cur, "sqlite", SEARCH, [group], 20)

    fast, slow = sized(2000, 500), sized(200, 50)
    return {
        "select1": (select_one, fast),
        "live": (live, fast),
        "as_of": (as_of, slow),
        "search": (search, fast),
    }


@dataclass
class Reads:
    """Measurements at each size, collected as the log grows."""

    table: Table = field(
        default_factory=lambda: Table(
            ["supports", "events", "query", "calls", "p50", "p99", "p50 ÷ `SELECT 1`"]
        )
    )
    figures: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    sizes: list[int] = field(default_factory=list)

    def measure(self, log: SupportLog) -> None:
        """Time every query at the log's current size (its views must be caught up)."""
        supports, events = log.given, log.head()
        group, now = log.world.group.hex, micros(datetime.now(UTC))
        timed = queries(group, now)
        for query, _ in timed.values():  # warm the connection, statements and page cache
            timed_reads(log, query, 3)
        for name, (query, calls) in timed.items():
            samples = timed_reads(log, query, calls)
            p50, p99 = percentile(samples, 50), percentile(samples, 99)
            self.figures |= {f"{name}_{supports}_p50": p50, f"{name}_{supports}_p99": p99}
            self.table.add(
                f"{supports:,}", f"{events:,}", LABELS[name], len(samples), ms(p50), ms(p99),
                ratio(p50, self.figures[f"select1_{supports}_p50"]),
            )  # fmt: skip
        with log.runtime.store.reading() as cur:
            live = [item.pain_point_id for item in live_ranking(cur, group, TOP, 0)[0]]
            as_of = [item.pain_point_id for item in ranking_as_of(cur, group, now, TOP, 0)[0]]
            found = len(matching(cur, "sqlite", SEARCH, [group], 1000))
        if live != as_of:
            self.notes.append(f"**At {supports:,} supports live and as-of top {TOP} disagreed.**")
        self.figures[f"found_{supports}"] = found
        self.sizes.append(supports)

    def result(self, log: SupportLog) -> Result:
        small, big = self.sizes[0], self.sizes[-1]
        f = self.figures
        flat = f[f"live_{big}_p99"] / f[f"live_{small}_p99"]
        self.notes += [
            f"Shape: {log.shape()}. Search finds {f[f'found_{big}']:.0f} of the pain points"
            " (FTS5 prefix match on two words; supports do not change what it searches).",
            "Each call opens and ends a read transaction on the view store's SQLite connection"
            " (as the API's `ViewCursor` does) and runs the query; `SELECT 1` measures just"
            " that. One thread, warm page cache.",
            "As-of is taken at the present moment, so it counts every support: the worst case"
            f" for that query; its top {TOP} is checked against the live top {TOP} (they agree"
            " unless a bold line above says otherwise).",
            f"Each row stops after its call count or {MAX_SECONDS:.0f} s.",
        ]
        return Result(
            title="4. Reads: ranking and search as the log grows",
            headline=(
                f"live top {TOP} p99: {ms(f[f'live_{small}_p99'])} at {small:,} supports,"
                f" {ms(f[f'live_{big}_p99'])} at {big:,} ({flat:.2f}×); as-of top {TOP} p50"
                f" {ms(f[f'as_of_{big}_p50'])} at {big:,}; search p99"
                f" {ms(f[f'search_{big}_p99'])}"
            ),
            tables=[self.table],
            notes=self.notes,
            summary=[
                [
                    f"reads: live top {TOP}, {big:,} supports",
                    f"p99 {ms(f[f'live_{big}_p99'])} ({flat:.2f}× the p99 at {small:,})",
                    "goal p99 10 ms, flat",
                    ratio(f[f"live_{big}_p99"], 0.010),
                ],
                [
                    f"reads: as-of top {TOP}, {big:,} supports",
                    f"p50 {ms(f[f'as_of_{big}_p50'])}, p99 {ms(f[f'as_of_{big}_p99'])}",
                    "goal 200 ms",
                    ratio(f[f"as_of_{big}_p50"], 0.200),
                ],
                [
                    f"reads: search, {big:,} supports",
                    f"p99 {ms(f[f'search_{big}_p99'])}",
                    f"`SELECT 1` p50 {ms(f[f'select1_{big}_p50'])}",
                    ratio(f[f"search_{big}_p50"], f[f"select1_{big}_p50"]),
                ],
            ],
            figures={**f, "small": small, "big": big, "sizes": len(SIZES)},
        )
