"""One large event log shared by the read, projection, memory and HTTP benchmarks.

The association (people, companies, one working group, its pain points) is built
through the Application's commands. The supports that make the log large are real
`Support.Given` events, built as aggregates and encoded by the application's mapper,
but inserted through the recorder in big batches rather than one command each: the
log a million commands would leave, in a minute instead of an hour.
"""

from __future__ import annotations

import math
import random
import time
from array import array
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from uuid import UUID

from bench.common import scratch_dir, sized
from bench.world import Pair, World, populate, runtime_in
from domain.support import Support
from service.runtime import Runtime

COMPANIES = 20
#: The log's sizes, in supports: reads are measured at each.
SIZES = (sized(10_000, 1_000), sized(100_000, 10_000), sized(1_000_000, 100_000))
PAIN_POINTS = sized(1000, 200)
#: Supports per pain point fall linearly to a tenth: the mean is 0.55 of the most.
MEAN_SHARE = 0.55
INSERT_BATCH = 10_000


@dataclass
class SupportLog:
    runtime: Runtime
    world: World
    #: Every (person, pain point) pair as person_index * PAIN_POINTS + item_index, in
    #: the order they are given: the first SIZES[-1] make the log, the rest are unused.
    order: array[int]
    setup_seconds: float
    generate_seconds: float = 0.0
    given: int = 0
    #: Stored events (supports) inserted, for the rate note.
    inserted: int = 0
    data_dir: Path = field(default_factory=Path)

    def grow_to(self, supports: int) -> None:
        """Append `Support.Given` events until the log holds `supports` of them."""
        if supports < self.given:
            raise ValueError(f"the log already holds {self.given:,} supports")
        app, w = self.runtime.app, self.world
        started = time.perf_counter()
        for start in range(self.given, supports, INSERT_BATCH):
            stored = []
            for code in self.order[start : min(supports, start + INSERT_BATCH)]:
                person, item = w.people[code // PAIN_POINTS], w.pain_points[code % PAIN_POINTS]
                support = Support.give(
                    item, w.group, by=person, for_company=w.company_of[person], at=app.clock()
                )
                stored += [app.mapper.to_stored_event(e) for e in support.collect_events()]
            app.recorder.insert_events(stored)
            self.inserted += len(stored)
        self.generate_seconds += time.perf_counter() - started
        self.given = supports

    def unused_pairs(self, people: list[UUID]) -> list[Pair]:
        """Pairs of these people not in the log (nor to be), in a fixed shuffled order."""
        index = {person: n for n, person in enumerate(self.world.people)}
        mine = {index[p] for p in people}
        used = {code for code in self.order[: SIZES[-1]] if code // PAIN_POINTS in mine}
        free = [
            (person, item)
            for person in people
            for j, item in enumerate(self.world.pain_points)
            if index[person] * PAIN_POINTS + j not in used
        ]
        random.Random(5).shuffle(free)
        return free

    def head(self) -> int:
        return self.runtime.app.recorder.max_notification_id() or 0

    def shape(self) -> str:
        w = self.world
        return (
            f"one working group, {len(w.pain_points):,} pain points, {len(w.people):,} enrolled"
            f" people of {len(w.companies)} companies; support per pain point falls linearly"
            " from the first to the last (to a tenth)"
        )


def skewed_order(people: int, items: int, total: int, seed: int = 11) -> array[int]:
    """`total` distinct pair codes; pain point j gets support falling linearly with j,
    shuffled so any prefix has the same skew."""
    rng = random.Random(seed)
    weights = [1 - 0.9 * j / items for j in range(items)]
    scale = total / sum(weights)
    wanted = [min(people, round(w * scale)) for w in weights]
    wanted[-1] += total - sum(wanted)
    if not 0 <= wanted[-1] <= people:
        raise ValueError("too few people for that many distinct supports")
    codes = array("q")
    for j, k in enumerate(wanted):
        codes.extend(p * items + j for p in rng.sample(range(people), k))
    rng.shuffle(codes)  # type: ignore[arg-type]
    return codes


@contextmanager
def support_log() -> Iterator[SupportLog]:
    """A populated association whose log can grow to SIZES[-1] distinct supports."""
    people = math.ceil(SIZES[-1] / (MEAN_SHARE * PAIN_POINTS) * 1.1)
    with scratch_dir("log") as tmp:
        runtime = runtime_in(tmp / "var")
        try:
            started = time.perf_counter()
            world = populate(
                runtime.app, companies=COMPANIES, people=people, pain_points=PAIN_POINTS
            )
            setup = time.perf_counter() - started
            order = skewed_order(people, PAIN_POINTS, SIZES[-1])
            yield SupportLog(runtime, world, order, setup, data_dir=tmp / "var")
        finally:
            runtime.close()
