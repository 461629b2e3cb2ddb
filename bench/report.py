"""docs/BENCHMARKS.md: the machine, how to run, the results and what limits them."""

from __future__ import annotations

import os
import platform
import sqlite3
import tempfile
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

from bench.common import SCALE, Result, Table, ms, ratio

HOW_TO_RUN = """\
```sh
make bench                     # full run, a few minutes; rewrites this file
BENCH_SCALE=small make bench   # quick check at a tenth of the sizes (also rewrites it)
```

Each benchmark prints a ratio against a baseline measured in the same run on the same
machine; ratios travel between machines better than absolute rates. Nothing asserts
timings. Every run works in temporary directories (honours `TMPDIR`) and talks HTTP on
127.0.0.1 only."""


def cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def file_system(path: str) -> str:
    """The mount (device, type) holding `path`, from /proc/mounts."""
    best = ("?", "/", "?")
    for line in Path("/proc/mounts").read_text().splitlines():
        device, mount, kind = line.split()[:3]
        if path.startswith(mount) and len(mount) >= len(best[1]):
            best = (device, mount, kind)
    return f"{best[2]} ({best[0]} on {best[1]})"


def machine(seconds: float, load_before: float) -> Table:
    table = Table(["", ""])
    packages = ", ".join(
        f"{name} {version(name)}" for name in ("eventsourcing", "fastapi", "uvicorn", "httpx")
    )
    temp = tempfile.gettempdir()
    table.add("date", datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"))
    table.add("CPU", f"{cpu_model()}, nproc = {len(os.sched_getaffinity(0))}")
    table.add("OS", f"{platform.system()} {platform.release()}")
    table.add("Python", platform.python_version())
    table.add("SQLite", sqlite3.sqlite_version)
    table.add("packages", packages)
    table.add("temp dir", f"{temp}: {file_system(temp)}")
    table.add("scale", f"{SCALE} (run took {seconds / 60:.1f} min)")
    table.add(
        "load average (1 min)",
        f"{load_before:.2f} before the run, {os.getloadavg()[0]:.2f} after (the run itself"
        " keeps one to two cores busy; a 'before' well above 0 means other work shared them)",
    )
    return table


def summary(results: list[Result]) -> Table:
    table = Table(["benchmark", "result", "baseline (same run)", "ratio"])
    for result in results:
        table.rows += result.summary
    return table


def document(results: list[Result], seconds: float, load_before: float) -> str:
    parts = [
        "# Benchmarks",
        "",
        "Written by `python -m bench` (`make bench`); every run rewrites this file, so edit"
        " the commentary in `bench/report.py`.",
        "",
        "## Machine",
        "",
        machine(seconds, load_before).markdown(),
        "",
        "## How to run",
        "",
        HOW_TO_RUN,
        "",
        "## Summary",
        "",
        summary(results).markdown(),
        "",
    ]
    parts += [result.markdown() for result in results]
    parts += ["## What limits it", ""]
    parts += [f"- {line}\n" for line in commentary({r.title[0]: r.figures for r in results})]
    return "\n".join(parts)


def commentary(f: dict[str, dict[str, float]]) -> list[str]:
    """Notes on the bottlenecks, quoting this run's figures where they matter."""
    w, h, p, r = f["1"], f["2"], f["3"], f["4"]
    small, big = int(r["small"]), int(r["big"])
    live = {n: ms(r[f"live_{n}"]) for n in (small, big)}
    as_of = {n: ms(r[f"as_of_{n}"]) for n in (small, big)}
    flush = 1 - w["normal_s"] / w["raw_s"]
    return [
        "**Writes wait for the disk.** Each command is one transaction, and WAL with"
        " synchronous=FULL flushes the log on every commit. A bare INSERT + COMMIT took"
        f" {ms(w['raw_s'])} here, {ms(w['normal_s'])} without the flush: {flush:.0%} of the"
        " baseline is the flush, so at this flush latency one writer cannot exceed about"
        f" {1 / w['raw_s']:,.0f} durable commits/s. The disk is a shared"
        " virtual one whose flush latency drifted by 2× between runs while these"
        " benchmarks were written: compare ratios, not rates, across runs.",
        f"**Saving one support costs {ms(w['save_s'])}** against the raw row's"
        f" {ms(w['raw_s'])}: building the event and encoding it (JSON with UUID and datetime"
        " transcodings) plus the library's transaction and connection-pool bookkeeping.",
        f"**`give_support` costs {ms(w['command_s'])} with a group of {w['people']:.0f}"
        f" members and {ms(w['big_s'])} with {w['big_group']:,.0f}.** Besides the save it"
        " loads the pain point, the working group, the person and the company from the"
        " aggregate cache (each with a fast-forward query to the event store) and looks up"
        " the support id (a cache miss and one more query). The cost grows with the group"
        " because eventsourcing's `Repository.get` deep-copies every cached aggregate it"
        " hands out (`DEEPCOPY_FROM_AGGREGATE_CACHE` defaults to `y`) and `WorkingGroup`"
        " keeps its whole member list. In a cProfile of 3,000 commands with a 100-member"
        " group (at the time of writing) `copy.deepcopy` took about half of the command's"
        " time; loading a cached 1,000-member group took ~3.5 ms with the copy and ~22 µs"
        " without. The same copy is paid by every request that loads the group only to"
        " check visibility, e.g. `GET …/ranking` and the pain-point reads: with a"
        " 1,000-member group it costs ~30× the live ranking query itself. Candidates:"
        " `deepcopy_from_cache=False` for loads that only check (membership, roles), or"
        " enrolments as their own small aggregates, like supports.",
        trivial_limit(h),
        f"**A support over HTTP costs the server {ms(h['support1_server_cpu'])} of CPU** (1"
        " client): two loads to resolve the bearer token (session, person), the command,"
        " FastAPI's dependency resolution with a thread-pool hop for each sync dependency"
        " and the endpoint, and the projector thread applying the new event to the views in"
        " its own transaction (a second flush, on views.sqlite), all in one process under"
        f" one GIL. 16 clients get {h['support16_rps']:,.0f} req/s against"
        f" {h['support1_rps']:,.0f} with one; the extra clients mostly queue (p50"
        f" {ms(h['support16_p50'])} against {ms(h['support1_p50'])}): the event store admits"
        " one writer at a time, each commit waits for the flush, and Python runs one thread"
        " at a time. Also, eventsourcing 9.5.6's SQLite pool keeps 5 connections (+10"
        " overflow, not settable through the environment) while uvicorn runs sync routes on"
        " up to 40 threads: in a 16-client profile (at the time of writing) the server"
        " opened about one new SQLite connection per request, because overflow connections"
        " are closed when returned.",
        f"**Projection catch-up costs {ms(p['all_s'])} per event** against"
        f" {ms(p['read_s'])} to read and decode one, of which reading alone is"
        f" {ms(p['select_s'])}. (DESIGN.md quotes ~130,000 events/s for reading and decoding;"
        f" this run read and decoded `Support.Given` events at {1 / p['read_s']:,.0f}/s and"
        f" read them without decoding at {1 / p['select_s']:,.0f}/s.)"
        f" RankingView is the dearest view ({ms(p['rankingview_s'])} per event alone): a"
        " support runs 7 SQL statements there (interval lookup and insert, membership check,"
        " tally select and upsert, item update, first-support update) and 2 inserts plus a"
        " `json.dumps` in PainPointView. The flush is paid once per 1,000-event batch, so"
        " catch-up is CPU-bound: one thread of Python and SQLite statement execution.",
        f"**Live ranking does not depend on the number of supports** ({live[small]} at"
        f" {small:,}, {live[big]} at {big:,}):"
        " it reads the group's `v_rank_items` rows in index order, so it scales with the"
        " group's pain points. Its ratio to `SELECT 1` is large only because `SELECT 1`"
        " (BEGIN, SELECT, ROLLBACK) costs a few microseconds.",
        f"**As-of ranking grows linearly with supports** ({as_of[small]} at {small:,},"
        f" {as_of[big]} at {big:,}):"
        " it joins every support interval of the group with the companies and groups them"
        " by (pain point, company) in a temp B-tree (EXPLAIN QUERY PLAN: SEARCH"
        " v_support_intervals USING INDEX v_support_intervals_group; USE TEMP B-TREE FOR"
        " GROUP BY). In a side experiment at 100,000 supports (at the time of writing) a"
        " covering index on (group_id, pain_point_id, company_id, given_at, withdrawn_at)"
        " cut it about 3× (94 → 32 ms) and dropped the temp B-tree; rankings persisted per"
        ' board meeting would make "as presented at the last board" constant-time.',
    ]


def trivial_limit(h: dict[str, float]) -> str:
    """Who limited the trivial route: the load generator or the server."""
    client, server = h["trivial16_client_cpu"], h["trivial16_server_cpu"]
    who = "the load generator, not the server" if client > server else "the server"
    return (
        f"**The trivial HTTP baseline is bounded by {who}.** At 16 clients httpx spent"
        f" {ms(client)} of CPU per request and the server {ms(server)}; the client threads"
        " share one GIL and the 2 cores are shared by both sides. The server alone would"
        f" manage about {1 / server:,.0f} req/s on that route, so support ÷ trivial flatters"
        " the support route; by server CPU per request a support costs"
        f" {ratio(h['support16_server_cpu'], server)}× a trivial request."
    )
