"""A request for a new password: a one-time link, valid for one hour.

Its id is derived from the digest of the link's token; the token is never stored.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.errors import Gone
from domain.ids import password_reset_id

VALID_FOR = timedelta(hours=1)


class PasswordReset(Aggregate):
    @event("Requested")
    def __init__(
        self, id: UUID, person_id: UUID, expires_at: datetime, timestamp: datetime
    ) -> None:
        self.person_id = person_id
        self.expires_at = expires_at
        self.used = False

    @classmethod
    def request(cls, token_digest: str, person_id: UUID, *, at: datetime) -> PasswordReset:
        return cls(
            id=password_reset_id(token_digest),
            person_id=person_id,
            expires_at=at + VALID_FOR,
            timestamp=at,
        )

    def require_usable(self, at: datetime) -> None:
        """Refuse a link that was used or has expired (Gone)."""
        if self.used:
            raise Gone("password_reset.used", field="token")
        if at >= self.expires_at:
            raise Gone("password_reset.expired", field="token")

    def use(self, *, at: datetime) -> None:
        self.require_usable(at)
        self._use(timestamp=at)

    @event("Used")
    def _use(self, timestamp: datetime) -> None:
        self.used = True
