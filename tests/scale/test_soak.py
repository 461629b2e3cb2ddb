"""Soak: `SOAK_CYCLES` cycles (5 in `make test`, 50 with `make soak`) of kill -9 of the
server process in the middle of a mixed write burst — supports, withdrawn supports,
submissions and comments (with an Idempotency-Key) and the lead's curated-list editions
(with If-Match) — on SQLite and on PostgreSQL. After every cycle, with the server started
again:

- every acknowledged write is there exactly once: each acknowledged submission is in the
  log and in the views once (by its unique title), each acknowledged comment once on its
  pain point (by its unique text); each (person, pain point) pair's support is in the
  state of its last acknowledged change (or of the change in flight at the kill, which
  may or may not have been written); the curated list is at the last acknowledged
  edition (or at the one in flight at the kill);
- the views equal a rebuild from the log (SQLite: `sprachrohr rebuild-projections` on a
  copy of the store, every v_ table compared row for row);
- `PRAGMA integrity_check` says ok for both SQLite files.

Reuses tests/scale/cluster.py (the processes, the association, the logs).
"""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import threading
import time
from pathlib import Path
from uuid import UUID

import httpx
import pytest

from tests.scale.cluster import (
    CLI,
    Association,
    Cluster,
    Process,
    build_association,
    wait_until,
)
from tests.sqlite_files import connected, copy_store

CYCLES = int(os.environ.get("SOAK_CYCLES", "5"))
CLIENTS = 6
BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


class Burst:
    """Mixed writes from `CLIENTS` threads until the server dies. Each client owns its
    own people, so each pair's changes are ordered."""

    def __init__(self, association: Association, url: str, cycle: int, seed: int) -> None:
        self.association = association
        self.url = url
        self.cycle = cycle
        self.random = random.Random(seed)
        people = list(association.tokens)
        self.owned = [people[n::CLIENTS] for n in range(CLIENTS)]
        self.lock = threading.Lock()
        #: (person, item) → (last acknowledged state, state in flight or None)
        self.supports: dict[tuple[UUID, UUID], tuple[bool | None, bool | None]] = {}
        self.submitted: dict[str, UUID] = {}  # title → id (acknowledged)
        self.in_flight_titles: set[str] = set()
        self.withdrawn: set[UUID] = set()
        self.comments: dict[str, UUID] = {}  # text → pain point (acknowledged)
        self.in_flight_comments: dict[str, UUID] = {}
        #: The last acknowledged curated edition, and the one in flight (None: none).
        self.edition: int | None = None
        self.edition_in_flight: int | None = None
        self.stop = threading.Event()
        self.failures: list[str] = []
        self.count = 0

    def run(self) -> list[threading.Thread]:
        threads = [threading.Thread(target=self._client, args=(n,)) for n in range(CLIENTS)]
        for thread in threads:
            thread.start()
        return threads

    def _client(self, n: int) -> None:
        rng = random.Random(self.random.random())
        with httpx.Client(base_url=self.url, timeout=10) as client:
            step = 0
            while not self.stop.is_set():
                person = rng.choice(self.owned[n])
                headers = {"Authorization": f"Bearer {self.association.tokens[person]}"}
                try:
                    roll = rng.random()
                    if n == 0 and roll < 0.1 and self.association.lead is not None:
                        self._curate(client, rng)
                    elif roll < 0.2:
                        self._submit(client, headers, f"c{self.cycle}-k{n}-{step}")
                    elif roll < 0.3:
                        self._comment(client, headers, f"n{self.cycle}-k{n}-{step}", rng)
                    else:
                        self._support(client, headers, person, rng)
                except httpx.TransportError:
                    return  # the server died
                step += 1

    def _support(
        self, client: httpx.Client, headers: dict[str, str], person: UUID, rng: random.Random
    ) -> None:
        item = rng.choice(self.association.pain_points)
        key = (person, item)
        with self.lock:
            current = self.supports.get(key, (None, None))[0]
        give = not current
        with self.lock:
            self.supports[key] = (current, give)
        path = f"/pain-points/{item}/support"
        answer = client.put(path, headers=headers) if give else client.delete(path, headers=headers)
        if answer.status_code in (200, 201):
            with self.lock:
                self.supports[key] = (answer.json()["supported"], None)
                self.count += 1
        elif answer.status_code in (409, 503):
            with self.lock:  # refused: not written, or maybe written (503 mid-commit)
                self.supports[key] = (current, give)
        else:
            self.failures.append(f"{answer.status_code} {answer.text[:200]}")

    def _submit(self, client: httpx.Client, headers: dict[str, str], title: str) -> None:
        with self.lock:
            self.in_flight_titles.add(title)
        answer = client.post(
            f"/working-groups/{self.association.group}/pain-points",
            json={"title": title},
            headers={**headers, "Idempotency-Key": title},
        )
        if answer.status_code == 201:
            with self.lock:
                self.submitted[title] = UUID(answer.json()["id"])
                self.in_flight_titles.discard(title)
                self.count += 1
        elif answer.status_code not in (409, 503):
            self.failures.append(f"{answer.status_code} {answer.text[:200]}")

    def _comment(
        self, client: httpx.Client, headers: dict[str, str], text: str, rng: random.Random
    ) -> None:
        item = rng.choice(self.association.pain_points)
        with self.lock:
            self.in_flight_comments[text] = item
        answer = client.post(
            f"/pain-points/{item}/comments",
            json={"text": text},
            headers={**headers, "Idempotency-Key": text},
        )
        if answer.status_code == 201:
            with self.lock:
                self.comments[text] = item
                del self.in_flight_comments[text]
                self.count += 1
        elif answer.status_code not in (409, 503):
            self.failures.append(f"{answer.status_code} {answer.text[:200]}")

    def _curate(self, client: httpx.Client, rng: random.Random) -> None:
        """The lead publishes the next edition (one client does, so editions are ordered)."""
        lead = self.association.lead
        assert lead is not None
        headers = {"Authorization": f"Bearer {self.association.tokens[lead]}"}
        path = f"/working-groups/{self.association.group}/curated-list"
        current = client.get(path, headers=headers)
        if current.status_code != 200:
            self.failures.append(f"{current.status_code} {current.text[:200]}")
            return
        edition: int = current.json()["edition"]
        chosen = rng.sample(self.association.pain_points, 3)
        items = [{"pain_point_id": str(i), "rationale": "Soak"} for i in chosen]
        with self.lock:  # what was read is there (the views may lag an acknowledged one)
            self.edition = max(self.edition or 0, edition)
            self.edition_in_flight = edition + 1
        answer = client.put(
            path, json={"items": items}, headers={**headers, "If-Match": f'"{edition}"'}
        )
        if answer.status_code == 200:
            with self.lock:
                self.edition, self.edition_in_flight = answer.json()["edition"], None
                self.count += 1
        elif answer.status_code == 412:  # the views had not caught up: nothing written
            with self.lock:
                self.edition_in_flight = None
        elif answer.status_code not in (409, 503):
            self.failures.append(f"{answer.status_code} {answer.text[:200]}")


