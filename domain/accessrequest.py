"""An access request: someone signed in with their company's Entra ID but has no account.

The identity provider vouched for who they are (tenant, e-mail); an admin decides
whether they become a person of that company. One request per tenant and e-mail
address (a deterministic id), so asking twice is the same request.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.errors import Conflict, Invalid
from domain.ids import NAMESPACE
from domain.personal import Personal
from domain.rules import MAX_NAME, MAX_REASON, clean_text

STATUSES = ("pending", "approved", "declined")
#: More groups than this in one request is not a request but a mistake.
MAX_GROUPS = 20


def access_request_id(tenant_id: str, email: str) -> UUID:
    return uuid5(NAMESPACE, f"access-request:{tenant_id}:{email}")


def person_of_request(request_id: UUID) -> UUID:
    """The person an approved request registers: also the subject of the request's
    personal data, so erasing that person erases the request's name and address."""
    return uuid5(NAMESPACE, f"person-of-request:{request_id}")


class AccessRequest(Aggregate):
    @event("Requested")
    def __init__(
        self,
        id: UUID,
        tenant_id: str,
        company_id: UUID,
        email: Personal,
        display_name: Personal,
        group_ids: list[UUID],
        timestamp: datetime,
    ) -> None:
        self.tenant_id = tenant_id
        self.company_id = company_id
        self._email = email
        self._display_name = display_name
        self.group_ids = group_ids
        self.status = "pending"
        self.person_id: UUID | None = None
        self.requested_at = timestamp

    @classmethod
    def ask(
        cls,
        tenant_id: str,
        company_id: UUID,
        email: str,
        display_name: str,
        group_ids: list[UUID],
        *,
        at: datetime,
    ) -> AccessRequest:
        request_id = access_request_id(tenant_id, email)
        subject = person_of_request(request_id)
        name = clean_text(display_name, field="display_name", max_len=MAX_NAME)
        return cls(
            id=request_id,
            tenant_id=tenant_id,
            company_id=company_id,
            email=Personal(subject, email),
            display_name=Personal(subject, name),
            group_ids=chosen_groups(group_ids),
            timestamp=at,
        )

    @property
    def email(self) -> str:
        return self._email.shown

    @property
    def display_name(self) -> str:
        return self._display_name.shown

    def ask_again(self, display_name: str, group_ids: list[UUID], *, at: datetime) -> None:
        """A declined request may be made again; a pending or approved one may not."""
        if self.status != "declined":
            raise Conflict("access_request.decided", state=self.status)
        name = clean_text(display_name, field="display_name", max_len=MAX_NAME)
        self._ask_again(
            display_name=Personal(person_of_request(self.id), name),
            group_ids=chosen_groups(group_ids),
            timestamp=at,
        )

    @event("RequestedAgain")
    def _ask_again(
        self, display_name: Personal, group_ids: list[UUID], timestamp: datetime
    ) -> None:
        self._display_name = display_name
        self.group_ids = group_ids
        self.status = "pending"
        self.requested_at = timestamp

    def approve(self, person_id: UUID, *, by: UUID, at: datetime) -> None:
        self._require_pending()
        self._approve(person_id=person_id, by=by, timestamp=at)

    @event("Approved")
    def _approve(self, person_id: UUID, by: UUID, timestamp: datetime) -> None:
        self.status = "approved"
        self.person_id = person_id

    def decline(self, reason: str, *, by: UUID, at: datetime) -> None:
        self._require_pending()
        reason = clean_text(reason, field="reason", max_len=MAX_REASON, required=False)
        self._decline(reason=reason, by=by, timestamp=at)

    @event("Declined")
    def _decline(self, reason: str, by: UUID, timestamp: datetime) -> None:
        self.status = "declined"

    def _require_pending(self) -> None:
        if self.status != "pending":
            raise Conflict("access_request.decided", state=self.status)


def chosen_groups(group_ids: list[UUID]) -> list[UUID]:
    unique = sorted(set(group_ids))
    if len(unique) > MAX_GROUPS:
        raise Invalid("access_request.too_many_groups", field="group_ids", max=MAX_GROUPS)
    return unique
