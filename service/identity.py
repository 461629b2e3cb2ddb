"""Commands of sign-in with the companies' identity providers (Microsoft Entra ID).

A member company registers its Entra tenant; a sign-in from that tenant signs in the
company's person with that e-mail address, or lets an unknown colleague ask for
access, which an admin approves (the person is registered) and the chosen groups'
leads agree to (the person is enrolled).
"""

from __future__ import annotations

from abc import abstractmethod
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from domain.accessrequest import AccessRequest, access_request_id, person_of_request
from domain.claim import Claim
from domain.company import MemberCompany, normalise_tenant_id
from domain.errors import Conflict, Invalid, PermissionDenied
from domain.ids import claim_id
from domain.person import Person, normalise_email
from domain.workinggroup import WorkingGroup
from service.core import Outcome, Service, retried

TENANT_CLAIM = "entra-tenant"
#: The password hash of a person who signs in with their identity provider only:
#: no password verifies against it.
NO_PASSWORD = ""


@dataclass(frozen=True)
class ProviderSignIn:
    """Who a verified sign-in from an identity provider is, in Sprachrohr's terms.

    `company` is None for a tenant of no member company; `person` is None for
    someone of a member company who has no account (yet).
    """

    company: MemberCompany | None
    person: Person | None
    email: str


