"""Numbers inside the views (ADR 026) survive a batch that rolls back in-process."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from projections.catalog import all_views
from projections.ranking_view import RankingView
from projections.runner import Projector
from projections.store import Cursor, SQLiteViewStore
from projections.view import Handler, View
from service.runtime import build_runtime
from service.settings import Settings
from tests.projections.histories import generate


class FailsOnce(View):
    """Fails the first page after the ranking view gave numbers in a later page than
    the transaction's first, after the other views wrote."""

    tables = ()

    def __init__(self, ranking: RankingView) -> None:
        self.ranking = ranking
        self.numbered = 0
        self.armed = True

    def create(self, cur: Cursor) -> None:
        return None

    def handlers(self) -> Mapping[str, Handler]:
        return {}

    def flush(self, cur: Cursor) -> None:
        fresh = len(self.ranking.ids._fresh)
        if self.armed and self.numbered and fresh > self.numbered:
            self.armed = False
            raise RuntimeError("the store failed mid-batch")
        self.numbered = fresh


def caught_up(app: Any, path: Path, *, fail: bool) -> dict[str, Any]:
    store = SQLiteViewStore(path)
    views = all_views("sqlite")
    failing = FailsOnce(next(v for v in views if isinstance(v, RankingView)))
    try:
        projector = Projector(
            app.recorder,
            app.mapper,
            store,
            [*views, failing] if fail else views,
            batch_size=20,
            bulk_batch_size=200,
            bulk_page_size=25,
        )
        projector.setup()
        if fail:
            with pytest.raises(RuntimeError):
                projector.catch_up()
            assert not failing.armed
        projector.catch_up()
        return projector.dump()
    finally:
        store.close()


def test_a_rolled_back_batch_leaves_no_numbers_behind(tmp_path: Path) -> None:
    runtime = build_runtime(Settings(data_dir=tmp_path / "var", run_projector=False))
    try:
        generate(runtime.app, seed=17, actions=150)
        assert runtime.app.recorder.max_notification_id() > 100
        retried = caught_up(runtime.app, tmp_path / "retried.sqlite", fail=True)
        clean = caught_up(runtime.app, tmp_path / "clean.sqlite", fail=False)
    finally:
        runtime.close()
    assert retried == clean
    assert retried["v_rank_ids"]
    assert retried["v_support_rows"]
