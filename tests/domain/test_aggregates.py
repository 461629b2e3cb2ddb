"""Aggregates as deciders: given prior events, when a command, then new events or an error.

Prior events come from the aggregates' own classmethods and commands; `given` replays
them into a fresh aggregate, so each test starts from history, not from live objects.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar
from uuid import UUID, uuid4

import pytest
from eventsourcing.domain import Aggregate, DomainEvent

from domain.claim import Claim
from domain.company import MemberCompany
from domain.errors import Conflict, Invalid
from domain.ids import claim_id, session_id, support_id
from domain.painpoint import PainPoint
from domain.person import Person
from domain.personal import Personal
from domain.session import SignInSession
from domain.support import Support
from domain.workinggroup import WorkingGroup

T = TypeVar("T", bound=Aggregate)

# A moment far from the wall clock, so a timestamp taken from the wall clock shows.
AT = datetime(2004, 5, 17, 10, 0, tzinfo=UTC)
LATER = AT + timedelta(days=3)
ADMIN = uuid4()
AUTHOR = uuid4()
COMPANY = uuid4()
OTHER_COMPANY = uuid4()
GROUP = uuid4()
PAIN_POINT = uuid4()


def given(*events: DomainEvent) -> Any:
    """The aggregate that these events, replayed in order, reconstitute."""
    aggregate: Aggregate | None = None
    for event in events:
        aggregate = event.mutate(aggregate)
    assert aggregate is not None
    return aggregate


def history(aggregate: T) -> list[DomainEvent]:
    """The events an aggregate has recorded so far (and clear them)."""
    return list(aggregate.collect_events())


def then(aggregate: Aggregate, *types: type[DomainEvent]) -> list[Any]:
    """Assert the new events' types, in order, and return the events."""
    events = history(aggregate)
    assert [type(e) for e in events] == list(types)
    return events


def admitted(name: str = "Contoso Systemhaus GmbH") -> list[DomainEvent]:
    return history(MemberCompany.admit(name, by=ADMIN, at=AT, id=COMPANY))


def registered(email: str = "anna@contoso.example") -> list[DomainEvent]:
    return history(Person.register(email, "Anna Berg", COMPANY, "hash", by=ADMIN, at=AT, id=AUTHOR))


def founded(kind: str = "thematic") -> list[DomainEvent]:
    return history(
        WorkingGroup.found("Hochverfügbarkeit und Sicherheit", kind, "", by=ADMIN, at=AT, id=GROUP)
    )


def submit(
    title: str = "Partner registration takes weeks",
    description: str = "Online registration needs three manual approvals.",
    tags: list[str] | None = None,
) -> PainPoint:
    return PainPoint.submit(
        GROUP,
        title,
        description,
        ["registration"] if tags is None else tags,
        by=AUTHOR,
        for_company=COMPANY,
        at=AT,
        id=PAIN_POINT,
    )


def submitted() -> list[DomainEvent]:
    return history(submit())


def support_given() -> list[DomainEvent]:
    return history(Support.give(PAIN_POINT, GROUP, by=AUTHOR, for_company=COMPANY, at=AT))


# -- member companies ----------------------------------------------------------


def test_admitting_a_company_records_admitted_with_trimmed_name_actor_and_time() -> None:
    company = MemberCompany.admit("  Contoso GmbH ", by=ADMIN, at=AT, id=COMPANY)

    (event,) = then(company, MemberCompany.Admitted)
    assert (event.originator_id, event.name, event.by) == (COMPANY, "Contoso GmbH", ADMIN)
    assert event.timestamp == AT
    assert company.is_member


@pytest.mark.parametrize("name", ["", "   ", "\t\n"])
def test_company_name_must_not_be_blank(name: str) -> None:
    with pytest.raises(Invalid) as error:
        MemberCompany.admit(name, by=ADMIN, at=AT, id=COMPANY)
    assert error.value.field == "name"


def test_company_name_may_have_120_characters_but_not_121() -> None:
    MemberCompany.admit("x" * 120, by=ADMIN, at=AT, id=COMPANY)
    with pytest.raises(Invalid) as error:
        MemberCompany.admit("x" * 121, by=ADMIN, at=AT, id=COMPANY)
    assert error.value.field == "name"


