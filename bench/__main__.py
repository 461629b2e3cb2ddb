"""Run every benchmark, print each result, rewrite docs/BENCHMARKS.md."""

from __future__ import annotations

import importlib
import os
import shutil
import signal
import sys
import time
from pathlib import Path

from bench import dossier, first_start, http, http_pg, ranking_http, writes
from bench.common import SCALE, Result
from bench.projection import Projection
from bench.reads import Reads
from bench.report import document
from bench.supportlog import SIZES, support_log

TARGET = Path(__file__).resolve().parent.parent / "docs" / "BENCHMARKS.md"


def http_only() -> None:
    """`python -m bench http`: section 2 alone, on a log of SIZES[0] supports; prints
    its result and leaves docs/BENCHMARKS.md as it is (for comparing write paths)."""
    with support_log() as log:
        log.grow_to(SIZES[0])
        log.runtime.projector.catch_up()
        http.run(log).print()


def ranking_only() -> None:
    """`python -m bench ranking`: section 9 alone, at the log's largest size."""
    with support_log() as log:
        log.grow_to(SIZES[-1])
        ranking_http.run(log).print()


def projection_only() -> None:
    """`python -m bench projection`: section 3 alone (the breakdown at SIZES[1], the
    rebuild at SIZES[-1]); prints its result and leaves docs/BENCHMARKS.md as it is.
    With BENCH_KEEP_LOG=DIR, the grown log's data dir is copied to DIR for profiling."""
    projection = Projection()
    with support_log() as log:
        log.grow_to(SIZES[1])
        projection.breakdown(log)
        log.grow_to(SIZES[-1])
        projection.full(log)
        projection.result(log).print()
        if keep := os.environ.get("BENCH_KEEP_LOG"):
            shutil.copytree(log.data_dir, keep, dirs_exist_ok=True)


def main() -> None:
    if sys.argv[1:] == ["projection"]:
        projection_only()
        return
    if sys.argv[1:] == ["http"]:
        http_only()
        return
    if sys.argv[1:] == ["ranking"]:
        ranking_only()
        return
    if sys.argv[1:] == ["http-pg"]:  # section 5 alone
        if (result := http_pg.run()) is not None:
            result.print()
        return
    # Stopped with SIGTERM: unwind, so the servers and temp dirs are cleaned up.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    started, load_before = time.perf_counter(), os.getloadavg()
    print(f"Benchmarks, scale {SCALE} (BENCH_SCALE=small for a quick run)\n", flush=True)
    importing = importlib.import_module("bench.import")  # `import` is a keyword
    results: list[Result] = [first_start.run(), writes.run(), dossier.run(), importing.run()]
    for result in results:
        result.print()
    reads, projection = Reads(), Projection()
    with support_log() as log:
        steps = {"log": log.setup_seconds}
        for size in SIZES[:-1]:
            log.grow_to(size)
            log.runtime.projector.catch_up()
            reads.measure(log)
            print(f"  reads at {size:,} supports measured", flush=True)
        projection.breakdown(log)
        print(f"  projection breakdown at {log.given:,} supports measured", flush=True)
        log.grow_to(SIZES[-1])
        print(f"  log grown to {log.head():,} events in {log.generate_seconds:.0f} s", flush=True)
        projection.full(log)  # rebuilds the views the reads at full size use
        reads.measure(log)
        results += [projection.result(log), reads.result(log), ranking_http.run(log)]
        for result in results[-3:]:
            result.print()
        results.append(http.run(log))
        results[-1].print()
        if (on_postgres := http_pg.run()) is not None:
            results.append(on_postgres)
            on_postgres.print()
        steps |= {"generate": log.generate_seconds, "inserted": log.inserted}
    results.sort(key=lambda result: result.title)
    seconds = time.perf_counter() - started
    TARGET.write_text(document(results, seconds, load_before, steps))
    print(f"Wrote {TARGET} ({seconds / 60:.1f} min)")


if __name__ == "__main__":
    main()
