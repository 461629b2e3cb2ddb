"""Supports per second through the Application vs raw SQLite inserts of a like row.

Disk flush latency on a shared virtual disk drifts within a run, so the paths are
measured in interleaved rounds: each path gets the same mix of quiet and busy moments.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from pathlib import Path
from uuid import UUID, uuid4

from bench.common import Result, Table, ms, percentile, rate, ratio, scratch_dir, sized, us
from bench.world import populate, runtime_in
from domain.support import Support
from service.runtime import Runtime
from service.settings import Settings

EVENTS_DDL = (
    "CREATE TABLE stored_events (originator_id TEXT, originator_version INTEGER,"
    " topic TEXT, state BLOB, PRIMARY KEY (originator_id, originator_version))"
)
COMPANIES = 10
ROUNDS = 10
THREADS = 16
Step = Callable[[int], None]  # do the next n writes


@contextmanager
def raw_inserts(path: Path, topic: str, state: bytes, synchronous: str) -> Iterator[Step]:
    """One INSERT + COMMIT per row into a table shaped like the event store's."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute(f"PRAGMA synchronous={synchronous}")
    conn.execute(EVENTS_DDL)

    def step(n: int) -> None:
        for row in [(uuid4().hex, 1, topic, state) for _ in range(n)]:
            conn.execute("BEGIN")
            conn.execute("INSERT INTO stored_events VALUES (?, ?, ?, ?)", row)
            conn.execute("COMMIT")

    try:
        yield step
    finally:
        conn.close()


@contextmanager
def saves(data_dir: Path) -> Iterator[Step]:
    """Single-aggregate `app.save(Support.give(...))`: no loads, no checks."""
    runtime = runtime_in(data_dir)
    app = runtime.app
    group, person, company = uuid4(), uuid4(), uuid4()

    def step(n: int) -> None:
        for _ in range(n):
            app.save(Support.give(uuid4(), group, by=person, for_company=company, at=app.clock()))

    try:
        yield step
    finally:
        runtime.close()


@contextmanager
def commands(data_dir: Path, people: int, items: int, count: int) -> Iterator[Step]:
    """`give_support` by distinct (person, pain point) pairs, after a warm-up."""
    warmup = sized(100, 20)
    runtime = runtime_in(data_dir)
    app = runtime.app
    world = populate(app, companies=COMPANIES, people=people, pain_points=items)
    pairs = iter(world.all_pairs())
    if people * items < warmup + count:
        raise ValueError("too few (person, pain point) pairs")

    def step(n: int) -> None:
        for _ in range(n):
            person, item = next(pairs)
            app.give_support(item, by=person)

    try:
        step(warmup)
        yield step
    finally:
        runtime.close()


@contextmanager
def threaded_commands(data_dir: Path, people: int, items: int, threads: int) -> Iterator[Step]:
    """`give_support` from `threads` threads at once: group commit writes what they
    save concurrently in shared transactions."""
    runtime = runtime_in(data_dir)
    app = runtime.app
    world = populate(app, companies=COMPANIES, people=people, pain_points=items)
    pairs = iter(world.all_pairs())
    queue = getattr(app.recorder, "group_commit", None)

    def give(share: list[tuple[UUID, UUID]]) -> None:
        for person, item in share:
            app.give_support(item, by=person)

    def step(n: int) -> None:
        chosen = [next(pairs) for _ in range(n)]
        with ThreadPoolExecutor(max_workers=threads) as pool:
            for future in [pool.submit(give, chosen[i::threads]) for i in range(threads)]:
                future.result()

    try:
        step(sized(100, 20))
        before = (queue.groups, queue.batches) if queue else (0, 0)
        yield step
    finally:
        if queue:
            GROUPS["threads"] = (queue.groups - before[0], queue.batches - before[1])
        runtime.close()


#: Groups written and batches in them, per path that reports them.
GROUPS: dict[str, tuple[int, int]] = {}


