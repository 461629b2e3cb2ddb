"""6. Briefing dossiers: issuing the full demo association's dossier in each format.

Baseline (same run): composing the content — replaying the whole log into memory and
reading every section from it — which every format needs first.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

from bench.common import Result, Table
from demo.loader import load_demo
from dossiers.content import Definition, build, views
from dossiers.render import render_all
from projections.board_queries import group_ids
from projections.replay import replay_to
from service.application import Sprachrohr

FORMATS = ("pdf", "docx", "md", "json")
RUNS = 3


def best(action: object) -> tuple[float, object]:
    timings, value = [], None
    for _ in range(RUNS):
        started = time.perf_counter()
        value = action()  # type: ignore[operator]
        timings.append(time.perf_counter() - started)
    return min(timings), value


def run() -> Result:
    app = Sprachrohr(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    load_demo(app, "x", now=datetime(2026, 11, 20, 9, tzinfo=UTC))
    head = app.recorder.max_notification_id() or 0
    scratch = replay_to(app.recorder, app.mapper, views(), head)
    with scratch.store.reading() as cur:
        groups = group_ids(cur)
    definition = Definition(association="MSPN e.V.", group_ids=groups, language="de",
                            position=head)  # fmt: skip
    compose_s, content = best(lambda: build(app.recorder, app.mapper, definition))
    table = Table(["Step", "Seconds (best of 3)", "Ratio to composing the content", "Size"])
    table.add("compose the content (baseline)", f"{compose_s:.2f}", "1.00×", "")
    figures = {"compose": compose_s}
    for fmt in FORMATS:
        seconds, files = best(lambda fmt=fmt: render_all(content, [fmt]))  # type: ignore[misc]
        size = len(files[fmt])  # type: ignore[index]
        table.add(f"render {fmt.upper()}", f"{seconds:.2f}", f"{seconds / compose_s:.1f}×",
                  f"{size / 1024:,.0f} KiB")  # fmt: skip
        figures[fmt] = seconds
    all_s, _ = best(lambda: render_all(content, list(FORMATS)))
    table.add(
        "render all four (charts drawn once)", f"{all_s:.2f}", f"{all_s / compose_s:.1f}×", ""
    )
    total = compose_s + all_s
    return Result(
        title="6. Briefing dossiers",
        headline=f"The full demo dossier ({len(groups)} working groups, {head:,} events) is"
        f" issued in all four formats in {total:.1f} s (composing {compose_s:.2f} s).",
        tables=[table],
        notes=[
            "Issuing adds one event; verifying costs the same as issuing (compose + render).",
            "The server composes in a child process, so this time never holds up its requests.",
        ],
        summary=[
            [
                "Issue the full demo dossier, all formats",
                f"{total:.1f} s",
                f"compose {compose_s:.2f} s",
                f"{total / compose_s:.1f}×",
            ]
        ],
        figures=figures,
    )
