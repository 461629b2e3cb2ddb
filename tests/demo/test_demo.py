"""The demo loader: a plausible, deterministic 18-month history made by the commands."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from eventsourcing.persistence import Notification

from demo.loader import DEMO_PASSWORD, DemoSummary, issue_pending, load_demo
from domain.company import MemberCompany
from domain.dossier import Dossier
from domain.errors import Conflict
from domain.painpoint import PainPoint
from domain.person import Person
from domain.vendor import VendorResponse
from domain.workinggroup import WorkingGroup
from dossiers.issuing import verify
from projections.ranking_view import RankingView, ranking_as_of
from projections.runner import Projector
from projections.store import SQLiteViewStore
from projections.view import micros
from service.application import Sprachrohr, utc_now
from storage.quiet import is_quiet

NOW = datetime(2025, 3, 31, 17, 45, tzinfo=UTC)
HASH = "argon2-hash-of-" + DEMO_PASSWORD
KEY = Ed25519PrivateKey.from_private_bytes(bytes(32))


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
    return app, load_demo(app, HASH, now=NOW, signing_key=KEY)


def test_every_demo_event_is_marked_quiet(loaded: tuple[Sprachrohr, DemoSummary]) -> None:
    """The notification processor tells nobody of the demo (storage.quiet)."""
    app, _ = loaded
    records = app.recorder.select_notifications(1, 1_000_000)
    assert records
    assert all(is_quiet(app.mapper.to_domain_event(r)) for r in records)


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
    assert topics["Registered"] == summary.people + summary.work.vendor_representatives + 1
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


def test_demo_logins_list_people_who_can_act_before_those_whose_company_left(
    loaded: tuple[Sprachrohr, DemoSummary],
) -> None:
    app, summary = loaded
    ended = []
    for email, _ in summary.logins:
        person = app.find_person_by_email(email)
        assert person is not None
        company = app.find(MemberCompany, person.company_id) if person.company_id else None
        ended.append(company is not None and not company.is_member)
    assert any(ended)
    assert ended == sorted(ended), "a login whose company left comes before an active one"


def test_people_are_invented_and_share_the_one_password_hash(
    loaded: tuple[Sprachrohr, DemoSummary],
) -> None:
    app, _ = loaded
    registered = event_fields(app, "Person.Registered")
    assert {event["password_hash"].text for event in registered} == {HASH}
    assert all(event["email"].text.endswith(".example") for event in registered)


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
    assert load_demo(again, HASH, now=NOW, signing_key=KEY) == summary
    # Compared decoded: personal fields are encrypted with random nonces and keys, and
    # e-mail claim ids are keyed with each installation's secret; so the hash chain over
    # the stored bytes differs, and with it a dossier's chain head and every hash over it.
    first = [decoded(app, n) for n in event_log(app)]
    second = [decoded(again, n) for n in event_log(again)]
    assert first == second


def decoded(app: Sprachrohr, notification: Notification) -> dict[str, Any]:
    fields = vars(app.mapper.to_domain_event(notification))
    if notification.topic.startswith("domain.claim:"):
        fields = {k: v for k, v in fields.items() if k != "originator_id"}
    if notification.topic.endswith("Dossier.DossierIssued"):
        fields = {k: v for k, v in fields.items() if k not in OVER_STORED_BYTES}
    return {"topic": notification.topic, **fields}


#: What a dossier records that hashes the log's stored (encrypted) bytes.
OVER_STORED_BYTES = ("chain_head", "content_hash", "files", "signature")


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


# -- leads, the board and the vendor -------------------------------------------------


def statuses(app: Sprachrohr) -> Counter[str]:
    """How many pain points end in each status."""
    ids = [event["originator_id"] for event in event_fields(app, "PainPoint.Submitted")]
    return Counter(app.load(PainPoint, pain_point_id, "pain point").status for pain_point_id in ids)


def test_leads_triage_most_pain_points_with_reasons(
    loaded: tuple[Sprachrohr, DemoSummary],
) -> None:
    app, summary = loaded
    work = summary.work
    changes = event_fields(app, "PainPoint.StatusChanged")
    assert len(changes) > work.status_changes > 100
    moves = Counter(event["status"] for event in changes)
    assert moves["accepted"] >= 90
    assert 5 <= moves["needs-info"] <= 10
    assert 5 <= moves["declined"] <= 10
    assert all(event["reason"] for event in changes)
    assert statuses(app)["new"] <= 10


def test_duplicates_are_merged_and_one_merge_is_undone(
    loaded: tuple[Sprachrohr, DemoSummary],
) -> None:
    app, summary = loaded
    work = summary.work
    merged = event_fields(app, "PainPoint.MergedInto")
    unmerged = event_fields(app, "PainPoint.Unmerged")
    assert 2 <= len(merged) == work.merges <= 3
    assert len(unmerged) == work.unmerges == 1
    assert statuses(app)["merged"] == len(merged) - len(unmerged)
    assert all(event["reason"] for event in merged + unmerged)


def test_every_list_follows_the_community_ranking_or_says_why(
    loaded: tuple[Sprachrohr, DemoSummary],
) -> None:
    """The community ranks on the lists are the ranking's own, as of publication."""
    app, summary = loaded
    work = summary.work
    lists = event_fields(app, "CuratedList.Published")
    lists += event_fields(app, "CuratedList.Republished")
    assert len(lists) == work.curated_list_editions
    assert len({event["originator_id"] for event in lists}) >= 10
    store = SQLiteViewStore(":memory:")
    projector = Projector(app.recorder, app.mapper, store, [RankingView()])
    projector.setup()
    projector.catch_up()
    groups = {e["originator_id"]: e["group_id"] for e in event_fields(app, "PainPoint.Submitted")}
    pinned = 0
    for event in lists:
        items = event["items"]
        assert 1 <= len(items) <= 8
        group = groups[UUID(items[0]["pain_point_id"])]
        with projector.store.reading() as cur:
            ranked, _ = ranking_as_of(cur, group.hex, micros(event["timestamp"]), 100, 0)
        ranks = {item.pain_point_id: item.rank for item in ranked}
        for position, item in enumerate(items, start=1):
            assert item["community_rank"] == ranks[UUID(item["pain_point_id"]).hex]
            if abs(position - item["community_rank"]) >= 3 or item["pinned"]:
                assert item["rationale"]
            pinned += item["pinned"]
    assert pinned >= 2


