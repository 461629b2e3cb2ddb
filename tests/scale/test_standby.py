"""Two runtimes on one store, as two processes would have: one projector leads, the
other stands by, and readers of either see the views the leader keeps."""

from __future__ import annotations

from service.runtime import build_runtime
from service.security import hash_password
from service.settings import Settings
from tests.scale.cluster import wait_until


def test_a_standby_takes_over_and_readers_anywhere_see_the_leaders_views(
    settings: Settings,
) -> None:
    first, second = build_runtime(settings), build_runtime(settings)
    try:
        first.start_projector()
        second.start_projector()
        wait_until(lambda: first.projector.leading, "the first projector to lead")
        assert not second.lead.acquire()  # the lock is taken: the second stands by
        assert not second.projector.leading

        # A write in the standby's process: the leader elsewhere applies it, and a
        # reader in the standby's process sees it.
        assert second.app.ensure_admin("a@verband.example", "A", hash_password("secret-one"))
        position = second.projector.head()
        assert second.projector.wait_for(position, 10)
        assert first.projector.position() >= position

        if second.listener is not None:  # PostgreSQL: the leader announces its commits
            second.listener.start()  # as a reader's first wait does
            wait_until(lambda: second.projector.advances > 0, "the listener to connect")
            heard = second.projector.advances
            assert second.app.ensure_admin("c@verband.example", "C", hash_password("secret-3"))
            wait_until(lambda: second.projector.advances > heard, "the leader's NOTIFY")
            assert second.projector.wait_for(second.projector.head(), 10)

        first.close()
        wait_until(lambda: second.projector.leading, "the standby to take over")
        assert second.app.ensure_admin("b@verband.example", "B", hash_password("secret-two"))
        assert second.projector.wait_for(second.projector.head(), 10)
    finally:
        first.close()
        second.close()
