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
from service.application import Sprachrohr
from service.security import token_digest
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


def test_a_token_signed_out_elsewhere_is_refused_by_every_server_process_at_once(
    cluster: Cluster,
) -> None:
    """Each worker process caches the session it accepted (the support fast lane
    resolves the token from the aggregate cache); a sign-out written by another
    process reaches every worker through the log's tail on its next request."""
    association = build_association(cluster.settings, people=2, pain_points=1)
    server = cluster.serve("server", workers=2, projector=False)
    cluster.wait_live(server)
    person, other = list(association.tokens)
    path = f"{server.url}/pain-points/{association.pain_points[0]}/support"

    def answers(who: UUID) -> set[int]:
        headers = {"Authorization": f"Bearer {association.tokens[who]}"}
        # Withdrawing what is not supported writes nothing: 200 while the token holds.
        # New connections each, so both processes answer some of them.
        return {httpx.delete(path, headers=headers).status_code for _ in range(30)}

    assert answers(person) == {200}
    assert answers(other) == {200}

    elsewhere = Sprachrohr(env=cluster.settings.event_store_env())
    try:
        elsewhere.close_session(token_digest(association.tokens[person]))
    finally:
        elsewhere.close()

    assert answers(person) == {401}
    assert answers(other) == {200}
