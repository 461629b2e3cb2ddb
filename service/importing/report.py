"""What an import says about every row: ok, already there, or the column and the reason."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from domain.errors import DomainError
from domain.messages import N_

OK = "ok"
UNCHANGED = "unchanged"
FAILED = "failed"

#: Reason codes with their English text; the web page translates them by code.
REASONS = {
    "required": N_("a value is required"),
    "duplicate": N_("duplicate of line %(line)s"),
    "date": N_("not a date (YYYY-MM-DD or DD.MM.YYYY)"),
    "future": N_("the date is in the future"),
    "unknown_company": N_("unknown company %(value)s"),
    "unknown_group": N_("unknown working group %(value)s"),
    "unknown_person": N_("unknown person %(value)s"),
    "unknown_pain_point": N_("unknown pain point %(value)s"),
    "failed_pain_point": N_("the pain point's own row has an error"),
    "not_in_group": N_("%(value)s is not in the working group %(group)s"),
    "live_group": N_(
        "the working group %(value)s has live history: import pain points"
        " and supports only into working groups the import creates"
    ),
    "before_join": N_("the date is before the company joined"),
    "before_submitted": N_("the date is before the pain point was submitted"),
    "kind": N_("must be regional or thematic"),
    "status": N_("unknown status %(value)s"),
    "yes_no": N_("must be yes or no"),
    "no_company": N_("%(value)s works for no member company"),
    "person_or_company": N_("give a person or a company, not both"),
    "email": N_("not an e-mail address"),
}


@dataclass(frozen=True)
class Problem:
    """A row's problem: a reason of the import's own, or a command's domain error."""

    column: str
    code: str
    params: dict[str, str] = field(default_factory=dict)
    error: DomainError | None = None

    def text(self, gettext: Callable[[str], str] = str) -> str:
        if self.error is not None:
            return self.error.message
        return gettext(REASONS[self.code]) % self.params


@dataclass
class RowReport:
    file: str
    line: int
    kind: str
    status: str = OK
    problem: Problem | None = None

    def fail(
        self, column: str, code: str, *, error: DomainError | None = None, **params: str
    ) -> None:
        if self.problem is None:  # the first problem of a row is the one reported
            self.status = FAILED
            self.problem = Problem(column, code, params, error)

    def describe(self) -> str:
        where = f"{self.file}:{self.line}"
        if self.problem is None:
            return f"{where}: {self.status}"
        return f"{where}: {self.problem.column}: {self.problem.text()}"


@dataclass
class ImportReport:
    rows: list[RowReport]
    warnings: list[str]
    dry_run: bool
    new_events: int = 0
    position: int | None = None
    #: The people who were mailed a link to set their password.
    invited: list[str] = field(default_factory=list)

    @property
    def failed(self) -> list[RowReport]:
        return [r for r in self.rows if r.status == FAILED]

    @property
    def ok(self) -> bool:
        return not self.failed

    def count(self, status: str) -> int:
        return sum(1 for r in self.rows if r.status == status)

    def lines(self) -> list[str]:
        """One line per failing row, or nothing: the golden form of a failing report."""
        return [r.describe() for r in self.failed]