def test_leads_escalate_ten_to_fifteen_pain_points(
    loaded: tuple[Sprachrohr, DemoSummary],
) -> None:
    app, summary = loaded
    work = summary.work
    changes = event_fields(app, "PainPoint.StatusChanged")
    escalations = [event for event in changes if event["status"] == "escalated"]
    assert 10 <= len(escalations) == work.escalations <= 15


def test_two_vendor_board_meetings_heard_the_association(
    loaded: tuple[Sprachrohr, DemoSummary],
) -> None:
    app, summary = loaded
    work = summary.work
    meetings = event_fields(app, "BoardMeeting.Scheduled")
    assert len(meetings) == work.meetings == 2
    held = {event["name"]: date.fromisoformat(event["held_on"]) for event in meetings}
    assert set(held) == {"Quality Board Partnerprogramm", "Inner Circle Lizenzierung"}
    assert 195 <= (NOW.date() - held["Quality Board Partnerprogramm"]).days <= 230
    assert 50 <= (NOW.date() - held["Inner Circle Lizenzierung"]).days <= 75
    agendas = {event["originator_id"]: event["items"] for event in event_fields(app, "AgendaSet")}
    assert len(agendas) == 2
    assert all(4 <= len(items) <= 8 for items in agendas.values())
    presented = event_fields(app, "BoardMeeting.ItemPresented")
    assert len(presented) == work.items_presented >= 8
    assert all(event["pain_point_id"] in agendas[event["originator_id"]] for event in presented)


def test_vendor_representatives_respond_officially(
    loaded: tuple[Sprachrohr, DemoSummary],
) -> None:
    app, summary = loaded
    work = summary.work
    vendors = [email for email, role in summary.logins if role.startswith("Hersteller")]
    assert len(vendors) == work.vendor_representatives == 2
    people = [app.find_person_by_email(email) for email in vendors]
    for email, person in zip(vendors, people, strict=True):
        assert email.endswith("@vendor.example")
        assert person is not None
        assert person.company_id is None
        assert person.has_role("vendor")
    responses = event_fields(app, "VendorResponse.Posted")
    assert len(responses) == work.vendor_responses >= 10
    assert {event["by"] for event in responses} == {person.id for person in people if person}
    kinds = {event["kind"] for event in responses}
    assert kinds >= {"acknowledged", "planned", "workaround", "declined", "shipped"}
    products = {event["product_group"] for event in responses}
    assert products >= {"Partner Center", "Licensing", "Incentives"}
    assert any(event["text"].startswith("Wir ") for event in responses)
    assert any(event["text"].startswith(("We ", "Thank you")) for event in responses)