class Identity(Service):
    @retried
    def register_identity_provider(self, company_id: UUID, tenant_id: str, *, by: UUID) -> Outcome:
        self.require_admin(by)
        company = self.load(MemberCompany, company_id, "company")
        tenant = normalise_tenant_id(tenant_id)
        claim = self.find(Claim, claim_id(TENANT_CLAIM, tenant), readonly=True)
        if claim is not None and claim.owner != company_id:
            raise Conflict("tenant.taken", field="tenant_id")
        at = self.clock()
        if not company.register_identity_provider(tenant, by=by, at=at):
            return Outcome(company_id, False, None)
        new_claim = None if claim else Claim.make(TENANT_CLAIM, tenant, owner=company_id, at=at)
        return Outcome(company_id, True, self.store(company, new_claim))

    @retried
    def allow_password_sign_in(self, company_id: UUID, allowed: bool, *, by: UUID) -> Outcome:
        self.require_admin(by)
        company = self.load(MemberCompany, company_id, "company")
        changed = company.allow_password_sign_in(allowed, by=by, at=self.clock())
        return Outcome(company_id, changed, self.store(company))

    def company_of_tenant(self, tenant_id: str) -> MemberCompany | None:
        """The member company that registered this tenant (and still has it), or None."""
        try:
            tenant = normalise_tenant_id(tenant_id)
        except Invalid:
            return None
        claim = self.find(Claim, claim_id(TENANT_CLAIM, tenant), readonly=True)
        if claim is None:
            return None
        company = self.find(MemberCompany, claim.owner, readonly=True)
        if company is None or company.tenant_id != tenant or not company.is_member:
            return None
        return company

    def provider_sign_in(self, tenant_id: str, email: str) -> ProviderSignIn:
        """Match a sign-in the identity provider vouched for to a company and a person."""
        company = self.company_of_tenant(tenant_id)
        try:
            address = normalise_email(email)
        except Invalid:
            return ProviderSignIn(company, None, "")
        if company is None:
            return ProviderSignIn(None, None, address)
        person = self.find_person_by_email(address)
        if person is not None and person.company_id != company.id:
            person = None
        return ProviderSignIn(company, person, address)

    def password_sign_in_allowed(self, person: Person) -> bool:
        """False for people of a company that signs in with its identity provider only."""
        if person.company_id is None:
            return True
        company = self.find(MemberCompany, person.company_id, readonly=True)
        return company is None or company.password_sign_in

    # -- access requests -------------------------------------------------------

    @retried
    def request_access(
        self, tenant_id: str, email: str, display_name: str, group_ids: list[UUID]
    ) -> Outcome:
        """Record the request of someone the identity provider vouched for (no actor)."""
        company = self.company_of_tenant(tenant_id)
        if company is None:
            raise PermissionDenied("tenant.not_a_member")
        address = normalise_email(email)
        if self.find_person_by_email(address) is not None:
            raise Conflict("access_request.has_account", field="email")
        for group_id in group_ids:
            if self.find(WorkingGroup, group_id, readonly=True) is None:
                raise Invalid("access_request.no_such_group", field="group_ids")
        at = self.clock()
        request_id = access_request_id(company.tenant_id or "", address)
        self.make_key(person_of_request(request_id))
        request = self.find(AccessRequest, request_id)
        if request is None:
            tenant = company.tenant_id or ""
            request = AccessRequest.ask(tenant, company.id, address, display_name, group_ids, at=at)
        else:
            request.ask_again(display_name, group_ids, at=at)
        return Outcome(request.id, True, self.store(request))

    def access_request_of(self, tenant_id: str, email: str) -> AccessRequest | None:
        try:
            tenant, address = normalise_tenant_id(tenant_id), normalise_email(email)
        except Invalid:
            return None
        return self.find(AccessRequest, access_request_id(tenant, address), readonly=True)

    @retried
    def approve_access_request(self, request_id: UUID, *, by: UUID) -> Outcome:
        """Register the person for the company; ask the chosen groups' leads to agree."""
        self.require_admin(by)
        request = self.load(AccessRequest, request_id, "access request")
        company = self.load(MemberCompany, request.company_id, "company", readonly=True)
        if not company.is_member:
            raise Conflict("company.membership_ended")
        at = self.clock()
        person_id = person_of_request(request.id)
        self.make_key(person_id)
        request.approve(person_id, by=by, at=at)
        person = Person.register(
            request.email,
            request.display_name,
            company.id,
            NO_PASSWORD,
            by=by,
            at=at,
            id=person_id,
        )
        claim = self._claim("email", person.email, owner=person_id, at=at)
        groups = [self.find(WorkingGroup, g) for g in request.group_ids]
        asked = [g for g in groups if g is not None and g.request_join(person_id, by=by, at=at)]
        return Outcome(request_id, True, self.store(request, person, claim, *asked))

    @retried
    def decline_access_request(self, request_id: UUID, reason: str, *, by: UUID) -> Outcome:
        self.require_admin(by)
        request = self.load(AccessRequest, request_id, "access request")
        request.decline(reason, by=by, at=self.clock())
        return Outcome(request_id, True, self.store(request))

    @retried
    def decide_join(self, group_id: UUID, person_id: UUID, agree: bool, *, by: UUID) -> Outcome:
        """A lead of the group (or an admin) agrees to or declines a join request."""
        group = self.load(WorkingGroup, group_id, "working group")
        self.require_visible(by, group, "working group")
        if not (group.is_lead(by) or self.is_admin(by)):
            raise PermissionDenied("group.leads_or_admin_join")
        group.decide_join(person_id, agree, by=by, at=self.clock())
        return Outcome(group_id, True, self.store(group))

    # -- a member asks to join a group; withdraws the request -------------------

    @retried
    def ask_to_join(self, group_id: UUID, *, by: UUID) -> Outcome:
        """A person of an active member company asks the group's leads to let them in;
        a member or a pending request is a no-op. The vendor never sees the group (404)."""
        self.require_directory(by)
        group = self.load(WorkingGroup, group_id, "working group")
        if group.is_member(by):
            return Outcome(group_id, False, None)
        self.active_company(by)
        if not group.request_join(by, by=by, at=self.clock()):
            return Outcome(group_id, False, None)
        return Outcome(group_id, True, self.store(group))

    @retried
    def withdraw_join(self, group_id: UUID, person_id: UUID, *, by: UUID) -> Outcome:
        """The person who asked takes their pending request back (409 when there is none)."""
        self.require_directory(by)
        group = self.load(WorkingGroup, group_id, "working group")
        if person_id != by:
            raise PermissionDenied("join.own_request_only")
        group.withdraw_join(person_id, by=by, at=self.clock())
        return Outcome(group_id, True, self.store(group))

    @abstractmethod
    def find_person_by_email(self, email: str) -> Person | None:
        """The person who signs in with this address, or None."""

    @abstractmethod
    def _claim(self, kind: str, key: str, *, owner: UUID, at: datetime) -> Claim:
        """A claim on a unique key, or Conflict when it is taken."""
