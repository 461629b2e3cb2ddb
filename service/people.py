"""People management: what admins (and leads, in their groups) do with accounts."""

from __future__ import annotations

from uuid import UUID

from domain.company import MemberCompany
from domain.errors import Conflict, Invalid, PermissionDenied
from domain.person import Person
from domain.workinggroup import WorkingGroup
from service.core import Outcome, Service, retried


class People(Service):
    @retried
    def deactivate_person(self, person_id: UUID, *, by: UUID) -> Outcome:
        """Sessions end at once; supports stop counting until reactivation."""
        self.require_admin(by)
        if person_id == by:
            raise Conflict("admin.own_deactivation")
        person = self.load(Person, person_id, "person")
        changed = person.deactivate(by=by, at=self.clock())
        return Outcome(person_id, changed, self.store(person))

    @retried
    def reactivate_person(self, person_id: UUID, *, by: UUID) -> Outcome:
        self.require_admin(by)
        person = self.load(Person, person_id, "person")
        changed = person.reactivate(by=by, at=self.clock())
        return Outcome(person_id, changed, self.store(person))

    @retried
    def move_person(self, person_id: UUID, company_id: UUID, *, by: UUID) -> Outcome:
        """From now on the person's supports count for the other member company."""
        self.require_admin(by)
        person = self.load(Person, person_id, "person")
        self._member_company(company_id)
        changed = person.move_to(company_id, by=by, at=self.clock())
        return Outcome(person_id, changed, self.store(person))

    @retried
    def change_person(
        self,
        person_id: UUID,
        *,
        display_name: str | None = None,
        company_id: UUID | None = None,
        active: bool | None = None,
        by: UUID,
    ) -> Outcome:
        """Several changes of one person at once: all of them are saved, or none."""
        self.require_admin(by)
        if active is False and person_id == by:
            raise Conflict("admin.own_deactivation")
        person = self.load(Person, person_id, "person")
        at = self.clock()
        changed = False
        if display_name is not None:
            changed |= person.rename(display_name, by=by, at=at)
        if company_id is not None:
            self._member_company(company_id)
            changed |= person.move_to(company_id, by=by, at=at)
        if active is not None:
            change = person.reactivate if active else person.deactivate
            changed |= change(by=by, at=at)
        return Outcome(person_id, changed, self.store(person))

    def _member_company(self, company_id: UUID) -> MemberCompany:
        company = self.find(MemberCompany, company_id, readonly=True)
        if company is None:
            raise Invalid("company.no_such", field="company_id")
        if not company.is_member:
            raise Invalid("company.membership_ended", field="company_id")
        return company

    @retried
    def remove_from_group(self, group_id: UUID, person_id: UUID, *, by: UUID) -> Outcome:
        """Admins remove anyone; a lead removes members who are not leads."""
        group = self.load(WorkingGroup, group_id, "working group")
        self.require_visible(by, group, "working group")
        if not self.is_admin(by):
            if not group.is_lead(by):
                raise PermissionDenied("group.leads_or_admin_remove_member")
            if group.is_lead(person_id):
                raise PermissionDenied("group.admin_removes_leads")
        changed = group.remove_member(person_id, by=by, at=self.clock())
        return Outcome(group_id, changed, self.store(group))

    @retried
    def revoke_lead(self, group_id: UUID, person_id: UUID, *, by: UUID) -> Outcome:
        self.require_admin(by)
        group = self.load(WorkingGroup, group_id, "working group")
        changed = group.revoke_lead(person_id, by=by, at=self.clock())
        return Outcome(group_id, changed, self.store(group))
