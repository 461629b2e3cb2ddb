"""A working group (Arbeitskreis): regional or thematic; where pain points live."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.errors import Conflict, Invalid
from domain.limits import MAX_BUDGET
from domain.moments import check_moment
from domain.rules import MAX_DESCRIPTION, MAX_NAME, MAX_REASON, clean_text

KINDS = ("regional", "thematic")
#: Who sees supporters' names: "leads" (leads and the board; members see companies
#: only) or "members" (every member of the group too). Vendors never see a person.
SUPPORTER_NAMES = ("members", "leads")
#: The largest vote budget a group may set: beyond it a budget limits nothing.


@dataclass(frozen=True)
class VotingRules:
    """A group's voting rules from a moment on.

    `vote_budget`: how many open pain points of the group one person may support
    at a time (dot voting; None: as many as they like). `rounds`: votes are taken
    in rounds the leads close; a closed round's result is the ranking at its close.
    """

    version: int = 0
    vote_budget: int | None = None
    rounds: bool = False
    effective_from: datetime | None = None
    reason: str = ""


DEFAULT_RULES = VotingRules()

#: Lists of members as sets, by the list's id; each entry holds its list, so the id
#: cannot be reused while the entry lives (see `as_set`).
_SETS: dict[int, tuple[list[UUID], frozenset[UUID]]] = {}
_MAX_SETS = 256


def as_set(members: list[UUID]) -> frozenset[UUID]:
    """`members` as a set, made once per list: a group's list is replaced, never changed
    in place, by every event that changes it, so the same list has the same set. A
    group of 2,000 members otherwise compares a person with each of them (UUID's
    `__eq__` in Python) twice per support. Kept outside the aggregate so that it never
    reaches a snapshot or a deep copy."""
    entry = _SETS.get(id(members))
    if entry is None or entry[0] is not members:
        if len(_SETS) >= _MAX_SETS:
            _SETS.clear()
        entry = (members, frozenset(members))
        _SETS[id(members)] = entry
    return entry[1]


@dataclass(frozen=True)
class Round:
    number: int
    title: str
    opened_at: datetime
    closed_at: datetime | None = None


class WorkingGroup(Aggregate):
    @event("Founded")
    def __init__(
        self,
        id: UUID,
        name: str,
        kind: str,
        description: str,
        by: UUID,
        timestamp: datetime,
    ) -> None:
        self.name = name
        self.kind = kind
        self.description = description
        self.members: list[UUID] = []
        self.leads: list[UUID] = []
        # Plain dicts, so snapshots transcode them; read through rules_at() and rounds_held().
        self.rules: list[dict[str, Any]] = []
        self.rounds: list[dict[str, Any]] = []
        self.supporter_names = "leads"

    @classmethod
    def found(
        cls,
        name: str,
        kind: str,
        description: str,
        *,
        by: UUID,
        at: datetime,
        id: UUID,
    ) -> WorkingGroup:
        if kind not in KINDS:
            raise Invalid("choice.unknown", field="kind", choices=", ".join(KINDS))
        return cls(
            id=id,
            name=clean_text(name, field="name", max_len=MAX_NAME),
            kind=kind,
            description=clean_text(
                description,
                field="description",
                max_len=MAX_DESCRIPTION,
                required=False,
            ),
            by=by,
            timestamp=at,
        )

    def is_member(self, person_id: UUID) -> bool:
        return person_id in as_set(self.members)

    def is_lead(self, person_id: UUID) -> bool:
        return person_id in self.leads

    def enrol(self, person_id: UUID, *, by: UUID, at: datetime) -> bool:
        """Enrol a person; enrolling a member again is a no-op (returns False)."""
        if self.is_member(person_id):
            return False
        self._enrol(person_id=person_id, by=by, timestamp=at)
        return True

    @event("MemberEnrolled")
    def _enrol(self, person_id: UUID, by: UUID, timestamp: datetime) -> None:
        self.members = [*self.members, person_id]

    def appoint_lead(self, person_id: UUID, *, by: UUID, at: datetime) -> bool:
        """Appoint a lead (enrolling them first); appointing a lead again is a no-op."""
        if self.is_lead(person_id):
            return False
        self.enrol(person_id, by=by, at=at)
        self._appoint(person_id=person_id, by=by, timestamp=at)
        return True

    @event("LeadAppointed")
    def _appoint(self, person_id: UUID, by: UUID, timestamp: datetime) -> None:
        self.leads = [*self.leads, person_id]

    # -- join requests, removal, lead revocation ----------------------------------
    # Groups snapshotted before join requests existed lack the attribute: getattr.

    def pending_joins(self) -> list[UUID]:
        return list(getattr(self, "join_requests", []))

    def request_join(self, person_id: UUID, *, by: UUID, at: datetime) -> bool:
        """Ask the leads to let a person in; a member or a pending request is a no-op."""
        if self.is_member(person_id) or person_id in self.pending_joins():
            return False
        self._request_join(person_id=person_id, by=by, timestamp=at)
        return True

    @event("JoinRequested")
    def _request_join(self, person_id: UUID, by: UUID, timestamp: datetime) -> None:
        self.join_requests = [*self.pending_joins(), person_id]

    def decide_join(self, person_id: UUID, agree: bool, *, by: UUID, at: datetime) -> None:
        """A lead agrees (the person is enrolled) or declines a pending join request."""
        if person_id not in self.pending_joins():
            raise Conflict("join.no_request")
        if agree:
            self._join_approved(person_id=person_id, by=by, timestamp=at)
            self.enrol(person_id, by=by, at=at)
        else:
            self._join_declined(person_id=person_id, by=by, timestamp=at)

    @event("JoinApproved")
    def _join_approved(self, person_id: UUID, by: UUID, timestamp: datetime) -> None:
        self.join_requests = [p for p in self.pending_joins() if p != person_id]

    @event("JoinDeclined")
    def _join_declined(self, person_id: UUID, by: UUID, timestamp: datetime) -> None:
        self.join_requests = [p for p in self.pending_joins() if p != person_id]

    def withdraw_join(self, person_id: UUID, *, by: UUID, at: datetime) -> None:
        """The person takes back their pending request before the leads decide."""
        if person_id not in self.pending_joins():
            raise Conflict("join.no_request")
        self._join_withdrawn(person_id=person_id, by=by, timestamp=at)

    @event("JoinWithdrawn")
    def _join_withdrawn(self, person_id: UUID, by: UUID, timestamp: datetime) -> None:
        self.join_requests = [p for p in self.pending_joins() if p != person_id]

    def remove_member(self, person_id: UUID, *, by: UUID, at: datetime) -> bool:
        """Remove a member (a lead loses the lead too); removing a non-member is a no-op."""
        if not self.is_member(person_id):
            return False
        self.revoke_lead(person_id, by=by, at=at)
        self._remove(person_id=person_id, by=by, timestamp=at)
        return True

    @event("MemberRemoved")
    def _remove(self, person_id: UUID, by: UUID, timestamp: datetime) -> None:
        self.members = [m for m in self.members if m != person_id]

    def revoke_lead(self, person_id: UUID, *, by: UUID, at: datetime) -> bool:
        """Revoke a lead (they stay a member); revoking a non-lead is a no-op."""
        if not self.is_lead(person_id):
            return False
        self._revoke_lead(person_id=person_id, by=by, timestamp=at)
        return True

    @event("LeadRevoked")
    def _revoke_lead(self, person_id: UUID, by: UUID, timestamp: datetime) -> None:
        self.leads = [lead for lead in self.leads if lead != person_id]

    # -- voting rules ------------------------------------------------------------
    # Groups snapshotted before voting rules existed lack the attributes: getattr.

    def set_supporter_names(self, who: str, *, by: UUID, at: datetime) -> bool:
        """Decide who sees supporters' names; the same setting again is a no-op."""
        if who not in SUPPORTER_NAMES:
            raise Invalid(
                "choice.unknown", field="supporter_names", choices=", ".join(SUPPORTER_NAMES)
            )
        if who == self.supporter_names:
            return False
        self._set_supporter_names(supporter_names=who, by=by, timestamp=at)
        return True

    @event("PrivacySet")
    def _set_supporter_names(self, supporter_names: str, by: UUID, timestamp: datetime) -> None:
        self.supporter_names = supporter_names

    def rule_versions(self) -> list[VotingRules]:
        return [VotingRules(**rules) for rules in getattr(self, "rules", [])]

    def rules_at(self, moment: datetime) -> VotingRules:
        """The rules in force at `moment`: the latest version effective by then."""
        in_force = DEFAULT_RULES
        for rules in self.rule_versions():
            if rules.effective_from is not None and rules.effective_from <= moment:
                in_force = rules
        return in_force

    def change_rules(
        self,
        vote_budget: int | None,
        rounds: bool,
        reason: str,
        *,
        effective_from: datetime,
        by: UUID,
        at: datetime,
    ) -> VotingRules:
        """Record new rules from `effective_from` (now or later, never in the past)."""
        if vote_budget is not None and not 1 <= vote_budget <= MAX_BUDGET:
            raise Invalid("voting.budget_range", field="vote_budget", max=MAX_BUDGET)
        check_moment(effective_from, field="effective_from")
        if effective_from.tzinfo is None:
            raise Invalid(
                "datetime.needs_time_zone", field="effective_from", example="2026-03-14T09:00:00Z"
            )
        if effective_from < at:
            raise Invalid("voting.rules_in_past", field="effective_from")
        reason = clean_text(reason, field="reason", max_len=MAX_REASON)
        if not rounds and self.current_round() is not None:
            raise Conflict("voting.round_open")
        self._change_rules(
            version=len(self.rule_versions()) + 1,
            vote_budget=vote_budget,
            rounds=rounds,
            effective_from=effective_from,
            reason=reason,
            by=by,
            timestamp=at,
        )
        return self.rule_versions()[-1]

    @event("RulesChanged")
    def _change_rules(
        self,
        version: int,
        vote_budget: int | None,
        rounds: bool,
        effective_from: datetime,
        reason: str,
        by: UUID,
        timestamp: datetime,
    ) -> None:
        rules = {
            "version": version,
            "vote_budget": vote_budget,
            "rounds": rounds,
            "effective_from": effective_from,
            "reason": reason,
        }
        self.rules = [*getattr(self, "rules", []), rules]

    def rounds_held(self) -> list[Round]:
        return [Round(**held) for held in getattr(self, "rounds", [])]

    def current_round(self) -> Round | None:
        held = self.rounds_held()
        return held[-1] if held and held[-1].closed_at is None else None

    def round_counted(self) -> int:
        """The round a vote cast now counts for: the open one, else the next one."""
        current = self.current_round()
        return current.number if current is not None else len(self.rounds_held()) + 1

    def open_round(self, title: str, *, by: UUID, at: datetime) -> Round:
        if not self.rules_at(at).rounds:
            raise Conflict("voting.no_rounds")
        if self.current_round() is not None:
            raise Conflict("voting.round_already_open")
        number = len(self.rounds_held()) + 1
        title = clean_text(title, field="title", max_len=MAX_NAME, required=False)
        self._open_round(number=number, title=title or f"#{number}", by=by, timestamp=at)
        return self.rounds_held()[-1]

    @event("RoundOpened")
    def _open_round(self, number: int, title: str, by: UUID, timestamp: datetime) -> None:
        held = {"number": number, "title": title, "opened_at": timestamp, "closed_at": None}
        self.rounds = [*getattr(self, "rounds", []), held]

    def close_round(self, *, by: UUID, at: datetime) -> Round:
        current = self.current_round()
        if current is None:
            raise Conflict("voting.no_round_open")
        if at < current.opened_at:
            raise Conflict("voting.round_closes_before_open")
        self._close_round(number=current.number, by=by, timestamp=at)
        return self.rounds_held()[-1]

    @event("RoundClosed")
    def _close_round(self, number: int, by: UUID, timestamp: datetime) -> None:
        self.rounds = [*self.rounds[:-1], {**self.rounds[-1], "closed_at": timestamp}]