def test_ending_a_membership_records_membership_ended_at_the_given_time() -> None:
    company = given(*admitted())

    company.end_membership(" moved abroad ", by=ADMIN, at=LATER)

    (event,) = then(company, MemberCompany.MembershipEnded)
    assert (event.reason, event.by, event.timestamp) == ("moved abroad", ADMIN, LATER)
    assert not company.is_member
    assert company.ended_at == LATER


def test_ending_an_ended_membership_is_a_conflict() -> None:
    company = given(*admitted())
    company.end_membership("", by=ADMIN, at=LATER)
    company = given(*admitted(), *history(company))

    with pytest.raises(Conflict):
        company.end_membership("again", by=ADMIN, at=LATER)
    then(company)


# -- people --------------------------------------------------------------------


def test_registering_a_person_records_registered_with_normalised_email() -> None:
    person = Person.register(
        "  Anna.Berg@Contoso.EXAMPLE ", " Anna ", COMPANY, "h", by=ADMIN, at=AT, id=AUTHOR
    )

    (event,) = then(person, Person.Registered)
    assert event.email == Personal(AUTHOR, "anna.berg@contoso.example")
    assert (event.display_name, event.company_id, event.by) == (
        Personal(AUTHOR, "Anna"),
        COMPANY,
        ADMIN,
    )
    assert event.timestamp == AT
    assert person.roles == []


@pytest.mark.parametrize(
    "email",
    [
        "",
        "   ",
        "anna",
        "anna@",
        "@contoso.example",
        "anna@localhost",
        "anna berg@contoso.example",
        "a" * 250 + "@x.de",
    ],
)
def test_registering_with_an_invalid_email_is_rejected_on_the_email_field(
    email: str,
) -> None:
    with pytest.raises(Invalid) as error:
        Person.register(email, "Anna", COMPANY, "h", by=ADMIN, at=AT, id=AUTHOR)
    assert error.value.field == "email"


def test_registering_without_a_display_name_is_rejected() -> None:
    with pytest.raises(Invalid) as error:
        Person.register("a@b.example", "  ", COMPANY, "h", by=ADMIN, at=AT, id=AUTHOR)
    assert error.value.field == "display_name"


def test_granting_a_role_records_role_granted() -> None:
    person = given(*registered())

    assert person.grant_role("board", by=ADMIN, at=LATER) is True

    (event,) = then(person, Person.RoleGranted)
    assert (event.role, event.by, event.timestamp) == ("board", ADMIN, LATER)
    assert person.has_role("board")


def test_granting_a_role_the_person_has_is_a_no_op() -> None:
    person = given(*registered())
    person.grant_role("admin", by=ADMIN, at=AT)
    person = given(*registered(), *history(person))

    assert person.grant_role("admin", by=ADMIN, at=LATER) is False
    then(person)
    assert person.roles == ["admin"]


def test_roles_are_kept_sorted_whatever_the_order_of_granting() -> None:
    person = given(*registered())
    person.grant_role("board", by=ADMIN, at=AT)
    person.grant_role("admin", by=ADMIN, at=AT)

    assert given(*registered(), *history(person)).roles == ["admin", "board"]


def test_revoking_a_role_records_role_revoked() -> None:
    person = given(*registered())
    person.grant_role("board", by=ADMIN, at=AT)
    person = given(*registered(), *history(person))

    assert person.revoke_role("board", by=ADMIN, at=LATER) is True

    (event,) = then(person, Person.RoleRevoked)
    assert (event.role, event.by, event.timestamp) == ("board", ADMIN, LATER)
    assert not person.has_role("board")


def test_revoking_a_role_the_person_lacks_is_a_no_op() -> None:
    person = given(*registered())

    assert person.revoke_role("admin", by=ADMIN, at=LATER) is False
    then(person)


@pytest.mark.parametrize("role", ["lead", "member", "Admin", "", "vendors"])
@pytest.mark.parametrize("command", ["grant_role", "revoke_role"])
def test_only_admin_board_and_vendor_are_grantable_roles(command: str, role: str) -> None:
    person = given(*registered())

    with pytest.raises(Invalid) as error:
        getattr(person, command)(role, by=ADMIN, at=LATER)
    assert error.value.field == "role"
    then(person)


# -- working groups ------------------------------------------------------------


