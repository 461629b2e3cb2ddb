"""A person who works for a member company and uses Sprachrohr."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.errors import Invalid
from domain.limits import MAX_EMAIL
from domain.personal import Personal
from domain.rules import MAX_NAME, MAX_REASON, clean_text

#: Roles granted to a person directly. Leading a working group is granted on the
#: group (WorkingGroup.LeadAppointed); being a member follows from the company.
GRANTABLE_ROLES = ("admin", "board", "vendor")
LANGUAGES = ("de", "en")


def normalise_email(email: str) -> str:
    address = clean_text(email, field="email", max_len=MAX_EMAIL).casefold()
    local, _, domain = address.partition("@")
    labels = domain.split(".")
    well_formed = (
        address.count("@") == 1
        and local
        and len(labels) >= 2
        and all(labels)
        and not any(c.isspace() for c in address)
    )
    if not well_formed:
        raise Invalid("email.format", field="email")
    return address


class Person(Aggregate):
    #: Sessions opened before this moment are over (a new password ends them) …
    sessions_valid_from: datetime | None = None
    #: … except this one: the session in which the person changed their password.
    kept_session: UUID | None = None

    @event("Registered")
    def __init__(
        self,
        id: UUID,
        email: Personal,
        display_name: Personal,
        company_id: UUID | None,
        password_hash: Personal,
        by: UUID,
        timestamp: datetime,
    ) -> None:
        # Personal values (stored encrypted, snapshots too); read through the properties.
        self._email = email
        self._display_name = display_name
        self._password_hash = password_hash
        self.company_id: UUID | None = company_id
        self.erased = False
        self.erasure_requested_at: datetime | None = None
        self.roles: list[str] = []
        self.language: str | None = None
        self.signed_in_at: datetime | None = None
        #: The sign-in before the current one: "what changed since my last visit".
        self.previous_sign_in_at: datetime | None = None

    @classmethod
    def register(
        cls,
        email: str,
        display_name: str,
        company_id: UUID | None,
        password_hash: str,
        *,
        by: UUID,
        at: datetime,
        id: UUID,
    ) -> Person:
        name = clean_text(display_name, field="display_name", max_len=MAX_NAME)
        return cls(
            id=id,
            email=Personal(id, normalise_email(email)),
            display_name=Personal(id, name),
            company_id=company_id,
            password_hash=Personal(id, password_hash),
            by=by,
            timestamp=at,
        )

    @property
    def email(self) -> str:
        """The e-mail address ("" once erased)."""
        return self._email.shown

    @property
    def display_name(self) -> str:
        """The display name ("" once erased: the edge shows "former member")."""
        return self._display_name.shown

    @property
    def password_hash(self) -> str:
        return self._password_hash.shown

    def erase(self, reason: str, *, by: UUID, at: datetime) -> bool:
        """Forget the person (their key is destroyed after this event is saved);
        erasing an erased person is a no-op (returns False)."""
        if self.erased:
            return False
        reason = clean_text(reason, field="reason", max_len=MAX_REASON)
        self._erase(reason=reason, by=by, timestamp=at)
        return True

    def request_erasure(self, *, at: datetime) -> bool:
        """The person asks to be erased; asking again is a no-op (returns False)."""
        if self.erased or self.erasure_requested_at is not None:
            return False
        self._request_erasure(timestamp=at)
        return True

    @event("ErasureRequested")
    def _request_erasure(self, timestamp: datetime) -> None:
        self.erasure_requested_at = timestamp

    @event("Erased")
    def _erase(self, reason: str, by: UUID, timestamp: datetime) -> None:
        self._email = self._email.forgotten()
        self._display_name = self._display_name.forgotten()
        self._password_hash = self._password_hash.forgotten()
        self.erased = True

    def has_role(self, role: str) -> bool:
        return role in self.roles

    def grant_role(self, role: str, *, by: UUID, at: datetime) -> bool:
        """Grant a role; granting a role the person has is a no-op (returns False)."""
        if role not in GRANTABLE_ROLES:
            raise Invalid("choice.unknown", field="role", choices=", ".join(GRANTABLE_ROLES))
        if self.has_role(role):
            return False
        self._grant(role=role, by=by, timestamp=at)
        return True

    @event("RoleGranted")
    def _grant(self, role: str, by: UUID, timestamp: datetime) -> None:
        self.roles = sorted([*self.roles, role])

    def revoke_role(self, role: str, *, by: UUID, at: datetime) -> bool:
        """Revoke a role; revoking a missing role is a no-op (returns False)."""
        if role not in GRANTABLE_ROLES:
            raise Invalid("choice.unknown", field="role", choices=", ".join(GRANTABLE_ROLES))
        if not self.has_role(role):
            return False
        self._revoke(role=role, by=by, timestamp=at)
        return True

    @event("RoleRevoked")
    def _revoke(self, role: str, by: UUID, timestamp: datetime) -> None:
        self.roles = [r for r in self.roles if r != role]

    def choose_language(self, language: str, *, at: datetime) -> bool:
        if language not in LANGUAGES:
            raise Invalid("choice.unknown", field="language", choices=", ".join(LANGUAGES))
        if language == self.language:
            return False
        self._choose_language(language=language, timestamp=at)
        return True

    @event("LanguageChosen")
    def _choose_language(self, language: str, timestamp: datetime) -> None:
        self.language = language

    def sign_in(self, *, at: datetime) -> None:
        self._sign_in(timestamp=at)

    @event("SignedIn")
    def _sign_in(self, timestamp: datetime) -> None:
        self.previous_sign_in_at = self.signed_in_at
        self.signed_in_at = timestamp

    # -- people management (admins) -----------------------------------------------
    # People snapshotted before these events existed lack the attributes: getattr.

    @property
    def is_active(self) -> bool:
        return bool(getattr(self, "active", True))

    def rename(self, display_name: str, *, by: UUID, at: datetime) -> bool:
        name = clean_text(display_name, field="display_name", max_len=MAX_NAME)
        if name == self.display_name:
            return False
        self._rename(display_name=Personal(self.id, name), by=by, timestamp=at)
        return True

    @event("Renamed")
    def _rename(self, display_name: Personal, by: UUID, timestamp: datetime) -> None:
        self._display_name = display_name

    def deactivate(self, *, by: UUID, at: datetime) -> bool:
        if not self.is_active:
            return False
        self._deactivate(by=by, timestamp=at)
        return True

    @event("Deactivated")
    def _deactivate(self, by: UUID, timestamp: datetime) -> None:
        self.active = False

    def reactivate(self, *, by: UUID, at: datetime) -> bool:
        if self.is_active:
            return False
        self._reactivate(by=by, timestamp=at)
        return True

    @event("Reactivated")
    def _reactivate(self, by: UUID, timestamp: datetime) -> None:
        self.active = True

    def move_to(self, company_id: UUID, *, by: UUID, at: datetime) -> bool:
        """Move to another member company: from now on the person acts for it."""
        if company_id == self.company_id:
            return False
        self._move(company_id=company_id, from_company_id=self.company_id, by=by, timestamp=at)
        return True

    @event("MovedToCompany")
    def _move(
        self, company_id: UUID, from_company_id: UUID | None, by: UUID, timestamp: datetime
    ) -> None:
        self.company_id = company_id

    def change_password(
        self, password_hash: str, *, by: UUID, at: datetime, keep_session: UUID | None = None
    ) -> None:
        """A new password; every session but `keep_session` ends."""
        self._change_password(
            password_hash=Personal(self.id, password_hash),
            by=by,
            keep_session=keep_session,
            timestamp=at,
        )

    @event("PasswordChanged")
    def _change_password(
        self, password_hash: Personal, by: UUID, keep_session: UUID | None, timestamp: datetime
    ) -> None:
        self._password_hash = password_hash
        self.sessions_valid_from = timestamp
        self.kept_session = keep_session

    def accepts_session(self, session_id: UUID, opened_at: datetime) -> bool:
        """Whether a session opened then is still the person's (not ended by a new password)."""
        if self.sessions_valid_from is None or session_id == self.kept_session:
            return True
        return opened_at >= self.sessions_valid_from

    def change_email(self, email: str, *, by: UUID, at: datetime) -> bool:
        """The confirmed new address (service/email_change.py mails the link first)."""
        address = normalise_email(email)
        if address == self.email:
            return False
        self._change_email(
            email=Personal(self.id, address), previous=self._email, by=by, timestamp=at
        )
        return True

    @event("EmailChanged")
    def _change_email(
        self, email: Personal, previous: Personal, by: UUID, timestamp: datetime
    ) -> None:
        self._email = email
