"""Run every benchmark, print each result, rewrite docs/BENCHMARKS.md."""

from __future__ import annotations

import os
import time
from pathlib import Path

from bench import http, projection, reads, writes
from bench.common import SCALE, Result
from bench.report import document
from bench.supportlog import support_log

TARGET = Path(__file__).resolve().parent.parent / "docs" / "BENCHMARKS.md"


def main() -> None:
    started, load_before = time.perf_counter(), os.getloadavg()[0]
    print(f"Benchmarks, scale {SCALE} (BENCH_SCALE=small for a quick run)\n", flush=True)
    results: list[Result] = []
    for benchmark in (writes.run, http.run):
        results.append(benchmark())
        results[-1].print()
    with support_log() as log:
        for read_side in (reads.run, projection.run):  # reads grow the log in steps
            results.append(read_side(log))
            results[-1].print()
    results.sort(key=lambda result: result.title)
    seconds = time.perf_counter() - started
    TARGET.write_text(document(results, seconds, load_before))
    print(f"Wrote {TARGET} ({seconds / 60:.1f} min)")


if __name__ == "__main__":
    main()
