"""Per-group voting rules: vote budgets (dot voting) and voting rounds.

Rules are events with the moment they take effect (now or later), so the rules in
force at any past moment are known and no rule change rewrites the past. A closed
round's result is the group's ranking at its close; votes cast after a close count
for the next round.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from domain.ballot import Ballot, epoch_of
from domain.errors import Conflict, PermissionDenied
from domain.ids import ballot_id
from domain.painpoint import PainPoint
from domain.workinggroup import WorkingGroup
from service.core import Outcome, Service, retried


@dataclass(frozen=True)
class Votes:
    """A person's budget in a group now: None when the group sets no budget."""

    budget: int | None
    used: int
    round_number: int | None

    @property
    def left(self) -> int | None:
        return None if self.budget is None else max(self.budget - self.used, 0)


class Voting(Service):
    def _require_group_lead(self, group: WorkingGroup, by: UUID) -> None:
        self.require_visible(by, group, "working group")
        if not (group.is_lead(by) or self.is_admin(by)):
            raise PermissionDenied("group.leads_only_rules")

    @retried
    def change_voting_rules(
        self,
        group_id: UUID,
        vote_budget: int | None,
        rounds: bool,
        reason: str,
        *,
        effective_from: datetime | None = None,
        by: UUID,
    ) -> Outcome:
        group = self.load(WorkingGroup, group_id, "working group")
        self._require_group_lead(group, by)
        at = self.clock()
        group.change_rules(
            vote_budget, rounds, reason, effective_from=effective_from or at, by=by, at=at
        )
        return Outcome(group_id, True, self.store(group))

    @retried
    def open_round(self, group_id: UUID, title: str, *, by: UUID) -> Outcome:
        group = self.load(WorkingGroup, group_id, "working group")
        self._require_group_lead(group, by)
        group.open_round(title, by=by, at=self.clock())
        return Outcome(group_id, True, self.store(group))

    @retried
    def close_round(self, group_id: UUID, *, by: UUID) -> Outcome:
        group = self.load(WorkingGroup, group_id, "working group")
        self._require_group_lead(group, by)
        group.close_round(by=by, at=self.clock())
        return Outcome(group_id, True, self.store(group))

    # -- the budget, used by giving and withdrawing support ----------------------

    def _ballot_now(
        self, group: WorkingGroup, person_id: UUID, at: datetime
    ) -> tuple[int | None, Ballot | None, str, int | None]:
        rules = group.rules_at(at)
        round_number = group.round_counted() if rules.rounds else None
        epoch = epoch_of(rules.rounds, round_number or 0)
        if not any(version.vote_budget for version in group.rule_versions()):
            return None, None, epoch, round_number  # never a budget: no ballot to read
        ballot = self.find(Ballot, ballot_id(group.id, person_id, epoch))
        return rules.vote_budget, ballot, epoch, round_number

    def _counting(self, ballot: Ballot | None) -> list[UUID]:
        """The votes on the ballot still in use: a vote returns when its pain point
        is resolved, closed, declined or merged away."""
        if ballot is None:
            return []
        counting = []
        for pain_point_id in ballot.placed:
            pain_point = self.find(PainPoint, pain_point_id, readonly=True)
            if pain_point is not None and pain_point.is_open:
                counting.append(pain_point_id)
        return counting

    def spend_vote(
        self, group: WorkingGroup, pain_point_id: UUID, person_id: UUID, at: datetime
    ) -> Ballot | None:
        """The ballot with this vote placed, or None when no budget is in force;
        Conflict when the person has no vote left."""
        budget, ballot, epoch, round_number = self._ballot_now(group, person_id, at)
        if budget is None:
            return None
        if len(self._counting(ballot)) >= budget:
            if round_number:
                raise Conflict("votes.used_up_in_round", budget=budget, round=round_number)
            raise Conflict("votes.used_up", budget=budget)
        if ballot is None:
            ballot = Ballot.open(group.id, person_id, epoch, at=at)
        ballot.place(pain_point_id, at=at)
        return ballot

    def return_vote(
        self, group: WorkingGroup, pain_point_id: UUID, person_id: UUID, at: datetime
    ) -> Ballot | None:
        """The ballot this withdrawal gives a vote back to, if any."""
        _, ballot, _, _ = self._ballot_now(group, person_id, at)
        if ballot is not None and ballot.lift(pain_point_id, at=at):
            return ballot
        return None

    def votes(self, group_id: UUID, *, by: UUID) -> Votes:
        """How many votes `by` has in the group now, and how many are in use."""
        group = self.load(WorkingGroup, group_id, "working group", readonly=True)
        self.require_visible(by, group, "working group")
        budget, ballot, _, round_number = self._ballot_now(group, by, self.clock())
        return Votes(budget, len(self._counting(ballot)) if budget else 0, round_number)
