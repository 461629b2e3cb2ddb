"""Projection catch-up from empty views vs reading and decoding the log alone."""

from __future__ import annotations

import time

from bench.common import Result, Table, rate, ratio, sized, us
from bench.supportlog import SupportLog
from projections.catalog import all_views
from projections.directory_view import DirectoryView
from projections.painpoint_view import PainPointView
from projections.ranking_view import RankingView
from projections.runner import Projector
from projections.store import SQLiteViewStore
from projections.view import View

PAGE = 1000


def read_log(log: SupportLog, *, decode: bool = True) -> tuple[int, float]:
    """Select every notification a page at a time and decode each into a domain event;
    return how many and the seconds it took."""
    app = log.runtime.app
    position, count = 0, 0
    started = time.perf_counter()
    while notifications := app.recorder.select_notifications(position + 1, limit=PAGE):
        if decode:
            for notification in notifications:
                app.mapper.to_domain_event(notification)
        count += len(notifications)
        position = notifications[-1].id
    return count, time.perf_counter() - started


def catch_up(log: SupportLog, name: str, views: list[View]) -> tuple[int, float]:
    store = SQLiteViewStore(log.runtime.settings.data_dir / f"bench-{name}.sqlite")
    try:
        projector = Projector(log.runtime.app.recorder, log.runtime.app.mapper, store, views)
        projector.setup()
        started = time.perf_counter()
        position = projector.catch_up()
        return position, time.perf_counter() - started
    finally:
        store.close()


def run(log: SupportLog) -> Result:
    log.grow_to(sized(100_000, 10_000))
    read_log(log)  # warm the page cache so every run reads from memory
    events, reading = read_log(log)
    selected, selecting = read_log(log, decode=False)
    table = Table(["run", "events", "events/s", "per event", "ratio to reading the log"])
    table.add("read + decode the log (baseline)", f"{events:,}", rate(events, reading),
              us(reading / events), "1")  # fmt: skip
    table.add("read only, no decoding (for scale)", f"{selected:,}", rate(selected, selecting),
              us(selecting / selected), ratio(selected / selecting, events / reading))  # fmt: skip
    runs = [
        ("all views (as the server runs)", all_views("sqlite")),
        ("RankingView alone", [RankingView()]),
        ("PainPointView alone", [PainPointView()]),
        ("DirectoryView alone", [DirectoryView()]),
    ]
    headline = ""
    figures = {"read_s": reading / events, "select_s": selecting / selected}
    for label, views in runs:
        position, seconds = catch_up(log, label.split()[0].lower(), views)
        if position != events:
            raise RuntimeError(f"{label}: the projector stopped at {position} of {events}")
        table.add(label, f"{position:,}", rate(position, seconds), us(seconds / position),
                  ratio(position / seconds, events / reading))  # fmt: skip
        figures[label.split()[0].lower() + "_s"] = seconds / position
        headline = headline or (
            f"catch-up: {rate(position, seconds)} events/s ="
            f" {ratio(position / seconds, events / reading)} × reading the log"
            f" ({rate(events, reading)} events/s)"
        )
    return Result(
        title="3. Projection: catch-up from empty views",
        headline=headline,
        tables=[table],
        notes=[
            f"Log: {log.given:,} `Support.Given` events plus {events - log.given:,} setup events"
            f" ({log.shape()}).",
            f"Baseline: `recorder.select_notifications(start, limit={PAGE})` +"
            " `mapper.to_domain_event` for every notification, warm page cache.",
            "Catch-up: `Projector.catch_up()` into a new SQLite view file (WAL,"
            " synchronous=FULL), batches of 1,000 events, one transaction each. The"
            " projector decodes only events some view handles, which is why a view that"
            " ignores supports (DirectoryView) beats the decode-everything baseline.",
        ],
        summary=[
            [
                f"projection: catch-up of {events:,} events, all views",
                f"{rate(events, figures['all_s'] * events)} events/s",
                f"read + decode {rate(events, reading)} events/s",
                ratio(1 / figures["all_s"], events / reading),
            ]
        ],
        figures=figures,
    )
