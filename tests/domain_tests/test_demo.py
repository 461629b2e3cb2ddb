"""The demo loader: a plausible, deterministic 18-month history made by the commands."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import pytest
from eventsourcing.persistence import Notification

from api.demo import DEMO_PASSWORD, DemoSummary, load_demo
from domain.application import Sprachrohr, utc_now
from domain.errors import Conflict

NOW = datetime(2025, 3, 31, 17, 45, tzinfo=UTC)
HASH = "argon2-hash-of-" + DEMO_PASSWORD


def popo_app(*, cached: bool = True) -> Sprachrohr:
    """An in-memory app; the aggregate cache only makes the loads quicker."""
    env = {"PERSISTENCE_MODULE": "eventsourcing.popo"}
    if cached:
        env["AGGREGATE_CACHE_MAXSIZE"] = "2000"
    return Sprachrohr(env=env)


def event_log(app: Sprachrohr) -> Sequence[Notification]:
    return app.recorder.select_notifications(start=1, limit=1_000_000)


def event_fields(app: Sprachrohr, topic_suffix: str = "") -> list[dict[str, Any]]:
    """The decoded events (as field dicts) whose topic ends with `topic_suffix`."""
    return [
        vars(app.mapper.to_domain_event(n))
        for n in event_log(app)
        if n.topic.endswith(topic_suffix)
    ]


def months_before(moment: datetime, months: int) -> datetime:
    """The same day `months` calendar months earlier (day capped at 28)."""
    years, month = divmod(moment.month - 1 - months, 12)
    return moment.replace(year=moment.year + years, month=month + 1, day=min(moment.day, 28))


@pytest.fixture(scope="module")
def loaded() -> tuple[Sprachrohr, DemoSummary]:
    app = popo_app()
    return app, load_demo(app, HASH, now=NOW)


def test_demo_association_has_the_planned_size(
    loaded: tuple[Sprachrohr, DemoSummary],
) -> None:
    _, summary = loaded
    assert summary.companies == 40
    assert summary.groups == 13
    assert 140 <= summary.people <= 170
    assert summary.pain_points == 120
    assert 2_000 <= summary.supports <= 3_500
    assert summary.support_withdrawals > 50
    assert 0 < summary.supports_given_again < summary.support_withdrawals


def test_event_log_matches_the_summary(loaded: tuple[Sprachrohr, DemoSummary]) -> None:
    app, summary = loaded
    topics = Counter(n.topic.rpartition(".")[2] for n in event_log(app))
    assert topics["Admitted"] == summary.companies
    assert topics["Founded"] == summary.groups
    assert topics["Registered"] == summary.people + 1
    assert topics["Submitted"] == summary.pain_points
    assert topics["Given"] == summary.supports
    assert topics["GivenAgain"] == summary.supports_given_again
    assert topics["LeadAppointed"] == summary.groups
    assert len(event_log(app)) > 3_000


def test_some_memberships_end_and_some_pain_points_are_withdrawn(
    loaded: tuple[Sprachrohr, DemoSummary],
) -> None:
    app, summary = loaded
    topics = Counter(n.topic.split(":")[1] for n in event_log(app))
    assert 1 <= topics["MemberCompany.MembershipEnded"] == summary.ended_memberships
    assert 2 <= topics["PainPoint.Withdrawn"] == summary.withdrawn_pain_points <= 3


def test_history_spans_the_last_18_months_in_order(
    loaded: tuple[Sprachrohr, DemoSummary],
) -> None:
    app, _ = loaded
    stamps = [event["timestamp"] for event in event_fields(app)]
    assert stamps == sorted(stamps)
    assert months_before(NOW, 18) <= stamps[0]
    assert stamps[-1] <= NOW
    assert (stamps[-1] - stamps[0]).days > 500


def test_demo_logins_belong_to_people_with_those_roles(
    loaded: tuple[Sprachrohr, DemoSummary],
) -> None:
    app, summary = loaded
    roles = [role for _, role in summary.logins]
    assert any(role.startswith("Admin") for role in roles)
    assert sum(role.startswith("Vorstand") for role in roles) == 2
    for email, _ in summary.logins:
        person = app.find_person_by_email(email)
        assert person is not None
        assert person.password_hash == HASH
    admin = app.find_person_by_email("admin@mspn.example")
    assert admin is not None
    assert admin.display_name == "Geschäftsstelle MSPN"
    assert admin.has_role("admin")


def test_people_are_invented_and_share_the_one_password_hash(
    loaded: tuple[Sprachrohr, DemoSummary],
) -> None:
    app, _ = loaded
    registered = event_fields(app, "Person.Registered")
    assert {event["password_hash"] for event in registered} == {HASH}
    assert all(event["email"].endswith(".example") for event in registered)


def test_pain_points_have_one_to_three_lowercase_tags(
    loaded: tuple[Sprachrohr, DemoSummary],
) -> None:
    app, _ = loaded
    submitted = event_fields(app, "PainPoint.Submitted")
    assert len({event["title"] for event in submitted}) == len(submitted) == 120
    for event in submitted:
        tags = event["tags"]
        assert 1 <= len(tags) <= 3
        assert all(tag == tag.lower() for tag in tags)


def test_loader_restores_the_applications_clock(
    loaded: tuple[Sprachrohr, DemoSummary],
) -> None:
    app, _ = loaded
    assert app.clock is utc_now


def test_same_seed_and_now_give_the_same_event_log(
    loaded: tuple[Sprachrohr, DemoSummary],
) -> None:
    app, summary = loaded
    again = popo_app(cached=False)
    assert load_demo(again, HASH, now=NOW) == summary
    first = [(n.originator_id, n.topic, n.state) for n in event_log(app)]
    second = [(n.originator_id, n.topic, n.state) for n in event_log(again)]
    assert first == second


def test_another_seed_gives_another_association(
    loaded: tuple[Sprachrohr, DemoSummary],
) -> None:
    _, summary = loaded
    other = load_demo(popo_app(), HASH, seed=7, now=NOW)
    assert (other.companies, other.pain_points) == (40, 120)
    assert other.logins != summary.logins


def test_refuses_a_store_that_is_not_empty() -> None:
    app = popo_app()
    app.ensure_admin("admin@mspn.example", "Geschäftsstelle MSPN", HASH)
    before = app.recorder.max_notification_id()
    with pytest.raises(Conflict):
        load_demo(app, HASH, now=NOW)
    assert app.recorder.max_notification_id() == before
