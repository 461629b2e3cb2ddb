"""Projection catch-up from empty views vs reading and decoding the log alone.

At the log's full size the views are rebuilt by `sprachrohr rebuild-projections` in a
subprocess (drop every view, catch up from the first event: the projection process as
deployed), which also gives that process's peak memory. At the middle size each view is
caught up alone in-process, to show which costs what.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from typing import Any

from bench.common import Result, Table, mib, rate, ratio, us
from bench.loadgen import ROOT, status_kib
from bench.supportlog import SupportLog
from projections.catalog import all_views
from projections.decode import EventDecoder
from projections.painpoint_view import PainPointView
from projections.ranking_view import RankingView
from projections.runner import Projector
from projections.search_view import SearchView
from projections.store import SQLiteViewStore
from projections.view import View

PAGE = 1000


def read_log(
    log: SupportLog, *, decode: bool = True, decoder: Callable[[Any], Any] | None = None
) -> tuple[int, float]:
    """Select every notification a page at a time (as the projector does) and decode
    each into a domain event (with the mapper, or `decoder`); return how many and the
    seconds it took."""
    app = log.runtime.app
    to_event = decoder or app.mapper.to_domain_event
    position, count = 0, 0
    started = time.perf_counter()
    while notifications := app.recorder.select_notifications(position + 1, limit=PAGE):
        if decode:
            for notification in notifications:
                to_event(notification)
        count += len(notifications)
        position = notifications[-1].id
    return count, time.perf_counter() - started


def catch_up(log: SupportLog, name: str, views: list[View]) -> tuple[int, float]:
    """Catch new, empty views in their own SQLite file up to the head, in-process."""
    store = SQLiteViewStore(log.data_dir / f"bench-{name}.sqlite")
    try:
        projector = Projector(log.runtime.app.recorder, log.runtime.app.mapper, store, views)
        projector.setup()
        started = time.perf_counter()
        position = projector.catch_up()
        return position, time.perf_counter() - started
    finally:
        store.close()
        for suffix in ("", "-wal", "-shm"):
            (log.data_dir / f"bench-{name}.sqlite{suffix}").unlink(missing_ok=True)


def rebuild(log: SupportLog) -> tuple[float, int]:
    """`sprachrohr rebuild-projections` on the log's data dir: seconds and peak RSS."""
    env = {**os.environ, "SPRACHROHR_DATA_DIR": str(log.data_dir), "COLUMNS": "100"}
    command = [sys.executable, "-m", "cli.main", "rebuild-projections"]
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    # The child's VmHWM, read while it runs (gone once it exits). Not its ru_maxrss:
    # that counts the moment between fork and exec, when the child is a copy of this
    # large benchmark process.
    peak_kib = 0
    while process.poll() is None:
        with suppress(OSError, KeyError, ValueError):
            peak_kib = max(peak_kib, status_kib(process.pid, "VmHWM"))
        time.sleep(0.2)
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        raise RuntimeError(f"rebuild-projections exited with {process.returncode}")
    return seconds, peak_kib * 1024


