"""`give_support` and catch-up alone: the figures to compare before and after a change to
the event format (personal data encrypted per person, ADR 011).

    BENCH_SCALE=small python -m bench.personal
"""

from __future__ import annotations

from bench import writes
from bench.common import SCALE
from bench.projection import catch_up, read_log
from bench.supportlog import SIZES, support_log
from projections.catalog import all_views


def main() -> None:
    print(f"give_support and catch-up, scale {SCALE}\n", flush=True)
    writes.run().print()
    with support_log() as log:
        log.grow_to(SIZES[1])
        read_log(log, decode=False)  # warm the page cache
        events, reading = read_log(log)
        position, seconds = catch_up(log, "all", all_views("sqlite"))
        print(f"read + decode: {events:,} events in {reading:.2f} s ({events / reading:,.0f}/s)")
        print(f"catch-up, all views: {position:,} events in {seconds:.2f} s"
              f" ({position / seconds:,.0f}/s)")  # fmt: skip


if __name__ == "__main__":
    main()
