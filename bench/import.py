"""7. Import: a 10,000-row spreadsheet set into an empty SQLite store (goal: under a minute).

The rows: 40 companies, 400 people, 10 working groups, 1,500 pain points and 8,050
supports (a quarter of them company-only), dated over two years. Measured: the dry
run (read, check, run every command in the staging application), the import that
writes, and the views catching up with it. Baseline (same run): reading the files alone.

Run alone with `python -m bench.import`.
"""

from __future__ import annotations

import random
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from bench.common import Result, Table
from service.importing import StagingSprachrohr, run_import
from service.importing.sheets import read_files
from service.runtime import build_runtime
from service.settings import Settings

COMPANIES, PEOPLE, GROUPS, PAIN_POINTS, SUPPORTS = 40, 400, 10, 1_500, 8_050
START = date(2023, 1, 2)


def csv(header: str, rows: list[str]) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


def spreadsheets(seed: int = 16) -> list[tuple[str, bytes]]:
    rnd = random.Random(seed)
    companies = [f"Systemhaus {n:02d} GmbH" for n in range(COMPANIES)]
    groups = [f"Arbeitskreis {n:02d}" for n in range(GROUPS)]
    people = [(f"person{n}@firma{n % COMPANIES}.example", companies[n % COMPANIES],
               rnd.sample(groups, rnd.randint(1, 3))) for n in range(PEOPLE)]  # fmt: skip
    members = {g: [p for p in people if g in p[2]] for g in groups}
    pain_points = []
    for n in range(PAIN_POINTS):
        group = groups[n % GROUPS]
        submitter = rnd.choice(members[group])
        day = START + timedelta(days=rnd.randint(0, 600))
        pain_points.append((f"PP-{n}", group, submitter[0], day))
    supports, given = [], set()
    while len(supports) < SUPPORTS:
        key, group, _, day = rnd.choice(pain_points)
        on = (day + timedelta(days=rnd.randint(0, 90))).strftime("%d.%m.%Y")
        if rnd.random() < 0.25:
            supports.append(f"{key},,{rnd.choice(companies)},{on}")
            continue
        person = rnd.choice(members[group])[0]
        if (key, person) not in given:
            given.add((key, person))
            supports.append(f"{key},{person},,{on}")
    return [
        ("companies.csv", csv("name,joined_on", [f"{c},2022-12-01" for c in companies])),
        ("working_groups.csv", csv("name,kind,description", [f"{g},thematic," for g in groups])),
        ("people.csv", csv("email,display_name,company,working_groups,invite",
                           [f"{e},{e[:8]},{c},{'|'.join(gs)},no" for e, c, gs in people])),
        ("pain_points.csv", csv("key,working_group,title,submitted_by,submitted_on,status",
                                [f"{k},{g},Pain point {k},{s},{d.isoformat()},accepted"
                                 for k, g, s, d in pain_points])),
        ("supports.csv", csv("pain_point,person,company,given_on", supports)),
    ]  # fmt: skip


def timed(action: object) -> tuple[float, object]:
    started = time.perf_counter()
    value = action()  # type: ignore[operator]
    return time.perf_counter() - started, value


def run() -> Result:
    files = spreadsheets()
    rows = sum(len(content.splitlines()) - 1 for _, content in files)
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp))  # type: ignore[call-arg]
        runtime = build_runtime(settings)
        try:
            read_s, _ = timed(lambda: read_files(files))
            app = StagingSprachrohr(env=settings.event_store_env())
            dry_s, dry = timed(lambda: run_import(app, files, dry_run=True))
            write_s, report = timed(lambda: run_import(app, files))
            app.close()
            catch_up_s, _ = timed(runtime.projector.catch_up)
            again_s, again = timed(
                lambda: run_import(StagingSprachrohr(env=settings.event_store_env()), files)
            )
        finally:
            runtime.close()
    assert dry.ok  # type: ignore[attr-defined]
    assert report.ok  # type: ignore[attr-defined]
    assert again.new_events == 0  # type: ignore[attr-defined]
    events = report.new_events  # type: ignore[attr-defined]
    table = Table(["Step", "Seconds", "Ratio to reading the files", "Rows/s"])
    for step, seconds in (
        ("read the files (baseline)", read_s),
        ("dry run: check every row, run every command, write nothing", dry_s),
        (f"import: the same, and write {events:,} events in one transaction", write_s),
        ("views catch up with the imported events", catch_up_s),
        ("the same files again (nothing to write)", again_s),
    ):
        table.add(step, f"{seconds:.2f}", f"{seconds / read_s:.0f}×", f"{rows / seconds:,.0f}")
    return Result(
        title="7. Import of spreadsheets",
        headline=f"A {rows:,}-row file set imports in {write_s:.1f} s ({events:,} events;"
        f" goal: under 60 s); its dry run takes {dry_s:.1f} s.",
        tables=[table],
        notes=[
            f"{COMPANIES} companies, {PEOPLE} people, {GROUPS} working groups, {PAIN_POINTS:,}"
            f" pain points, {SUPPORTS:,} supports (a quarter company-only), CSV, into an empty"
            " SQLite store.",
            "Every row runs the ordinary command in the staging application; the whole import"
            " is one transaction, so a failing row leaves nothing behind.",
        ],
        summary=[
            [
                f"Import {rows:,} spreadsheet rows",
                f"{write_s:.1f} s",
                f"read {read_s:.2f} s",
                f"{write_s / read_s:.0f}×",
            ]
        ],
        figures={"import": write_s, "dry_run": dry_s, "rows": rows},
    )


if __name__ == "__main__":
    run().print()
