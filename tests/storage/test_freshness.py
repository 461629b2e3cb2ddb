"""The aggregate cache kept current by the log's tail (storage.freshness).

Two Application instances on one store stand for two processes (each has its own
cache, as a second uvicorn worker or a `sprachrohr project` process would): what one
writes, the other must see in its next read scope, on a SQLite file and on PostgreSQL.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from domain.ids import SYSTEM, session_id
from domain.person import Person
from domain.session import SignInSession
from service.application import Sprachrohr
from service.settings import Settings
from storage.freshness import TailCheckedRepository, fresh_reads, tail_reader
from storage.postgres import create_schema, postgres_conninfo

PASSWORD_HASH = "not-a-real-hash"


@pytest.fixture
def apps(settings: Settings) -> Iterator[tuple[Sprachrohr, Sprachrohr]]:
    """Two applications ("processes") on one empty store."""
    env = settings.event_store_env()
    if settings.uses_postgres:
        create_schema(postgres_conninfo(env), env["POSTGRES_SCHEMA"])
    else:
        settings.data_dir.mkdir(parents=True)
    one, other = Sprachrohr(env=env), Sprachrohr(env=env)
    try:
        yield one, other
    finally:
        one.close()
        other.close()


def repository(app: Sprachrohr) -> TailCheckedRepository:
    repo = app.repository
    assert isinstance(repo, TailCheckedRepository)
    return repo


def someone(app: Sprachrohr, n: int = 0) -> Person:
    person_id = app.register_person(
        f"person{n}@example.org", f"Person {n}", None, PASSWORD_HASH, by=SYSTEM
    ).id
    person = app.find(Person, person_id, readonly=True)
    assert person is not None
    return person


def test_the_application_uses_the_tail_checked_cache(apps: tuple[Sprachrohr, Sprachrohr]) -> None:
    one, _ = apps
    assert isinstance(one.repository, TailCheckedRepository)


def test_a_scope_checks_its_cached_aggregates_with_one_query(
    apps: tuple[Sprachrohr, Sprachrohr],
) -> None:
    one, _ = apps
    people = [someone(one, n).id for n in range(5)]
    with fresh_reads():
        cached = [one.find(Person, p, readonly=True) for p in people]
    repo = repository(one)
    before = repo.refreshes
    with fresh_reads():
        again = [one.find(Person, p, readonly=True) for p in people]
    assert repo.refreshes == before + 1
    # Nothing changed: the very objects the cache holds, not reloaded copies.
    assert all(a is b for a, b in zip(again, cached, strict=True))


def test_another_process_write_is_seen_in_the_next_scope(
    apps: tuple[Sprachrohr, Sprachrohr],
) -> None:
    one, other = apps
    person = someone(one).id
    with fresh_reads():
        seen = one.find(Person, person, readonly=True)
        assert seen is not None
        assert not seen.has_role("board")
        other.grant_role(person, "board", by=SYSTEM)
        # Within the scope the state as of its start is fine (it is still this one).
        same = one.find(Person, person, readonly=True)
        assert same is seen
    with fresh_reads():
        now = one.find(Person, person, readonly=True)
        assert now is not None
        assert now.has_role("board")
    # Outside any scope every read checks the tail first.
    other.revoke_role(person, "board", by=SYSTEM)
    latest = one.find(Person, person, readonly=True)
    assert latest is not None
    assert not latest.has_role("board")


def test_a_closed_session_is_refused_by_the_other_process_at_once(
    apps: tuple[Sprachrohr, Sprachrohr],
) -> None:
    one, other = apps
    person = someone(one).id
    digest = "d" * 64
    one.open_session(digest, person, datetime.now(UTC) + timedelta(hours=1))
    with fresh_reads():
        signed_in = one.session_person(digest)
        assert signed_in is not None
        assert signed_in.id == person
    other.close_session(digest)
    with fresh_reads():
        assert one.session_person(digest) is None


def test_a_scope_sees_its_own_writes(apps: tuple[Sprachrohr, Sprachrohr]) -> None:
    one, _ = apps
    person = someone(one).id
    with fresh_reads():
        assert not one.load(Person, person, "person", readonly=True).has_role("board")
        one.grant_role(person, "board", by=SYSTEM)
        assert one.load(Person, person, "person", readonly=True).has_role("board")


def test_a_command_on_a_stale_cache_is_retried_with_the_winners_events(
    apps: tuple[Sprachrohr, Sprachrohr],
) -> None:
    one, other = apps
    person = someone(one).id
    with fresh_reads():
        one.find(Person, person, readonly=True)  # cached at version 1
        other.grant_role(person, "board", by=SYSTEM)
        # The first attempt decides on the cached version and loses the race on
        # saving; the retry reads anew and keeps the other process's change.
        assert one.grant_role(person, "admin", by=SYSTEM).changed
    final = other.load(Person, person, "person", readonly=True)
    assert final.has_role("board")
    assert final.has_role("admin")


def test_a_read_overtaken_by_a_refresh_is_not_cached(
    apps: tuple[Sprachrohr, Sprachrohr],
) -> None:
    one, other = apps
    person = someone(one).id
    repo = repository(one)
    repo.refresh()
    stale = one.load(Person, person, "person", readonly=True)
    with repo._guard:
        repo._entries.clear()
        stamp = repo._seen
    # A read that started at `stamp`, then another process changes the person and a
    # refresh (another thread's) passes over the change before the read is cached.
    other.grant_role(person, "board", by=SYSTEM)
    repo.refresh()
    repo._put(person, stale, stamp)
    assert repo.cached() == 0
    assert one.load(Person, person, "person", readonly=True).has_role("board")
    # A read that a refresh overtook without a change of its aggregate is cached.
    with repo._guard:
        stamp = repo._seen
    someone(other, 1)
    repo.refresh()
    fresh = one.load(Person, person, "person", readonly=True)
    with repo._guard:
        repo._entries.clear()
    repo._put(person, fresh, stamp)
    assert repo.cached() == 1


def test_a_long_tail_empties_the_cache_instead_of_reading_it(
    apps: tuple[Sprachrohr, Sprachrohr],
) -> None:
    one, other = apps
    person = someone(one).id
    repo = repository(one)
    repo.TAIL_LIMIT = 3
    with fresh_reads():
        one.find(Person, person, readonly=True)
    assert repo.cached() >= 1
    for n in range(1, 4):
        someone(other, n)  # two events each
    other.grant_role(person, "board", by=SYSTEM)
    with fresh_reads():
        now = one.load(Person, person, "person", readonly=True)
    assert now.has_role("board")
    # Only what the scope read after the reset is cached.
    assert repo.cached() == 1


def test_concurrent_scopes_never_see_a_change_older_than_their_start(
    apps: tuple[Sprachrohr, Sprachrohr],
) -> None:
    """One thread of the other process keeps changing a person's language; readers
    of this process, each in a scope opened after a change was acknowledged, must
    see that change or a later one, however the threads interleave."""
    one, other = apps
    person = someone(one).id
    languages = ["de", "en"]
    acknowledged = [1]  # the person's version after the last acknowledged write
    failures: list[str] = []
    stop = threading.Event()

    def writer() -> None:
        for n in range(60):
            other.choose_language(languages[n % 2], by=person)
            acknowledged[0] = other.load(Person, person, "person", readonly=True).version
        stop.set()

    def reader() -> None:
        while not stop.is_set():
            done = acknowledged[0]
            with fresh_reads():
                seen = one.load(Person, person, "person", readonly=True)
            if seen.version < done:
                failures.append(f"saw version {seen.version} after version {done}")

    threads = [threading.Thread(target=writer)] + [
        threading.Thread(target=reader) for _ in range(3)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []


def test_snapshot_free_types_are_read_without_the_snapshot_store(
    apps: tuple[Sprachrohr, Sprachrohr],
) -> None:
    one, other = apps
    person = someone(one).id
    digest = "e" * 64
    other.open_session(digest, person, datetime.now(UTC) + timedelta(hours=1))
    session = one.find(SignInSession, session_id(digest), readonly=True)
    assert session is not None
    assert session.person_id == person
    assert SignInSession not in one.snapshotting_intervals


def test_any_recorder_reads_the_tail_through_its_notifications() -> None:
    """The library's in-memory recorder has no `select_changes`: the tail is read
    through `select_notifications`, and a command still sees a write made beside it."""
    env = {"PERSISTENCE_MODULE": "eventsourcing.popo", "AGGREGATE_CACHE_MAXSIZE": "100"}
    app = Sprachrohr(env=env)
    try:
        person = someone(app).id
        changes = tail_reader(app.recorder)(0, 10)
        assert changes[0][1] == person
        assert [number for number, _ in changes] == list(range(1, len(changes) + 1))
        with fresh_reads():
            app.find(Person, person, readonly=True)
        # A write that bypasses this application's save (as another process's would).
        changed = app.load(Person, person, "person")
        changed.grant_role("board", by=SYSTEM, at=app.clock())
        app.recorder.insert_events(
            [app.mapper.to_stored_event(e) for e in changed.collect_events()]
        )
        with fresh_reads():
            assert app.load(Person, person, "person", readonly=True).has_role("board")
    finally:
        app.close()
