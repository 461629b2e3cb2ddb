"""Sprachrohr as deployed: `sprachrohr serve` and `sprachrohr project` as real processes.

A `Cluster` starts them on free ports against one store, keeps their output in
log files (shown when a test fails) and stops whatever is still running at the end.
The association is built through the Application in the test process, bearer
tokens included, before the processes start.
"""

from __future__ import annotations

import contextlib
import os
import random
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO, Any
from uuid import UUID

import httpx
import psycopg
from psycopg import sql

from domain.ids import support_id
from projections.runner import advisory_key
from service.runtime import build_runtime
from service.security import hash_password, new_token, token_digest
from service.settings import Settings, postgres_env

CLI = [sys.executable, "-c", "from cli.main import main; main()"]
PG_CONNINFO = "host=127.0.0.1 port=5432 user=postgres dbname=test"
ADMIN_EMAIL = "admin@verband.example"
ADMIN_PASSWORD = "admin-password"
#: Generous bound for anything this machine should do in well under a second.
PATIENCE = 30.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def wait_until(condition: Callable[[], Any], what: str, timeout: float = PATIENCE) -> Any:
    """Poll `condition` until it returns something truthy; fail naming `what`."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.05)


@dataclass
class Process:
    name: str
    popen: subprocess.Popen[bytes]
    log: Path
    port: int | None = None

    @property
    def pid(self) -> int:
        return self.popen.pid

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v1"

    def alive(self) -> bool:
        return self.popen.poll() is None

    def kill(self) -> None:
        """kill -9: no chance to roll back, release or say goodbye."""
        self.popen.send_signal(signal.SIGKILL)
        self.popen.wait(timeout=PATIENCE)

    def pause(self) -> None:
        self.popen.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        self.popen.send_signal(signal.SIGCONT)

    def stop(self) -> int:
        """SIGTERM, and the exit code."""
        if self.alive():
            self.popen.send_signal(signal.SIGTERM)
        return self.popen.wait(timeout=PATIENCE)

    def output(self) -> str:
        return self.log.read_text(errors="replace")


@dataclass
class Association:
    group: UUID
    pain_points: list[UUID]
    company_of: dict[UUID, UUID]
    tokens: dict[UUID, str]
    #: The group's lead (the author of its pain points), who publishes curated lists.
    lead: UUID | None = None

    def pairs(self, seed: int = 7) -> list[tuple[UUID, UUID]]:
        """Every (person, pain point) pair once, in a fixed shuffled order."""
        pairs = [(person, item) for person in self.tokens for item in self.pain_points]
        random.Random(seed).shuffle(pairs)
        return pairs


@dataclass
class Cluster:
    settings: Settings
    directory: Path
    processes: list[Process] = field(default_factory=list)
    _logs: list[IO[bytes]] = field(default_factory=list)

    @property
    def schema(self) -> str:
        return postgres_env(self.settings.database_url or "")["POSTGRES_SCHEMA"]

    def env(self, **extra: str) -> dict[str, str]:
        env = {key: value for key, value in os.environ.items() if not key.startswith("SPRACHROHR_")}
        if self.settings.database_url:
            env["SPRACHROHR_DATABASE_URL"] = self.settings.database_url
        env["SPRACHROHR_DATA_DIR"] = str(self.settings.data_dir)
        env["SPRACHROHR_BOOTSTRAP_ADMIN_EMAIL"] = ADMIN_EMAIL
        env["SPRACHROHR_BOOTSTRAP_ADMIN_PASSWORD"] = ADMIN_PASSWORD
        env["SPRACHROHR_READ_WAIT_SECONDS"] = "10"
        env["SPRACHROHR_LOG_LEVEL"] = "info"
        env.update(extra)
        return env

    def _start(self, name: str, args: list[str], env: dict[str, str], port: int | None) -> Process:
        log = self.directory / f"{name}.log"
        out = log.open("ab")
        self._logs.append(out)
        popen = subprocess.Popen(
            [*CLI, *args],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=self.directory,
            # Its own process group: uvicorn's worker processes (and a projector child)
            # outlive a killed parent; `close` ends the whole group.
            start_new_session=True,
        )
        process = Process(name, popen, log, port)
        self.processes.append(process)
        return process

    def serve(
        self, name: str, *, workers: int = 1, projector: bool = False, child: bool = False
    ) -> Process:
        """`child`: the projector in a child process `serve` supervises (implies `projector`)."""
        port = free_port()
        args = ["serve", "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)]
        args.append("--projector" if projector or child else "--no-projector")
        env = self.env(SPRACHROHR_PROJECTOR="process" if child else "inline")
        return self._start(name, args, env, port)

    def project(self, name: str) -> Process:
        return self._start(name, ["project"], self.env(), None)

    def wait_live(self, process: Process) -> None:
        def live() -> bool:
            assert process.alive(), f"{process.name} exited:\n{process.output()}"
            try:
                return httpx.get(f"{process.url}/health/live", timeout=2).status_code == 200
            except httpx.TransportError:
                return False

        wait_until(live, f"{process.name} to answer")

    def close(self) -> None:
        for process in self.processes:
            if process.alive():
                process.resume()
                process.kill()
            # What it started and left behind (workers whose parent was killed).
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
        for out in self._logs:
            out.close()

    def logs(self) -> str:
        return "\n".join(f"--- {p.name} (pid {p.pid}) ---\n{p.output()}" for p in self.processes)

    # -- the store, seen directly --------------------------------------------

    def query(self, statement: str, *params: object) -> list[tuple[Any, ...]]:
        with psycopg.connect(PG_CONNINFO, autocommit=True) as conn:
            conn.execute(sql.SQL("SET search_path TO {}").format(sql.Identifier(self.schema)))
            return conn.execute(statement, params).fetchall()  # type: ignore[arg-type]

    def lock_holders(self) -> list[str]:
        """application_name of every session holding this schema's projector lock."""
        key = advisory_key(self.schema, "views")
        rows = self.query(
            "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a USING (pid)"
            " WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1"
            " AND l.classid::bigint = %s AND l.objid::bigint = %s",
            (key >> 32) & 0xFFFFFFFF,
            key & 0xFFFFFFFF,
        )
        return [row[0] for row in rows]

    def listening(self, api: Process) -> bool:
        """Whether `api` LISTENs for the views' progress (it does once a read waited)."""
        name = f"sprachrohr views listener pid={api.pid}"
        return bool(self.query("SELECT 1 FROM pg_stat_activity WHERE application_name = %s", name))

    def leader(self, *candidates: Process) -> Process | None:
        holders = self.lock_holders()
        assert len(holders) <= 1, holders
        return next((p for p in candidates if holders and pid_of(holders[0]) == p.pid), None)


