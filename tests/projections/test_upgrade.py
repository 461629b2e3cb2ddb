"""A view store built by earlier view code is rebuilt by the current code on start."""

from __future__ import annotations

from service.runtime import build_runtime
from service.settings import Settings
from tests.projections.histories import generate

#: The tables ADR 026 replaced, as the code before it created them.
EARLIER = (
    "CREATE TABLE v_support_intervals (support_id TEXT NOT NULL, seq INTEGER NOT NULL,"
    " pain_point_id TEXT NOT NULL, group_id TEXT NOT NULL, person_id TEXT NOT NULL,"
    " company_id TEXT NOT NULL, given_at BIGINT NOT NULL, withdrawn_at BIGINT,"
    " PRIMARY KEY (support_id, seq))",
    "CREATE INDEX v_support_intervals_item ON v_support_intervals"
    " (pain_point_id, company_id, withdrawn_at, person_id, given_at)",
    "CREATE TABLE v_support_owner (support_id TEXT PRIMARY KEY, pain_point_id TEXT NOT NULL)",
)


def test_views_of_the_text_keyed_schema_are_rebuilt(settings: Settings) -> None:
    runtime = build_runtime(settings)
    try:
        generate(runtime.app, seed=13, actions=120)
        runtime.projector.catch_up()
        expected = runtime.projector.dump()
        with runtime.store.writing() as cur:  # the store as the earlier code left it
            cur.execute("DROP VIEW v_support_intervals")
            cur.execute("DROP TABLE v_support_owner")
            for statement in EARLIER:
                cur.execute(statement)
            cur.execute("UPDATE v_fingerprint SET fingerprint = 'earlier'")
    finally:
        runtime.close()
    runtime = build_runtime(settings)  # sees another fingerprint: drops, creates, catches up
    try:
        runtime.projector.catch_up()
        assert runtime.projector.dump() == expected
        with runtime.store.reading() as cur:
            cur.execute("SELECT COUNT(*) FROM v_support_intervals")
            assert cur.fetchone()[0] == len(expected["v_support_rows"]) > 0
    finally:
        runtime.close()
