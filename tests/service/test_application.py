"""The service layer: who may do what, uniqueness, idempotency, support and sessions.

Runs against the in-memory event store with a controllable clock.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING, Any
from uuid import UUID, uuid4

import pytest

from domain.errors import Conflict, Invalid, NotFound, PermissionDenied
from domain.ids import SYSTEM, support_id
from domain.painpoint import PainPoint
from domain.person import Person
from domain.support import Support
from domain.workinggroup import WorkingGroup
from service.application import Outcome, Sprachrohr

if TYPE_CHECKING:
    from tests.service.conftest import Association, FakeClock

ADMIN_EMAIL = "vorstand-it@mspn.example"


def last_position(app: Sprachrohr) -> int:
    return app.recorder.max_notification_id() or 0


def stored_event_types(app: Sprachrohr, aggregate_id: UUID) -> list[str]:
    return [type(e).__qualname__ for e in app.events.get(aggregate_id)]


# -- bootstrap -----------------------------------------------------------------


def test_ensure_admin_creates_an_admin_the_first_time_only(app: Sprachrohr) -> None:
    assert app.ensure_admin(ADMIN_EMAIL, "Admin", "hash") is True
    before = last_position(app)

    assert app.ensure_admin(ADMIN_EMAIL.upper(), "Someone else", "other") is False

    admin = app.find_person_by_email(ADMIN_EMAIL)
    assert admin is not None
    assert admin.has_role("admin")
    assert admin.company_id is None
    assert last_position(app) == before


def test_ensure_admin_with_an_invalid_email_is_rejected(app: Sprachrohr) -> None:
    with pytest.raises(Invalid) as error:
        app.ensure_admin("admin", "Admin", "hash")
    assert error.value.field == "email"


# -- admin-only commands -------------------------------------------------------

ADMIN_ONLY: dict[str, Callable[[Association, UUID], Outcome]] = {
    "admit_company": lambda a, by: a.app.admit_company("Fabrikam AG", by=by),
    "end_membership": lambda a, by: a.app.end_membership(a.company, "", by=by),
    "register_person": lambda a, by: a.app.register_person(
        "new@partner.example", "New", a.company, "hash", by=by
    ),
    "grant_role": lambda a, by: a.app.grant_role(by, "admin", by=by),
    "revoke_role": lambda a, by: a.app.revoke_role(a.admin, "admin", by=by),
    "found_group": lambda a, by: a.app.found_group("Learning", "thematic", "", by=by),
    "appoint_lead": lambda a, by: a.app.appoint_lead(a.group, by, by=by),
}


@pytest.mark.parametrize("command", ADMIN_ONLY)
def test_a_member_cannot_run_admin_commands(assoc: Association, command: str) -> None:
    member = assoc.person()
    before = last_position(assoc.app)

    with pytest.raises(PermissionDenied):
        ADMIN_ONLY[command](assoc, member)
    assert last_position(assoc.app) == before


@pytest.mark.parametrize("command", ADMIN_ONLY)
def test_a_board_member_cannot_run_admin_commands(assoc: Association, command: str) -> None:
    with pytest.raises(PermissionDenied):
        ADMIN_ONLY[command](assoc, assoc.board_member())


@pytest.mark.parametrize("command", ADMIN_ONLY)
def test_an_unknown_actor_is_denied_not_told_what_exists(assoc: Association, command: str) -> None:
    with pytest.raises(PermissionDenied):
        ADMIN_ONLY[command](assoc, uuid4())


def test_an_admin_appoints_a_lead_who_is_then_a_member(assoc: Association) -> None:
    person = assoc.person(enrolled=False)

    outcome = assoc.app.appoint_lead(assoc.group, person, by=assoc.admin)

    group = assoc.app.load(WorkingGroup, assoc.group, "working group")
    assert outcome.changed
    assert group.is_lead(person)
    assert group.is_member(person)


def test_a_member_cannot_enrol_others(assoc: Association) -> None:
    member, outsider = assoc.person(), assoc.person(enrolled=False)

    with pytest.raises(PermissionDenied):
        assoc.app.enrol(assoc.group, outsider, by=member)


def test_a_lead_can_enrol_people_in_their_group(assoc: Association) -> None:
    lead, newcomer = assoc.person(), assoc.person(enrolled=False)
    assoc.app.appoint_lead(assoc.group, lead, by=assoc.admin)

    assert assoc.app.enrol(assoc.group, newcomer, by=lead).changed
    assert assoc.app.enrol(assoc.group, newcomer, by=lead) == Outcome(
        assoc.group, changed=False, position=None
    )


def test_a_lead_of_one_group_cannot_enrol_people_in_another(
    assoc: Association,
) -> None:
    other_group = assoc.app.found_group("Learning", "thematic", "", by=assoc.admin).id
    lead, newcomer = assoc.person(), assoc.person(enrolled=False)
    assoc.app.appoint_lead(assoc.group, lead, by=assoc.admin)

    with pytest.raises(PermissionDenied):
        assoc.app.enrol(other_group, newcomer, by=lead)


# -- unknown ids ---------------------------------------------------------------

UNKNOWN: dict[str, Callable[[Association, UUID], Any]] = {
    "end_membership": lambda a, x: a.app.end_membership(x, "", by=a.admin),
    "register_person with unknown company": lambda a, x: a.app.register_person(
        "n@partner.example", "N", x, "hash", by=a.admin
    ),
    "grant_role": lambda a, x: a.app.grant_role(x, "board", by=a.admin),
    "revoke_role": lambda a, x: a.app.revoke_role(x, "board", by=a.admin),
    "enrol in unknown group": lambda a, x: a.app.enrol(x, a.admin, by=a.admin),
    "enrol unknown person": lambda a, x: a.app.enrol(a.group, x, by=a.admin),
    "appoint_lead in unknown group": lambda a, x: a.app.appoint_lead(x, a.admin, by=a.admin),
    "appoint unknown person": lambda a, x: a.app.appoint_lead(a.group, x, by=a.admin),
    "submit_pain_point in unknown group": lambda a, x: a.app.submit_pain_point(
        x, "T", "", [], by=a.admin
    ),
    "withdraw_pain_point": lambda a, x: a.app.withdraw_pain_point(x, "", by=a.admin),
    "give_support": lambda a, x: a.app.give_support(x, by=a.admin),
    "withdraw_support": lambda a, x: a.app.withdraw_support(x, by=a.admin),
}


@pytest.mark.parametrize("command", UNKNOWN)
def test_unknown_ids_are_not_found(assoc: Association, command: str) -> None:
    with pytest.raises(NotFound):
        UNKNOWN[command](assoc, uuid4())


@pytest.mark.parametrize("command", UNKNOWN)
def test_an_id_of_the_wrong_kind_of_thing_is_not_found(assoc: Association, command: str) -> None:
    """A working-group id is not a company, a person or a pain point, and so on."""
    wrong = assoc.company if "group" in command else assoc.group
    with pytest.raises(NotFound):
        UNKNOWN[command](assoc, wrong)


# -- uniqueness ----------------------------------------------------------------


def test_a_second_person_with_the_same_email_in_other_case_is_a_conflict(
    assoc: Association,
) -> None:
    app = assoc.app
    app.register_person("anna@contoso.example", "Anna", assoc.company, "h", by=assoc.admin)
    before = last_position(app)

    with pytest.raises(Conflict) as error:
        app.register_person("  ANNA@Contoso.Example ", "Anna 2", assoc.company, "h", by=assoc.admin)
    assert error.value.field == "email"
    assert last_position(app) == before


def test_a_second_company_with_the_same_name_is_a_conflict(
    assoc: Association,
) -> None:
    with pytest.raises(Conflict) as error:
        assoc.app.admit_company(" contoso systemhaus gmbh ", by=assoc.admin)
    assert error.value.field == "name"


def test_a_second_group_with_the_same_name_is_a_conflict(assoc: Association) -> None:
    with pytest.raises(Conflict) as error:
        assoc.app.found_group("SÜD/MÜNCHEN", "thematic", "", by=assoc.admin)
    assert error.value.field == "name"


def test_a_group_name_differing_only_in_unicode_normal_form_is_a_conflict(
    assoc: Association,
) -> None:
    decomposed = unicodedata.normalize("NFD", "Süd/München")

    with pytest.raises(Conflict) as error:
        assoc.app.found_group(decomposed, "regional", "", by=assoc.admin)
    assert error.value.field == "name"


def test_a_group_may_share_its_name_with_a_company(assoc: Association) -> None:
    assert assoc.app.found_group("Contoso Systemhaus GmbH", "thematic", "", by=assoc.admin).changed


def test_people_cannot_be_registered_for_a_company_whose_membership_ended(
    assoc: Association,
) -> None:
    assoc.app.end_membership(assoc.company, "left the association", by=assoc.admin)

    with pytest.raises(Invalid) as error:
        assoc.app.register_person(
            "late@contoso.example", "Late", assoc.company, "h", by=assoc.admin
        )
    assert error.value.field == "company_id"


def test_ending_a_membership_twice_is_a_conflict(assoc: Association) -> None:
    assoc.app.end_membership(assoc.company, "", by=assoc.admin)
    with pytest.raises(Conflict):
        assoc.app.end_membership(assoc.company, "", by=assoc.admin)


# -- idempotency keys ----------------------------------------------------------

# Each takes the association, a member (the author of a pain point) and the key.
KEYED: dict[str, Callable[[Association, UUID, str], Outcome]] = {
    "admit_company": lambda a, _, k: a.app.admit_company("Fabrikam", by=a.admin, key=k),
    "register_person": lambda a, _, k: a.app.register_person(
        "keyed@partner.example", "K", a.company, "h", by=a.admin, key=k
    ),
    "found_group": lambda a, _, k: a.app.found_group("Learning", "thematic", "", by=a.admin, key=k),
    "submit_pain_point": lambda a, member, k: a.app.submit_pain_point(
        a.group, "Licensing portal", "", [], by=member, key=k
    ),
}


@pytest.mark.parametrize("command", KEYED)
def test_repeating_a_command_with_its_idempotency_key_changes_nothing(
    assoc: Association, command: str
) -> None:
    member = assoc.person()
    first = KEYED[command](assoc, member, "key-1")
    before = last_position(assoc.app)

    repeat = KEYED[command](assoc, member, "key-1")

    assert first.changed
    assert first.position == before
    assert repeat == Outcome(first.id, changed=False, position=None)
    assert last_position(assoc.app) == before


def test_a_repeat_with_the_same_key_but_other_input_returns_the_first_result(
    assoc: Association,
) -> None:
    first = assoc.app.admit_company("Fabrikam", by=assoc.admin, key="k")

    repeat = assoc.app.admit_company("Northwind", by=assoc.admin, key="k")

    assert repeat == Outcome(first.id, changed=False, position=None)
    assert assoc.app.admit_company("Northwind", by=assoc.admin).changed


def test_different_idempotency_keys_create_different_things(
    assoc: Association,
) -> None:
    member = assoc.person()
    first = assoc.app.submit_pain_point(assoc.group, "A", "", [], by=member, key="1")
    second = assoc.app.submit_pain_point(assoc.group, "A", "", [], by=member, key="2")

    assert first.id != second.id
    assert first.changed
    assert second.changed


def test_the_same_key_from_two_people_creates_two_pain_points(
    assoc: Association,
) -> None:
    anna, ben = assoc.person(), assoc.person()
    first = assoc.app.submit_pain_point(assoc.group, "A", "", [], by=anna, key="k")
    second = assoc.app.submit_pain_point(assoc.group, "A", "", [], by=ben, key="k")

    assert first.id != second.id
    assert second.changed


def test_without_a_key_a_repeat_creates_a_second_pain_point(
    assoc: Association,
) -> None:
    member = assoc.person()
    first = assoc.app.submit_pain_point(assoc.group, "A", "", [], by=member)
    second = assoc.app.submit_pain_point(assoc.group, "A", "", [], by=member)

    assert first.id != second.id


# -- who may submit and support ------------------------------------------------


def test_an_enrolled_member_submits_on_behalf_of_their_company(
    assoc: Association, clock: FakeClock
) -> None:
    member = assoc.person()

    outcome = assoc.app.submit_pain_point(
        assoc.group, " Lizenzportal ", "", ["Lizenzen", "lizenzen"], by=member
    )

    pain_point = assoc.app.load(PainPoint, outcome.id, "pain point")
    assert (pain_point.title, pain_point.tags) == ("Lizenzportal", ["lizenzen"])
    assert (pain_point.submitted_by, pain_point.for_company) == (member, assoc.company)
    assert pain_point.created_on == clock.readings[-1]


def test_invalid_input_is_rejected_before_anything_is_stored(
    assoc: Association,
) -> None:
    member = assoc.person()
    before = last_position(assoc.app)

    with pytest.raises(Invalid) as error:
        assoc.app.submit_pain_point(assoc.group, "t" * 201, "", [], by=member)
    assert error.value.field == "title"
    assert last_position(assoc.app) == before


def test_a_person_not_enrolled_cannot_submit(assoc: Association) -> None:
    outsider = assoc.person(enrolled=False)

    with pytest.raises(PermissionDenied):
        assoc.app.submit_pain_point(assoc.group, "T", "", [], by=outsider)


def test_a_board_member_not_enrolled_sees_but_cannot_support(
    assoc: Association,
) -> None:
    pain_point = assoc.pain_point(by=assoc.person())

    with pytest.raises(PermissionDenied):
        assoc.app.give_support(pain_point, by=assoc.board_member())


def test_a_person_whose_company_membership_ended_cannot_submit_or_support(
    assoc: Association,
) -> None:
    pain_point = assoc.pain_point(by=assoc.person())
    other = assoc.app.admit_company("Fabrikam", by=assoc.admin).id
    leaver = assoc.person(company=other)
    assoc.app.end_membership(other, "did not renew", by=assoc.admin)

    with pytest.raises(PermissionDenied):
        assoc.app.submit_pain_point(assoc.group, "T", "", [], by=leaver)
    with pytest.raises(PermissionDenied):
        assoc.app.give_support(pain_point, by=leaver)


def test_staff_without_a_company_cannot_submit_or_support(
    assoc: Association,
) -> None:
    pain_point = assoc.pain_point(by=assoc.person())
    staff = assoc.person(staff=True)

    with pytest.raises(PermissionDenied):
        assoc.app.submit_pain_point(assoc.group, "T", "", [], by=staff)
    with pytest.raises(PermissionDenied):
        assoc.app.give_support(pain_point, by=staff)


def test_an_enrolled_admin_without_a_company_cannot_submit(
    assoc: Association,
) -> None:
    assoc.app.enrol(assoc.group, assoc.admin, by=assoc.admin)

    with pytest.raises(PermissionDenied):
        assoc.app.submit_pain_point(assoc.group, "T", "", [], by=assoc.admin)


# -- support -------------------------------------------------------------------


def test_giving_support_creates_one_support_for_the_person_and_pain_point(
    assoc: Association,
) -> None:
    pain_point = assoc.pain_point(by=assoc.person())
    supporter = assoc.person()

    outcome = assoc.app.give_support(pain_point, by=supporter)

    assert outcome.id == support_id(pain_point, supporter)
    assert outcome.changed
    support = assoc.app.load(Support, outcome.id, "support")
    assert support.active
    assert (support.person_id, support.for_company) == (supporter, assoc.company)
    assert support.group_id == assoc.group


def test_second_support_from_same_person_is_a_no_op(assoc: Association) -> None:
    pain_point = assoc.pain_point(by=assoc.person())
    supporter = assoc.person()
    first = assoc.app.give_support(pain_point, by=supporter)
    before = last_position(assoc.app)

    second = assoc.app.give_support(pain_point, by=supporter)

    assert second == Outcome(first.id, changed=False, position=None)
    assert last_position(assoc.app) == before
    assert stored_event_types(assoc.app, first.id) == ["Support.Given"]


def test_authors_may_support_their_own_pain_point(assoc: Association) -> None:
    author = assoc.person()
    pain_point = assoc.pain_point(by=author)

    assert assoc.app.give_support(pain_point, by=author).changed


def test_support_withdrawn_can_be_given_again(assoc: Association) -> None:
    pain_point = assoc.pain_point(by=assoc.person())
    supporter = assoc.person()
    given = assoc.app.give_support(pain_point, by=supporter)

    withdrawn = assoc.app.withdraw_support(pain_point, by=supporter)
    again = assoc.app.give_support(pain_point, by=supporter)

    assert withdrawn.changed
    assert again.changed
    assert given.id == withdrawn.id == again.id
    assert assoc.app.load(Support, given.id, "support").active
    assert stored_event_types(assoc.app, given.id) == [
        "Support.Given",
        "Support.Withdrawn",
        "Support.GivenAgain",
    ]


def test_withdrawing_support_twice_is_a_no_op(assoc: Association) -> None:
    pain_point = assoc.pain_point(by=assoc.person())
    supporter = assoc.person()
    assoc.app.give_support(pain_point, by=supporter)
    assoc.app.withdraw_support(pain_point, by=supporter)

    again = assoc.app.withdraw_support(pain_point, by=supporter)

    assert (again.changed, again.position) == (False, None)


def test_withdrawing_support_never_given_is_a_no_op(assoc: Association) -> None:
    pain_point = assoc.pain_point(by=assoc.person())
    member = assoc.person()
    before = last_position(assoc.app)

    outcome = assoc.app.withdraw_support(pain_point, by=member)

    assert outcome == Outcome(support_id(pain_point, member), False, None)
    assert assoc.app.find(Support, outcome.id) is None
    assert last_position(assoc.app) == before


def test_a_withdrawn_pain_point_cannot_be_supported(assoc: Association) -> None:
    author = assoc.person()
    pain_point = assoc.pain_point(by=author)
    assoc.app.withdraw_pain_point(pain_point, "duplicate", by=author)

    with pytest.raises(Conflict):
        assoc.app.give_support(pain_point, by=assoc.person())


def test_withdrawn_support_cannot_be_given_again_once_the_pain_point_is_withdrawn(
    assoc: Association,
) -> None:
    author, supporter = assoc.person(), assoc.person()
    pain_point = assoc.pain_point(by=author)
    assoc.app.give_support(pain_point, by=supporter)
    assoc.app.withdraw_support(pain_point, by=supporter)
    assoc.app.withdraw_pain_point(pain_point, "", by=author)

    with pytest.raises(Conflict):
        assoc.app.give_support(pain_point, by=supporter)


# -- visibility ----------------------------------------------------------------


def test_a_pain_point_in_a_group_the_person_cannot_see_is_not_found(
    assoc: Association,
) -> None:
    pain_point = assoc.pain_point(by=assoc.person())
    outsider = assoc.person(enrolled=False)

    with pytest.raises(NotFound):
        assoc.app.give_support(pain_point, by=outsider)
    with pytest.raises(NotFound):
        assoc.app.withdraw_support(pain_point, by=outsider)
    with pytest.raises(NotFound):
        assoc.app.withdraw_pain_point(pain_point, "", by=outsider)


def test_a_member_of_another_group_cannot_see_this_groups_pain_points(
    assoc: Association,
) -> None:
    pain_point = assoc.pain_point(by=assoc.person())
    other_group = assoc.app.found_group("Learning", "thematic", "", by=assoc.admin).id
    elsewhere = assoc.person(enrol_in=other_group)

    with pytest.raises(NotFound):
        assoc.app.give_support(pain_point, by=elsewhere)


def test_the_board_and_admins_can_see_every_group(assoc: Association) -> None:
    pain_point = assoc.pain_point(by=assoc.person())
    group = assoc.app.load(WorkingGroup, assoc.group, "working group")

    assert assoc.app.can_see_group(assoc.board_member(), group)
    assert assoc.app.can_see_group(assoc.admin, group)
    assert not assoc.app.can_see_group(assoc.person(enrolled=False), group)
    # Visible, so a board member's withdrawal is an ordinary no-op, not NotFound.
    assert not assoc.app.withdraw_support(pain_point, by=assoc.board_member()).changed


# -- withdrawing pain points ---------------------------------------------------


@pytest.mark.parametrize("who", ["author", "lead", "admin"])
def test_author_lead_and_admin_may_withdraw_a_pain_point(assoc: Association, who: str) -> None:
    author, lead = assoc.person(), assoc.person()
    assoc.app.appoint_lead(assoc.group, lead, by=assoc.admin)
    pain_point = assoc.pain_point(by=author)
    by = {"author": author, "lead": lead, "admin": assoc.admin}[who]

    outcome = assoc.app.withdraw_pain_point(pain_point, "merged elsewhere", by=by)

    assert outcome.changed
    assert assoc.app.load(PainPoint, pain_point, "pain point").is_withdrawn
    assert stored_event_types(assoc.app, pain_point)[-1] == "PainPoint.Withdrawn"


def test_another_member_may_not_withdraw_a_pain_point(assoc: Association) -> None:
    pain_point = assoc.pain_point(by=assoc.person())

    with pytest.raises(PermissionDenied):
        assoc.app.withdraw_pain_point(pain_point, "", by=assoc.person())


def test_the_board_may_see_but_not_withdraw_a_pain_point(assoc: Association) -> None:
    pain_point = assoc.pain_point(by=assoc.person())

    with pytest.raises(PermissionDenied):
        assoc.app.withdraw_pain_point(pain_point, "", by=assoc.board_member())


def test_withdrawing_a_pain_point_twice_is_a_conflict(assoc: Association) -> None:
    author = assoc.person()
    pain_point = assoc.pain_point(by=author)
    assoc.app.withdraw_pain_point(pain_point, "", by=author)

    with pytest.raises(Conflict):
        assoc.app.withdraw_pain_point(pain_point, "", by=author)


# -- roles ---------------------------------------------------------------------


def test_an_admin_cannot_revoke_their_own_admin_role(assoc: Association) -> None:
    with pytest.raises(Conflict):
        assoc.app.revoke_role(assoc.admin, "admin", by=assoc.admin)
    assert assoc.app.is_admin(assoc.admin)


def test_another_admin_can_revoke_an_admins_role(assoc: Association) -> None:
    second = assoc.person(staff=True, enrolled=False)
    assoc.app.grant_role(second, "admin", by=assoc.admin)

    assert assoc.app.revoke_role(assoc.admin, "admin", by=second).changed
    assert not assoc.app.is_admin(assoc.admin)


def test_granting_and_revoking_roles_twice_changes_nothing_the_second_time(
    assoc: Association,
) -> None:
    person = assoc.person()
    app = assoc.app

    assert app.grant_role(person, "board", by=assoc.admin).changed
    assert app.grant_role(person, "board", by=assoc.admin) == Outcome(person, False, None)
    assert app.revoke_role(person, "board", by=assoc.admin).changed
    assert app.revoke_role(person, "board", by=assoc.admin) == Outcome(person, False, None)


def test_granting_an_unknown_role_is_invalid(assoc: Association) -> None:
    with pytest.raises(Invalid) as error:
        assoc.app.grant_role(assoc.person(), "lead", by=assoc.admin)
    assert error.value.field == "role"


def test_the_system_actor_counts_as_admin(app: Sprachrohr) -> None:
    assert app.is_admin(SYSTEM)
    assert app.admit_company("Contoso", by=SYSTEM).changed


# -- finding people ------------------------------------------------------------


def test_find_person_by_email_ignores_case_and_surrounding_whitespace(
    assoc: Association,
) -> None:
    person = assoc.app.find_person_by_email(f"  {ADMIN_EMAIL.upper()} ")

    assert isinstance(person, Person)
    assert person.id == assoc.admin


@pytest.mark.parametrize(
    "garbage", ["", "   ", "not-an-email", "@", "a@b", "x" * 300, "nobody@mspn.example"]
)
def test_find_person_by_email_returns_none_for_garbage_and_strangers(
    assoc: Association, garbage: str
) -> None:
    assert assoc.app.find_person_by_email(garbage) is None


# -- sign-in sessions ----------------------------------------------------------


def test_an_open_session_resolves_to_its_person(assoc: Association, clock: FakeClock) -> None:
    assoc.app.open_session("digest", assoc.admin, clock.now + timedelta(hours=8))

    person = assoc.app.session_person("digest")

    assert person is not None
    assert person.id == assoc.admin


def test_an_expired_session_resolves_to_nobody(assoc: Association, clock: FakeClock) -> None:
    assoc.app.open_session("digest", assoc.admin, clock.now + timedelta(hours=8))

    clock.advance(timedelta(hours=7, minutes=59))
    assert assoc.app.session_person("digest") is not None
    clock.advance(timedelta(minutes=1))
    assert assoc.app.session_person("digest") is None


def test_a_closed_session_resolves_to_nobody(assoc: Association, clock: FakeClock) -> None:
    assoc.app.open_session("digest", assoc.admin, clock.now + timedelta(hours=8))

    assoc.app.close_session("digest")
    assoc.app.close_session("digest")

    assert assoc.app.session_person("digest") is None


def test_an_unknown_token_resolves_to_nobody_and_closing_it_is_harmless(
    assoc: Association,
) -> None:
    before = last_position(assoc.app)

    assoc.app.close_session("never-opened")

    assert assoc.app.session_person("never-opened") is None
    assert last_position(assoc.app) == before


# -- positions and time --------------------------------------------------------


def test_outcome_positions_increase_with_every_change(assoc: Association) -> None:
    app, admin = assoc.app, assoc.admin
    author, supporter = assoc.person(), assoc.person()
    pain_point = assoc.pain_point(by=author)
    outcomes = [
        app.admit_company("Fabrikam", by=admin),
        app.register_person("z@fabrikam.example", "Z", None, "h", by=admin),
        app.found_group("Networking", "thematic", "", by=admin),
        app.enrol(assoc.group, assoc.person(enrolled=False), by=admin),
        app.submit_pain_point(assoc.group, "A", "", [], by=author),
        app.give_support(pain_point, by=supporter),
        app.withdraw_support(pain_point, by=supporter),
        app.give_support(pain_point, by=supporter),
        app.grant_role(supporter, "board", by=admin),
        app.withdraw_pain_point(pain_point, "", by=author),
    ]
    positions = [o.position for o in outcomes]

    assert all(o.changed for o in outcomes)
    assert None not in positions
    assert positions == sorted(positions)
    assert len(set(positions)) == len(positions)
    assert positions[-1] == last_position(app)


def test_events_are_stamped_with_the_applications_clock(
    assoc: Association, clock: FakeClock
) -> None:
    member = assoc.person()
    pain_point_id = assoc.pain_point(by=member)
    submitted_at = clock.readings[-1]
    clock.advance(timedelta(days=30))
    assoc.app.withdraw_pain_point(pain_point_id, "", by=member)

    pain_point = assoc.app.load(PainPoint, pain_point_id, "pain point")
    assert pain_point.created_on == submitted_at
    assert pain_point.modified_on == clock.readings[-1]
    assert pain_point.modified_on - submitted_at > timedelta(days=30)


def test_a_group_reloads_with_every_member_past_its_snapshot_interval(
    assoc: Association,
) -> None:
    people = [assoc.person() for _ in range(105)]

    group = assoc.app.load(WorkingGroup, assoc.group, "working group")

    assert group.members == people
    assert group.version == 106
    assert [s.originator_version for s in assoc.app.snapshots.get(assoc.group)] == [100]
