"""The demo loader: a plausible, deterministic 18-month history made by the commands."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

import pytest

from api.demo import DEMO_PASSWORD, DemoSummary, load_demo
from domain.application import Sprachrohr, utc_now
from domain.errors import Conflict
from eventsourcing.persistence import Notification

NOW = datetime(2025, 3, 31, 17, 45, tzinfo=UTC)
HASH = "argon2-hash-of-" + DEMO_PASSWORD


def popo_app() -> Sprachrohr:
    return Sprachrohr(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})


def event_log(app: Sprachrohr) -> list[Notification]:
    return app.recorder.select_notifications(start=1, limit=1_000_000)


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
    stamps = [app.mapper.to_domain_event(n).timestamp for n in event_log(app)]
    assert stamps == sorted(stamps)
    assert months_before(NOW, 18) <= stamps[0]
    assert stamps[-1] <= NOW
    assert (stamps[-1] - stamps[0]).days > 500


def test_demo_logins_share_the_given_password_hash(
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


def test_loader_restores_the_applications_clock(
    loaded: tuple[Sprachrohr, DemoSummary],
) -> None:
    app, _ = loaded
    assert app.clock is utc_now


def test_same_seed_and_now_give_the_same_event_log(
    loaded: tuple[Sprachrohr, DemoSummary],
) -> None:
    app, summary = loaded
    again = popo_app()
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