def pid_of(application_name: str) -> int:
    """The pid in a projector lock's application_name ("sprachrohr projector pid=… host=…")."""
    return int(application_name.split("pid=", 1)[1].split()[0])


def build_association(settings: Settings, *, people: int, pain_points: int) -> Association:
    """An admin, three member companies, one working group with `people` members who
    each hold a bearer token, and `pain_points` pain points in it."""
    runtime = build_runtime(settings)
    try:
        app = runtime.app
        password = hash_password(ADMIN_PASSWORD)
        app.ensure_admin(ADMIN_EMAIL, "Administrator", password)
        admin = app.find_person_by_email(ADMIN_EMAIL)
        assert admin is not None
        companies = [app.admit_company(f"Firma {c}", by=admin.id).id for c in range(3)]
        group = app.found_group("Lasttest", "thematic", "", by=admin.id).id
        company_of: dict[UUID, UUID] = {}
        tokens: dict[UUID, str] = {}
        expires = datetime.now(UTC) + timedelta(hours=1)
        for n in range(people):
            company = companies[n % len(companies)]
            email = f"person{n}@firma.example"
            person = app.register_person(email, f"Person {n}", company, password, by=admin.id).id
            app.enrol(group, person, by=admin.id)
            company_of[person] = company
            tokens[person] = new_token()
            app.open_session(token_digest(tokens[person]), person, expires)
        author = next(iter(company_of))
        items = [
            app.submit_pain_point(group, f"Schmerzpunkt {i}", "", [], by=author).id
            for i in range(pain_points)
        ]
        app.appoint_lead(group, author, by=admin.id)
        return Association(group, items, company_of, tokens, lead=author)
    finally:
        runtime.close()


def support_ids(pairs: list[tuple[UUID, UUID]]) -> set[str]:
    """The support aggregates' ids as the views store them (hex)."""
    return {support_id(item, person).hex for person, item in pairs}