@dataclass
class Projection:
    table: Table = field(
        default_factory=lambda: Table(
            ["log", "run", "events", "events/s", "per event", "÷ read + decode"]
        )
    )
    figures: dict[str, float] = field(default_factory=dict)

    def baseline(self, log: SupportLog, size: str) -> tuple[int, float]:
        read_log(log, decode=False)  # warm the page cache: every run reads from memory
        selected, selecting = read_log(log, decode=False)
        events, reading = read_log(log)
        _, own = read_log(log, decoder=EventDecoder(log.runtime.app.mapper))
        label = f"{log.given:,} supports"
        self.table.add(label, "read + decode the log (baseline)", f"{events:,}",
                       rate(events, reading), us(reading / events), "1")  # fmt: skip
        self.table.add(label, "read + the projector's own decoding (projections/decode.py)",
                       f"{events:,}", rate(events, own), us(own / events),
                       ratio(events / own, events / reading))  # fmt: skip
        self.table.add(label, "read only, no decoding (for scale)", f"{selected:,}",
                       rate(selected, selecting), us(selecting / selected),
                       ratio(selected / selecting, events / reading))  # fmt: skip
        self.figures |= {
            f"{size}_read_s": reading / events,
            f"{size}_select_s": selecting / events,
            f"{size}_own_read_s": own / events,
        }
        return events, reading

    def breakdown(self, log: SupportLog) -> None:
        """Each view alone and all together, caught up in-process at this size."""
        events, reading = self.baseline(log, "mid")
        runs: list[tuple[str, list[View]]] = [
            ("all views, in-process", all_views("sqlite")),
            ("RankingView alone", [RankingView()]),
            ("PainPointView alone", [PainPointView()]),
            ("SearchView alone", [SearchView("sqlite")]),
        ]
        for label, views in runs:
            key = label.split()[0].lower()
            position, seconds = catch_up(log, key, views)
            if position != log.head():
                raise RuntimeError(f"{label}: the projector stopped at {position}")
            self.table.add(f"{log.given:,} supports", label, f"{position:,}",
                           rate(position, seconds), us(seconds / position),
                           ratio(position / seconds, events / reading))  # fmt: skip
            self.figures[f"mid_{key}_s"] = seconds / position
        self.figures["mid_supports"] = log.given

    def full(self, log: SupportLog) -> None:
        """The rebuild at full size, as an operator runs it."""
        events, reading = self.baseline(log, "full")
        seconds, peak = rebuild(log)
        position = log.runtime.projector.position()
        if position != log.head():
            raise RuntimeError(f"the rebuild stopped at {position} of {log.head()}")
        self.table.add(f"{log.given:,} supports", "`sprachrohr rebuild-projections` (subprocess)",
                       f"{position:,}", rate(position, seconds), us(seconds / position),
                       ratio(position / seconds, events / reading))  # fmt: skip
        self.figures |= {
            "full_events": events,
            "full_rebuild_seconds": seconds,
            "full_rebuild_s": seconds / position,
            "full_rss_peak": peak,
            "full_supports": log.given,
        }

    def result(self, log: SupportLog) -> Result:
        f = self.figures
        events = int(f["full_events"])
        catch = 1 / f["full_rebuild_s"]
        read = 1 / f["full_read_s"]
        return Result(
            title="3. Projection: catch-up from empty views and a full rebuild",
            headline=(
                f"rebuild of {events:,} events: {f['full_rebuild_seconds']:.0f} s ="
                f" {catch:,.0f} events/s = {ratio(catch, read)} × reading the log"
                f" ({read:,.0f} events/s); projection process peak RSS {mib(f['full_rss_peak'])}"
            ),
            tables=[self.table],
            notes=[
                f"Log: {log.given:,} `Support.Given` events plus {events - log.given:,} setup"
                f" events ({log.shape()}).",
                f"Baseline: `recorder.select_notifications(start, limit={PAGE})` +"
                " `mapper.to_domain_event` for every notification, warm page cache; the"
                " rebuild reads the same pages.",
                "Rebuild: `python -m cli.main rebuild-projections` on the log's data dir, timed"
                " from process start to exit (imports and start-up included), views in"
                " views.sqlite (WAL, synchronous=NORMAL). Far behind the log the projector"
                " works in bulk: batches of 60,000 events, one transaction each, read and"
                " applied 20,000 at a time (one page of events in memory), and a 64 MiB"
                " page cache on its writing connection (SQLite's 2 MiB default and its memory"
                " back once caught up). Its peak RSS is the child's VmHWM, read every 0.2 s"
                " while it runs (its `ru_maxrss` would count the instant between fork and"
                " exec, when it is a copy of the benchmark process).",
                "In-process rows: `Projector.catch_up()` into a new view file, same batches."
                " The projector decodes only events some view handles, so a view that ignores"
                " supports can beat the decode-everything baseline. It decodes with its own"
                " decoder (projections/decode.py: the mapper's events, field for field, for"
                " flat events; the row above shows its rate), the baseline with the library's"
                " mapper.",
            ],
            summary=[
                [
                    f"projection: rebuild from empty, {events:,} events",
                    f"{catch:,.0f} events/s ({f['full_rebuild_seconds']:.0f} s)",
                    f"read + decode {read:,.0f} events/s",
                    ratio(catch, read),
                ],
                [
                    f"memory: projection process peak RSS, {events:,} events",
                    mib(f["full_rss_peak"]),
                    "",
                    "",
                ],
            ],
            figures=f,
        )
