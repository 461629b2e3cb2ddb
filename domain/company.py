"""A member company: the company, not the person, is the member of the association."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.errors import Conflict, Invalid
from domain.rules import MAX_NAME, MAX_REASON, clean_text


class MemberCompany(Aggregate):
    """Admitted once; its membership may end, after which its people cannot act."""

    @event("Admitted")
    def __init__(self, id: UUID, name: str, by: UUID, timestamp: datetime) -> None:
        self.name = name
        self.admitted_by = by
        self.ended_at: datetime | None = None
        self.tenant_id: str | None = None
        self.password_sign_in = True

    @classmethod
    def admit(cls, name: str, *, by: UUID, at: datetime, id: UUID) -> MemberCompany:
        return cls(
            id=id,
            name=clean_text(name, field="name", max_len=MAX_NAME),
            by=by,
            timestamp=at,
        )

    @property
    def is_member(self) -> bool:
        return self.ended_at is None

    def end_membership(self, reason: str, *, by: UUID, at: datetime) -> None:
        if not self.is_member:
            raise Conflict("company.membership_already_ended", name=self.name)
        reason = clean_text(reason, field="reason", max_len=MAX_REASON, required=False)
        self._end(reason=reason, by=by, timestamp=at)

    @event("MembershipEnded")
    def _end(self, reason: str, by: UUID, timestamp: datetime) -> None:
        self.ended_at = timestamp

    # -- sign-in with the company's identity provider (Microsoft Entra ID) ------------

    def register_identity_provider(self, tenant_id: str, *, by: UUID, at: datetime) -> bool:
        """Register the company's Entra tenant; the same tenant again is a no-op."""
        tenant = normalise_tenant_id(tenant_id)
        if tenant == self.tenant_id:
            return False
        self._register_identity_provider(tenant_id=tenant, by=by, timestamp=at)
        return True

    @event("IdentityProviderRegistered")
    def _register_identity_provider(self, tenant_id: str, by: UUID, timestamp: datetime) -> None:
        self.tenant_id = tenant_id

    def allow_password_sign_in(self, allowed: bool, *, by: UUID, at: datetime) -> bool:
        """Turn password sign-in for the company's people on or off (off needs a tenant)."""
        if allowed == self.password_sign_in:
            return False
        if not allowed and self.tenant_id is None:
            raise Conflict("password_sign_in.needs_tenant")
        self._password_sign_in_changed(allowed=allowed, by=by, timestamp=at)
        return True

    @event("PasswordSignInChanged")
    def _password_sign_in_changed(self, allowed: bool, by: UUID, timestamp: datetime) -> None:
        self.password_sign_in = allowed


def normalise_tenant_id(tenant_id: str) -> str:
    """An Entra tenant id is a GUID; kept in its canonical lower-case form."""
    try:
        return str(UUID(tenant_id.strip()))
    except (ValueError, AttributeError):
        raise Invalid("tenant.format", field="tenant_id") from None