@pytest.mark.parametrize("kind", ["regional", "thematic"])
def test_founding_a_group_records_founded_with_its_kind(kind: str) -> None:
    group = WorkingGroup.found(
        " Nord/Hamburg ", kind, " Branch office Hamburg ", by=ADMIN, at=AT, id=GROUP
    )

    (event,) = then(group, WorkingGroup.Founded)
    assert (event.name, event.kind, event.description) == (
        "Nord/Hamburg",
        kind,
        "Branch office Hamburg",
    )
    assert (event.by, event.timestamp) == (ADMIN, AT)
    assert group.members == group.leads == []


@pytest.mark.parametrize("kind", ["", "Regional", "national", "purchasing"])
def test_founding_a_group_of_unknown_kind_is_rejected(kind: str) -> None:
    with pytest.raises(Invalid) as error:
        WorkingGroup.found("Berlin", kind, "", by=ADMIN, at=AT, id=GROUP)
    assert error.value.field == "kind"


def test_group_name_must_not_be_blank() -> None:
    with pytest.raises(Invalid) as error:
        WorkingGroup.found("  ", "regional", "", by=ADMIN, at=AT, id=GROUP)
    assert error.value.field == "name"


def test_group_description_may_have_20000_characters_but_not_20001() -> None:
    WorkingGroup.found("Learning", "thematic", "d" * 20_000, by=ADMIN, at=AT, id=GROUP)
    with pytest.raises(Invalid) as error:
        WorkingGroup.found("Learning", "thematic", "d" * 20_001, by=ADMIN, at=AT, id=GROUP)
    assert error.value.field == "description"


def test_enrolling_a_person_records_member_enrolled() -> None:
    group = given(*founded())

    assert group.enrol(AUTHOR, by=ADMIN, at=LATER) is True

    (event,) = then(group, WorkingGroup.MemberEnrolled)
    assert (event.person_id, event.by, event.timestamp) == (AUTHOR, ADMIN, LATER)
    assert group.is_member(AUTHOR)


def test_enrolling_a_member_twice_is_a_no_op() -> None:
    group = given(*founded())
    group.enrol(AUTHOR, by=ADMIN, at=AT)
    group = given(*founded(), *history(group))

    assert group.enrol(AUTHOR, by=ADMIN, at=LATER) is False
    then(group)
    assert group.members == [AUTHOR]


def test_appointing_a_non_member_as_lead_enrols_them_first() -> None:
    group = given(*founded())

    assert group.appoint_lead(AUTHOR, by=ADMIN, at=LATER) is True

    enrolled, appointed = then(group, WorkingGroup.MemberEnrolled, WorkingGroup.LeadAppointed)
    assert enrolled.person_id == appointed.person_id == AUTHOR
    assert enrolled.timestamp == appointed.timestamp == LATER
    assert group.is_member(AUTHOR)
    assert group.is_lead(AUTHOR)


def test_appointing_a_member_as_lead_records_only_lead_appointed() -> None:
    group = given(*founded())
    group.enrol(AUTHOR, by=ADMIN, at=AT)
    group = given(*founded(), *history(group))

    group.appoint_lead(AUTHOR, by=ADMIN, at=LATER)

    then(group, WorkingGroup.LeadAppointed)


def test_appointing_a_lead_twice_is_a_no_op() -> None:
    group = given(*founded())
    group.appoint_lead(AUTHOR, by=ADMIN, at=AT)
    group = given(*founded(), *history(group))

    assert group.appoint_lead(AUTHOR, by=ADMIN, at=LATER) is False
    then(group)
    assert (group.members, group.leads) == ([AUTHOR], [AUTHOR])


# -- pain points ---------------------------------------------------------------


def test_submitting_a_pain_point_records_submitted_on_behalf_of_the_company() -> None:
    pain_point = submit(title="  Partner registration takes weeks  ")

    (event,) = then(pain_point, PainPoint.Submitted)
    assert event.title == "Partner registration takes weeks"
    assert (event.group_id, event.by, event.for_company) == (GROUP, AUTHOR, COMPANY)
    assert event.tags == ["registration"]
    assert event.timestamp == AT
    assert pain_point.status == "new"
    assert not pain_point.is_withdrawn


@pytest.mark.parametrize("title", ["", " ", "   \t\n  "])
def test_submitting_with_an_empty_or_whitespace_title_is_rejected(title: str) -> None:
    with pytest.raises(Invalid) as error:
        submit(title=title)
    assert error.value.field == "title"


def test_title_may_have_200_characters() -> None:
    (event,) = history(submit(title="  " + "t" * 200 + "  "))
    assert event.title == "t" * 200


