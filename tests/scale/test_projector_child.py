"""`sprachrohr serve` with SPRACHROHR_PROJECTOR=process: the projector runs in a child
process the server supervises. Killed with SIGKILL, the child is started again, the
API keeps answering meanwhile, and the views catch up with what was written."""

from __future__ import annotations

import os
import re
import signal

import httpx

from tests.scale.cluster import Cluster, Process, build_association, wait_until

STARTED = re.compile(r"projector child started \(pid (\d+)\)")


def children(server: Process) -> list[int]:
    """The projector children the server said it started, in order."""
    return [int(pid) for pid in STARTED.findall(server.output())]


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:
        with open(f"/proc/{pid}/stat") as stat:  # a zombie is not alive
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def test_the_projector_child_is_restarted_after_a_kill_and_the_api_keeps_serving(
    cluster: Cluster,
) -> None:
    association = build_association(cluster.settings, people=3, pain_points=2)
    (first_person, second_person, _), item = list(association.tokens), association.pain_points[0]
    api = cluster.serve("api", child=True)
    cluster.wait_live(api)
    first = wait_until(lambda: children(api), "the projector child to start")[0]
    # It yields the CPU to the server's requests (SPRACHROHR_PROJECTOR_NICE, default 10),
    # from before its first thread starts.
    ours = os.getpriority(os.PRIO_PROCESS, 0)
    wait_until(lambda: os.getpriority(os.PRIO_PROCESS, first) - ours == 10, "the child's nice")

    def support(person: object) -> int:
        token = association.tokens[person]  # type: ignore[index]
        response = httpx.put(
            f"{api.url}/pain-points/{item}/support",
            headers={"Authorization": f"Bearer {token}"},
            timeout=30,
        )
        assert response.status_code == 201, response.text
        return int(response.json()["position"])

    def supporters(position: int) -> int:
        token = association.tokens[first_person]
        response = httpx.get(
            f"{api.url}/working-groups/{association.group}/ranking",
            params={"min_position": position, "limit": 10},
            headers={"Authorization": f"Bearer {token}"},
            timeout=30,
        )
        assert response.status_code == 200, response.text
        rows = {row["pain_point_id"]: row["supporters"] for row in response.json()["items"]}
        return int(rows[str(item)])

    assert supporters(support(first_person)) == 1  # the child keeps the views

    os.kill(first, signal.SIGKILL)
    wait_until(lambda: not alive(first), "the projector child to die")
    position = support(second_person)  # the API still takes writes
    assert api.alive()

    restarted = wait_until(lambda: children(api)[1:], "a new projector child")[0]
    assert restarted != first
    assert alive(restarted)
    assert supporters(position) == 2  # the new child caught up with the write

    # A graceful stop of the server stops its child first (the child does not linger).
    assert api.stop() in (0, -signal.SIGTERM)  # one uvicorn process ends by its signal
    assert not alive(restarted)
