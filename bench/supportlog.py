"""One large event log shared by the read and projection benchmarks."""

from __future__ import annotations

import math
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from api.runtime import Runtime
from bench.common import scratch_dir, sized
from bench.world import Pair, World, populate, runtime_in

COMPANIES = 20
#: Supports per pain point fall linearly to a tenth: the mean is 0.55 of the most.
MEAN_SHARE = 0.55


@dataclass
class SupportLog:
    runtime: Runtime
    world: World
    pairs: list[Pair]
    setup_seconds: float
    generate_seconds: float = 0.0
    given: int = 0

    def grow_to(self, supports: int) -> None:
        """Append supports to the log until it holds `supports` of them."""
        if supports < self.given:
            raise ValueError(f"the log already holds {self.given:,} supports")
        started = time.perf_counter()
        self.world.give_in_bulk(self.pairs[self.given : supports])
        self.generate_seconds += time.perf_counter() - started
        self.given = supports

    def head(self) -> int:
        return self.runtime.app.recorder.max_notification_id() or 0

    def shape(self) -> str:
        w = self.world
        return (
            f"one working group, {len(w.pain_points)} pain points, {len(w.people):,} enrolled"
            f" people of {len(w.companies)} companies; support per pain point falls linearly"
            " from the first to the last (to a tenth)"
        )


@contextmanager
def support_log() -> Iterator[SupportLog]:
    """A populated association whose log can grow to `max_supports` distinct supports."""
    max_supports = sized(100_000, 10_000)
    pain_points = sized(200, 100)
    people = math.ceil(max_supports / (MEAN_SHARE * pain_points) * 1.1)
    with scratch_dir("log") as tmp:
        runtime = runtime_in(tmp / "var")
        try:
            started = time.perf_counter()
            world = populate(
                runtime.app, companies=COMPANIES, people=people, pain_points=pain_points
            )
            setup = time.perf_counter() - started
            yield SupportLog(runtime, world, world.skewed_pairs(max_supports), setup)
        finally:
            runtime.close()
