"""Erasure of a person (GDPR Art. 17) by crypto-shredding.

`Person.Erased` is recorded together with the release of the person's e-mail claim;
then their key is destroyed. Their supports, ballots and submissions stay as they are
(they carry no personal field): every count, ranking and dossier stays valid. The
views blank their copies of the person's texts when they see `Person.Erased`; the
runtime then purges the outbox and scrubs the views' files (`Runtime.complete_erasure`).
"""

from __future__ import annotations

from abc import abstractmethod
from uuid import UUID

from domain.claim import Claim
from domain.errors import Conflict, NotFound, PermissionDenied
from domain.person import Person
from domain.workinggroup import WorkingGroup
from service.core import Outcome, Service, retried
from storage.keys import KeyStore


class Erasure(Service):
    keys: KeyStore

    @abstractmethod
    def email_claim_id(self, email: str) -> UUID:
        """The id of the claim on an e-mail address."""

    @retried
    def request_erasure(self, person_id: UUID, *, by: UUID) -> Outcome:
        """A person asks to be erased; an admin confirms with `erase_person`."""
        if by != person_id:
            raise PermissionDenied("erasure.own_only")
        person = self.load(Person, person_id, "person")
        changed = person.request_erasure(at=self.clock())
        return Outcome(person_id, changed, self.store(person))

    @retried
    def erase_person(self, person_id: UUID, reason: str, *, by: UUID) -> Outcome:
        """Erase a person (admins only; not themselves). Erasing again finishes an
        erasure a crash interrupted (the key is destroyed once more)."""
        self.require_admin(by)
        if person_id == by:
            raise Conflict("erasure.not_self")
        person = self.load(Person, person_id, "person")
        position = None
        if not person.erased:
            claim = self.find(Claim, self.email_claim_id(person.email))
            person.erase(reason, by=by, at=self.clock())
            if claim is not None and claim.owner == person_id:
                claim.release(at=self.clock())
            position = self.store(person, claim)
        self.keys.destroy(person_id)
        return Outcome(person_id, position is not None, position)

    @retried
    def set_supporter_names(self, group_id: UUID, who: str, *, by: UUID) -> Outcome:
        """Who in the group sees supporters' names (leads or admins decide)."""
        group = self.load(WorkingGroup, group_id, "working group")
        self.require_visible(by, group, "working group")
        if not (group.is_lead(by) or self.is_admin(by)):
            raise PermissionDenied("privacy.leads_or_admin")
        changed = group.set_supporter_names(who, by=by, at=self.clock())
        return Outcome(group_id, changed, self.store(group))

    def may_see_person(self, by: UUID, other: Person) -> bool:
        """Whether `by` may look a person up at all (else: NotFound)."""
        if other.id == by or self.is_admin(by) or self.is_board(by):
            return True
        viewer = self.actor(by)
        return viewer.company_id is not None and viewer.company_id == other.company_id

    def require_own_or_admin(self, person_id: UUID, *, by: UUID) -> Person:
        """The person whose personal data `by` asks for: themself, or anyone for an
        admin; NotFound where they may not even see the person, else PermissionDenied."""
        other = self.load(Person, person_id, "person", readonly=True)
        if other.id == by or self.is_admin(by):
            return other
        if self.may_see_person(by, other):
            raise PermissionDenied("personal_data.own_or_admin")
        raise NotFound("person.not_found")