def view_rows(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every v_ table's rows, sorted; full-text indexes by their content (their shadow
    tables' bytes depend on the order of the inserts)."""
    with connected(path) as db:
        tables = db.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name LIKE 'v%'"
        ).fetchall()
        virtual = [name for name, ddl in tables if ddl.upper().startswith("CREATE VIRTUAL")]
        compared = [
            name
            for name, _ in tables
            if name.startswith("v_") and not any(name.startswith(f"{v}_") for v in virtual)
        ]
        return {t: sorted(map(tuple, db.execute(f"SELECT * FROM {t}")), key=repr) for t in compared}


def integrity(path: Path) -> str:
    with connected(path) as db:
        result: str = db.execute("PRAGMA integrity_check").fetchone()[0]
    return result


def check_views_equal_a_rebuild(cluster: Cluster, url: str) -> None:
    """Copy the store, rebuild the copy's views from its log, compare every v_ table."""
    data = Path(cluster.settings.data_dir)

    def caught_up() -> bool:
        """Every follower of the log (the views and the notification processor) has
        applied the whole log, written just now too."""
        with connected(data / "events.sqlite") as events:
            head = events.execute("SELECT MAX(rowid) FROM stored_events").fetchone()[0] or 0
        with connected(data / "views.sqlite") as views:
            rows = dict(views.execute("SELECT name, position FROM v_tracking").fetchall())
        positions.update(rows, head=head)
        return {"views", "notifications"} <= rows.keys() and min(rows.values()) >= head

    positions: dict[str, int] = {}
    try:
        wait_until(caught_up, "the views to include the whole log", timeout=120)
    except AssertionError as error:
        server = httpx.get(f"{url}/health/ready", timeout=10).text  # what the server sees
        raise AssertionError(
            f"{error}: positions {positions}; server: {server}; files: {open_files(url)}"
        ) from None

    copy = cluster.directory / "rebuild"
    shutil.rmtree(copy, ignore_errors=True)
    copy_store(data, copy)
    env = {**cluster.env(), "SPRACHROHR_DATA_DIR": str(copy)}
    subprocess.run([*CLI, "rebuild-projections"], env=env, check=True, capture_output=True)
    kept, rebuilt = view_rows(data / "views.sqlite"), view_rows(copy / "views.sqlite")
    assert kept.keys() == rebuilt.keys()
    for table in kept:
        assert kept[table] == rebuilt[table], f"{table} differs from a rebuild"


def open_files(url: str) -> list[str]:
    """The data files the server at `url` holds open (a deleted one says so)."""
    port = url.split(":")[2].split("/")[0]
    found = []
    for proc in Path("/proc").iterdir():
        try:
            if port.encode() in (proc / "cmdline").read_bytes():
                for fd in (proc / "fd").iterdir():
                    target = os.readlink(fd)
                    if ".sqlite" in target:
                        found.append(f"{proc.name}: {target}")
        except OSError:
            continue
    return found


