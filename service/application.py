"""The service layer: one short method per command, each returning what it changed.

Every method decides against freshly loaded aggregates and saves all new events in
one transaction. A save that loses an optimistic-concurrency race is retried from
the start (the command then sees the winner's events); after a few losses the
command is rejected with Conflict.
"""

from __future__ import annotations

__all__ = ["MAX_ATTEMPTS", "Clock", "Outcome", "Sprachrohr", "retried", "utc_now"]

from datetime import datetime
from typing import Any
from uuid import UUID, uuid4

from eventsourcing.application import (
    AggregateNotFoundError,
    Application,
    ProcessingEvent,
    Repository,
)
from eventsourcing.domain import (
    Aggregate,
    BaseAggregate,
    DomainEventProtocol,
    MutableOrImmutableAggregate,
)
from eventsourcing.persistence import JSONTranscoder, Mapper, RecordConflictError, Recording
from eventsourcing.utils import strtobool

from domain import calendar
from domain.calendar import DEFAULT_TIME_ZONE
from domain.claim import Claim
from domain.company import MemberCompany
from domain.errors import Conflict, Invalid, PermissionDenied, not_found
from domain.ids import SYSTEM, claim_id, secret_claim_id, session_id, support_id
from domain.painpoint import PainPoint
from domain.person import Person, normalise_email
from domain.session import SignInSession
from domain.support import Support
from domain.workinggroup import WorkingGroup
from service.access import A
from service.board import BoardWork
from service.core import MAX_ATTEMPTS, Clock, Outcome, retried, utc_now
from service.discussion import Discussion
from service.erasure import Erasure
from service.following import Following
from service.identity import Identity
from service.people import People
from service.personal import PersonalAsCiphertext
from service.triage import Triage
from service.voting import Voting
from storage.freshness import TailCheckedRepository
from storage.keys import KeyDestroyed, KeyStore, key_store_from_env
from storage.quiet import QuietMarkingMapper


class AggregatesFirst(ProcessingEvent[UUID]):
    """Collects an aggregate's pending events without the protocol checks (same result:
    an aggregate is no domain event, and it collects its events)."""

    def collect_events(
        self,
        *objs: MutableOrImmutableAggregate[UUID] | DomainEventProtocol[UUID] | None,
        **kwargs: Any,
    ) -> None:
        for obj in objs:
            if isinstance(obj, BaseAggregate):
                self.events.extend(obj.collect_events())
                self.aggregates[obj.id] = obj
            elif obj is not None:
                super().collect_events(obj)
        self.saved_kwargs.update(kwargs)


