"""Every read path survives every event the log can hold.

Hypothesis generates histories of commands with extreme-but-valid values — the first and
last business days and moments (domain/moments.py), time zones from -12:00 to +14:00,
texts of the longest allowed length, unicode from every plane, the most tags — sends
them through the API (a command the API refuses is simply not in the history), and then
reads every GET route of the API and crawls every page a board member reaches: none
answers a server error.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.main import create_app
from domain.limits import MAX_NAME, MAX_REASON, MAX_TAG, MAX_TAGS, MAX_TITLE
from domain.moments import EARLIEST_DAY, LATEST, LATEST_DAY
from service.settings import Settings
from tests.api.api_world import PASSWORD, World, build_world
from tests.api.board_world import move, vendor_representative

LINK = re.compile(r'href="([^"]+)"')
CSRF = re.compile(r'name="csrf" value="([^"]+)"')
MAX_PAGES = 60

texts = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")), min_size=1
).filter(lambda t: t.strip())


def longest(limit: int) -> st.SearchStrategy[str]:
    """A text of exactly `limit` characters (after the domain strips it), or a short one."""
    return st.one_of(
        texts.map(lambda t: (t.strip() * limit)[:limit].strip() or "x"),
        st.just("ü" * limit),
        st.just("😀" * limit),
        texts.map(lambda t: t[:limit]),
    )


days = st.one_of(
    st.sampled_from([EARLIEST_DAY, LATEST_DAY]), st.dates(EARLIEST_DAY, LATEST_DAY)
).map(lambda d: d.isoformat())
zones = st.sampled_from([UTC, timezone(timedelta(hours=14)), timezone(timedelta(hours=-12))])
future = st.one_of(
    st.just(LATEST),
    st.datetimes(datetime(2031, 1, 1), datetime(2100, 12, 30)).map(lambda d: d.replace(tzinfo=UTC)),
)

command = st.one_of(
    st.tuples(st.just("submit"), longest(MAX_TITLE), st.lists(longest(MAX_TAG), max_size=MAX_TAGS)),
    st.tuples(st.just("meeting"), longest(MAX_NAME), days),
    st.tuples(st.just("rules"), longest(MAX_REASON), future, zones),
    st.tuples(st.just("respond"), longest(MAX_REASON), days),
    st.tuples(st.just("round"), longest(MAX_NAME)),
    st.tuples(st.just("support")),
)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    settings_ = Settings(  # type: ignore[call-arg]
        data_dir=Path(tmp_path_factory.mktemp("reads")) / "var",
        bootstrap_admin_email="admin@verband.example",
        bootstrap_admin_password="admin-password",
        login_failures_per_address_per_minute=100_000,
    )
    with TestClient(create_app(settings_)) as client:
        yield build_world(client)


def apply(world: World, vendor: Any, step: tuple[Any, ...]) -> None:
    kind = step[0]
    group = f"/working-groups/{world.group_1}"
    if kind == "submit":
        body = {"title": step[1], "tags": step[2]}
        world.call("POST", f"{group}/pain-points", world.member_a, json=body)
    elif kind == "meeting":
        body = {"name": step[1], "kind": "other", "held_on": step[2]}
        world.call("POST", "/meetings", world.board, json=body)
    elif kind == "rules":
        moment = step[2].astimezone(step[3]).isoformat()
        body = {"rounds": True, "reason": step[1], "effective_from": moment, "vote_budget": 50}
        world.call("PUT", f"{group}/voting", world.lead, json=body)
    elif kind == "respond":
        body = {"kind": "planned", "text": step[1], "commitment": step[1], "due_on": step[2]}
        world.call("POST", f"/pain-points/{world.pain_point}/responses", vendor, json=body)
    elif kind == "round":
        world.call("POST", f"{group}/rounds", world.lead, json={"title": step[1]})
        world.call("POST", f"{group}/rounds/current/close", world.lead)
    else:
        world.call("PUT", f"/pain-points/{world.pain_point}/support", world.member_b)


def api_reads(world: World) -> list[str]:
    """Every GET route, its path parameters filled with ids of this world."""
    client = world.client
    ids = {
        "person_id": str(world.member_a.id),
        "company_id": str(world.company_a),
        "group_id": str(world.group_1),
        "pain_point_id": str(world.pain_point),
        "edition": "1",
        "number": "1",
        "fmt": "json",
    }
    meetings = client.get("/api/v1/meetings", headers=world.board.auth).json()["items"]
    if meetings:
        ids["meeting_id"] = meetings[0]["id"]
    paths = []
    for path, operations in client.get("/api/v1/openapi.json").json()["paths"].items():
        if "get" not in operations:
            continue
        try:
            paths.append(re.sub(r"\{(\w+)\}", lambda m: ids[m.group(1)], path))
        except KeyError:
            continue  # e.g. a dossier job: none in this history
    return paths


def web_sign_in(client: TestClient, email: str) -> None:
    client.cookies.clear()
    csrf = CSRF.search(client.get("/login").text)
    assert csrf is not None
    data = {"email": email, "password": PASSWORD, "csrf": csrf.group(1), "next": "/"}
    assert client.post("/login", data=data, follow_redirects=False).status_code == 303


def crawl(client: TestClient) -> dict[str, int]:
    seen: dict[str, int] = {}
    queue = deque(["/"])
    while queue and len(seen) < MAX_PAGES:
        path = queue.popleft()
        if path in seen:
            continue
        response = client.get(path)
        seen[path] = response.status_code
        for href in LINK.findall(response.text):
            target = urldefrag(href.replace("&amp;", "&"))[0]
            if target.startswith("/") and not target.startswith(("/static", "/api", "/logout")):
                queue.append(target)
    return seen


@pytest.mark.slow
@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(history=st.lists(command, min_size=1, max_size=6))
def test_every_read_answers_after_any_history_of_accepted_commands(
    world: World, history: list[tuple[Any, ...]]
) -> None:
    vendor = getattr(world, "_vendor", None)
    if vendor is None:
        vendor = vendor_representative(world, "vera@hersteller.example")
        move(world, world.pain_point, world.lead, "accepted", "escalated")
        world._vendor = vendor  # type: ignore[attr-defined]
    for step in history:
        apply(world, vendor, step)
    runtime = world.client.app.state.runtime  # type: ignore[attr-defined]
    runtime.projector.wait_for(runtime.projector.head(), 10)

    for path in api_reads(world):
        for actor in (world.board, world.member_a):
            answer = world.client.get(path, headers=actor.auth)
            assert answer.status_code < 500, (path, answer.status_code, answer.text[:300])
    web_sign_in(world.client, world.board.email)
    pages = crawl(world.client)
    failed = {path: status for path, status in pages.items() if status >= 500}
    assert failed == {}
    assert len(pages) > 5
