"""Checking and planning the history: pain points, their status, and supports.

Pain points and supports are back-dated, so they may go only into working groups the
import creates (docs/adr/014): a group with live history would get events older
than its newest ones, which its as-of ranking reads in log order.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from domain.errors import Invalid
from domain.ids import SYSTEM, support_id
from domain.imported import CompanySupporter, company_supporter_id, imported_id
from domain.painpoint import PainPoint
from domain.reasons import IMPORTED
from domain.rules import clean_tags
from domain.support import Support
from domain.workflow import NEW, WITHDRAWN
from service.importing.plan import (
    IMPORTABLE_STATUSES,
    Check,
    CompanyRef,
    GroupRef,
    PainPointRef,
    PersonRef,
    Planner,
)
from service.importing.report import RowReport
from service.importing.sheets import Row

STATUS_REASON = IMPORTED
#: The statuses as the web shows them in German (and the English "needs information").
STATUS_ALIASES = {
    "neu": "new",
    "angenommen": "accepted",
    "rückfrage offen": "needs-info",
    "needs information": "needs-info",
    "abgelehnt": "declined",
    "an den vorstand eskaliert": "escalated",
    "eskaliert": "escalated",
    "dem hersteller vorgestellt": "presented",
    "vorgestellt": "presented",
    "vom hersteller beantwortet": "answered",
    "beantwortet": "answered",
    "gelöst": "resolved",
    "geschlossen": "closed",
    "zurückgezogen": "withdrawn",
}


class ImportPlanner(Planner):
    """Checks and plans every kind, the history after the directory."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        #: The index in `steps` of each pain point's status change, moved after its supports.
        self.status_steps: dict[UUID, int] = {}

    def checks(self) -> list[tuple[str, Check]]:
        return [*super().checks(), ("pain_points", self._pain_point), ("supports", self._support)]

    # -- pain points ------------------------------------------------------------

    def _pain_point(self, row: Row, report: RowReport, seen: dict[str, int]) -> None:
        if not self._required(row, report, "key", "working_group", "title"):
            self._forget(row)
            return
        key = row.get("key")
        group = self.group_named(row.get("working_group"))
        if group is None:
            report.fail("working_group", "unknown_group", value=repr(row.get("working_group")))
        submitted = self._date(row, report, "submitted_on") or self.earliest
        status = row.get("status").casefold() or NEW
        status = STATUS_ALIASES.get(status, status)
        if status not in IMPORTABLE_STATUSES:
            report.fail("status", "status", value=repr(row.get("status")))
        try:
            tags = clean_tags([t for t in row.get("tags").split("|") if t.strip()])
        except Invalid as error:
            report.fail("tags", "invalid", error=error)
        by, company = self._submitter(row, report, group, submitted)
        if not self._unique(key, row, report, seen, "key") or report.problem or group is None:
            self._forget(row)
            return
        pain_point_id = imported_id("pain-point", key)
        new = not self.app.exists(pain_point_id)
        ref = PainPointRef(pain_point_id, group, submitted, new, submitted)
        self.pain_points[key] = ref
        if not new:
            report.status = "unchanged"
            return
        if not group.new:
            report.fail("working_group", "live_group", value=repr(group.name))
            self.pain_points[key] = None
            return
        title, description = row.get("title"), row.get("description")

        def submit() -> None:
            pain_point = PainPoint.submit(
                group.id,
                title,
                description,
                tags,
                by=by,
                for_company=company,
                at=self.app.clock(),
                id=pain_point_id,
            )
            self.app.save(pain_point)

        self._add(submitted, "pain_point", report, "title", submit)
        if status != NEW:
            self._add_status(ref, status, report)

    def _forget(self, row: Row) -> None:
        if row.get("key"):
            self.pain_points.setdefault(row.get("key"), None)

    def _submitter(
        self, row: Row, report: RowReport, group: GroupRef | None, at: datetime
    ) -> tuple[UUID, UUID]:
        """Who submitted it (a person, or the system for a company) and for which company."""
        submitter = row.get("submitted_by")
        if not submitter:
            report.fail("submitted_by", "required")
            return SYSTEM, SYSTEM
        if "@" in submitter:
            if group is None:
                return SYSTEM, SYSTEM
            person = self.person_in(submitter, group, report, "submitted_by")
            if person is not None and person.company is None:
                report.fail("submitted_by", "no_company", value=repr(submitter))
            if person is not None and at < person.since:
                report.fail("submitted_on", "before_join")
            return (person.id, person.company or SYSTEM) if person else (SYSTEM, SYSTEM)
        company = self.company_named(submitter)
        if company is None:
            report.fail("submitted_by", "unknown_company", value=repr(submitter))
            return SYSTEM, SYSTEM
        self._after_join(company, at, report, "submitted_on")
        return SYSTEM, company.id

    def _after_join(self, company: CompanyRef, at: datetime, report: RowReport, col: str) -> None:
        if company.joined is not None and at < company.joined:
            report.fail(col, "before_join")

    def _add_status(self, ref: PainPointRef, status: str, report: RowReport) -> None:
        """The status is set after the pain point's last imported support."""

        def change() -> None:
            pain_point = self.app.load(PainPoint, ref.id, "pain point")
            at = self.app.clock()
            if status == WITHDRAWN:
                pain_point.withdraw(STATUS_REASON, by=SYSTEM, at=at)
            else:
                allowed = frozenset({status})
                pain_point.change_status(status, STATUS_REASON, allowed=allowed, by=SYSTEM, at=at)
            self.app.save(pain_point)

        step = len(self.steps)
        self._add(ref.submitted, "status", report, "status", change)
        self.status_steps[ref.id] = step

    # -- supports ---------------------------------------------------------------

    def _support(self, row: Row, report: RowReport, seen: dict[str, int]) -> None:
        if not self._required(row, report, "pain_point"):
            return
        key = row.get("pain_point")
        given = self._date(row, report, "given_on")
        if key not in self.pain_points:
            report.fail("pain_point", "unknown_pain_point", value=repr(key))
            return
        ref = self.pain_points[key]
        if ref is None:
            report.fail("pain_point", "failed_pain_point")
            return
        given = given or ref.submitted
        if given < ref.submitted:
            report.fail("given_on", "before_submitted")
        person_email, company_name = row.get("person"), row.get("company")
        if bool(person_email) == bool(company_name):
            column = "company" if person_email else "person"
            report.fail(column, "person_or_company" if person_email else "required")
            return
        if person_email:
            person = self.person_in(person_email, ref.group, report, "person")
            if person is None or report.problem:
                return
            if person.company is None:
                report.fail("person", "no_company", value=repr(person_email))
                return
            if given < person.since:
                report.fail("given_on", "before_join")
                return
            if not self._unique(f"{key}:{person.id}", row, report, seen, "person"):
                return
            self._person_support(ref, person, given, report)
        else:
            company = self.company_named(company_name)
            if company is None:
                report.fail("company", "unknown_company", value=repr(company_name))
                return
            self._after_join(company, given, report, "given_on")
            if not report.problem:
                self._company_support(ref, company, given, report)

    def _settle(
        self, ref: PainPointRef, supporter: UUID, given: datetime, report: RowReport
    ) -> bool:
        """Whether to plan this support: not if it is there already or the group is live."""
        ref.last_support = max(ref.last_support, given)
        step = self.status_steps.get(ref.id)
        if step is not None:
            self.steps[step].at = max(self.steps[step].at, given)
        if self.app.exists(support_id(ref.id, supporter)):
            report.status = "unchanged"
            return False
        if not ref.group.new:
            report.fail("pain_point", "live_group", value=repr(ref.group.name))
            return False
        return True

    def _person_support(
        self, ref: PainPointRef, person: PersonRef, given: datetime, report: RowReport
    ) -> None:
        if not self._settle(ref, person.id, given, report):
            return
        give, pain_point_id, person_id = self.app.give_support, ref.id, person.id
        self._add(given, "support", report, "person", lambda: give(pain_point_id, by=person_id))

    def _company_support(
        self, ref: PainPointRef, company: CompanyRef, given: datetime, report: RowReport
    ) -> None:
        ref.supporters[company.id] += 1
        supporter = company_supporter_id(company.id, ref.id, ref.supporters[company.id])
        if not self._settle(ref, supporter, given, report):
            return
        ordinal = ref.supporters[company.id]

        def give() -> None:
            at = self.app.clock()
            record = CompanySupporter.record(company.id, ref.id, ordinal, by=SYSTEM, at=at)
            support = Support.give(
                ref.id, ref.group.id, by=supporter, for_company=company.id, at=at
            )
            self.app.save(record, support)

        self._add(given, "support", report, "company", give)
