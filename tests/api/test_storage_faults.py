"""Storage faults answer 503 with Retry-After (a page with the same status on the web),
never a 500 and never half a write, and the service recovers by itself once the store
is back: SQLite locked by another process, a full disk, a read-only data directory,
and PostgreSQL unreachable in the middle of the work (a TCP proxy the test cuts).

The disk tests mount a small tmpfs (root only; skipped elsewhere) and unmount it after.
"""

from __future__ import annotations

import contextlib
import os
import select
import shutil
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
from fastapi.testclient import TestClient
from psycopg import sql

from api.main import create_app
from service.settings import Settings
from tests.api.api_world import World, build_world
from tests.api.conftest import prompt_shutdown

MOUNT = shutil.which("mount") or "/usr/bin/mount"
UMOUNT = shutil.which("umount") or "/usr/bin/umount"
COMMON = {
    "bootstrap_admin_email": "admin@verband.example",
    "bootstrap_admin_password": "admin-password",
    "login_failures_per_address_per_minute": 10_000,
    "read_wait_seconds": 2.0,
}


def fault_answer(response: httpx.Response) -> None:
    assert response.status_code == 503, (response.status_code, response.text[:300])
    assert int(response.headers["retry-after"]) >= 1


def supports_of(world: World, pain_point: uuid.UUID) -> int:
    answer = world.read(f"/pain-points/{pain_point}", world.member_a)
    assert answer.status_code == 200, answer.text
    supporters: int = answer.json()["supporters"]
    return supporters


def eventually(call: object, timeout: float = 60.0) -> httpx.Response:
    """Repeat `call` until it is not a 503 (the service recovering by itself)."""
    deadline = time.monotonic() + timeout
    while True:
        response: httpx.Response = call()  # type: ignore[operator]
        if response.status_code != 503 or time.monotonic() > deadline:
            return response
        time.sleep(0.3)


def support(world: World, pain_point: uuid.UUID) -> httpx.Response:
    return world.call("PUT", f"/pain-points/{pain_point}/support", world.member_b)


# -- SQLite locked by another process -------------------------------------------------

HOLD_LOCK = """
import sqlite3, sys, time
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
connection.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
connection.execute("ROLLBACK")
"""


@pytest.fixture
def sqlite_world(tmp_path: Path) -> Iterator[World]:
    settings = Settings(data_dir=tmp_path / "var", **COMMON)  # type: ignore[arg-type]
    with TestClient(create_app(settings)) as client:
        yield build_world(client)


@pytest.mark.slow
def test_a_lock_held_by_another_process_for_10_s_is_a_503_then_heals(
    sqlite_world: World, tmp_path: Path
) -> None:
    world = sqlite_world
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(tmp_path / "var" / "events.sqlite"), "10"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "locked"
        during = support(world, world.pain_point)
        page = world.client.get("/login")
    finally:
        holder.wait(timeout=30)

    assert during.status_code in (201, 503), during.text  # waited it out, or 503
    if during.status_code == 503:
        fault_answer(during)
    assert page.status_code == 200  # reading is not blocked
    after = eventually(lambda: support(world, world.pain_point))
    assert after.status_code in (200, 201), after.text
    # A 200 ("already supported": the 503 above was written after all) names no
    # position of its own: read after the log's head instead.
    head = world.client.get("/api/v1/health/ready").json()["log_position"]
    world.position = max(world.position, after.json()["position"] or 0, head)
    assert supports_of(world, world.pain_point) == 1  # once, not twice


# -- a full disk and a read-only data directory (a small tmpfs) -----------------------


