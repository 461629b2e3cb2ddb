"""The key store of personal data: one key per person, destroyed for good on erasure."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from storage.keys import KeyDestroyed, KeyStore, MemoryKeyStore, PostgresKeyStore, SQLiteKeyStore

PG = "host=127.0.0.1 port=5432 user=postgres dbname=test"


@pytest.fixture(params=["memory", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def keys(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[KeyStore]:
    if request.param == "memory":
        yield MemoryKeyStore()
    elif request.param == "sqlite":
        store = SQLiteKeyStore(tmp_path / "keys.sqlite")
        yield store
        store.close()
    else:
        schema = f"k_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(PG, autocommit=True) as conn:
            conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
        store = PostgresKeyStore(PG, schema)
        yield store
        store.close()
        with psycopg.connect(PG, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(schema)))


def test_a_subject_keeps_one_key_until_it_is_destroyed(keys: KeyStore) -> None:
    subject = uuid.uuid4()

    first = keys.ensure(subject)

    assert len(first) == 32
    assert keys.ensure(subject) == first
    assert keys.key(subject) == first
    assert keys.key(uuid.uuid4()) is None


def test_a_destroyed_key_is_never_made_again(keys: KeyStore) -> None:
    subject, other = uuid.uuid4(), uuid.uuid4()
    keys.ensure(subject)
    kept = keys.ensure(other)

    keys.destroy(subject)

    assert keys.key(subject) is None
    assert keys.is_destroyed(subject)
    with pytest.raises(KeyDestroyed):
        keys.ensure(subject)
    assert keys.key(other) == kept
    assert not keys.is_destroyed(other)


def test_named_secrets_are_stable(keys: KeyStore) -> None:
    assert keys.secret("email-claims") == keys.secret("email-claims")
    assert keys.secret("email-claims") != keys.secret("other")


def test_no_byte_of_a_destroyed_key_stays_in_the_sqlite_files(tmp_path: Path) -> None:
    store = SQLiteKeyStore(tmp_path / "keys.sqlite")
    subjects = [uuid.uuid4() for _ in range(50)]
    made = [store.ensure(s) for s in subjects]

    store.destroy(subjects[7])

    files = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.is_file())
    assert made[7] not in files
    assert made[8] in files
    store.close()
