"""docs/BENCHMARKS.md: the machine, how to run, the results and what limits them."""

from __future__ import annotations

import os
import platform
import sqlite3
import tempfile
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

from bench.common import SCALE, Result, Table, mib, ms

HOW_TO_RUN = """\
```sh
make bench                     # full run: a 1,000,000-support log, about 10 minutes
BENCH_SCALE=small make bench   # quick check at a tenth of the sizes, about a minute
```

Each benchmark prints a ratio against a baseline measured in the same run on the same
machine; ratios travel between machines better than absolute rates. Nothing asserts
timings. Every run works in temporary directories (honours `TMPDIR`) and talks HTTP on
127.0.0.1 only. Sections: 1 writes through the Application, 2 HTTP writes (and the
server's memory), 3 projection catch-up and rebuild (and the projection process's
memory), 4 reads as the log grows, 5 HTTP writes on PostgreSQL, 8 the first start of a
fresh clone, 9 ranking reads over HTTP against the CRUD service's `GROUP BY`.
`python -m bench http` runs section 2 alone (on a small log), `python -m bench http-pg`
section 5 and `python -m bench ranking` section 9, without rewriting this file; with
`BENCH_BEFORE=<a checkout of an earlier commit>` the first two also serve that code, in the same
run, as a `before` row. Profiles for the notes below were taken with py-spy
(`pip install py-spy`; `py-spy record -f raw --pid …`)."""


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


def machine(seconds: float, load_before: tuple[float, float, float]) -> Table:
    table = Table(["", ""])
    packages = ", ".join(
        f"{name} {version(name)}" for name in ("eventsourcing", "fastapi", "uvicorn", "httpx")
    )
    temp = tempfile.gettempdir()
    after = os.getloadavg()
    table.add("date", datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"))
    usable = len(os.sched_getaffinity(0))
    table.add("CPU", f"{cpu_model()}, {os.cpu_count()} cores, {usable} usable")
    table.add("OS", f"{platform.system()} {platform.release()}")
    table.add("Python", platform.python_version())
    table.add("SQLite", sqlite3.sqlite_version)
    table.add("packages", packages)
    table.add("temp dir", f"{temp}: {file_system(temp)}")
    table.add("scale", f"{SCALE} (run took {seconds / 60:.1f} min)")
    table.add(
        "load average (1, 5, 15 min)",
        f"{load_before[0]:.2f}, {load_before[1]:.2f}, {load_before[2]:.2f} before the run;"
        f" {after[0]:.2f}, {after[1]:.2f}, {after[2]:.2f} after (the run itself keeps one to"
        " two cores busy; a 'before' well above 0 means other work shared the cores)",
    )
    return table


def summary(results: list[Result]) -> Table:
    table = Table(["benchmark", "result", "baseline or goal (same run)", "ratio"])
    for result in results:
        table.rows += result.summary
    return table


def goals(f: dict[str, dict[str, float]]) -> Table:
    """The issue's goals, each with this run's figure and whether it is met."""
    h, p, r = f["2"], f["3"], f["4"]
    table = Table(["goal", "target", "measured (this run)", "met"])

    def add(goal: str, target: str, measured: str, met: bool) -> None:
        table.add(goal, target, measured, "yes" if met else "**no**")

    for c in (1, 16, 64):
        support, crud = h[f"support{c}_rps"], h[f"crud{c}_rps"]
        add(
            f"HTTP support writes, {c} client{'s' if c > 1 else ''}",
            "≥ CRUD baseline",
            f"{support:,.0f} vs {crud:,.0f} req/s ({support / crud:.2f}×)",
            support >= crud,
        )
    if "5" in f:  # bench/http_pg.py, when PostgreSQL was reachable
        g = f["5"]
        for c in (1, 16, 64):
            support, crud = g[f"support{c}_rps"], g[f"crud{c}_rps"]
            add(
                f"… on PostgreSQL, {c} client{'s' if c > 1 else ''}",
                "≥ CRUD on PostgreSQL",
                f"{support:,.0f} vs {crud:,.0f} req/s ({support / crud:.2f}×)",
                support >= crud,
            )
    catch, read = 1 / p["full_rebuild_s"], 1 / p["full_read_s"]
    add(
        f"projection catch-up, {p['full_events']:,.0f} events",
        "≥ 50 % of read + decode",
        f"{catch:,.0f} vs {read:,.0f} events/s ({catch / read:.0%})",
        catch >= 0.5 * read,
    )
    sizes = [int(r[k]) for k in ("small", "big")]
    p99s = [r[f"live_{n}_p99"] for n in sizes]
    add(
        "top-50 ranking",
        "p99 < 10 ms, flat",
        ", ".join(f"{ms(v)} at {n:,}" for v, n in zip(p99s, sizes, strict=True)) + " supports",
        max(p99s) < 0.010 and p99s[-1] < 2 * p99s[0],
    )
    big = sizes[-1]
    add(
        f"as-of ranking, {big:,} supports",
        "< 200 ms",
        f"p50 {ms(r[f'as_of_{big}_p50'])}, p99 {ms(r[f'as_of_{big}_p99'])}",
        r[f"as_of_{big}_p99"] < 0.200,
    )
    if "9" in f:  # bench/ranking_http.py
        k = f["9"]
        add(
            f"ranking reads over HTTP, {k['supports']:,.0f} supports",
            "≥ 10× the CRUD service's `GROUP BY`",
            f"{k['ours_rps']:,.0f} vs {k['crud_rps']:,.1f} req/s"
            f" ({k['ours_rps'] / k['crud_rps']:,.0f}×)",
            k["ours_rps"] >= 10 * k["crud_rps"],
        )
    child = h.get("server_child_rss_peak", 0.0)
    add(
        f"server RSS, {h['server_head']:,.0f} events",
        "< 300 MB",
        f"peak {h['server_rss_peak'] / 1e6:,.0f} MB (its projector child {child / 1e6:,.0f} MB)",
        h["server_rss_peak"] < 300e6,
    )
    if "8" in f:  # bench/first_start.py
        s = f["8"]
        add("first start (`make run`, fresh clone)", "< 30 s", f"{s['first']:.1f} s",
            s["first"] < 30)  # fmt: skip
        add("… loading the demo", "< 5 s", f"{s['demo']:.1f} s", s["demo"] < 5)
        cpu = s.get("restart_cpu")
        restart = f"{s['restart']:.2f} s" + (f" ({cpu:.2f} s of CPU)" if cpu else "")
        add("restart with the demo data", "< 1 s", restart, s["restart"] < 1)
    return table


def document(
    results: list[Result],
    seconds: float,
    load_before: tuple[float, float, float],
    steps: dict[str, float],
) -> str:
    figures = {r.title[0]: r.figures for r in results}
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
        "## Goals",
        "",
        goals(figures).markdown(),
        "",
        "## Summary",
        "",
        summary(results).markdown(),
        "",
    ]
    parts += [result.markdown() for result in results]
    parts += ["## What limits it", ""]
    parts += [f"- {line}\n" for line in commentary(figures, steps)]
    return "\n".join(parts)