@contextlib.contextmanager
def tmpfs(path: Path, size: str) -> Iterator[Path]:
    path.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    mounted = subprocess.run(
        [MOUNT, "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)], check=False
    )
    if mounted.returncode != 0:
        pytest.skip("this machine does not allow mounting a tmpfs")
    try:
        yield path
    finally:
        subprocess.run([UMOUNT, "-l", str(path)], check=False)


@pytest.fixture
def mounted_world(tmp_path: Path) -> Iterator[tuple[World, Path]]:
    with tmpfs(tmp_path / "disk", "24m") as disk:
        settings = Settings(data_dir=disk / "var", **COMMON)  # type: ignore[arg-type]
        with TestClient(create_app(settings)) as client:
            yield build_world(client), disk


def fill(disk: Path) -> Path:
    """Fill the file system to the last byte; the filler to delete."""
    filler = disk / "filler"
    descriptor = os.open(filler, os.O_WRONLY | os.O_CREAT)
    try:
        for block in (65536, 512, 1):
            with contextlib.suppress(OSError):
                while True:
                    os.write(descriptor, b"\0" * block)
    finally:
        os.close(descriptor)
    return filler


@pytest.mark.slow
def test_a_full_disk_is_a_503_never_half_a_write_and_heals(
    mounted_world: tuple[World, Path],
) -> None:
    world, disk = mounted_world
    filler = fill(disk)
    try:
        writes = [
            support(world, world.pain_point),
            world.call("POST", f"/working-groups/{world.group_1}/pain-points", world.member_a,
                       json={"title": "Platte voll", "description": "x" * 20_000}),
        ]  # fmt: skip
        page = world.client.post("/login", data={"email": "x@y.example", "password": "p"})
    finally:
        filler.unlink()

    for answer in writes:
        fault_answer(answer)
    assert page.status_code != 500
    after = eventually(lambda: support(world, world.pain_point))
    assert after.status_code in (200, 201), after.text
    world.position = max(world.position, after.json()["position"] or 0)
    assert supports_of(world, world.pain_point) == 1


@pytest.fixture
def connections(monkeypatch: pytest.MonkeyPatch) -> list[sqlite3.Connection]:
    """Every SQLite connection the service opens from now on."""
    opened: list[sqlite3.Connection] = []
    connect = sqlite3.connect

    def recording(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        connection = connect(*args, **kwargs)
        opened.append(connection)
        return connection

    monkeypatch.setattr(sqlite3, "connect", recording)
    return opened


def set_read_only(connections: list[sqlite3.Connection], on: bool) -> None:
    """SQLite's own read-only mode on every open connection: writes fail with the error
    of a read-only data directory ("attempt to write a readonly database"). A tmpfs
    cannot be remounted read-only while the service holds its files open for writing."""
    for connection in connections:
        with contextlib.suppress(sqlite3.Error):
            connection.execute(f"PRAGMA query_only={int(on)}")


@pytest.mark.slow
def test_a_read_only_data_directory_is_a_503_and_heals(
    connections: list[sqlite3.Connection], tmp_path: Path
) -> None:
    settings = Settings(data_dir=tmp_path / "var", **COMMON)  # type: ignore[arg-type]
    with TestClient(create_app(settings)) as client:
        world = build_world(client)
        from tests.api.test_poison_input import web_sign_in

        web_sign_in(world.client, world.member_a.email)
        set_read_only(connections, True)
        try:
            write = support(world, world.pain_point)
            signing_in = world.client.post("/login", data={"email": "a@b.example"})
            page = world.client.get(f"/pain-points/{world.pain_point}")
            read = world.client.get(
                f"/api/v1/pain-points/{world.pain_point}", headers=world.member_a.auth
            )
        finally:
            set_read_only(connections, False)

        fault_answer(write)
        assert signing_in.status_code in (403, 422, 503), signing_in.text[:300]
        assert page.status_code == 200  # reading goes on
        assert read.status_code == 200
        after = eventually(lambda: support(world, world.pain_point))
        assert after.status_code in (200, 201), after.text
        world.position = max(world.position, after.json()["position"] or 0)
        assert supports_of(world, world.pain_point) == 1


def test_a_fault_on_a_web_page_is_an_error_page_with_503(sqlite_world: World) -> None:
    world = sqlite_world
    runtime = world.client.app.state.runtime  # type: ignore[attr-defined]
    world.client.cookies.clear()
    store = runtime.store
    original = store.reading

    @contextlib.contextmanager
    def locked_reading():  # type: ignore[no-untyped-def]
        import sqlite3

        raise sqlite3.OperationalError("database is locked")
        yield  # pragma: no cover

    store.reading = locked_reading
    try:
        from tests.api.test_poison_input import web_sign_in

        web_sign_in(world.client, world.member_a.email)
        page = world.client.get(f"/groups/{world.group_1}")
        api = world.client.get(f"/api/v1/working-groups/{world.group_1}/ranking",
                               headers=world.member_a.auth)  # fmt: skip
    finally:
        store.reading = original

    assert page.status_code == 503
    assert page.headers["content-type"].startswith("text/html")
    assert page.headers["retry-after"]
    fault_answer(api)


# -- PostgreSQL unreachable mid-load (a TCP proxy the test cuts and restores) ----------


class Proxy:
    """127.0.0.1:<port> → 127.0.0.1:5432; `cut()` drops every connection and refuses
    new ones until `restore()`. Only this proxy is touched, never the server."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.open = threading.Event()
        self.open.set()
        self.stopped = threading.Event()
        self.pairs: list[tuple[socket.socket, socket.socket]] = []
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        self.listener.settimeout(0.1)
        while not self.stopped.is_set():
            try:
                client, _ = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            if not self.open.is_set():
                client.close()
                continue
            server = socket.create_connection(("127.0.0.1", 5432))
            with self.lock:
                self.pairs.append((client, server))
            threading.Thread(target=self._pipe, args=(client, server), daemon=True).start()

    def _pipe(self, a: socket.socket, b: socket.socket) -> None:
        try:
            while not self.stopped.is_set():
                ready, _, _ = select.select([a, b], [], [], 0.2)
                for source in ready:
                    data = source.recv(65536)
                    if not data:
                        return
                    (b if source is a else a).sendall(data)
        except OSError:
            return
        finally:
            for end in (a, b):
                with contextlib.suppress(OSError):
                    end.close()

    def cut(self) -> None:
        self.open.clear()
        with self.lock:
            pairs, self.pairs = self.pairs, []
        for pair in pairs:
            for end in pair:
                with contextlib.suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)
                    end.close()

    def restore(self) -> None:
        self.open.set()

    def close(self) -> None:
        self.stopped.set()
        self.cut()
        self.listener.close()


@pytest.fixture
def postgres_world(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[World, Proxy]]:
    # The library tries a connection 10 times, each up to the connect timeout (5 s by
    # default): 1 s keeps a request during the cut to about 12 s.
    monkeypatch.setenv("POSTGRES_CONNECT_TIMEOUT", "1")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    proxy = Proxy()
    url = f"postgresql://postgres@127.0.0.1:{proxy.port}/test?schema={schema}"
    settings = Settings(database_url=url, **COMMON)  # type: ignore[arg-type]
    try:
        with prompt_shutdown(settings) as shutting_down, TestClient(create_app(settings)) as client:
            yield build_world(client), proxy
            proxy.restore()
            shutting_down()
    finally:
        proxy.close()
        conninfo = "host=127.0.0.1 port=5432 user=postgres dbname=test"
        with psycopg.connect(conninfo, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))


@pytest.mark.postgres
@pytest.mark.slow
def test_postgres_unreachable_mid_load_is_a_503_and_heals(
    postgres_world: tuple[World, Proxy],
) -> None:
    world, proxy = postgres_world
    titles = [f"Lastpunkt {n}" for n in range(5)]
    answers: list[httpx.Response] = []
    for n, title in enumerate(titles):
        if n == 3:
            proxy.cut()
        body = {"title": title}
        path = f"/working-groups/{world.group_1}/pain-points"
        answers.append(world.call("POST", path, world.member_a, json=body))
    page = world.client.get("/login")
    proxy.restore()

    assert [a.status_code for a in answers[:3]] == [201, 201, 201]
    for answer in answers[3:]:
        fault_answer(answer)
    assert page.status_code in (200, 503)
    retried = eventually(
        lambda: world.call(
            "POST", f"/working-groups/{world.group_1}/pain-points", world.member_a,
            json={"title": titles[3]}, headers={"Idempotency-Key": "after-the-cut"},
        )
    )  # fmt: skip
    assert retried.status_code == 201, retried.text
    world.position = max(world.position, retried.json()["position"])
    listed = world.read(f"/working-groups/{world.group_1}/ranking", world.member_a, limit=100)
    ranking = eventually(
        lambda: world.read(f"/working-groups/{world.group_1}/ranking", world.member_a)
    )
    assert ranking.status_code == 200, ranking.text
    assert listed.status_code in (200, 503)
    titles_now = [i["title"] for i in ranking.json()["items"]]
    for title in titles[:4]:
        assert titles_now.count(title) == 1, (title, titles_now)
    for title in titles[4:]:
        assert title not in titles_now  # refused, so not written
