"""The demo loader's and the import's events are marked when recorded (storage.quiet)
and tell nobody — even when the notification processor is already running — while a
person acting at the same moment is news as ever."""

from __future__ import annotations

from pathlib import Path
from uuid import UUID

from domain.company import MemberCompany
from domain.ids import SYSTEM
from notify.processor import start_at_tail
from service.application import Sprachrohr
from service.importing import StagingSprachrohr, run_import
from service.runtime import build_runtime
from service.settings import Settings
from storage.quiet import QUIET, is_quiet, quietly

DATA = Path(__file__).resolve().parents[1] / "service" / "data" / "good"


def test_an_import_into_a_running_store_tells_nobody_and_a_live_comment_does(
    tmp_path: Path,
) -> None:
    settings = Settings(data_dir=tmp_path / "var")  # type: ignore[call-arg]
    runtime = build_runtime(settings)
    staging = StagingSprachrohr(env=settings.event_store_env())
    try:
        processor = runtime.notifications
        assert processor is not None
        start_at_tail(processor)  # the processor runs before the import: not at the tail
        files = [(p.name, p.read_bytes()) for p in sorted(DATA.glob("*.csv"))]
        assert run_import(staging, files).ok
        app = runtime.app
        anna = app.find_person_by_email("anna@alpha.example")
        bert = app.find_person_by_email("bert@beta.example")
        assert anna is not None
        assert bert is not None
        runtime.projector.catch_up()
        with runtime.store.reading() as cur:
            cur.execute("SELECT id FROM v_pain_points WHERE title = 'Portal loses customers'")
            (pain_point,) = cur.fetchone()
        # a person acts while the import's events still wait for the processor
        app.post_comment(UUID(pain_point), "Bei uns auch", by=anna.id)
        processor.catch_up()
        with runtime.store.reading() as cur:
            cur.execute("SELECT person_id, kind FROM n_notifications ORDER BY person_id")
            told = cur.fetchall()
        # Bert supported P1 in the import: he follows it, and hears of the live comment only
        assert told == [(bert.id.hex, "pain_point.commented")]
        records = app.recorder.select_notifications(1, 1000)
        marked = [is_quiet(app.mapper.to_domain_event(r)) for r in records]
        assert marked == [True] * (len(records) - 1) + [False]
    finally:
        staging.close()
        runtime.close()


def test_quiet_recording_marks_only_its_own_context() -> None:
    app = Sprachrohr(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    app.admit_company("Laut GmbH", by=SYSTEM)
    with quietly():
        app.admit_company("Leise GmbH", by=SYSTEM)
    events = [app.mapper.to_domain_event(r) for r in app.recorder.select_notifications(1, 10)]
    assert [is_quiet(e) for e in events][-2:] == [True, True]
    assert not any(is_quiet(e) for e in events[:-2])
    assert QUIET not in vars(events[0])


def test_the_marker_never_reaches_an_aggregate() -> None:
    app = Sprachrohr(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    with quietly():
        outcome = app.admit_company("Leise GmbH", by=SYSTEM)
    company = app.find(MemberCompany, outcome.id)  # no cache here: read from the log
    assert company is not None
    assert not hasattr(company, QUIET)
