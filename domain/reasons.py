"""Reasons the system writes itself into a status change, and how a reader gets them back.

A status change's `reason` is free text when a person gives it. When the system changes a
status on its own it writes one of these fixed shapes instead; the stored text is then a
code with parameters, and the edge renders it in the reader's language
(api/web/widgets.reason_text). Events are immutable: these shapes are persistent data, so
never change one; add a new shape instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

VENDOR_RESPONDED = "the vendor responded"
IMPORTED = "imported"
_PRESENTED = "presented at "
_ON = " on "


def presented_at(meeting: str, held_on: date | str) -> str:
    """The reason recorded when the board marks an item presented at a meeting."""
    day = held_on.isoformat() if isinstance(held_on, date) else held_on
    return f"{_PRESENTED}{meeting}{_ON}{day}"


@dataclass(frozen=True)
class SystemReason:
    """A reason the system wrote: its code and parameters (a day as an ISO date)."""

    code: str
    params: dict[str, str] = field(default_factory=dict)


def system_reason(reason: str) -> SystemReason | None:
    """The code a stored reason stands for, or None for a person's own words."""
    if reason == VENDOR_RESPONDED:
        return SystemReason("vendor_responded")
    if reason == IMPORTED:
        return SystemReason("imported")
    if reason.startswith(_PRESENTED) and _ON in reason:
        meeting, _, day = reason[len(_PRESENTED) :].rpartition(_ON)
        try:
            date.fromisoformat(day)
        except ValueError:
            return None
        return SystemReason("presented_at", {"meeting": meeting, "day": day})
    return None
