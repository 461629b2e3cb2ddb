"""The curated-list editor's form: the rows as posted (in their order), the moves,
removals and additions made without JavaScript, and where errors go."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from api.web.errors import error_text
from api.web.pages.painpoints.forms import hex_id
from domain.errors import DomainError

#: More rows than anyone edits by hand; the rest of a forged form is ignored.
MAX_POSTED = 100


@dataclass(frozen=True)
class EditRow:
    """A row of the editor: its position is its place in the list."""

    pain_point: str
    pinned: bool
    rationale: str


@dataclass(frozen=True)
class Draft:
    rows: list[EditRow]
    edition: str
    note: str


def _at(values: list[str], index: int) -> str:
    return values[index] if index < len(values) else ""


def posted_rows(pain_point: list[str], rationale: list[str], pinned: set[str]) -> list[EditRow]:
    """The posted rows in their order, each pain point once.

    `pinned` holds the ids of the pinned rows' pain points (checkbox values).
    """
    rows, seen, pins = [], set(), {hex_id(p) for p in list(pinned)[:MAX_POSTED]}
    for index, chosen in enumerate(pain_point[:MAX_POSTED]):
        pid = hex_id(chosen.strip())
        if not pid or pid in seen:
            continue
        seen.add(pid)
        rows.append(EditRow(pid, pid in pins, _at(rationale, index).strip()))
    return rows


def parse_move(value: str) -> tuple[str, str] | None:
    """("up" | "down", pain point id) from a move button's value like "up:<id>"."""
    direction, _, pid = value.partition(":")
    if direction not in ("up", "down") or not hex_id(pid):
        return None
    return direction, hex_id(pid)


def moved(rows: list[EditRow], direction: str, pid: str) -> tuple[list[EditRow], int | None]:
    """The rows with the row of `pid` one place up or down, and its new index (None:
    no such row). A row already first (last) stays where it is."""
    index = next((i for i, row in enumerate(rows) if row.pain_point == pid), None)
    if index is None:
        return rows, None
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(rows):
        return rows, index
    rows = list(rows)
    rows[index], rows[other] = rows[other], rows[index]
    return rows, other


def row_errors(
    exc: DomainError, rows: list[EditRow], ranks: dict[str, int], _: Callable[[str], str]
) -> dict[str, str]:
    """The messages of a rejected list, keyed by the field each belongs next to
    (`"<index>.rationale"`, `"<index>.pain_point"`, `"note"`); `"form"` is the summary."""
    errors = {"form": error_text(exc, _)}
    for error in exc.details or (exc,):
        errors.update(_placed(error, rows, ranks, _))
    return errors


def _placed(
    exc: DomainError, rows: list[EditRow], ranks: dict[str, int], _: Callable[[str], str]
) -> dict[str, str]:
    parts = (exc.field or "").split(".")
    if parts[0] == "items" and len(parts) > 1 and parts[1].isdigit():
        index = int(parts[1]) - 1
        if 0 <= index < len(rows):
            if parts[2:] != ["rationale"]:
                return {f"{index}.pain_point": error_text(exc, _)}
            if rows[index].rationale:
                return {f"{index}.rationale": error_text(exc, _)}
            rank = ranks.get(hex_id(rows[index].pain_point))
            message = _("This row departs from its community rank (%(rank)s): give the reason.")
            return {f"{index}.rationale": message % {"rank": rank or _("unranked")}}
    if exc.field == "note":
        return {"note": error_text(exc, _)}
    return {}
