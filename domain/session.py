"""A sign-in session: an opaque bearer token, stored only as its digest."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.ids import session_id


class SignInSession(Aggregate):
    @event("Opened")
    def __init__(
        self, id: UUID, person_id: UUID, expires_at: datetime, timestamp: datetime
    ) -> None:
        self.person_id = person_id
        self.expires_at = expires_at
        self.closed = False

    @classmethod
    def open(
        cls, token_digest: str, person_id: UUID, *, expires_at: datetime, at: datetime
    ) -> SignInSession:
        return cls(
            id=session_id(token_digest),
            person_id=person_id,
            expires_at=expires_at,
            timestamp=at,
        )

    def is_valid_at(self, moment: datetime) -> bool:
        return not self.closed and moment < self.expires_at

    def close(self, *, at: datetime) -> None:
        if not self.closed:
            self._close(timestamp=at)

    @event("Closed")
    def _close(self, timestamp: datetime) -> None:
        self.closed = True
