"""Following and the notification centre, through the JSON API on both backends."""

from __future__ import annotations

import contextlib
from datetime import timedelta
from typing import Any
from uuid import UUID

from service.runtime import Runtime
from storage.freshness import TailCheckedRepository
from tests.api.api_world import Actor, World
from tests.api.board_world import move, respond, today, vendor_representative


def processed(world: World) -> Runtime:
    """Let the views and the notification processor take in every event so far."""
    runtime: Runtime = world.client.app.state.runtime  # type: ignore[attr-defined]
    assert runtime.notifications is not None
    runtime.projector.wait_for(runtime.projector.head(), 10)
    runtime.notifications.catch_up()
    return runtime


def inbox(world: World, actor: Actor, **params: Any) -> dict[str, Any]:
    processed(world)
    response = world.call("GET", "/me/notifications", actor, params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def kinds(world: World, actor: Actor) -> list[str]:
    return [item["kind"] for item in inbox(world, actor)["items"]]


def test_a_status_change_reaches_the_author_and_supporters_but_not_the_actor(world: World) -> None:
    world.command("PUT", f"/pain-points/{world.pain_point}/support", world.member_b, 201)
    move(world, world.pain_point, world.lead, "accepted")
    for follower in (world.member_a, world.member_b):
        body = inbox(world, follower, unread="true")
        assert [i["kind"] for i in body["items"]] == ["pain_point.status_changed"]
        assert body["unread"] == 1
        item = body["items"][0]
        assert item["subject_id"] == str(world.pain_point)
        assert item["detail"].startswith("accepted|")
        assert item["link"] == f"/pain-points/{world.pain_point}"
    assert kinds(world, world.lead) == []  # the lead acted: not told
    assert kinds(world, world.outsider) == []  # may not see G1: never told


def test_each_event_notifies_once_even_when_processed_again(world: World) -> None:
    move(world, world.pain_point, world.lead, "accepted")
    runtime = processed(world)
    assert runtime.notifications is not None
    # A second processor on the same store (a restart, a standby) writes nothing twice.
    runtime.notifications.catch_up()
    assert kinds(world, world.member_a) == ["pain_point.status_changed"]


def test_unfollowing_stops_it_and_following_again_resumes(world: World) -> None:
    path = f"/pain-points/{world.pain_point}/follow"
    body = world.command("DELETE", path, world.member_a)
    assert body["following"] is False
    move(world, world.pain_point, world.lead, "accepted")
    assert kinds(world, world.member_a) == []
    world.command("PUT", path, world.member_a)
    move(world, world.pain_point, world.lead, "needs-info")
    assert kinds(world, world.member_a) == ["pain_point.status_changed"]
    # supporting once more does not override an explicit unfollow
    world.command("DELETE", path, world.member_b)
    world.command("PUT", f"/pain-points/{world.pain_point}/support", world.member_b, 201)
    move(world, world.pain_point, world.lead, "accepted")
    assert kinds(world, world.member_b) == []


def test_a_vendor_answer_reaches_followers_not_the_vendor(world: World) -> None:
    vendor = vendor_representative(world)
    move(world, world.pain_point, world.lead, "accepted", "escalated")
    world.command("PUT", f"/pain-points/{world.pain_point}/follow", vendor)
    respond(world, vendor, world.pain_point)
    assert "pain_point.vendor_responded" in kinds(world, world.member_a)
    assert "pain_point.vendor_responded" not in kinds(world, vendor)


def test_a_vendor_follower_is_told_of_escalated_items_without_names(world: World) -> None:
    vendor = vendor_representative(world)
    move(world, world.pain_point, world.lead, "accepted", "escalated")
    world.command("PUT", f"/pain-points/{world.pain_point}/follow", vendor)
    world.command(
        "POST", f"/pain-points/{world.pain_point}/comments", world.member_b, 201,
        json={"text": "Bei uns auch."},
    )  # fmt: skip
    items = inbox(world, vendor)["items"]
    assert [i["kind"] for i in items] == ["pain_point.commented"]
    text = str(items)
    assert "Bernd" not in text
    assert "bernd@" not in text


def test_a_vendor_cannot_follow_what_it_may_not_see(world: World) -> None:
    vendor = vendor_representative(world)
    response = world.call("PUT", f"/pain-points/{world.pain_point}/follow", vendor)
    assert response.status_code == 404
    response = world.call("PUT", f"/working-groups/{world.group_1}/follow", world.outsider)
    assert response.status_code == 404
    assert world.call("PUT", f"/pain-points/{world.pain_point}/follow").status_code == 401


def test_new_pain_points_in_a_group_go_to_the_digest_only(world: World) -> None:
    world.submit(world.group_1, world.member_b, "Neues Problem")
    assert kinds(world, world.member_a) == []  # digest only: not in the bell
    runtime = processed(world)
    with runtime.store.reading() as cur:
        cur.execute(
            "SELECT kind, digest_only FROM n_notifications WHERE person_id = ?",
            (world.member_a.id.hex,),
        )
        assert cur.fetchall() == [("pain_point.submitted", 1)]


def test_mark_read_by_ids_and_all(world: World) -> None:
    move(world, world.pain_point, world.lead, "accepted", "escalated")
    body = inbox(world, world.member_a)
    assert body["unread"] == 2
    first = body["items"][0]["id"]
    read = world.command("POST", "/me/notifications/read", world.member_a, json={"ids": [first]})
    assert read == {"marked": 1, "unread": 1}
    assert [i["id"] for i in inbox(world, world.member_a, unread="true")["items"]] != [first]
    read = world.command("POST", "/me/notifications/read", world.member_a, json={"all": True})
    assert read == {"marked": 1, "unread": 0}
    # someone else's ids mark nothing
    read = world.command("POST", "/me/notifications/read", world.member_b, json={"ids": [first]})
    assert read["marked"] == 0
    bad = world.call("POST", "/me/notifications/read", world.member_a, json={})
    assert bad.status_code == 422


def test_paging(world: World) -> None:
    move(world, world.pain_point, world.lead, "accepted", "needs-info", "accepted")
    page = inbox(world, world.member_a, limit=2, offset=0)
    assert page["total"] == 3
    assert len(page["items"]) == 2
    rest = inbox(world, world.member_a, limit=2, offset=2)
    assert len(rest["items"]) == 1
    assert UUID(rest["items"][0]["id"]) not in {UUID(i["id"]) for i in page["items"]}


class Crash(BaseException):
    """The process dies here (not an Exception: nothing may catch and carry on)."""


def test_a_crash_before_the_tracking_commits_leaves_no_notification_and_no_duplicate(
    world: World,
) -> None:
    runtime: Runtime = world.client.app.state.runtime  # type: ignore[attr-defined]
    processor = runtime.notifications
    assert processor is not None
    processed(world)
    [view] = processor.views
    crashes = [1]
    with runtime.store.reading() as cur:
        cur.execute("SELECT COUNT(*) FROM n_notifications")
        before = cur.fetchone()[0]

    def flush(cur: Any) -> None:  # runs after the handlers wrote, before the tracking row
        cur.execute("SELECT COUNT(*) FROM n_notifications")
        written = cur.fetchone()[0]
        if crashes:
            crashes.pop()
            assert written > before  # the notifications were written in this transaction …
            raise Crash

    view.flush = flush  # type: ignore[method-assign]
    runtime._stop.set()  # the background processor stops; this test drives it
    move(world, world.pain_point, world.lead, "accepted")
    runtime.projector.wait_for(runtime.projector.head(), 10)
    with contextlib.suppress(Crash):
        processor.catch_up()
    with runtime.store.reading() as cur:  # … and rolled back with it
        cur.execute("SELECT COUNT(*) FROM n_notifications")
        assert cur.fetchone()[0] == before
    processor.catch_up()  # the restart
    processor.catch_up()
    with runtime.store.reading() as cur:
        cur.execute("SELECT person_id, COUNT(*) FROM n_notifications GROUP BY person_id ORDER BY 1")
        counts = cur.fetchall()
    assert counts
    assert all(count == 1 for _, count in counts)


def test_a_commitment_past_its_date_is_recorded_overdue_once_and_told(world: World) -> None:
    vendor = vendor_representative(world)
    move(world, world.pain_point, world.lead, "accepted", "escalated")
    due_on = str(today(world) + timedelta(days=30))  # a promise is for a day to come
    respond(world, vendor, world.pain_point, commitment="Behoben", due_on=due_on)
    runtime = processed(world)
    app = runtime.app
    assert runtime.note_overdue_commitments() == 0  # not yet
    start = app.clock()
    app.clock = lambda: start + timedelta(days=400)
    runtime.projector.wait_for(runtime.projector.head(), 10)
    assert runtime.note_overdue_commitments() == 1
    assert runtime.note_overdue_commitments() == 0  # recorded once
    app.clock = lambda: start
    assert "commitment.overdue" in kinds(world, world.member_a)
    assert "commitment.overdue" in kinds(world, world.board)  # the board: promise overdue
    assert "commitment.overdue" not in kinds(world, world.outsider)


def test_a_command_recorded_as_of_an_earlier_moment_is_still_news(world: World) -> None:
    """Only the quiet marker (the demo, an import: tests/notify/test_quiet_marker.py)
    keeps an event from notifying; an event's time does not."""
    runtime = processed(world)
    app = runtime.app
    now = app.clock()
    app.clock = lambda: now - timedelta(days=30)  # recorded as of a month ago
    move(world, world.pain_point, world.lead, "accepted")
    app.clock = lambda: now
    assert kinds(world, world.member_a) == ["pain_point.status_changed"]


def test_the_processor_checks_the_aggregate_cache_once_per_page_of_events(world: World) -> None:
    """Each event makes the processor find its pain point, group and supporter; one
    look at the log's tail per page covers them all (storage.freshness), where each
    find used to look again."""
    runtime = processed(world)
    processor = runtime.notifications
    assert processor is not None
    runtime._stop.set()  # the background processor stops; this test drives it
    if runtime._notify_thread is not None:
        runtime._notify_thread.join(10)
    path = f"/pain-points/{world.pain_point}/support"
    for _ in range(3):
        world.command("PUT", path, world.member_b, 201)
        world.command("DELETE", path, world.member_b, 200)
    repo = runtime.app.repository
    assert isinstance(repo, TailCheckedRepository)
    before = repo.refreshes
    processor.catch_up()
    assert repo.refreshes == before + 1
