"""Invitations and password resets: one-time links with a life span decided in the command."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import Gone, Invalid
from domain.ids import person_from_invitation
from domain.invitation import VALID_FOR, Invitation
from domain.password_reset import PasswordReset
from domain.person import Person

NOW = datetime(2026, 12, 4, 21, 0, tzinfo=UTC)
ADMIN = uuid4()


def issued(at: datetime = NOW, **overrides: object) -> Invitation:
    fields: dict[str, object] = {
        "token_digest": "d" * 64,
        "email": " Nora@Alpha.Example ",
        "display_name": " Nora Neu ",
        "company_id": uuid4(),
        "group_ids": [],
        "language": "de",
        **overrides,
    }
    return Invitation.issue(**fields, by=ADMIN, at=at)  # type: ignore[arg-type]


def test_an_invitation_is_valid_for_seven_days_from_the_commands_clock() -> None:
    invitation = issued()

    [event] = invitation.collect_events()

    assert type(event).__name__ == "Issued"
    assert event.expires_at == NOW + timedelta(days=7)  # type: ignore[attr-defined]
    assert invitation.email == "nora@alpha.example"
    assert invitation.display_name == "Nora Neu"
    assert invitation.status_at(NOW + VALID_FOR - timedelta(microseconds=1)) == "pending"
    assert invitation.status_at(NOW + VALID_FOR) == "expired"


def test_the_address_is_a_personal_value_of_the_person_it_will_register() -> None:
    invitation = issued()

    [event] = invitation.collect_events()

    assert event.email.subject == person_from_invitation(invitation.id)  # type: ignore[attr-defined]
    assert "nora" not in str(invitation.id)


def test_accepting_once_and_only_once() -> None:
    invitation = issued()
    person = uuid4()

    invitation.accept(person, at=NOW + timedelta(days=1))

    assert invitation.status_at(NOW + timedelta(days=1)) == "accepted"
    with pytest.raises(Gone) as again:
        invitation.accept(person, at=NOW + timedelta(days=2))
    assert again.value.code == "invitation.accepted"


def test_a_revoked_or_expired_invitation_cannot_be_accepted() -> None:
    revoked = issued()
    assert revoked.revoke(by=ADMIN, at=NOW)
    assert not revoked.revoke(by=ADMIN, at=NOW)  # revoking twice changes nothing

    with pytest.raises(Gone) as refused:
        revoked.accept(uuid4(), at=NOW)
    with pytest.raises(Gone) as late:
        issued().accept(uuid4(), at=NOW + VALID_FOR)

    assert (refused.value.code, late.value.code) == ("invitation.revoked", "invitation.expired")


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"email": "kein-at-zeichen"}, "email.format"),
        ({"language": "fr"}, "choice.unknown"),
        ({"display_name": "  "}, "text.empty"),
        ({"group_ids": [uuid4() for _ in range(51)]}, "invitation.too_many_groups"),
    ],
)
def test_an_invitation_breaking_a_rule_is_refused_with_its_code(
    overrides: dict[str, object], code: str
) -> None:
    with pytest.raises(Invalid) as refused:
        issued(**overrides)

    assert refused.value.code == code


def test_a_reset_link_works_once_within_the_hour() -> None:
    reset = PasswordReset.request("e" * 64, uuid4(), at=NOW)

    reset.use(at=NOW + timedelta(minutes=59))

    with pytest.raises(Gone) as again:
        reset.use(at=NOW + timedelta(minutes=59))
    with pytest.raises(Gone) as late:
        PasswordReset.request("f" * 64, uuid4(), at=NOW).use(at=NOW + timedelta(hours=1))
    assert (again.value.code, late.value.code) == ("password_reset.used", "password_reset.expired")


@given(
    opened=st.integers(min_value=-10_000, max_value=10_000),
    kept=st.booleans(),
)
def test_a_new_password_ends_exactly_the_sessions_opened_before_it_but_the_kept_one(
    opened: int, kept: bool
) -> None:
    person = Person.register(
        "anna@alpha.example", "Anna", None, "hash", by=ADMIN, at=NOW, id=uuid4()
    )
    session, other = uuid4(), uuid4()
    person.change_password("new hash", by=person.id, at=NOW, keep_session=session if kept else None)
    opened_at = NOW + timedelta(seconds=opened)

    assert person.accepts_session(other, opened_at) == (opened_at >= NOW)
    assert person.accepts_session(session, opened_at) == (kept or opened_at >= NOW)
