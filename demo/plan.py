"""The demo's plan: every step the loader will take (who does what, when), and the
people, companies, groups and pain points it plans with. The loader (demo.loader) and
the plans of leads, board and vendor (demo.board) both build on it."""

from __future__ import annotations

import random
import re
from bisect import insort
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from typing import Self
from uuid import UUID

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from demo import texts
from domain.ids import SYSTEM, idempotent_id
from domain.workflow import NEW, OPEN_STATUSES
from dossiers.content import Definition
from service.application import Outcome, Sprachrohr

ADMIN_EMAIL = "admin@mspn.example"
#: A little under 18 calendar months, so the whole history fits in any 18 months.
HISTORY = timedelta(days=540)
LEGAL_FORMS = (" GmbH", " AG", " KG", " e.K.")
UMLAUTS = (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss"), ("ı", "i"), ("&", "und"))


@dataclass
class Backing:
    """One interval of a person's support for a pain point."""

    person: DemoPerson
    given: datetime
    withdrawn: datetime | None = None

    def active_at(self, at: datetime) -> bool:
        return self.given <= at and (self.withdrawn is None or at < self.withdrawn)


class PlannedCourse:
    """A demo pain point's course as planned: statuses, support intervals, merges."""

    #: (since, status) in time order, from the first status change on.
    history: list[tuple[datetime, str]]
    backings: list[Backing]
    #: (target, merged at, unmerged at) of each merge of this duplicate.
    merges: list[tuple[Self, datetime, datetime | None]]

    def status_at(self, at: datetime) -> str:
        status = NEW
        for since, value in self.history:
            if since > at:
                break
            status = value
        return status

    def is_open_at(self, at: datetime) -> bool:
        return self.status_at(at) in OPEN_STATUSES

    def set_status(self, at: datetime, status: str) -> None:
        insort(self.history, (at, status))

    def counts_for(self, at: datetime) -> Self:
        """The pain point this one's supports count for at `at`: a merge target or itself."""
        for target, merged, unmerged in self.merges:
            if merged <= at and (unmerged is None or at < unmerged):
                return target
        return self


@dataclass
class DemoCompany:
    name: str
    region: int
    size: int
    id: UUID
    admitted_at: datetime
    ended_at: datetime | None = None

    @property
    def domain(self) -> str:
        base = self.name
        for form in LEGAL_FORMS:
            base = base.removesuffix(form)
        return f"{slug(base)}.example"

    def active_at(self, at: datetime) -> bool:
        return self.ended_at is None or at < self.ended_at


@dataclass
class DemoPerson:
    id: UUID
    name: str
    email: str
    company: DemoCompany
    registered_at: datetime
    enrolled: dict[int, datetime] = field(default_factory=dict)

    def can_act_in(self, group: int, at: datetime) -> bool:
        since = self.enrolled.get(group)
        return since is not None and since < at and self.company.active_at(at)


@dataclass
class DemoGroup:
    index: int
    name: str
    id: UUID
    members: list[DemoPerson] = field(default_factory=list)
    lead: DemoPerson | None = None
    lead_since: datetime | None = None


@dataclass(eq=False)
class DemoPainPoint(PlannedCourse):
    group: DemoGroup
    author: DemoPerson
    submitted_at: datetime
    popularity: float
    id: UUID
    text: texts.PainPointText
    withdrawn_at: datetime | None = None
    #: Its course as planned (see PlannedCourse): statuses, support intervals, merges.
    history: list[tuple[datetime, str]] = field(default_factory=list)
    backings: list[Backing] = field(default_factory=list)
    merges: list[tuple[DemoPainPoint, datetime, datetime | None]] = field(default_factory=list)


@dataclass(order=True)
class Step:
    at: datetime
    seq: int
    command: Callable[[], Outcome] = field(compare=False)
    creates: UUID | None = field(default=None, compare=False)


@dataclass(frozen=True)
class PendingDossier:
    """A briefing dossier defined as of its moment in the demo, not yet composed."""

    definition: Definition
    by: UUID
    key: str


class Plan:
    """Everything the loader will do, with its time, planned before anything runs."""

    def __init__(
        self, app: Sprachrohr, password_hash: str, rng: random.Random, now: datetime
    ) -> None:
        self.app = app
        self.password_hash = password_hash
        self.rng = rng
        self.now = now
        self.start = now - HISTORY
        self.admin = idempotent_id("person", SYSTEM, "demo-admin")
        self.steps: list[Step] = []
        self.counts: Counter[str] = Counter()
        self.companies: list[DemoCompany] = []
        self.people: list[DemoPerson] = []
        self.groups: list[DemoGroup] = []
        self.pain_points: list[DemoPainPoint] = []
        self.board: list[DemoPerson] = []
        self.vendors: list[UUID] = []
        #: The pain point of the source's example (the vendor simplified registration).
        self.registration: DemoPainPoint | None = None
        self.logins: list[tuple[str, str]] = [(ADMIN_EMAIL, "Admin (Geschäftsstelle)")]
        #: Signs the demo's dossiers (None: they are issued unsigned).
        self.signing_key: Ed25519PrivateKey | None = None
        #: With a list, the briefing dossiers are only defined (as of their moment) and
        #: collected here, to be composed and recorded later (demo.loader.issue_pending).
        self.deferred_dossiers: list[PendingDossier] | None = None

    def day(self, days: float) -> datetime:
        """The moment `days` after the start of the history, in whole seconds."""
        return self.after(self.start, days)

    def after(self, at: datetime, days: float) -> datetime:
        return at + timedelta(seconds=round(days * 86_400))

    def add(
        self,
        at: datetime,
        what: str,
        command: Callable[..., Outcome],
        *args: object,
        creates: UUID | None = None,
        **kwargs: object,
    ) -> None:
        """Plan `command(*args, **kwargs)` at `at`; `creates` is the id it must create."""
        if not self.start <= at < self.now:
            raise ValueError(f"demo step {what!r} planned outside the history")
        command = partial(command, *args, **kwargs)
        self.steps.append(Step(at, len(self.steps), command, creates))
        self.counts[what] += 1


def slug(text: str) -> str:
    """Lower-case ASCII with dashes, for invented domains and e-mail addresses."""
    text = text.casefold()
    for umlaut, ascii_ in UMLAUTS:
        text = text.replace(umlaut, ascii_)
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")
