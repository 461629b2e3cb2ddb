"""The supervisor starts its child again whenever it ends, until it is stopped."""

from __future__ import annotations

import sys
import time

from service.supervisor import Supervisor
from tests.scale.cluster import wait_until


def test_a_child_that_keeps_failing_is_restarted_until_stopped() -> None:
    supervisor = Supervisor(
        [sys.executable, "-c", "raise SystemExit(3)"],
        name="failing child",
        first_delay=0.05,
        max_delay=0.2,
    )
    supervisor.start()
    try:
        wait_until(lambda: supervisor.starts >= 4, "four starts")
    finally:
        supervisor.stop()
    starts = supervisor.starts
    time.sleep(0.5)
    assert supervisor.starts == starts  # stopped: no more starts


def test_stopping_ends_a_running_child() -> None:
    supervisor = Supervisor(
        [sys.executable, "-c", "import time; time.sleep(60)"], name="sleeping child"
    )
    supervisor.start()
    pid = wait_until(lambda: supervisor.pid, "the child to run")
    supervisor.stop(timeout=5)
    assert supervisor.pid is None
    assert supervisor.starts == 1
    assert pid
