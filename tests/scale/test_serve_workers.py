"""`sprachrohr serve --workers 2`: two server processes behind one port, one projector.

Each worker process builds the app from the environment and starts a projector; the
projector lock lets exactly one of them follow the log (an advisory lock on
PostgreSQL, a file lock next to the views on SQLite). Whichever process answers,
a read with `min_position` sees the write made before it.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from uuid import UUID

import httpx

from projections.runner import FileLead
from tests.scale.cluster import Cluster, build_association, pid_of, wait_until


def parent_of(pid: int) -> int:
    stat = Path(f"/proc/{pid}/stat").read_text()
    return int(stat.rsplit(")", 1)[1].split()[1])


def projector_pid(cluster: Cluster) -> int | None:
    """The pid of the process holding the projector lock, if one holds it."""
    if cluster.settings.uses_postgres:
        holders = cluster.lock_holders()
        return pid_of(holders[0]) if holders else None
    path = cluster.settings.data_dir / "projector.lock"
    probe = FileLead(path)
    if probe.acquire():  # nobody holds it
        probe.release()
        return None
    return int(path.read_text())


def test_several_server_processes_run_one_projector_and_read_their_writes(
    cluster: Cluster,
) -> None:
    association = build_association(cluster.settings, people=6, pain_points=3)
    server = cluster.serve("server", workers=2, projector=True)
    cluster.wait_live(server)
    leader = wait_until(lambda: projector_pid(cluster), "a server process to lead the projection")
    assert parent_of(leader) == server.pid  # a worker process, not the supervisor

    supported: Counter[UUID] = Counter()
    for person, item in association.pairs():
        headers = {"Authorization": f"Bearer {association.tokens[person]}"}
        written = httpx.put(f"{server.url}/pain-points/{item}/support", headers=headers)
        assert written.status_code == 201, written.text
        supported[item] += 1
        ranking = httpx.get(
            f"{server.url}/working-groups/{association.group}/ranking",
            params={"min_position": written.json()["position"]},
            headers=headers,
            timeout=30,
        )
        assert ranking.status_code == 200, ranking.text
        rows = {UUID(row["pain_point_id"]): row["supporters"] for row in ranking.json()["items"]}
        assert rows[item] == supported[item]
    assert projector_pid(cluster) == leader

    assert server.stop() == 0
    assert projector_pid(cluster) is None
