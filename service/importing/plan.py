"""Checking the rows against each other and the store, and planning the commands.

Every row is checked for what only the import knows (references between the sheets,
dates, duplicates, live groups); what the domain knows (field limits, e-mail form …)
is checked by running the real commands against the staging application. The plan
is a list of steps, each a command at a moment, replayed in time order.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from domain.claim import Claim
from domain.errors import Invalid
from domain.ids import SYSTEM, claim_id, idempotent_id
from domain.person import normalise_email
from domain.workflow import ALL_STATUSES, MERGED
from domain.workinggroup import WorkingGroup
from service.importing.dates import parse_moment
from service.importing.report import RowReport
from service.importing.sheets import Row, Sheet
from service.importing.staging import StagingSprachrohr

#: The order of what happens at the same moment.
PHASES = ("company", "group", "person", "enrol", "pain_point", "support", "status")
IMPORTABLE_STATUSES = tuple(s for s in ALL_STATUSES if s != MERGED)
GROUP_KINDS = {"regional": "regional", "thematic": "thematic", "thematisch": "thematic"}
YES = {"yes", "ja", "y", "j", "1", "true", "x"}
NO = {"no", "nein", "n", "0", "false", ""}


def folded(text: str) -> str:
    return " ".join(text.split()).casefold()


@dataclass(order=True)
class Step:
    at: datetime
    phase: int
    seq: int
    row: RowReport = field(compare=False)
    column: str = field(compare=False)
    run: Callable[[], object] = field(compare=False)


@dataclass
class CompanyRef:
    id: UUID
    joined: datetime | None


@dataclass
class GroupRef:
    id: UUID
    name: str
    new: bool


@dataclass
class PersonRef:
    id: UUID
    company: UUID | None
    groups: set[UUID]
    since: datetime


@dataclass
class PainPointRef:
    id: UUID
    group: GroupRef
    submitted: datetime
    new: bool
    last_support: datetime
    supporters: Counter[UUID] = field(default_factory=Counter)


Check = Callable[[Row, RowReport, dict[str, int]], None]


class Planner:
    """Checks and plans the directory: companies, working groups, people."""

    def __init__(self, app: StagingSprachrohr, sheets: list[Sheet], *, password_hash: str) -> None:
        self.app = app
        self.now = app.now
        self.password_hash = password_hash
        self.sheets = {s.kind: s for s in sheets}
        self.reports: list[RowReport] = []
        self.steps: list[Step] = []
        self.companies: dict[str, CompanyRef] = {}
        self.groups: dict[str, GroupRef] = {}
        self.people: dict[str, PersonRef] = {}
        self.pain_points: dict[str, PainPointRef | None] = {}
        #: People the import registers and is asked to invite (their e-mail addresses).
        self.to_invite: list[str] = []
        self.earliest = self._earliest()

    def checks(self) -> list[tuple[str, Check]]:
        return [
            ("companies", self._company),
            ("working_groups", self._group),
            ("people", self._person),
        ]

    def plan(self) -> list[Step]:
        for kind, check in self.checks():
            sheet = self.sheets.get(kind)
            seen: dict[str, int] = {}
            for row in sheet.rows if sheet else []:
                report = RowReport(row.file, row.line, kind)
                self.reports.append(report)
                check(row, report, seen)
        return sorted(self.steps)

    def _earliest(self) -> datetime:
        moments = [
            moment
            for kind, column in (
                ("companies", "joined_on"),
                ("pain_points", "submitted_on"),
                ("supports", "given_on"),
            )
            for row in (self.sheets[kind].rows if kind in self.sheets else [])
            if (moment := parse_moment(row.get(column))) is not None and moment <= self.now
        ]
        return min(moments, default=self.now)

    def _add(
        self, at: datetime, phase: str, row: RowReport, column: str, run: Callable[[], object]
    ) -> None:
        self.steps.append(Step(at, PHASES.index(phase), len(self.steps), row, column, run))

    def _date(self, row: Row, report: RowReport, column: str) -> datetime | None:
        text = row.get(column)
        if not text:
            return None
        moment = parse_moment(text)
        if moment is None:
            report.fail(column, "date")
        elif moment > self.now:
            report.fail(column, "future")
        return moment

    def _required(self, row: Row, report: RowReport, *columns: str) -> bool:
        for column in columns:
            if not row.get(column):
                report.fail(column, "required")
        return report.problem is None

    def _unique(
        self, key: str, row: Row, report: RowReport, seen: dict[str, int], col: str
    ) -> bool:
        if key in seen:
            report.fail(col, "duplicate", line=str(seen[key]))
            return False
        seen[key] = row.line
        return True

    # -- companies and groups -------------------------------------------------

    def _company(self, row: Row, report: RowReport, seen: dict[str, int]) -> None:
        if not self._required(row, report, "name"):
            return
        name = row.get("name")
        joined = self._date(row, report, "joined_on")
        if not self._unique(folded(name), row, report, seen, "name") or report.problem:
            return
        existing = self.app.find(Claim, claim_id("company-name", name), readonly=True)
        if existing is not None:
            report.status = "unchanged"
            self.companies[folded(name)] = CompanyRef(existing.owner, None)
            return
        key = f"import:{folded(name)}"
        self.companies[folded(name)] = CompanyRef(idempotent_id("company", SYSTEM, key), joined)
        at = joined or self.earliest
        self._add(
            at, "company", report, "name", lambda: self.app.admit_company(name, by=SYSTEM, key=key)
        )

    def _group(self, row: Row, report: RowReport, seen: dict[str, int]) -> None:
        if not self._required(row, report, "name", "kind"):
            return
        name, kind = row.get("name"), GROUP_KINDS.get(row.get("kind").casefold())
        if kind is None:
            report.fail("kind", "kind")
        if not self._unique(folded(name), row, report, seen, "name") or kind is None:
            return
        existing = self.app.find(Claim, claim_id("group-name", name), readonly=True)
        if existing is not None:
            report.status = "unchanged"
            self.groups[folded(name)] = GroupRef(existing.owner, name, new=False)
            return
        key = f"import:{folded(name)}"
        self.groups[folded(name)] = GroupRef(idempotent_id("group", SYSTEM, key), name, new=True)
        description = row.get("description")
        found = self.app.found_group
        self._add(
            self.earliest,
            "group",
            report,
            "name",
            lambda: found(name, kind, description, by=SYSTEM, key=key),
        )

    def group_named(self, name: str) -> GroupRef | None:
        ref = self.groups.get(folded(name))
        if ref is None:
            claim = self.app.find(Claim, claim_id("group-name", name), readonly=True)
            if claim is not None:
                ref = self.groups[folded(name)] = GroupRef(claim.owner, name, new=False)
        return ref

    def company_named(self, name: str) -> CompanyRef | None:
        ref = self.companies.get(folded(name))
        if ref is None:
            claim = self.app.find(Claim, claim_id("company-name", name), readonly=True)
            if claim is not None:
                ref = self.companies[folded(name)] = CompanyRef(claim.owner, None)
        return ref

    # -- people -----------------------------------------------------------------

    def _person(self, row: Row, report: RowReport, seen: dict[str, int]) -> None:
        if not self._required(row, report, "email", "display_name"):
            return
        try:
            email = normalise_email(row.get("email"))
        except Invalid:
            report.fail("email", "email")
            return
        company = self.company_named(row.get("company")) if row.get("company") else None
        if row.get("company") and company is None:
            report.fail("company", "unknown_company", value=repr(row.get("company")))
        groups = []
        for name in filter(None, (n.strip() for n in row.get("working_groups").split("|"))):
            group = self.group_named(name)
            if group is None:
                report.fail("working_groups", "unknown_group", value=repr(name))
            else:
                groups.append(group)
        if row.get("invite").casefold() not in YES | NO:
            report.fail("invite", "yes_no")
        if not self._unique(email, row, report, seen, "email") or report.problem:
            return
        since = max(self.earliest, company.joined if company and company.joined else self.earliest)
        existing = self.app.find_person_by_email(email)
        if existing is None:
            if row.get("invite").casefold() in YES:
                self.to_invite.append(email)
            person_id = idempotent_id("person", SYSTEM, f"import:{email}")
            name, company_id = row.get("display_name"), company.id if company else None
            register = self.app.register_person
            hashed = self.password_hash
            self._add(
                since,
                "person",
                report,
                "email",
                lambda: register(email, name, company_id, hashed, by=SYSTEM, key=f"import:{email}"),
            )
        else:
            person_id, report.status = existing.id, "unchanged"
            company = CompanyRef(existing.company_id, None) if existing.company_id else None
        ref = self.people[email] = PersonRef(
            person_id, company.id if company else None, set(), since
        )
        for group in groups:
            self._enrol(group, ref, report)

    def _enrol(self, group: GroupRef, person: PersonRef, report: RowReport) -> None:
        person.groups.add(group.id)
        if not group.new:
            current = self.app.find(WorkingGroup, group.id, readonly=True)
            if current is not None and current.is_member(person.id):
                return
        report.status = "ok"
        at = person.since if group.new else self.now  # present membership, not history
        enrol, group_id, person_id = self.app.enrol, group.id, person.id
        self._add(
            at, "enrol", report, "working_groups", lambda: enrol(group_id, person_id, by=SYSTEM)
        )

    def person_in(
        self, email: str, group: GroupRef, report: RowReport, column: str
    ) -> PersonRef | None:
        try:
            person = self.people.get(normalise_email(email))
        except Invalid:
            person = None
        if person is None:
            report.fail(column, "unknown_person", value=repr(email))
        elif group.id not in person.groups:
            report.fail(column, "not_in_group", value=repr(email), group=repr(group.name))
        return person
