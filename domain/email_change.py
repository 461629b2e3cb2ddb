"""A change of a person's e-mail address, waiting for the new address to confirm it.

The link mailed to the new address carries a token; the change's id is derived from
the token's digest (the token itself is never stored). Valid for 24 hours, once.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.errors import Gone
from domain.ids import NAMESPACE
from domain.person import normalise_email
from domain.personal import Personal

VALID_FOR = timedelta(hours=24)


def email_change_id(token_digest: str) -> UUID:
    return uuid5(NAMESPACE, f"email-change:{token_digest}")


class EmailChange(Aggregate):
    @event("Requested")
    def __init__(
        self,
        id: UUID,
        person_id: UUID,
        new_email: Personal,
        expires_at: datetime,
        by: UUID,
        timestamp: datetime,
    ) -> None:
        self.person_id = person_id
        self._new_email = new_email
        self.expires_at = expires_at
        self.confirmed = False

    @classmethod
    def request(
        cls, token_digest: str, person_id: UUID, new_email: str, *, by: UUID, at: datetime
    ) -> EmailChange:
        return cls(
            id=email_change_id(token_digest),
            person_id=person_id,
            new_email=Personal(person_id, normalise_email(new_email)),
            expires_at=at + VALID_FOR,
            by=by,
            timestamp=at,
        )

    @property
    def new_email(self) -> str:
        """The new address ("" once its person has been erased)."""
        return self._new_email.shown

    def require_pending(self, at: datetime) -> None:
        if self.confirmed:
            raise Gone("email_change.used", field="token")
        if at >= self.expires_at:
            raise Gone("email_change.expired", field="token")

    def confirm(self, *, at: datetime) -> None:
        self.require_pending(at)
        self._confirm(timestamp=at)

    @event("Confirmed")
    def _confirm(self, timestamp: datetime) -> None:
        self.confirmed = True
