"""A child process kept running: started again whenever it ends, with back-off.

`sprachrohr serve` with SPRACHROHR_PROJECTOR=process runs the projector as a
`sprachrohr project` child under one of these (docs/operations.md). The child is
told the supervisor's pid (SPRACHROHR_SUPERVISOR_PID) and stops when its parent is
gone, so a server killed with -9 leaves no projector behind.
"""

from __future__ import annotations

import logging
import os
import subprocess
import threading
import time
from collections.abc import Callable, Mapping, Sequence

log = logging.getLogger(__name__)

#: The environment variable that names the supervising process to its child.
SUPERVISOR_PID = "SPRACHROHR_SUPERVISOR_PID"


class Supervisor:
    """Run `command` in a child process until `stop`; start it again when it ends.

    The first restart waits `first_delay` seconds, each further one twice as long up
    to `max_delay`; a child that ran `healthy_after` seconds resets the wait.
    """

    def __init__(
        self,
        command: Sequence[str],
        *,
        name: str,
        env: Mapping[str, str] | None = None,
        first_delay: float = 0.5,
        max_delay: float = 30.0,
        healthy_after: float = 30.0,
    ) -> None:
        self.command = list(command)
        self.name = name
        self.env = {**(env if env is not None else os.environ), SUPERVISOR_PID: str(os.getpid())}
        self.first_delay = first_delay
        self.max_delay = max_delay
        self.healthy_after = healthy_after
        #: How often the child was started.
        self.starts = 0
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._child: subprocess.Popen[bytes] | None = None
        self._thread: threading.Thread | None = None

    @property
    def pid(self) -> int | None:
        """The running child's pid, if one runs."""
        with self._lock:
            child = self._child
        return child.pid if child is not None and child.poll() is None else None

    def start(self, *, when: Callable[[], bool] | None = None, wait_at_most: float = 30.0) -> None:
        """Start the child, first waiting (at most `wait_at_most` seconds) until `when()`
        is true: e.g. until the server listens, so that the two do not share the CPU
        while the server starts."""
        self._thread = threading.Thread(
            target=self._run, args=(when, wait_at_most), name=f"{self.name} supervisor"
        )
        self._thread.daemon = True
        self._thread.start()

    def _run(self, when: Callable[[], bool] | None = None, wait_at_most: float = 30.0) -> None:
        if when is not None:
            deadline = time.monotonic() + wait_at_most
            while not when() and time.monotonic() < deadline:
                if self._stop.wait(0.02):
                    return
        delay = self.first_delay
        while True:
            with self._lock:
                if self._stop.is_set():
                    return
                child = self._child = subprocess.Popen(self.command, env=self.env)  # noqa: S603 (our own command line)
                self.starts += 1
            started = time.monotonic()
            log.info("%s started (pid %d)", self.name, child.pid)
            code = child.wait()
            if self._stop.is_set():
                return
            if time.monotonic() - started >= self.healthy_after:
                delay = self.first_delay
            log.warning(
                "%s (pid %d) ended with exit code %s; starting it again in %.1f s",
                self.name,
                child.pid,
                code,
                delay,
            )
            if self._stop.wait(delay):
                return
            delay = min(delay * 2, self.max_delay)

    def stop(self, timeout: float = 15.0) -> None:
        """SIGTERM to the child (it finishes its batch and exits), SIGKILL after `timeout`."""
        with self._lock:
            self._stop.set()
            child = self._child
        if child is not None and child.poll() is None:
            child.terminate()
            try:
                child.wait(timeout)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
        if self._thread is not None:
            self._thread.join(timeout)


def orphaned() -> bool:
    """Whether this process was started by a supervisor that is gone."""
    parent = os.environ.get(SUPERVISOR_PID)
    return bool(parent) and os.getppid() != int(parent or 0)
