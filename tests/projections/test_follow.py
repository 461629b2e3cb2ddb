"""A projector at the log's head commits what it has and waits for the next wake-up:
events that trickle in while it applies the head are not taken one page each into
the same transaction (a steady stream of single writes is applied in batches)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from domain.ids import SYSTEM
from service.runtime import build_runtime
from service.settings import Settings
from tests.projections.histories import generate


class Trickle:
    """The recorder, with one more event written just after each of the first `times`
    reads of the log (another request's write committing meanwhile)."""

    def __init__(self, recorder: Any, write: Callable[[int], object], times: int) -> None:
        self.recorder = recorder
        self.write = write
        self.times = times
        self.written = 0

    def select_notifications(self, *args: Any, **kwargs: Any) -> Any:
        found = self.recorder.select_notifications(*args, **kwargs)
        if self.written < self.times:
            self.written += 1
            self.write(self.written)
        return found

    def __getattr__(self, name: str) -> Any:
        return getattr(self.recorder, name)


def test_events_trickling_in_at_the_head_wait_for_the_next_catch_up(settings: Settings) -> None:
    runtime = build_runtime(settings)
    try:
        app, projector = runtime.app, runtime.projector
        generate(app, seed=3, actions=40)
        projector.catch_up()
        pages: list[int] = []
        apply = projector._apply

        def counting(cur: Any, notifications: Any) -> None:
            pages.append(len(notifications))
            apply(cur, notifications)

        projector._apply = counting  # type: ignore[method-assign]
        start = projector.position()
        app.admit_company("Vorab GmbH", by=SYSTEM)
        projector.recorder = Trickle(
            app.recorder, lambda n: app.admit_company(f"Firma {n}", by=SYSTEM), times=5
        )
        projector.catch_up()
        assert len(pages) == 1  # the head as it was; the rest is for the next wake-up
        while projector.position() < projector.head():
            projector.catch_up()
        assert sum(pages) == projector.head() - start
        assert len(pages) > 1
        live = projector.dump()
        projector.recorder = app.recorder
        projector.rebuild()
        assert projector.dump() == live
    finally:
        runtime.close()