def check_acknowledged(cluster: Cluster, url: str, burst: Burst, association: Association) -> None:
    person = next(iter(association.tokens))
    headers = {"Authorization": f"Bearer {association.tokens[person]}"}
    with httpx.Client(base_url=url, timeout=30) as client:
        # every read below must include everything in the log: the ranking waits for
        # the log's head (read-your-writes), and the later reads come after it
        ready = wait_until(
            lambda: (answer := client.get("/health/ready")).status_code == 200 and answer,
            "the server to be ready",
        )
        head = ready.json()["log_position"]
        assert head > 0, ready.text
        ranking = client.get(
            f"/working-groups/{association.group}/ranking",
            params={"limit": 100, "min_position": head},
            headers=headers,
        )
        assert ranking.status_code == 200, ranking.text
        titles: list[str] = []
        offset = 0
        while True:
            page = client.get(
                f"/working-groups/{association.group}/ranking",
                params={"limit": 100, "offset": offset},
                headers=headers,
            ).json()
            titles += [item["title"] for item in page["items"]]
            offset += 100
            if offset >= page["total"]:
                break
        for title, item in burst.submitted.items():
            assert titles.count(title) == 1, f"acknowledged {title} is there {titles.count(title)}×"
            assert client.get(f"/pain-points/{item}", headers=headers).status_code == 200
        for title in burst.in_flight_titles:
            assert titles.count(title) <= 1, f"{title} in flight at the kill is there twice"
        check_comments(client, headers, burst)
        check_curated_list(client, headers, burst, association)
        for (who, item), (acked, in_flight) in burst.supports.items():
            if acked is None:
                continue  # no change of this pair was acknowledged in this cycle
            mine = {"Authorization": f"Bearer {association.tokens[who]}"}
            state = client.get(f"/pain-points/{item}", headers=mine).json()["supported_by_me"]
            allowed = {acked} | ({in_flight} if in_flight is not None else set())
            assert state in allowed, (who, item, state, acked, in_flight)


def check_comments(client: httpx.Client, headers: dict[str, str], burst: Burst) -> None:
    """Each acknowledged comment is on its pain point once; one in flight at most once."""
    on = set(burst.comments.values()) | set(burst.in_flight_comments.values())
    texts = {
        item: [
            c["text"] for c in client.get(f"/pain-points/{item}/comments", headers=headers).json()
        ]
        for item in on
    }
    for text, item in burst.comments.items():
        assert texts[item].count(text) == 1, (
            f"acknowledged comment {text} is there ×{texts[item].count(text)}"
        )
    for text, item in burst.in_flight_comments.items():
        assert texts[item].count(text) <= 1, f"comment {text} in flight at the kill is there twice"


def check_curated_list(
    client: httpx.Client, headers: dict[str, str], burst: Burst, association: Association
) -> None:
    """The curated list is at the last acknowledged edition, or at the one in flight."""
    if burst.edition is None and burst.edition_in_flight is None:
        return
    current = client.get(f"/working-groups/{association.group}/curated-list", headers=headers)
    assert current.status_code == 200, current.text
    allowed = {burst.edition, burst.edition_in_flight} - {None}
    assert current.json()["edition"] in allowed, (current.json()["edition"], allowed)


def wait_live(process: Process) -> None:
    """Like Cluster.wait_live, with patience for a start-up after a kill on a busy
    machine (recovery, catching up the views)."""

    def live() -> bool:
        assert process.alive(), f"{process.name} exited:\n{process.output()}"
        try:
            return httpx.get(f"{process.url}/health/live", timeout=5).status_code == 200
        except httpx.TransportError:
            return False

    wait_until(live, f"{process.name} to answer", timeout=180)


def check(cluster: Cluster, url: str, burst: Burst, association: Association) -> None:
    check_acknowledged(cluster, url, burst, association)
    if not cluster.settings.uses_postgres:
        data = Path(cluster.settings.data_dir)
        assert integrity(data / "events.sqlite") == "ok"
        assert integrity(data / "views.sqlite") == "ok"
        check_views_equal_a_rebuild(cluster, url)


@pytest.mark.slow
@pytest.mark.parametrize("settings", BACKENDS, indirect=True)
def test_kill_9_during_a_mixed_write_burst_loses_and_doubles_nothing(cluster: Cluster) -> None:
    """Each cycle's server first checks the previous cycle (it has just recovered from
    the kill), then takes the next burst and is killed in the middle of it."""
    association = build_association(cluster.settings, people=24, pain_points=10)
    started = time.monotonic()
    writes = 0
    previous: Burst | None = None
    for cycle in range(CYCLES + 1):
        server = cluster.serve(f"api-{cycle}", projector=True)
        wait_live(server)
        if previous is not None:
            check(cluster, server.url, previous, association)
        if cycle == CYCLES:
            server.stop()
            break
        burst = Burst(association, server.url, cycle, seed=cycle)
        threads = burst.run()
        time.sleep(random.Random(cycle).uniform(0.4, 1.2))
        server.kill()
        burst.stop.set()
        for thread in threads:
            thread.join()
        assert burst.failures == []
        writes += burst.count
        previous = burst
    elapsed = time.monotonic() - started
    print(f"soak: {CYCLES} cycles, {writes} acknowledged writes, {elapsed:.0f} s")
