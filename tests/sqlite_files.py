"""Opening and copying SQLite files from a test, without harming anyone else's view
of them.

Two things a test must not do to a store another process has open (SQLite's "How To
Corrupt Your Database Files", §2.2):

- leave a connection open: `with sqlite3.connect(p) as db:` only commits; in Python 3.11
  a connection sits in a reference cycle (its statement cache refers back to it), so it
  stays open until the cycle collector runs, possibly minutes later;
- open and close the files by other means (`shutil.copytree` of a data directory) while
  such a connection is open: closing any descriptor of a file drops every POSIX lock the
  process holds on it. SQLite in that process still believes it holds them, so another
  process (a restarted server) takes the file over, checkpoints and deletes the WAL and
  the shared-memory index, and this process's next connection reads through the old,
  deleted index: a stale snapshot. When the forgotten connection finally closes, it can
  even checkpoint old pages back into the file.

`connected` closes on leaving; `copy_store` copies each database through SQLite's online
backup (a consistent snapshot, taken under SQLite's own locks).
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

#: The files SQLite keeps beside a database; `copy_store` copies the database instead.
SIDE_FILES = ("-wal", "-shm", "-journal")


@contextmanager
def connected(path: str | Path, **options: Any) -> Iterator[sqlite3.Connection]:
    """A connection that commits on success, rolls back on error, and is closed."""
    connection = sqlite3.connect(path, **options)
    try:
        with connection:
            yield connection
    finally:
        connection.close()


def copy_database(source: str | Path, target: str | Path) -> None:
    """A consistent copy of one (possibly live) SQLite database."""
    with connected(source) as original, connected(target) as copy:
        original.backup(copy)


def copy_store(source: Path, target: Path) -> None:
    """A copy of a (possibly live) data directory: every `.sqlite` database through the
    online backup, its WAL and index left behind; every other file and folder as is."""
    target.mkdir(parents=True)
    for path in sorted(source.iterdir()):
        if path.name.endswith(SIDE_FILES):
            continue
        if path.suffix == ".sqlite":
            copy_database(path, target / path.name)
        elif path.is_dir():
            shutil.copytree(path, target / path.name)
        else:
            shutil.copy2(path, target / path.name)
