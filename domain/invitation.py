"""An invitation to join: a one-time link to choose a password, valid for 7 days.

Its id is derived from the digest of the link's token (never from the e-mail address,
which is personal data); the token itself is never stored. The address and the name
are personal values of the person the invitation will register (`invitee_id`): they
are encrypted under that person's key and erased with them.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.errors import Gone, Invalid
from domain.ids import invitation_id, person_from_invitation
from domain.person import LANGUAGES, normalise_email
from domain.personal import Personal
from domain.rules import MAX_NAME, clean_text

VALID_FOR = timedelta(days=7)
MAX_GROUPS = 50


class Invitation(Aggregate):
    @event("Issued")
    def __init__(
        self,
        id: UUID,
        email: Personal,
        display_name: Personal,
        company_id: UUID | None,
        group_ids: list[UUID],
        language: str,
        expires_at: datetime,
        by: UUID,
        timestamp: datetime,
    ) -> None:
        self._email = email
        self._display_name = display_name
        self.company_id = company_id
        self.group_ids = group_ids
        self.language = language
        self.expires_at = expires_at
        self.issued_by = by
        self.accepted_by: UUID | None = None
        self.revoked = False

    @classmethod
    def issue(
        cls,
        token_digest: str,
        email: str,
        display_name: str,
        company_id: UUID | None,
        group_ids: list[UUID],
        language: str,
        *,
        by: UUID,
        at: datetime,
    ) -> Invitation:
        if language not in LANGUAGES:
            raise Invalid("choice.unknown", field="language", choices=", ".join(LANGUAGES))
        groups = sorted(set(group_ids), key=str)
        if len(groups) > MAX_GROUPS:
            raise Invalid("invitation.too_many_groups", field="working_group_ids", max=MAX_GROUPS)
        id = invitation_id(token_digest)
        invitee = person_from_invitation(id)
        name = clean_text(display_name, field="display_name", max_len=MAX_NAME)
        return cls(
            id=id,
            email=Personal(invitee, normalise_email(email)),
            display_name=Personal(invitee, name),
            company_id=company_id,
            group_ids=groups,
            language=language,
            expires_at=at + VALID_FOR,
            by=by,
            timestamp=at,
        )

    @property
    def invitee_id(self) -> UUID:
        """The person accepting registers: the subject of the invitation's personal values."""
        return person_from_invitation(self.id)

    @property
    def email(self) -> str:
        return self._email.shown

    @property
    def display_name(self) -> str:
        return self._display_name.shown

    def status_at(self, moment: datetime) -> str:
        if self.accepted_by is not None:
            return "accepted"
        if self.revoked:
            return "revoked"
        return "expired" if moment >= self.expires_at else "pending"

    def require_pending(self, moment: datetime) -> None:
        status = self.status_at(moment)
        if status != "pending":
            raise Gone(f"invitation.{status}", field="token")

    def accept(self, person_id: UUID, *, at: datetime) -> None:
        self.require_pending(at)
        self._accept(person_id=person_id, timestamp=at)

    @event("Accepted")
    def _accept(self, person_id: UUID, timestamp: datetime) -> None:
        self.accepted_by = person_id

    def revoke(self, *, by: UUID, at: datetime) -> bool:
        """Revoke a pending invitation; revoking one that is not pending changes nothing."""
        if self.status_at(at) != "pending":
            return False
        self._revoke(by=by, timestamp=at)
        return True

    @event("Revoked")
    def _revoke(self, by: UUID, timestamp: datetime) -> None:
        self.revoked = True