class Sprachrohr(
    Application[UUID],
    Discussion,
    Triage,
    BoardWork,
    Voting,
    Erasure,
    Identity,
    People,
    Following,
):
    """The association's write model. Event names and topics are persistent data."""

    name = "Sprachrohr"
    # Person snapshots hold Personal values: encrypted like the events (service.personal).
    snapshotting_intervals = {WorkingGroup: 100, Person: 100}  # noqa: RUF012

    def __init__(
        self,
        env: dict[str, str] | None = None,
        clock: Clock = utc_now,
        keys: KeyStore | None = None,
        *,
        time_zone: str = DEFAULT_TIME_ZONE,
    ) -> None:
        # The transcoder (made by Application.__init__) needs the key store.
        self.keys = keys or key_store_from_env(dict(env or {}))
        super().__init__(env)
        self.clock = clock
        calendar.zone(time_zone)  # an unknown zone fails at start-up, not on a request
        self.time_zone = time_zone

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(PersonalAsCiphertext(self.keys))

    def construct_mapper(self) -> Mapper[UUID]:
        """The library's mapper, marking events recorded `quietly()` (storage.quiet)."""
        made = super().construct_mapper()
        return QuietMarkingMapper(made.transcoder, made.compressor, made.cipher)

    def make_key(self, subject: UUID) -> None:
        try:
            self.keys.ensure(subject)
        except KeyDestroyed:
            raise Conflict("person.erased") from None

    def email_claim_id(self, email: str) -> UUID:
        return secret_claim_id(self.keys.secret("email-claims"), "email", email)

    def close(self) -> None:
        super().close()
        self.keys.close()

    def construct_repository(self) -> Repository[UUID]:
        """With a cache, one kept current by the log's tail (storage.freshness): a
        request validates every cached aggregate with one query, not one per load."""
        maxsize = self.env.get(self.AGGREGATE_CACHE_MAXSIZE)
        fastforward = strtobool(self.env.get(self.AGGREGATE_CACHE_FASTFORWARD, "y"))
        if not maxsize or not fastforward:
            return super().construct_repository()
        return TailCheckedRepository(
            self.recorder,
            self.events,
            snapshot_store=self.snapshots,
            maxsize=int(maxsize),
            deepcopy_from_cache=strtobool(self.env.get(self.DEEPCOPY_FROM_AGGREGATE_CACHE, "y")),
        )

    def save(
        self, *objs: MutableOrImmutableAggregate[UUID] | Any, **kwargs: Any
    ) -> list[Recording[UUID]]:
        # The library's `save`, with a ProcessingEvent that recognises aggregates by
        # their class before asking the runtime-checkable protocols (in Python 3.11
        # each such isinstance walks the class's attributes: about a tenth of a
        # support's CPU).
        processing_event = AggregatesFirst()
        processing_event.collect_events(*objs, **kwargs)
        recordings = self._record(processing_event)
        self._take_snapshots(processing_event)
        self._notify(recordings)
        self.notify(processing_event.events)  # the library's deprecated hook, as in its save
        if isinstance(self.repository, TailCheckedRepository):
            self.repository.note_saved([r.domain_event.originator_id for r in recordings])
        return recordings

    # -- loading ---------------------------------------------------------------

    def load(self, cls: type[A], aggregate_id: UUID, what: str, *, readonly: bool = False) -> A:
        """The aggregate of that type, or NotFound naming `what` was looked for."""
        aggregate = self.find(cls, aggregate_id, readonly=readonly)
        if aggregate is None:
            raise not_found(what)
        return aggregate

    def find(self, cls: type[A], aggregate_id: UUID, *, readonly: bool = False) -> A | None:
        """The aggregate of that type, or None.

        `readonly` skips copying the cached aggregate: only for checks that never
        trigger events on it (copying a group of 1,000 members costs ~3.5 ms).
        """
        repository = self.repository
        try:
            aggregate: Aggregate
            if isinstance(repository, TailCheckedRepository):
                # Types never snapshotted are read without asking the snapshot store
                # (a snapshot only shortens the replay: without one the result is the same).
                snapshots = cls in self.snapshotting_intervals
                aggregate = repository.get(
                    aggregate_id, deepcopy_from_cache=not readonly, snapshots=snapshots
                )
            else:
                aggregate = repository.get(aggregate_id, deepcopy_from_cache=not readonly)
        except AggregateNotFoundError:
            return None
        return aggregate if isinstance(aggregate, cls) else None

    def store(self, *aggregates: Aggregate | None) -> int | None:
        recordings = self.save(*aggregates)
        return recordings[-1].notification.id if recordings else None

    def exists(self, aggregate_id: UUID) -> bool:
        return aggregate_id in self.repository

    def events_of(self, aggregate_id: UUID) -> list[Any]:
        """An aggregate's events, oldest first (a person's history)."""
        return list(self.repository.event_store.get(aggregate_id))

    # -- companies -------------------------------------------------------------

    @retried
    def admit_company(self, name: str, *, by: UUID, key: str | None = None) -> Outcome:
        self.require_admin(by)
        company_id = self.new_id("company", by, key)
        if key and self.exists(company_id):
            return Outcome(company_id, changed=False, position=None)
        at = self.clock()
        company = MemberCompany.admit(name, by=by, at=at, id=company_id)
        claim = self._claim("company-name", company.name, owner=company_id, at=at)
        return Outcome(company_id, True, self.store(company, claim))

    @retried
    def end_membership(self, company_id: UUID, reason: str, *, by: UUID) -> Outcome:
        self.require_admin(by)
        company = self.load(MemberCompany, company_id, "company")
        company.end_membership(reason, by=by, at=self.clock())
        return Outcome(company_id, True, self.store(company))

    def email_claim(self, email: str, *, owner: UUID, at: datetime) -> Claim:
        """The claim on a (normalised) e-mail address for `owner` (Conflict if taken)."""
        return self._claim("email", email, owner=owner, at=at)

    def _claim(self, kind: str, key: str, *, owner: UUID, at: datetime) -> Claim:
        """A claim on a unique key; e-mail claims have secret ids and can be renewed
        once released by an erasure."""
        if kind != "email":
            if self.exists(claim_id(kind, key)):
                raise Conflict("key.taken", field="name", key=repr(key))
            return Claim.make(kind, key, owner=owner, at=at)
        claim_key = self.email_claim_id(key)
        claim = self.find(Claim, claim_key)
        if claim is None:
            return Claim.make(kind, key, owner=owner, at=at, id=claim_key)
        if not claim.released:
            raise Conflict("key.taken", field="email", key=repr(key))
        claim.renew(owner, at=at)
        return claim

    # -- people ----------------------------------------------------------------

    @retried
    def register_person(
        self,
        email: str,
        display_name: str,
        company_id: UUID | None,
        password_hash: str,
        *,
        by: UUID,
        key: str | None = None,
    ) -> Outcome:
        self.require_admin(by)
        person_id = self.new_id("person", by, key)
        if key and self.exists(person_id):
            return Outcome(person_id, changed=False, position=None)
        if company_id is not None:
            company = self.load(MemberCompany, company_id, "company", readonly=True)
            if not company.is_member:
                raise Invalid("company.membership_ended", field="company_id")
        at = self.clock()
        self.make_key(person_id)
        person = Person.register(
            email, display_name, company_id, password_hash, by=by, at=at, id=person_id
        )
        claim = self._claim("email", person.email, owner=person_id, at=at)
        return Outcome(person_id, True, self.store(person, claim))

    def find_person_by_email(self, email: str) -> Person | None:
        try:
            claim = self.find(Claim, self.email_claim_id(normalise_email(email)), readonly=True)
        except Invalid:
            return None
        if claim is None or claim.released:
            return None
        return self.load(Person, claim.owner, "person", readonly=True)

    @retried
    def grant_role(self, person_id: UUID, role: str, *, by: UUID) -> Outcome:
        self.require_admin(by)
        person = self.load(Person, person_id, "person")
        changed = person.grant_role(role, by=by, at=self.clock())
        return Outcome(person_id, changed, self.store(person))

    @retried
    def revoke_role(self, person_id: UUID, role: str, *, by: UUID) -> Outcome:
        self.require_admin(by)
        if person_id == by and role == "admin":
            raise Conflict("admin.own_role")
        person = self.load(Person, person_id, "person")
        changed = person.revoke_role(role, by=by, at=self.clock())
        return Outcome(person_id, changed, self.store(person))

    def ensure_admin(self, email: str, display_name: str, password_hash: str) -> bool:
        """Create an admin unless a person with that e-mail exists (False then).

        Registration and the admin grant are saved together, so a crash cannot leave
        a person without the role; concurrent start-ups race on the e-mail claim and
        every loser answers False.
        """
        if self.find_person_by_email(email) is not None:
            return False
        at = self.clock()
        person_id = uuid4()
        self.make_key(person_id)
        person = Person.register(
            email, display_name, None, password_hash, by=SYSTEM, at=at, id=person_id
        )
        person.grant_role("admin", by=SYSTEM, at=at)
        try:
            claim = self._claim("email", person.email, owner=person.id, at=at)
        except Conflict:
            return False
        try:
            self.save(person, claim)
        except RecordConflictError:
            return False
        return True

    # -- working groups --------------------------------------------------------

    @retried
    def found_group(
        self,
        name: str,
        kind: str,
        description: str,
        *,
        by: UUID,
        key: str | None = None,
    ) -> Outcome:
        self.require_admin(by)
        group_id = self.new_id("group", by, key)
        if key and self.exists(group_id):
            return Outcome(group_id, changed=False, position=None)
        at = self.clock()
        group = WorkingGroup.found(name, kind, description, by=by, at=at, id=group_id)
        claim = self._claim("group-name", group.name, owner=group_id, at=at)
        return Outcome(group_id, True, self.store(group, claim))

    @retried
    def enrol(self, group_id: UUID, person_id: UUID, *, by: UUID) -> Outcome:
        group = self.load(WorkingGroup, group_id, "working group")
        if not (self.is_admin(by) or group.is_lead(by)):
            raise PermissionDenied("group.leads_or_admin_enrol")
        self.load(Person, person_id, "person", readonly=True)
        changed = group.enrol(person_id, by=by, at=self.clock())
        return Outcome(group_id, changed, self.store(group))

    @retried
    def appoint_lead(self, group_id: UUID, person_id: UUID, *, by: UUID) -> Outcome:
        self.require_admin(by)
        group = self.load(WorkingGroup, group_id, "working group")
        self.load(Person, person_id, "person", readonly=True)
        changed = group.appoint_lead(person_id, by=by, at=self.clock())
        return Outcome(group_id, changed, self.store(group))

    # -- pain points and support ----------------------------------------------

    @retried
    def submit_pain_point(
        self,
        group_id: UUID,
        title: str,
        description: str,
        tags: list[str],
        *,
        by: UUID,
        key: str | None = None,
    ) -> Outcome:
        pain_point_id = self.new_id("pain-point", by, key)
        if key and self.exists(pain_point_id):
            return Outcome(pain_point_id, changed=False, position=None)
        group = self.load(WorkingGroup, group_id, "working group", readonly=True)
        company_id = self.acting_company(by, group)
        pain_point = PainPoint.submit(
            group_id,
            title,
            description,
            tags,
            by=by,
            for_company=company_id,
            at=self.clock(),
            id=pain_point_id,
        )
        return Outcome(pain_point_id, True, self.store(pain_point))

    @retried
    def withdraw_pain_point(self, pain_point_id: UUID, reason: str, *, by: UUID) -> Outcome:
        pain_point = self.load(PainPoint, pain_point_id, "pain point")
        group = self.load(WorkingGroup, pain_point.group_id, "working group", readonly=True)
        self.require_visible(by, group, "pain point")
        if not (pain_point.submitted_by == by or group.is_lead(by) or self.is_admin(by)):
            raise PermissionDenied("pain_point.withdraw_not_allowed")
        pain_point.withdraw(reason, by=by, at=self.clock())
        return Outcome(pain_point_id, True, self.store(pain_point))

    @retried
    def edit_pain_point(
        self,
        pain_point_id: UUID,
        *,
        title: str | None = None,
        description: str | None = None,
        tags: list[str] | None = None,
        by: UUID,
    ) -> Outcome:
        """Change a pain point's title, description or tags (None: keep); who may and
        until when is the domain's rule (domain.workflow.may_edit)."""
        pain_point = self.load(PainPoint, pain_point_id, "pain point")
        group = self.load(WorkingGroup, pain_point.group_id, "working group", readonly=True)
        self.require_visible(by, group, "pain point")
        moderator = group.is_lead(by) or self.is_admin(by)
        changed = pain_point.edit(
            title=title,
            description=description,
            tags=tags,
            by=by,
            moderator=moderator,
            at=self.clock(),
        )
        return Outcome(pain_point_id, changed, self.store(pain_point) if changed else None)

    @retried
    def give_support(self, pain_point_id: UUID, *, by: UUID) -> Outcome:
        pain_point = self.load(PainPoint, pain_point_id, "pain point", readonly=True)
        group = self.load(WorkingGroup, pain_point.group_id, "working group", readonly=True)
        self.require_visible(by, group, "pain point")
        company_id = self.acting_company(by, group)
        if not pain_point.is_open:
            raise Conflict("pain_point.cannot_be_supported", status=pain_point.status)
        at = self.clock()
        support = self.find(Support, support_id(pain_point_id, by))
        if support is not None and support.active:
            return Outcome(support.id, False, None)
        ballot = self.spend_vote(group, pain_point_id, by, at)
        if support is None:
            support = Support.give(pain_point_id, group.id, by=by, for_company=company_id, at=at)
        else:
            support.give_again(for_company=company_id, at=at)
        return Outcome(support.id, True, self.store(support, ballot))

    @retried
    def withdraw_support(self, pain_point_id: UUID, *, by: UUID) -> Outcome:
        pain_point = self.load(PainPoint, pain_point_id, "pain point", readonly=True)
        group = self.load(WorkingGroup, pain_point.group_id, "working group", readonly=True)
        self.require_visible(by, group, "pain point")
        support = self.find(Support, support_id(pain_point_id, by))
        if support is None or not support.active:
            return Outcome(support_id(pain_point_id, by), False, None)
        if not self.actor(by).is_active:
            raise PermissionDenied("person.deactivated")
        at = self.clock()
        support.withdraw(at=at)
        ballot = self.return_vote(group, pain_point_id, by, at)
        return Outcome(support.id, True, self.store(support, ballot))

    # -- sign-in sessions ------------------------------------------------------

    @retried
    def open_session(self, token_digest: str, person_id: UUID, expires_at: datetime) -> int | None:
        """Open a session for a person who proved who they are; record the sign-in.
        The log position of the session (pages wait for it: the account page lists it)."""
        at = self.clock()
        person = self.load(Person, person_id, "person")
        if not person.is_active:
            raise PermissionDenied("person.deactivated")
        person.sign_in(at=at)
        session = SignInSession.open(token_digest, person_id, expires_at=expires_at, at=at)
        return self.store(person, session)

    @retried
    def choose_language(self, language: str, *, by: UUID) -> Outcome:
        person = self.load(Person, by, "person")
        changed = person.choose_language(language, at=self.clock())
        return Outcome(by, changed, self.store(person))

    def session_person(self, token_digest: str) -> Person | None:
        """The person a bearer token belongs to, if the session is open and current."""
        session = self.find(SignInSession, session_id(token_digest), readonly=True)
        if session is None or not session.is_valid_at(self.clock()):
            return None
        person = self.find(Person, session.person_id, readonly=True)
        if person is None or person.erased:
            return None
        if not person.accepts_session(session.id, session.created_on):
            return None
        # A deactivated person's sessions end at once.
        return person if person.is_active else None

    @retried
    def close_session(self, token_digest: str) -> None:
        session = self.find(SignInSession, session_id(token_digest))
        if session is None:
            return
        session.close(at=self.clock())
        self.save(session)