def test_title_of_201_characters_is_rejected() -> None:
    with pytest.raises(Invalid) as error:
        submit(title="t" * 201)
    assert error.value.field == "title"
    assert "200" in error.value.message


def test_description_may_be_empty() -> None:
    (event,) = history(submit(description="   "))
    assert event.description == ""


def test_description_may_have_20000_characters() -> None:
    (event,) = history(submit(description="d" * 20_000))
    assert len(event.description) == 20_000


def test_description_of_20001_characters_is_rejected() -> None:
    with pytest.raises(Invalid) as error:
        submit(description="d" * 20_001)
    assert error.value.field == "description"


def test_tags_are_lower_cased_trimmed_deduplicated_and_sorted() -> None:
    (event,) = history(
        submit(tags=["Lizenzen", " lizenzen ", "LIZENZEN", "Partner-Portal", "azure"])
    )
    assert event.tags == ["azure", "lizenzen", "partner-portal"]


def test_ten_distinct_tags_are_allowed() -> None:
    (event,) = history(submit(tags=[f"tag{n}" for n in range(10)]))
    assert len(event.tags) == 10


def test_eleven_distinct_tags_are_rejected() -> None:
    with pytest.raises(Invalid) as error:
        submit(tags=[f"tag{n}" for n in range(11)])
    assert error.value.field == "tags"


def test_tags_are_counted_after_removing_duplicates() -> None:
    tags = [f"tag{n}" for n in range(10)] + ["TAG0", "Tag1 "]
    (event,) = history(submit(tags=tags))
    assert len(event.tags) == 10


@pytest.mark.parametrize("tag", ["", "  ", "x" * 41])
def test_blank_or_overlong_tags_are_rejected(tag: str) -> None:
    with pytest.raises(Invalid) as error:
        submit(tags=["licensing", tag])
    assert error.value.field == "tags"


def test_withdrawing_a_pain_point_records_withdrawn_with_reason() -> None:
    pain_point = given(*submitted())

    pain_point.withdraw("  duplicate of the licensing item ", by=AUTHOR, at=LATER)

    (event,) = then(pain_point, PainPoint.Withdrawn)
    assert (event.reason, event.by) == ("duplicate of the licensing item", AUTHOR)
    assert event.timestamp == LATER
    assert pain_point.is_withdrawn


def test_withdrawing_a_withdrawn_pain_point_is_a_conflict() -> None:
    pain_point = given(*submitted())
    pain_point.withdraw("", by=AUTHOR, at=AT)
    pain_point = given(*submitted(), *history(pain_point))

    with pytest.raises(Conflict):
        pain_point.withdraw("again", by=AUTHOR, at=LATER)
    then(pain_point)


def test_withdrawal_reason_of_2001_characters_is_rejected() -> None:
    pain_point = given(*submitted())

    with pytest.raises(Invalid) as error:
        pain_point.withdraw("r" * 2_001, by=AUTHOR, at=LATER)
    assert error.value.field == "reason"
    then(pain_point)


# -- supports ------------------------------------------------------------------


def test_giving_support_records_given_under_the_deterministic_support_id() -> None:
    pain_point_id = uuid4()

    support = Support.give(pain_point_id, GROUP, by=AUTHOR, for_company=COMPANY, at=AT)

    (event,) = then(support, Support.Given)
    assert event.originator_id == support_id(pain_point_id, AUTHOR)
    assert (event.pain_point_id, event.group_id) == (pain_point_id, GROUP)
    assert (event.by, event.for_company, event.timestamp) == (AUTHOR, COMPANY, AT)
    assert support.active


def test_withdrawing_support_records_withdrawn() -> None:
    support = given(*support_given())

    assert support.withdraw(at=LATER) is True

    (event,) = then(support, Support.Withdrawn)
    assert (event.by, event.timestamp) == (AUTHOR, LATER)
    assert not support.active


def test_withdrawing_withdrawn_support_is_a_no_op() -> None:
    support = given(*support_given())
    support.withdraw(at=AT)
    support = given(*support_given(), *history(support))

    assert support.withdraw(at=LATER) is False
    then(support)


def test_giving_support_again_after_withdrawal_records_given_again() -> None:
    earlier = support_given()
    support = given(*earlier)
    support.withdraw(at=AT)
    support = given(*earlier, *history(support))

    assert support.give_again(for_company=OTHER_COMPANY, at=LATER) is True

    (event,) = then(support, Support.GivenAgain)
    assert (event.by, event.for_company, event.timestamp) == (
        AUTHOR,
        OTHER_COMPANY,
        LATER,
    )
    assert support.active
    assert support.for_company == OTHER_COMPANY