def test_the_vendor_simplified_partner_registration(
    loaded: tuple[Sprachrohr, DemoSummary],
) -> None:
    """The source's example: partner input led to a simpler online registration."""
    app, _ = loaded
    shipped = [e for e in event_fields(app, "VendorResponse.Posted") if e["kind"] == "shipped"]
    assert len(shipped) == 1
    assert "Online-Partnerregistrierung" in shipped[0]["text"]
    pain_point = app.load(PainPoint, shipped[0]["pain_point_id"], "pain point")
    assert pain_point.status == "resolved"
    resolved = [
        event
        for event in event_fields(app, "PainPoint.StatusChanged")
        if event["originator_id"] == pain_point.id and event["status"] == "resolved"
    ]
    assert len(resolved) == 1
    assert resolved[0]["timestamp"] > shipped[0]["timestamp"]
    assert app.load(Person, resolved[0]["by"], "person").has_role("board")
    promise = [
        event
        for event in event_fields(app, "VendorResponse.Posted")
        if event["pain_point_id"] == pain_point.id and event["commitment"]
    ]
    assert len(promise) == 1
    kept = app.load(VendorResponse, promise[0]["originator_id"], "response")
    assert kept.commitment_state == "met"


def test_commitments_are_met_missed_overdue_and_pending(
    loaded: tuple[Sprachrohr, DemoSummary],
) -> None:
    app, summary = loaded
    work = summary.work
    met = event_fields(app, "VendorResponse.CommitmentMet")
    missed = event_fields(app, "VendorResponse.CommitmentMissed")
    assert len(met) == work.commitments_met >= 1
    assert len(missed) == work.commitments_missed >= 1
    promised = [e for e in event_fields(app, "VendorResponse.Posted") if e["commitment"]]
    assert all(event["due_on"] for event in promised)
    responses = [app.load(VendorResponse, e["originator_id"], "response") for e in promised]
    still_open = [response for response in responses if response.commitment_state == "open"]
    today = NOW.date()
    assert any(response.is_overdue(today) for response in still_open)
    assert any(not response.is_overdue(today) for response in still_open)


def test_one_group_votes_in_rounds_with_a_budget(
    loaded: tuple[Sprachrohr, DemoSummary],
) -> None:
    app, summary = loaded
    assert (summary.work.voting_rule_changes, summary.work.voting_rounds) == (1, 2)
    (changed,) = event_fields(app, "WorkingGroup.RulesChanged")
    group = app.load(WorkingGroup, changed["originator_id"], "working group")
    first, second = group.rounds_held()
    assert first.closed_at is not None
    assert second.closed_at is None
    rules = group.rules_at(NOW)
    assert rules.rounds
    assert rules.vote_budget == 5
    # Votes were cast under the budget: ballots exist, and none holds more than it.
    placed = Counter(e["originator_id"] for e in event_fields(app, "Ballot.Placed"))
    assert placed
    assert max(placed.values()) <= rules.vote_budget


def test_every_dossier_issued_in_the_demo_verifies(
    loaded: tuple[Sprachrohr, DemoSummary],
) -> None:
    app, summary = loaded
    issued = event_fields(app, "Dossier.DossierIssued")
    assert len(issued) == summary.work.dossiers == 2
    for event in issued:
        dossier = app.load(Dossier, event["originator_id"], "dossier")
        assert dossier.seal is not None
        result, _ = verify(app.recorder, app.mapper, dossier, KEY.public_key())
        assert result.ok, result.message
        assert "the signature is valid" in result.message


def test_deferred_dossiers_are_defined_as_of_their_moment_and_issued_later() -> None:
    app = popo_app()
    summary = load_demo(app, HASH, now=NOW, signing_key=KEY, defer_dossiers=True)
    assert event_fields(app, "Dossier.DossierIssued") == []
    assert len(summary.pending_dossiers) == summary.work.dossiers == 2
    head = app.recorder.max_notification_id() or 0
    for pending in summary.pending_dossiers:
        assert 0 < pending.definition.position < head  # as of the briefing, not of the end
    assert issue_pending(app, summary.pending_dossiers, KEY) == 2
    assert issue_pending(app, summary.pending_dossiers, KEY) == 0  # idempotent
    issued = event_fields(app, "Dossier.DossierIssued")
    assert len(issued) == 2
    for event in issued:
        dossier = app.load(Dossier, event["originator_id"], "dossier")
        result, _ = verify(app.recorder, app.mapper, dossier, KEY.public_key())
        assert result.ok, result.message
