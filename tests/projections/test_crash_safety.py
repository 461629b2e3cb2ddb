"""A projector killed between its view writes and the commit resumes without double counting."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

from service.runtime import build_runtime
from service.settings import Settings
from tests.projections.histories import generate

KILLED = 9
# Runs in a child process: apply batches of 50 events and die with os._exit after the
# third batch has written its view rows and tracking row, before the COMMIT.
CHILD = textwrap.dedent(
    """
    import os
    from contextlib import contextmanager
    from service.runtime import build_runtime
    from service.settings import Settings

    runtime = build_runtime(Settings())
    store = runtime.projector.store
    writing = type(store).writing
    batches = 0

    @contextmanager
    def dying_writing():
        global batches
        with writing(store) as cur:
            yield cur
            batches += 1
            if batches == 3:
                os._exit(9)

    store.writing = dying_writing
    runtime.projector.batch_size = runtime.projector.bulk_batch_size = 50
    runtime.projector.catch_up()
    """
)


def environment(settings: Settings) -> dict[str, str]:
    env = dict(os.environ)
    if settings.database_url:
        env["SPRACHROHR_DATABASE_URL"] = settings.database_url
    env["SPRACHROHR_DATA_DIR"] = str(settings.data_dir)
    return env


def test_killed_projector_resumes_after_last_commit_without_double_counting(
    settings: Settings,
) -> None:
    runtime = build_runtime(settings)
    generate(runtime.app, seed=5, actions=600)
    head = runtime.projector.head()
    runtime.close()
    assert head > 110  # enough for a third batch of 50

    child = subprocess.run(
        [sys.executable, "-c", CHILD], env=environment(settings), capture_output=True, timeout=120
    )
    assert child.returncode == KILLED, child.stderr.decode()

    runtime = build_runtime(settings)
    try:
        assert runtime.projector.position() == 100  # two committed batches, not the third
        runtime.projector.catch_up()
        resumed = runtime.projector.dump()
        runtime.projector.rebuild()
        assert runtime.projector.dump() == resumed
    finally:
        runtime.close()