def per(h: dict[str, float], name: str, c: int) -> str:
    return ms(h[f"{name}{c}_server_cpu"])


def commentary(f: dict[str, dict[str, float]], steps: dict[str, float]) -> list[str]:
    """Notes on the bottlenecks, quoting this run's figures where they matter; figures
    marked "at the time of writing" come from side experiments, not from this run."""
    w, h, p, r = f["1"], f["2"], f["3"], f["4"]
    g5 = f.get("5", {"support1_server_cpu": float("nan"), "crud1_server_cpu": float("nan")})
    small, big = int(r["small"]), int(r["big"])
    flush = 1 - w["normal_s"] / w["raw_s"]
    mid = int(p["mid_supports"])
    lines = [
        "**Writes wait for the disk, so concurrent commands share commits.** A bare INSERT +"
        f" COMMIT took {ms(w['raw_s'])} here, {ms(w['normal_s'])} without the flush: {flush:.0%}"
        " of it is the flush, so one transaction per command caps a process at about"
        f" {1 / w['raw_s']:,.0f} commands/s. `storage.sqlite` (selected by"
        " `Settings.event_store_env()`) writes the saves that arrive while a commit is in"
        " flight together in the next transaction, each caller answered with its own"
        " notification ids or its own conflict (storage/groupcommit.py); with"
        f" {w['threads']:.0f} threads calling `give_support` it wrote"
        f" {w['group_size']:.1f} saves per commit. The disk is a shared virtual one whose"
        " flush latency drifts between runs: compare ratios, not rates.",
        "**Before/after group commit over HTTP** (same run, same log): with the library's"
        f" SQLite recorder the support route served {h['library16_rps']:,.0f} req/s at 16"
        f" clients and {h['library64_rps']:,.0f} at 64, now {h['support16_rps']:,.0f} and"
        f" {h['support64_rps']:,.0f}; server CPU per support fell from"
        f" {per(h, 'library', 16)} to {per(h, 'support', 16)} at 16 clients. Under load the"
        " library's pool was the cost: a writer waiting for the pool's write lock holds the"
        " pool's fairness semaphore, so every reader queued behind each flush, and overflow"
        " connections were opened and closed per request. Group commit keeps one writer in"
        " the pool, and aggregates are read with one SELECT on a per-thread connection (no"
        " pool, no BEGIN/ROLLBACK).",
        f"**The write goal at 1, 16 and 64 clients: {h['support1_rps'] / h['crud1_rps']:.2f}×,"
        f" {h['support16_rps'] / h['crud16_rps']:.2f}× and"
        f" {h['support64_rps'] / h['crud64_rps']:.2f}× the CRUD baseline's rate; a support"
        f" cost the server {per(h, 'support', 1)}, {per(h, 'support', 16)} and"
        f" {per(h, 'support', 64)} of CPU, the CRUD route {per(h, 'crud', 1)},"
        f" {per(h, 'crud', 16)} and {per(h, 'crud', 64)}.** Round 3 (side by side with the"
        " round-2 server in one run, `BENCH_BEFORE`, small scale, at the time of writing on"
        " a machine shared with other work, load average 7): server CPU per support fell"
        " from 3.15, 2.23 and 1.85 ms to 1.45, 1.15 and 0.78 ms at 1, 16 and 64 clients,"
        " the rate rose from 154, 205 and 308 to 535, 741 and 1,071 req/s (0.19×, 0.47×"
        " and 0.68× the plain CRUD service's rate before, 0.66×, 1.72× and 2.35× after;"
        " p50 at 1 client 2.63 to 1.58 ms, p99 64 to 6.6 ms). The plain CRUD service's"
        " writers collide on SQLite's write lock and back off in the busy handler (p99"
        " 0.5 to 3 s at 16 and 64 clients across runs); the locked variant served 923, 680"
        " and 635 req/s in that run. In-process, without uvicorn and the"
        " background threads, the request path took 0.62× the CPU of the"
        " routed one. What changed: `PUT` and `DELETE …/support` are answered by a pure"
        " ASGI middleware (api/fastlane.py) outside the router: no route matching over a"
        " few hundred routes, no dependency resolution, no response validation, the"
        " answer formatted directly, the command run in a thread pool of its own entered"
        " with `run_in_executor` (AnyIO's `to_thread.run_sync` took 17 % of the event"
        " loop's GIL time), the security headers added from a precomputed list. Its"
        " answers (statuses, problem+json bodies, headers, HSTS over TLS) are tested"
        " against the FastAPI routes, which stay declared for OpenAPI and answer whatever"
        " the fast lane leaves (bodies, malformed ids). The token is resolved as before:"
        " session and person from the aggregate cache that each request checks against"
        " the log's tail, so a sign-out, password reset, deactivation or erasure by any"
        " process (another worker, the CLI) is refused on the next request"
        " (tests/api/test_token_revocation.py, test_fast_lane.py) without a cache of its"
        " own to invalidate. And the notification processor (notify/processor.py) listed"
        " every member of the group for every event about one of its pain points (1,000"
        " members: 40 % of the notification thread's time per support); it now reads"
        " only the group's explicit followers. What is left, from py-spy (`--gil`) at 16"
        " clients: the event loop's own work (uvicorn's parsing, the access log, the"
        " socket writes) about half the GIL time, the notification processor (a support"
        " notifies every follower of its pain point, ADR 020) a fifth, the projector"
        " thread and the command itself the rest. At 1 client the projector and the"
        " notification processor apply each event alone, right after it is written, in"
        " the server process: their per-event cost is what keeps 1 client below CRUD."
        " Tried and dropped (at the time of writing, side by side): a GIL switch interval"
        " of 0.5 ms instead of 5 ms, so that a request thread waiting after its SQLite"
        " calls gets the GIL sooner from those threads: 350 and 366 req/s at 1 client"
        " against 500 and 475 without it, more CPU per request.",
        "**Round 4: the live followers (ADR 027).** Per-thread CPU of the server under"
        " 1-client load (`/proc/<pid>/task`, names from `py-spy dump`) showed the request"
        " path (event loop and command thread) at about what the CRUD service spends, and"
        " the two followers of the log in the same process adding as much again: the"
        " projector applied every event alone (a views transaction per event, whose"
        " commit rewrites the same hot pages, 0.3 to 0.45 ms per support), the"
        " notification processor checked the aggregate cache against the log's tail once"
        " per aggregate it loaded, loaded each new support only to read what its `Given`"
        " event names, and scanned the group's member list once per follower; every 5 s"
        " its digest pass read every notification waiting for a digest (99 ms per pass at"
        " 28,000). Now the projector lingers 10 ms after a wake-up so that a trickle of"
        " commands is applied several per transaction (a reader waiting for its own write"
        " cuts the linger short, so read-your-writes does not wait for it; the PUT itself"
        " never waits for the views, and a lone command is committed at once, without"
        " waiting for a group), a catch-up that reaches the head stops without asking"
        " again, the notification processor works in one read scope per batch, takes the"
        " pain point and the person from `Support.Given`, checks membership against a set,"
        " loads each recipient once per batch and hashes the notification id (the same"
        " uuid5) without UUID objects, and the digest pass reads only the notifications"
        " of people whose mail is due. Side by side with the round-3 server"
        " (`BENCH_BEFORE`, full scale, on a machine shared with other work, load average 3"
        " to 8; three runs, the first without the last step for the notification"
        " processor): at 1 client 325, 391 and 369 req/s against 196, 276 and 118 (0.32×,"
        " 0.39× and 0.38× CRUD against 0.19×, 0.28× and 0.12×), at 16 clients 762, 773"
        " and 937 against 365, 640 and 453 (0.72×, 0.80×, 0.76× against 0.34×, 0.66×,"
        " 0.37×), at 64 clients 1,321, 1,073 and 1,148 against 757, 981 and 1,168 (1.25×,"
        " 1.03×, 1.05× against 0.71×, 0.94×, 1.07×); server CPU per support at 1 client"
        " 1.81, 2.03 and 2.23 ms against 2.53, 2.67 and 3.73 ms, at 16 clients 1.12, 1.09"
        " and 0.91 against 1.57, 1.34 and 1.21 ms, at 64 clients 0.67, 0.95 and 0.89"
        " against 0.88, 0.84 and 0.86 ms (the CRUD route 0.55 to 0.83 ms); p50 at 1"
        " client 1.14 ms, 745 µs and 1.22 ms against 1.62, 1.75 and 4.19 ms (CRUD 685,"
        " 744 and 894 µs). On a fresh log (a small one, before and after alternating"
        " four times, no other variant before them) 1 client went from 555 to 899 req/s"
        " on average, 1.0 to 0.7 ms of server CPU per support in the first round. Still"
        " below CRUD at 1 and"
        " 16 clients: a support notifies every follower of its pain point (ADR 020), one"
        " row each, so the notification processor's work per support grows with the"
        " followers that live supports gather (the event-sourced variants run one after"
        " another on one log, the last with the most); in process it still spent about"
        " 200 µs per support after 3,000 live supports, most of it SQLite inserting those"
        " rows. Tried and dropped: a views WAL auto-checkpoint of 10,000 pages instead of"
        " 1,000 (fewer checkpoints): commits got cheaper in process (233 to 125 µs for a"
        " 1-event batch) but the server was not faster side by side (775 against 899 req/s"
        " over four alternating rounds at 1 client), and the WAL grows to 40 MB. The"
        " benchmark now asks the server for a page before timing it: the web's pages are"
        " built a second after start-up (about half a second of CPU) and fell into the"
        " first, 1-client measurement.",
        "**Round 5: the projector child by default (ADR 028).** `sprachrohr serve` now"
        " runs the projector and the notification processor in its `sprachrohr project`"
        " child at nice 10, woken by the store's doorbell (an abstract Unix datagram socket"
        " that every command rings) and hurried past its 10 ms linger by a reader waiting"
        " for its own write; the headline row serves through `sprachrohr serve` and counts"
        " both processes' CPU. This run, at 1, 16 and 64 clients: as `serve` runs it"
        f" {h['support1_rps']:,.0f}, {h['support16_rps']:,.0f} and"
        f" {h['support64_rps']:,.0f} req/s ({per(h, 'support', 1)},"
        f" {per(h, 'support', 16)} and {per(h, 'support', 64)} of CPU per support for both"
        " processes), with the projector as a thread in the server process (the default"
        f" before) {h['inline1_rps']:,.0f}, {h['inline16_rps']:,.0f} and"
        f" {h['inline64_rps']:,.0f} ({per(h, 'inline', 1)}, {per(h, 'inline', 16)} and"
        f" {per(h, 'inline', 64)}). A read of one's own write with `min_position` right"
        " after the support took p50 15 to 18 ms end to end on the demo store (12 to 14 ms"
        " in process; 64 ms with the child before the doorbell, when it polled every 50 ms)."
        " Tried and dropped: a 50 ms linger (in process, at the time of writing, batches of"
        " 10, 50 and 200 supports cost the views 180, 130 and 90 µs of CPU per support),"
        " because a client that reads right after its write without `min_position` would"
        " see the old state five times as long (three API tests did). And the command"
        " itself got cheaper: py-spy and"
        " cProfile of `give_support` showed `WorkingGroup.is_member` comparing the person"
        " with each of the group's 2,001 members (UUID's `__eq__` in Python, twice per"
        " support, about a fifth of the command's profile) and the library's `save`"
        " asking runtime-checkable protocols whether an aggregate is an event (each such"
        " isinstance walks the class's attributes in Python 3.11, about a tenth): members"
        " are now checked against a set made once per member list, and aggregates are"
        " recognised by class first.",
        "**What keeps 1 client below CRUD** (this run:"
        f" {h['support1_rps'] / h['crud1_rps']:.2f}× on SQLite). Not the typical request:"
        f" its p50 was {ms(h['support1_p50'])} against the CRUD route's"
        f" {ms(h['crud1_p50'])}; the tail: p99 {ms(h['support1_p99'])} against"
        f" {ms(h['crud1_p99'])}. At 1 client the rate is one over the mean latency, so a few"
        " slow requests cost as much as all the fast ones' lead. Per-request latencies in"
        " order (at the time of writing, a 10,000-support log, 2,000 requests per run, a"
        " quiet machine): the server without any projector had 6 to 10 requests above 3 ms"
        " per run, p99 1.0 to 2.0 ms, 990 to 1,244 req/s (twelve runs, six with Python's"
        " cyclic collector running, six with it frozen after start-up: no clear"
        " difference); as `serve`"
        " runs it, with the projector child, 47 to 63, p99 3.8 to 4.6 ms, 824 to 1,018"
        " req/s (four runs), and 1.06 to 1.33 ms of CPU per support for both processes"
        " against 0.66 to 0.83 ms. The child's batches (one every ~10 ms: a views"
        " transaction and the notification processor's rows) share the two cores and the"
        " disk with the server and the load generator, nice 10 notwithstanding; whether"
        " its CPU or its views' WAL checkpoints (flushed beside the event store's commits)"
        " delay the requests more was not separated. Not done: views with"
        " `synchronous=OFF` (no flush ever; a power loss could then corrupt the views file,"
        " not only lose its last batches), fan-out of support notifications at read time"
        " (ADR 020). On PostgreSQL at 1 client a"
        f" support cost the server and its child {per(g5, 'support', 1)} of CPU against the"
        f" CRUD route's {per(g5, 'crud', 1)}: each support is two round trips to"
        " PostgreSQL for the write, one for the aggregate cache's tail check, and the"
        " child's catch-up per wake-up (a NOTIFY per commit: at 1 client the projector"
        " and the notification processor apply a few events per batch, each batch a views"
        " transaction of several round trips), against the CRUD route's one transaction.",
        "**PostgreSQL** (`storage.postgres`, selected for `SPRACHROHR_DATABASE_URL`):"
        " section 5 runs the support route against a CRUD service on the same database"
        " (bench/crud_pg_app.py: psycopg pool, the same checks in SQL, one transaction per"
        " request). At 1 client both wait for PostgreSQL's commit flush (about 12 ms on"
        " this machine's shared disk); under concurrency the CRUD service's commits share"
        " flushes in PostgreSQL itself, Sprachrohr's through group commit under the"
        " library's table lock (one NOTIFY and one INSERT per group).",
        f"**Projection catch-up is {p['full_read_s'] / p['full_rebuild_s']:.0%} of the raw"
        f" read rate; the goal is 50 %.** Reading and decoding costs {ms(p['full_read_s'])}"
        f" per event, the rebuild {ms(p['full_rebuild_s'])}. At {mid:,} supports RankingView"
        f" alone took {ms(p['mid_rankingview_s'])} per event and PainPointView"
        f" {ms(p['mid_painpointview_s'])}, each including the read and decode. Before/after"
        " (full runs on this machine): 7,084 events/s (10 % of the read rate, 142 s for"
        " 1,007,048 events) with one to nine statements per event in batches of 5,000."
        " Now a first support outside merges is buffered and written at the end of the batch"
        " with one `executemany` per table, tallies counted in memory, and a catch-up far"
        " behind works in batches of 20,000 with a 64 MiB page cache. What is left is"
        " per-row work that a support must do to be shown: five b-tree inserts in"
        " RankingView (the interval row, its key index on the random support id, the"
        " recount index, the tally history row) and three in PainPointView (the history"
        " entry and its index, the support's owner row), plus the Python that builds the"
        " rows; the keys are random UUIDs, so each insert touches its own index page."
        " Tried and dropped (at the time of writing, 100,000 supports): WITHOUT ROWID for"
        " the randomly keyed tables (2× slower per insert: rows are wider than the key"
        " index they replace); reading and decoding the next batch in a second thread"
        " (slower: the writer and the reader fight over the GIL between SQLite calls)."
        " Round 2 (issue 18), profiled with py-spy at 100,000 supports, all views"
        " in-process: 29 % of the catch-up's samples were the library's"
        " `mapper.to_domain_event` (a Python `object_hook` per JSON object, a new `UUID`"
        " per id), 12 % the insert into `v_support_intervals`, 8 to 11 % COMMIT, 7 to"
        " 10 % PainPointView's inserts, 9 to 16 % reading the log. Changed: the projector"
        " decodes flat events itself (projections/decode.py: C JSON parser, one shared"
        " `UUID` per id, 10 µs instead of 16 µs per event, the mapper's events field for"
        " field; nested, ciphered or upcast events still go to the mapper), and a bulk"
        " transaction spans 60,000 events read and applied 20,000 at a time (each index"
        " page written once per 60,000 events, +14 MiB peak). Before/after, main against"
        " this code in one run, in CPU seconds (the machine's load average was 11 to 13"
        " from other work, so wall-clock rates were meaningless): catch-up +2 to 9 % from"
        " the decoder, +5 to 10 % from the larger transactions, together 17,800 to 18,500"
        " → 19,500 to 21,300 events per CPU second in five pairs of runs (+11 to 15 %;"
        " 27 % → 31 % of read + decode, counted the same way). Tried and dropped: sorting"
        " a batch's rows by key before each `executemany` (no change: at 100,000 supports"
        " the indexes fit the page cache), a WAL checkpoint every 16,384 pages instead of"
        " 1,000 while in bulk (no CPU change), WITHOUT ROWID for `v_support_owner` (2.7"
        " instead of 2.9 µs per row). Not done, and the largest item left: integer"
        " surrogates for the ids inside the views. The insert into `v_support_intervals`"
        " alone (three indexes, 100,000 rows in batches of 20,000) took 9.6 µs per row"
        " with hex TEXT ids, 5.7 µs with integer pain point, person, company and group"
        " ids beside the text support id, 3.6 µs with integers only;"
        " `v_rank_item_history` and `v_history` are keyed by text ids as well. Every"
        " reader of those tables (rankings, the personal-data export, board changes,"
        " dossier contents and each frozen dossier version's copy of the read side) must"
        " then translate at its edge: a change of its own."
        " Round 3 (issue 18, goal 3; ADR 026), py-spy before and after each step, 100,000"
        " supports, interleaved runs of the code before and after in CPU seconds: RankingView"
        " keeps its support intervals with dense integer numbers for pain points, groups,"
        " people and companies (`v_support_rows`, numbers in `v_rank_ids`, given in log"
        " order) and no key on the support id (its later events are found through the"
        " person's rows); `v_support_intervals` is an SQL view with the UUIDs, so its"
        " readers and the API are unchanged. `v_support_owner` is found by the support id's"
        " first 60 bits. The first support's handlers in both views read ids only as hex"
        " and get the event's flat fields (`EventDecoder.flat`: no `UUID` made and"
        " formatted back). All views in-process: 32.7 to 33.5 → 23.6 to 25.1 µs CPU per"
        " event (−26 %; read + decode costs 10.4 to 10.8 µs CPU); RankingView alone 22.9 to"
        " 23.3 → 16.2 to 17.4 µs. The rebuild (subprocess, four pairs): 4.04 to 4.90 →"
        " 3.28 to 3.85 CPU seconds; 19,012 to 27,093 → 25,671 to 34,337 events/s wall, 0.29"
        " to 0.40 → 0.30 to 0.46 of read + decode (the baseline varied by a third between"
        " runs), peak RSS 203 → 176 MiB. About 1.2 s of it does not grow with the log:"
        " imports 0.55 s, the runtime 0.3 s, dropping the old views 0.25 to 0.31 s. Tried"
        " and dropped: the same 60-bit key for `v_history`'s pain-point index (1 µs less per"
        " row alone, no change in the catch-up), one `sha256` call over the joined parts"
        " in the hash chain (0.4 %). Not done: one process per view group (a tracking row"
        " per group and one SQLite writer per file: a change of the runner's live path)."
        " Round 5 (ADR 029), on a machine shared with other benchmarks, before and after"
        " alternating on the same logs: a catch-up from empty views drops four indexes that"
        " only rarer handlers read (support rows by item and by person, history by pain"
        " point, support owners) and builds each with one sort at its end, a handler that"
        " reads them building them first; far behind, the projector reads the log as plain"
        " rows (no `Notification` objects, no UUID per originator: reading 4.9 to 5.5 →"
        " 2.0 to 2.1 µs per event); Python's cyclic collector is paused during each bulk"
        " batch (a tenth of the catch-up's CPU). The rebuild of 1,007,048 events: 63.6 to"
        " 72.9 → 38.4 to 42.8 s wall, 53 to 59 → 35 to 37 s of CPU, 0.24 to 0.27 → 0.39"
        " to 0.47 of that round's read + decode; at 100,000 supports 0.41 → 0.51. Tried and"
        " dropped: `gc.freeze()` instead of the pause (half the gain), the person index kept"
        " live, SQLite sorter settings (threads, memory temp store, a bigger cache: slower)."
        " Left: dropping the old views zeroes every freed page (3.9 s of the 1M rebuild,"
        " `secure_delete`, kept for erasure), integer ids in `v_rank_item_history`.",
        f"**Live ranking does not depend on the log** (p99 {ms(r[f'live_{small}_p99'])} at"
        f" {small:,} supports, {ms(r[f'live_{big}_p99'])} at {big:,}): it reads the group's"
        " `v_rank_items` rows in index order, so it scales with the group's pain points."
        f" Through HTTP (one client) the ranking route answered in p50"
        f" {ms(h['server_ranking_p50'])}, p99 {ms(h['server_ranking_p99'])} at"
        f" {h['server_head']:,.0f} events: FastAPI, the token check and the group's load add"
        " about a millisecond to the query. Search (FTS5) is flat as well: supports do not"
        " touch what it searches.",
        f"**As-of ranking no longer grows with the log** (p50 {ms(r[f'as_of_{small}_p50'])}"
        f" at {small:,} supports, {ms(r[f'as_of_{big}_p50'])} at {big:,}; before: 19.86 ms"
        " and 268.15 ms). It used to group every support interval of the group by (pain"
        " point, company); now RankingView records each pain point's tally after every"
        " change (`v_rank_item_history`), and the ranking at T is one index seek per pain"
        " point listed at T. It grows with the group's pain points, like the live ranking.",
        f"**Memory:** the server's peak RSS was {mib(h['server_rss_peak'])} at"
        f" {h['server_head']:,.0f} events (goal 300 MB), its projector child's"
        f" {mib(h.get('server_child_rss_peak', 0.0))}, and the rebuilding projection"
        f" process's {mib(p['full_rss_peak'])}: neither keeps the log in memory; the"
        " server's aggregate cache (AGGREGATE_CACHE_MAXSIZE 20,000) and the SQLite page"
        " caches of its connections are most of it.",
        "**A bug found while measuring reads, fixed:** concurrent GETs that use"
        " `ViewCursor` failed on SQLite with `cannot start a transaction within a"
        " transaction` (HTTP 500): FastAPI enters a sync generator dependency in one"
        " threadpool thread and leaves it in another, and the view store keyed its"
        " connections by thread. `SQLiteViewStore.reading()` now holds a pooled connection"
        " for the whole read (tests/api_tests cover concurrent reads).",
        f"**The HTTP baselines are bounded by the server, not the load generator:** the"
        f" asyncio generator spent {ms(h['trivial16_client_cpu'])} of CPU per request"
        f" against the trivial server's {per(h, 'trivial', 16)}. The CRUD baseline reached"
        f" {h['crud16_rps'] / h['trivial16_rps']:.2f}× the trivial route at 16 clients.",
        f"**Building the log:** the association (people, companies, group, pain points)"
        f" through commands took {steps['log']:.0f} s; {steps['inserted']:,.0f} support"
        f" events built through the mapper and inserted in batches of 10,000 took"
        f" {steps['generate']:.0f} s.",
    ]
    lines.append(
        "**The CRUD baseline is written the plain way since round 2**"
        " (`bench/crud_app.py`): a sync route, one SQLite connection per thread, the token,"
        " the company's membership, the pain point's status and the person's enrolment"
        " checked in SQL, `INSERT OR IGNORE`, no lock of its own. The round-1 baseline"
        " (writes behind a Python lock) is the `crud-locked` row: at 16 clients it served"
        f" {h['crud-locked16_rps']:,.0f} req/s against the plain one's"
        f" {h['crud16_rps']:,.0f}, so earlier ratios against CRUD are not comparable."
    )
    if "5" in f:
        g = f["5"]
        lines.append(
            "**On PostgreSQL (section 5)** Sprachrohr served"
            f" {g['support1_rps'] / g['crud1_rps']:.2f}×,"
            f" {g['support16_rps'] / g['crud16_rps']:.2f}× and"
            f" {g['support64_rps'] / g['crud64_rps']:.2f}× the CRUD service's rate at 1, 16"
            f" and 64 clients, spending {per(g, 'support', 16)} of server CPU per support at"
            f" 16 clients against its {per(g, 'crud', 16)} (PostgreSQL's own CPU, on the"
            " same cores, in neither). Both are bound by the commit flush at 1 client; at 64"
            " the event store's table lock serialises Sprachrohr's groups (each group is one"
            " transaction, so more clients mean bigger groups, not more transactions),"
            " while the CRUD service's inserts run in parallel and share flushes in"
            " PostgreSQL's WAL writer. Round 2 of goal 2 (ADR 025; side by side with the"
            " code before it, `BENCH_BEFORE`, two runs at small scale): at 1 client the"
            " server spent 3.20 and 2.70 ms of CPU per support before, 1.95 and 2.20 ms"
            " after; 207 and 289 req/s before, 406 and 306 after (0.24× and 0.31× CRUD"
            " before, 0.48× and 0.33× after); at 16 clients 0.63× and 0.76× before, 0.89×"
            " and 0.74× after; at 64 clients 0.85× and 0.99× before, 0.90× and 1.02× after."
            " These short runs swing by half on a shared machine; an interleaved A/B (both"
            " servers up, turns alternating, medians; two of them) is steadier: 1 client"
            " 285 → 360 and 229 → 238 req/s, 2.85 → 1.92 and 2.93 → 2.15 ms of server CPU per"
            " support; 16 clients 825 → 981 and 717 → 811 req/s, 0.86 → 0.78 and 1.04 →"
            " 0.88 ms; 64 clients 1,013 → 916 req/s at load 7 to 10 and 1,053 → 1,064 at"
            " load 2 to 4 (0.79 ms both): no change shown there."
            " What changed: a lone write is two round trips instead of six (BEGIN, the table"
            " lock and NOTIFY in one statement string, the INSERT and COMMIT in one"
            " pipeline); the notification processor looks at the log's tail once per page of"
            " events instead of once per aggregate it finds (9.4 queries per support); a"
            " catch-up that reached the head commits instead of taking the events that"
            " trickle in one page each into the same transaction; the projector's wake-ups"
            " are coalesced (all queued NOTIFYs in one, news within 10 ms of the last"
            " wake-up waits out the interval); `executemany` of up to three view rows sends"
            " plain statements (psycopg's pipeline costs 29 µs of CPU for one row, a plain"
            " statement 14). The section now lets Sprachrohr's servers build their deferred"
            " page routes before timing (a one-off 0.3 s of CPU that fell into the 1-client"
            " run). What is left at 1 client: with the projector and the notification"
            " processor off the request costs about 1.0 ms of server CPU (the CRUD route"
            " 0.65 to 0.9 ms); the two followers add about 0.9 ms per support in the same"
            " process (the notification processor about 450 µs per event in batches of 50:"
            " its reads per event and a row for every follower, ADR 020; the projector 550 µs"
            " per event in batches of three), and the CRUD service does neither. Tried and"
            " not kept: a 50 ms coalescing interval (1.76 and 2.02 ms of server CPU per"
            " support against 2.06 and 2.11 ms at 10 ms in one harness, within the noise,"
            " for five times the read-your-writes delay); the view store's connections with"
            " synchronous_commit=off (earlier round: 52, 435 and 343 req/s with it, 85, 557"
            " and 384 without)."
        )
    if "8" in f:
        s = f["8"]
        parts = "; ".join(
            f"{key.split(':', 1)[1]} {value:.1f} s"
            for key, value in s.items()
            if key.startswith("first:")
        )
        again = "; ".join(
            f"{key.split(':', 1)[1]} {value:.2f} s"
            for key, value in s.items()
            if key.startswith("restart:")
        )
        lines.append(
            f"**First start {s['first']:.1f} s, restart {s['restart']:.2f} s** (fresh clone,"
            " `make run`, until `/api/v1/health/ready` answers; load average"
            f" {s.get('load', float('nan')):.1f} on 2 cores when it began, so compare the CPU"
            f" seconds: {s.get('first_cpu', float('nan')):.1f} s and"
            f" {s.get('restart_cpu', float('nan')):.2f} s). Where the first start's time"
            f" goes: {parts}. A restart: {again}. `make run` installs the runtime"
            " dependencies only and compiles our packages to bytecode once (this machine sets"
            " PYTHONDONTWRITEBYTECODE: every start compiled"
            " them again); pip itself is most of the first start (resolving against the"
            " machine's package indexes, unpacking, compiling the dependencies: py-spy); the"
            " demo's two briefing dossiers are composed in a"
            " child process once the server is up; reportlab, python-docx and matplotlib load"
            " only when a dossier is rendered, Authlib and httpx only when sign-in with"
            " Microsoft is configured. Every route is built once (FastAPI's `include_router`"
            " built each again at the first request matched against it: about a second of a"
            " restart's first answer), and the problem responses every API route declares no"
            " longer build ~860 validators of Problem; the web's pages (a third of the"
            " imports) are built in the background a second after the server listens (a page"
            " asked for earlier builds them), and psycopg loads only for PostgreSQL. What is"
            " left of a"
            " restart is Python"
            " importing and building: FastAPI building the API's ~100 routes' dependencies and"
            " validators, the domain's event classes (dataclasses), pydantic's schemas, and the"
            " libraries themselves (FastAPI, pydantic, starlette, uvicorn, typer, eventsourcing,"
            " cryptography: `python -X importtime -c 'import cli.main, api.main'`)."
        )
    return lines
