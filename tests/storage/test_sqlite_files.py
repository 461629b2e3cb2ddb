"""tests/sqlite_files.py: copying a live store from a process that has it open leaves that
process's view of the store current (a file copy would not: its closes drop the
process's POSIX locks, and a restarted writer then replaces the WAL under it)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.sqlite_files import connected, copy_store

#: Another process: `count` rows added, then (with `hold`) the connection kept open
#: until stdin closes, as a running server keeps its own.
WRITER = """
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("PRAGMA journal_mode=WAL")
db.execute("CREATE TABLE IF NOT EXISTS t (x)")
for _ in range(int(sys.argv[2])):
    db.execute("INSERT INTO t VALUES (1)")
if sys.argv[3] == "hold":
    print("written", flush=True)
    sys.stdin.read()
db.close()
"""


def write(path: Path, count: int) -> None:
    subprocess.run([sys.executable, "-c", WRITER, str(path), str(count), "close"], check=True)


def rows(path: Path) -> int:
    with connected(path) as db:
        count: int = db.execute("SELECT count(*) FROM t").fetchone()[0]
    return count


def test_a_copy_taken_while_this_process_holds_the_store_keeps_its_reads_current(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    database = data / "views.sqlite"
    write(database, 10)
    with connected(database) as held:  # this process uses the store throughout
        assert held.execute("SELECT count(*) FROM t").fetchone()[0] == 10
        copy_store(data, tmp_path / "copy")
        write(database, 5)  # a server that stops last: checkpoints, deletes the WAL
        server = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(database), "7", "hold"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
        try:
            assert server.stdout is not None
            assert server.stdout.readline() == b"written\n"
            assert rows(database) == 22  # a stale snapshot would say 15
        finally:
            server.communicate(b"")
    assert rows(tmp_path / "copy" / "views.sqlite") == 10
    assert sorted(p.name for p in (tmp_path / "copy").iterdir()) == ["views.sqlite"]