def support_given_row() -> tuple[str, bytes]:
    """The topic and stored state of a real `Support.Given`."""
    with scratch_dir("row") as tmp:
        runtime = runtime_in(tmp)
        try:
            app = runtime.app
            support = Support.give(
                uuid4(), uuid4(), by=uuid4(), for_company=uuid4(), at=app.clock()
            )
            stored = app.mapper.to_stored_event(support.collect_events()[0])
        finally:
            runtime.close()
    return stored.topic, stored.state


def library_runtime(data_dir: Path) -> Runtime:
    """A runtime on the library's own SQLite recorder: no group commit (the before)."""
    plain = Settings.event_store_env

    def event_store_env(self: Settings) -> dict[str, str]:
        return plain(self) | {"PERSISTENCE_MODULE": "eventsourcing.sqlite"}

    Settings.event_store_env = event_store_env  # type: ignore[method-assign]
    try:
        return runtime_in(data_dir)
    finally:
        Settings.event_store_env = plain  # type: ignore[method-assign]


def lone_writer(tmp: Path, topic: str, state: bytes, count: int) -> dict[str, list[float]]:
    """Seconds per write of a lone writer, alternating one raw INSERT + COMMIT, one
    `app.save` through group commit and one through the library's recorder, on files in
    the same directory: a caller alone must not wait for a group (it leads at once and
    is answered by its own commit)."""
    latencies: dict[str, list[float]] = {"raw": [], "save": [], "library": []}
    with raw_inserts(tmp / "lone-raw.sqlite", topic, state, "FULL") as raw, ExitStack() as stack:
        apps = {
            "save": runtime_in(tmp / "lone").app,
            "library": library_runtime(tmp / "lone-library").app,
        }
        for app in apps.values():
            stack.callback(app.close)
        group, person, company = uuid4(), uuid4(), uuid4()
        for n in range(count + 20):
            began = time.perf_counter()
            raw(1)
            took = {"raw": time.perf_counter() - began}
            for name, app in apps.items():
                support = Support.give(
                    uuid4(), group, by=person, for_company=company, at=app.clock()
                )
                began = time.perf_counter()
                app.save(support)
                took[name] = time.perf_counter() - began
            if n >= 20:  # warm-up
                for name, seconds in took.items():
                    latencies[name].append(seconds)
    return latencies


