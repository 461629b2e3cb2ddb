"""Two API processes and projection workers as real processes on one PostgreSQL schema.

Concurrent supports go through both API processes while the leading worker is killed
with SIGKILL twice; its standby takes over each time and a restarted worker stands by.
In the end every acknowledged support is in the log exactly once and in the views
exactly once, and a write through one process is visible through the other.
"""

from __future__ import annotations

import threading
from collections import Counter
from itertools import cycle
from uuid import UUID

import httpx
import pytest

from tests.scale.cluster import (
    Association,
    Cluster,
    Process,
    build_association,
    support_ids,
    wait_until,
)

POSTGRES = [pytest.param("postgres", marks=pytest.mark.postgres)]
CLIENTS = 8
RETRIED = {409, 503}  # busy or colliding: the client tries again, as the API asks


class Load:
    """Supports, each (person, pain point) pair once, by `CLIENTS` threads that
    send them round robin through the API processes."""

    def __init__(
        self, association: Association, apis: list[Process], pairs: list[tuple[UUID, UUID]]
    ) -> None:
        self.association = association
        self.apis = apis
        self.pending = list(pairs)
        self.acked: list[tuple[UUID, UUID]] = []
        self.failures: list[str] = []
        self.max_position = 0
        self._lock = threading.Lock()
        self._threads = [threading.Thread(target=self._client, args=(n,)) for n in range(CLIENTS)]

    def start(self) -> None:
        for thread in self._threads:
            thread.start()

    def join(self) -> None:
        for thread in self._threads:
            thread.join()

    def acknowledged(self) -> int:
        with self._lock:
            return len(self.acked)

    def _next(self) -> tuple[UUID, UUID] | None:
        with self._lock:
            return self.pending.pop() if self.pending else None

    def _client(self, n: int) -> None:
        clients = [httpx.Client(base_url=api.url, timeout=30) for api in self.apis]
        routes = cycle(clients[n % len(clients) :] + clients[: n % len(clients)])
        try:
            while (pair := self._next()) is not None:
                self._support(next(routes), *pair)
        finally:
            for client in clients:
                client.close()

    def _support(self, client: httpx.Client, person: UUID, item: UUID) -> None:
        headers = {"Authorization": f"Bearer {self.association.tokens[person]}"}
        for _ in range(5):
            response = client.put(f"/pain-points/{item}/support", headers=headers)
            if response.status_code in RETRIED:
                continue
            if response.status_code in (200, 201):  # 200: an earlier try was written after all
                with self._lock:
                    self.acked.append((person, item))
                    self.max_position = max(self.max_position, response.json()["position"] or 0)
            else:
                with self._lock:
                    self.failures.append(f"{response.status_code} {response.text}")
            return
        with self._lock:
            self.failures.append(f"still {response.status_code} after 5 tries: {response.text}")


def leading(cluster: Cluster, *workers: Process) -> Process:
    found = wait_until(lambda: cluster.leader(*workers), "a worker to hold the projector lock")
    assert isinstance(found, Process)
    return found


def standing_by(worker: Process) -> None:
    wait_until(lambda: "standing by" in worker.output(), f"{worker.name} to stand by")
    assert worker.alive()


@pytest.mark.parametrize("settings", POSTGRES, indirect=True)
def test_every_acknowledged_support_is_logged_and_projected_once_across_worker_kills(
    cluster: Cluster,
) -> None:
    association = build_association(cluster.settings, people=30, pain_points=12)
    api_a, api_b = cluster.serve("api-a"), cluster.serve("api-b")
    worker_1, worker_2 = cluster.project("worker-1"), cluster.project("worker-2")
    cluster.wait_live(api_a)
    cluster.wait_live(api_b)
    first = leading(cluster, worker_1, worker_2)
    second = worker_2 if first is worker_1 else worker_1
    standing_by(second)

    pairs = association.pairs()
    *loaded, (last_person, last_item) = pairs
    load = Load(association, [api_a, api_b], loaded)
    load.start()
    wait_until(lambda: load.acknowledged() >= len(loaded) // 3, "a third of the supports")
    first.kill()
    acked_before_kill = load.acknowledged()
    assert leading(cluster, second) is second
    restarted = cluster.project("worker-1-restarted")
    standing_by(restarted)
    wait_until(lambda: load.acknowledged() >= 2 * len(loaded) // 3, "two thirds of the supports")
    second.kill()
    assert leading(cluster, restarted) is restarted
    load.join()
    assert load.failures == []
    assert acked_before_kill < len(load.acked) == len(loaded)

    # Read-your-writes across processes: a support through A, the ranking through B,
    # asked for while the worker is paused, so that B must wait for the views.
    restarted.pause()
    headers = {"Authorization": f"Bearer {association.tokens[last_person]}"}
    written = httpx.put(f"{api_a.url}/pain-points/{last_item}/support", headers=headers)
    assert written.status_code == 201, written.text
    position = written.json()["position"]
    assert position > load.max_position
    read: list[httpx.Response] = []
    reader = threading.Thread(
        target=lambda: read.append(
            httpx.get(
                f"{api_b.url}/working-groups/{association.group}/ranking",
                params={"min_position": position, "limit": 100},
                headers=headers,
                timeout=30,
            )
        )
    )
    reader.start()
    wait_until(lambda: cluster.listening(api_b), "B to wait for the views")
    assert cluster.query("SELECT position FROM v_tracking WHERE name = 'views'") < [(position,)]
    restarted.resume()
    reader.join()
    ranking = read[0]
    assert ranking.status_code == 200, ranking.text
    acked = [*load.acked, (last_person, last_item)]
    expected = Counter(item for _, item in acked)
    ranked = {UUID(row["pain_point_id"]): row["supporters"] for row in ranking.json()["items"]}
    assert ranked == {item: expected[item] for item in association.pain_points}

    # The log holds each acknowledged support once; the views count each once.
    given = cluster.query(
        "SELECT originator_id, count(*) FROM sprachrohr_events"
        " WHERE topic LIKE %s GROUP BY originator_id",
        "%:Support.Given",
    )
    assert {row[1] for row in given} == {1}
    assert {row[0].hex for row in given} == support_ids(acked)
    intervals = cluster.query(
        "SELECT support_id, count(*) FROM v_support_intervals GROUP BY support_id"
    )
    assert {row[1] for row in intervals} == {1}
    assert {row[0] for row in intervals} == support_ids(acked)
    tallies = cluster.query("SELECT pain_point_id, supporters FROM v_rank_items")
    assert dict(tallies) == {item.hex: expected[item] for item in association.pain_points}
    assert cluster.query("SELECT position FROM v_tracking WHERE name = 'views'") == [(position,)]

    # A graceful stop releases the lock and exits cleanly.
    assert restarted.stop() == 0
    assert cluster.lock_holders() == []
    assert "leading from position" in restarted.output()