def test_giving_active_support_again_is_a_no_op() -> None:
    support = given(*support_given())

    assert support.give_again(for_company=COMPANY, at=LATER) is False
    then(support)


def test_give_withdraw_give_again_replays_to_active_support_at_version_three() -> None:
    earlier = support_given()
    support = given(*earlier)
    support.withdraw(at=AT)
    support.give_again(for_company=COMPANY, at=LATER)

    replayed = given(*earlier, *history(support))

    assert replayed.active
    assert replayed.version == 3
    assert replayed.modified_on == LATER


# -- sign-in sessions and claims -----------------------------------------------


def test_opening_a_session_records_opened_under_the_token_digest_id() -> None:
    session = SignInSession.open("digest", AUTHOR, expires_at=LATER, at=AT)

    (event,) = then(session, SignInSession.Opened)
    assert event.originator_id == session_id("digest")
    assert (event.person_id, event.expires_at, event.timestamp) == (AUTHOR, LATER, AT)


def test_a_session_is_valid_until_but_not_at_its_expiry() -> None:
    session = given(*history(SignInSession.open("d", AUTHOR, expires_at=LATER, at=AT)))

    assert session.is_valid_at(AT)
    assert session.is_valid_at(LATER - timedelta(microseconds=1))
    assert not session.is_valid_at(LATER)


def test_closing_a_session_records_closed_once() -> None:
    opened = history(SignInSession.open("d", AUTHOR, expires_at=LATER, at=AT))
    session = given(*opened)

    session.close(at=AT)
    (closed,) = then(session, SignInSession.Closed)
    assert closed.timestamp == AT
    assert not session.is_valid_at(AT)

    session = given(*opened, closed)
    session.close(at=LATER)
    then(session)


def test_a_claim_id_ignores_case_and_surrounding_whitespace_of_the_key() -> None:
    claim = Claim.make("email", " Anna@Contoso.example ", owner=AUTHOR, at=AT)

    (event,) = then(claim, Claim.Claimed)
    assert event.originator_id == claim_id("email", "anna@contoso.example")
    assert (event.kind, event.owner, event.timestamp) == ("email", AUTHOR, AT)
    assert claim_id("email", "x@y.example") != claim_id("company-name", "x@y.example")


# -- time ----------------------------------------------------------------------


def test_every_event_carries_the_time_passed_in_not_the_wall_clock() -> None:
    t = [AT + timedelta(minutes=n) for n in range(14)]
    company = MemberCompany.admit("Contoso", by=ADMIN, at=t[0], id=COMPANY)
    company.end_membership("", by=ADMIN, at=t[1])
    person = Person.register("a@b.example", "A", None, "h", by=ADMIN, at=t[2], id=AUTHOR)
    person.grant_role("admin", by=ADMIN, at=t[3])
    person.revoke_role("admin", by=ADMIN, at=t[4])
    group = WorkingGroup.found("Learning", "thematic", "", by=ADMIN, at=t[5], id=GROUP)
    group.appoint_lead(AUTHOR, by=ADMIN, at=t[6])
    pain_point = PainPoint.submit(
        GROUP, "Title", "", [], by=AUTHOR, for_company=COMPANY, at=t[7], id=uuid4()
    )
    pain_point.withdraw("", by=AUTHOR, at=t[8])
    support = Support.give(uuid4(), GROUP, by=AUTHOR, for_company=COMPANY, at=t[9])
    support.withdraw(at=t[10])
    support.give_again(for_company=COMPANY, at=t[11])
    session = SignInSession.open("d", AUTHOR, expires_at=LATER, at=t[12])
    session.close(at=t[13])

    aggregates: list[Aggregate] = [company, person, group, pain_point, support, session]
    timestamps = [e.timestamp for a in aggregates for e in history(a)]

    # Appointing a lead who is not yet a member records two events at one moment.
    assert timestamps == [*t[:7], t[6], *t[7:]]
    assert (support.created_on, support.modified_on) == (t[9], t[11])


def test_ids_passed_in_become_the_aggregate_ids() -> None:
    company_id = UUID(int=42)
    assert MemberCompany.admit("C", by=ADMIN, at=AT, id=company_id).id == company_id
