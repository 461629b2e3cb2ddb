"""Promise states: what became of a vendor's commitment, judged on a given day.

A commitment is open until the board marks it met or missed. An open one whose
target date lies before "today" (the association's date, domain.calendar) is
overdue, and exactly then it may be marked missed: the ledger and the command
read the same function, so they cannot disagree.
"""

from __future__ import annotations

from datetime import date

OPEN, MET, MISSED, OVERDUE = "open", "met", "missed", "overdue"
STATES = (OPEN, MET, MISSED, OVERDUE)


def _day(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


def is_past_due(due_on: date | str | None, today: date) -> bool:
    """The target date has passed: it lies before `today` (a promise due today is not)."""
    return due_on is not None and due_on != "" and _day(due_on) < today


def promise_state(recorded: str | None, due_on: date | str | None, today: date) -> str | None:
    """open, met, missed or overdue; None when the response made no commitment.

    `recorded` is the state the events say (open / met / missed)."""
    if recorded is None:
        return None
    if recorded == OPEN and is_past_due(due_on, today):
        return OVERDUE
    return recorded


def may_mark_missed(recorded: str | None, due_on: date | str | None, today: date) -> bool:
    """Whether the board may now record the promise as missed: only once it is overdue."""
    return promise_state(recorded, due_on, today) == OVERDUE or (
        recorded == OPEN and due_on in (None, "")
    )