def interleaved(paths: dict[str, tuple[Step, int]]) -> dict[str, float]:
    """Seconds each path took for its count, measured in ROUNDS alternating slices."""
    seconds = dict.fromkeys(paths, 0.0)
    for _ in range(ROUNDS):
        for name, (step, count) in paths.items():
            started = time.perf_counter()
            step(count // ROUNDS)
            seconds[name] += time.perf_counter() - started
    return seconds


def run() -> Result:
    count, big_count = sized(5000, 500), sized(1000, 200)
    people, big_group, items = sized(100, 25), sized(1000, 250), sized(52, 21)
    topic, state = support_given_row()
    with scratch_dir("writes") as tmp, ExitStack() as stack:
        raw, normal = (
            stack.enter_context(raw_inserts(tmp / f"{sync}.sqlite", topic, state, sync))
            for sync in ("FULL", "NORMAL")
        )
        paths = {
            "raw": (raw, count),
            "normal": (normal, count),
            "save": (stack.enter_context(saves(tmp / "saves")), count),
            "command": (stack.enter_context(commands(tmp / "c", people, items, count)), count),
            "big": (stack.enter_context(commands(tmp / "b", big_group, 2, big_count)), big_count),
            "threads": (
                stack.enter_context(threaded_commands(tmp / "t", people, items, THREADS)),
                count,
            ),
        }
        seconds = interleaved(paths)
        latencies = lone_writer(tmp, topic, state, sized(1000, 300))
    base = count / seconds["raw"]
    labels = {
        "raw": "raw SQLite: INSERT + COMMIT per row (baseline)",
        "normal": "same, synchronous=NORMAL: no flush per commit (for scale only)",
        "save": "`app.save(Support.give(…))`: encode + insert, no loads or checks",
        "command": f"`app.give_support(…)`, working group of {people} members",
        "big": f"`app.give_support(…)`, working group of {big_group:,} members",
        "threads": f"`app.give_support(…)` from {THREADS} threads at once, group of {people}",
    }
    table = Table(["path", "writes", "writes/s", "per write", "ratio to raw SQLite"])
    for name, (_, n) in paths.items():
        s = seconds[name]
        table.add(labels[name], f"{n:,}", rate(n, s), us(s / n), ratio(n / s, base))
    lone = Table(["lone writer, one write after the other", "writes", "p50", "p99", "÷ raw p50",
                  "÷ raw p99"])  # fmt: skip
    p = {f"{k}_{q}": percentile(v, q) for k, v in latencies.items() for q in (50, 99)}
    lone.add(labels["raw"], f"{len(latencies['raw']):,}", ms(p["raw_50"]), ms(p["raw_99"]), 1, 1)
    for name, label in (
        ("library", "`app.save(Support.give(…))`, before: the library's SQLite recorder"),
        ("save", "`app.save(Support.give(…))` through group commit (`storage.sqlite`)"),
    ):
        lone.add(
            label,
            f"{len(latencies[name]):,}",
            ms(p[f"{name}_50"]),
            ms(p[f"{name}_99"]),
            ratio(p[f"{name}_50"], p["raw_50"]),
            ratio(p[f"{name}_99"], p["raw_99"]),
        )
    command = seconds["command"]
    per = {name: seconds[name] / n for name, (_, n) in paths.items()}
    groups, batches = GROUPS.get("threads", (0, 0))
    return Result(
        title="1. Writes: supports per second through the Application",
        headline=(
            f"give_support: {rate(count, command)} supports/s = {ratio(count / command, base)}"
            f" × raw SQLite ({rate(count, seconds['raw'])} rows/s)"
        ),
        tables=[table, lone],
        notes=[
            "Each `give_support` is by a distinct (person, pain point) pair, so each records"
            f" a new `Support.Given`; {sized(100, 20)} warm-up commands first. The"
            f" association: an admin, {COMPANIES} member companies, one working group with"
            f" every person enrolled, {items} pain points (2 in the big-group run), all"
            " created through the Application. One thread; each path has its own SQLite"
            " file in one temp dir (`Settings.event_store_env()`, as the server uses it).",
            f"Baseline: one {len(state)}-byte row (a real encoded `Support.Given`) per"
            " transaction into a table shaped like `stored_events`; WAL, synchronous=FULL.",
            f"The paths run in {ROUNDS} interleaved rounds so that drift in the disk's flush"
            " latency hits them alike; the ratios are steadier than the absolute rates.",
            f"Group commit (`storage.sqlite`): with {THREADS} threads the event store wrote"
            f" {batches:,} saves in {groups:,} transactions, {batches / max(groups, 1):.1f} per"
            " commit on average; one thread alone gets one commit per save, without delay:"
            " the second table alternates one raw INSERT + COMMIT, one `app.save` through"
            " group commit and one through the library's recorder (files in the same"
            " directory, so all meet the disk's flush latency of the moment); a lone save"
            f" took p50 {ms(p['save_50'])}, p99 {ms(p['save_99'])} (before group commit"
            f" {ms(p['library_50'])} and {ms(p['library_99'])}) against the raw row's"
            f" {ms(p['raw_50'])} and {ms(p['raw_99'])}: it finds no write in flight, leads"
            " at once and is answered by its own commit.",
        ],
        summary=[
            [
                f"writes: `give_support`, group of {people}",
                f"{rate(count, command)} supports/s",
                f"raw SQLite {rate(count, seconds['raw'])} rows/s",
                ratio(count / command, base),
            ]
        ],
        figures={
            **{f"{name}_s": value for name, value in per.items()},
            "people": people,
            "big_group": big_group,
            "threads": THREADS,
            "group_size": batches / max(groups, 1),
            **{f"lone_{k}": v for k, v in p.items()},
        },
    )
