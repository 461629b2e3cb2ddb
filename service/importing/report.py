"""What an import says about every row: ok, already there, or the column and the reason."""

from __future__ import annotations

from dataclasses import dataclass, field

OK = "ok"
UNCHANGED = "unchanged"
FAILED = "failed"

#: Reason codes with their English text; the web page translates them by code.
REASONS = {
    "required": "a value is required",
    "invalid": "{detail}",
    "duplicate": "duplicate of line {line}",
    "date": "not a date (YYYY-MM-DD or DD.MM.YYYY)",
    "future": "the date is in the future",
    "unknown_company": "unknown company {value!r}",
    "unknown_group": "unknown working group {value!r}",
    "unknown_person": "unknown person {value!r}",
    "unknown_pain_point": "unknown pain point {value!r}",
    "failed_pain_point": "the pain point's own row has an error",
    "not_in_group": "{value!r} is not in the working group {group!r}",
    "live_group": "the working group {value!r} has live history: import pain points"
    " and supports only into working groups the import creates",
    "before_join": "the date is before the company joined",
    "before_submitted": "the date is before the pain point was submitted",
    "kind": "must be regional or thematic",
    "status": "unknown status {value!r}",
    "yes_no": "must be yes or no",
    "no_company": "{value!r} works for no member company",
    "person_or_company": "give a person or a company, not both",
}


@dataclass(frozen=True)
class Problem:
    column: str
    code: str
    params: dict[str, str] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return REASONS[self.code].format(**self.params)


@dataclass
class RowReport:
    file: str
    line: int
    kind: str
    status: str = OK
    problem: Problem | None = None

    def fail(self, column: str, code: str, **params: str) -> None:
        if self.problem is None:  # the first problem of a row is the one reported
            self.status = FAILED
            self.problem = Problem(column, code, params)

    def describe(self) -> str:
        where = f"{self.file}:{self.line}"
        if self.problem is None:
            return f"{where}: {self.status}"
        return f"{where}: {self.problem.column}: {self.problem.text}"


@dataclass
class ImportReport:
    rows: list[RowReport]
    warnings: list[str]
    dry_run: bool
    new_events: int = 0
    position: int | None = None

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
