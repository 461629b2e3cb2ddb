"""History brought in from the association's spreadsheets, recorded as such.

An import saves all its events in one transaction, between a `DataImport.Started` and
a `DataImport.Completed` of the same import: every event between the two positions
was imported (back-dated), never done live — the notification processor notifies
about none of them. A support given in the spreadsheet by a company alone (no person)
is one more anonymous supporter of that company: a `CompanySupporter` records that
the supporter id stands for no person, and the `Support` it gives counts for the
company in the ranking like any person's.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, DomainEvent, event

from domain.ids import NAMESPACE


def imported_id(kind: str, key: str) -> UUID:
    """The id of what an import creates from a spreadsheet row's key: a second import
    of the same row finds it."""
    return uuid5(NAMESPACE, f"import:{kind}:{key}")


def company_supporter_id(company_id: UUID, pain_point_id: UUID, ordinal: int) -> UUID:
    """The `ordinal`-th anonymous supporter of a company on a pain point."""
    return uuid5(NAMESPACE, f"company-supporter:{company_id}:{pain_point_id}:{ordinal}")


class DataImport(Aggregate):
    """One import of a set of spreadsheet files, identified by their content."""

    @event("Started")
    def __init__(
        self, id: UUID, digest: str, files: list[str], rows: int, by: UUID, timestamp: datetime
    ) -> None:
        self.digest = digest
        self.files = files
        self.rows = rows
        self.by = by
        self.completed = False

    @classmethod
    def start(
        cls, digest: str, files: list[str], rows: int, *, by: UUID, at: datetime
    ) -> DataImport:
        return cls(
            id=uuid5(NAMESPACE, f"data-import:{digest}:{at.isoformat()}"),
            digest=digest,
            files=files,
            rows=rows,
            by=by,
            timestamp=at,
        )

    def complete(self, events: int, *, at: datetime) -> None:
        self._complete(events=events, timestamp=at)

    @event("Completed")
    def _complete(self, events: int, timestamp: datetime) -> None:
        self.completed = True


class CompanySupporter(Aggregate):
    """An anonymous but counted supporter of a member company (from an import)."""

    @event("Recorded")
    def __init__(
        self, id: UUID, company_id: UUID, pain_point_id: UUID, by: UUID, timestamp: datetime
    ) -> None:
        self.company_id = company_id
        self.pain_point_id = pain_point_id

    @classmethod
    def record(
        cls, company_id: UUID, pain_point_id: UUID, ordinal: int, *, by: UUID, at: datetime
    ) -> CompanySupporter:
        return cls(
            id=company_supporter_id(company_id, pain_point_id, ordinal),
            company_id=company_id,
            pain_point_id=pain_point_id,
            by=by,
            timestamp=at,
        )


#: The marker events (classes the library made from the `@event` names above).
STARTED: type = DataImport.Started  # type: ignore[attr-defined]
COMPLETED: type = DataImport.Completed  # type: ignore[attr-defined]


class ImportedSpans:
    """Follows the log in order and tells which events an import wrote.

    For the notification processor: feed it every event; `imported(event)` is True from
    a `DataImport.Started` up to and including its `DataImport.Completed` — history
    brought in, never news to notify anyone about.
    """

    def __init__(self) -> None:
        self._open: UUID | None = None

    @property
    def inside(self) -> bool:
        """Whether the last event fed was within an import (one not yet completed)."""
        return self._open is not None

    def imported(self, event: DomainEvent) -> bool:
        if isinstance(event, STARTED):
            self._open = event.originator_id
            return True
        if isinstance(event, COMPLETED) and event.originator_id == self._open:
            self._open = None
            return True
        return self._open is not None
