"""The curated-list editor's form: the rows as posted, their order, where errors go."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from api.web.errors import error_text
from api.web.pages.painpoints.forms import hex_id
from domain.errors import DomainError

#: More rows than anyone edits by hand; the rest of a forged form is ignored.
MAX_POSTED = 100
MAX_POSITION = 999


@dataclass(frozen=True)
class EditRow:
    """A row of the editor; `slot` is where the form showed it (1-based, 0: new)."""

    pain_point: str
    position: str
    pinned: bool
    rationale: str
    slot: int = 0


@dataclass(frozen=True)
class Draft:
    rows: list[EditRow]
    edition: str
    note: str


def _at(values: list[str], index: int) -> str:
    return values[index] if index < len(values) else ""


def posted_rows(
    pain_point: list[str],
    position: list[str],
    rationale: list[str],
    pinned: set[str],
    remove: set[str],
) -> list[EditRow]:
    """The posted rows that name a pain point and are not marked for removal.

    Checkboxes (`pinned`, `remove`) carry the index of their row as value.
    """
    rows = []
    for index, chosen in enumerate(pain_point[:MAX_POSTED]):
        if not chosen.strip() or str(index) in remove:
            continue
        row = EditRow(
            chosen.strip(), _at(position, index).strip(), str(index) in pinned,
            _at(rationale, index).strip(), slot=index + 1,
        )  # fmt: skip
        rows.append(row)
    return rows


def _number(text: str) -> int | None:
    if text.isascii() and text.isdigit() and len(text) <= 3 and 1 <= int(text) <= MAX_POSITION:
        return int(text)
    return None


def arrange(rows: list[EditRow], _: Callable[[str], str]) -> tuple[list[EditRow], dict[str, str]]:
    """The rows sorted by their position numbers and numbered 1, 2, 3 …

    A row moved up goes before the row that had the number it was given, a row moved
    down after it. With a position that is no number, the rows stay as they are and
    the error names the row (`"<index>.position"`).
    """
    numbers = [_number(row.position) for row in rows]
    errors = {
        f"{index}.position": _("Enter a position number from 1 to 999.")
        for index, number in enumerate(numbers)
        if number is None
    }
    if errors:
        return rows, errors

    def order(index: int) -> tuple[int, int, int]:
        number, slot = numbers[index] or 0, rows[index].slot
        moved = 0 if slot == 0 or number < slot else 1 if number == slot else 2
        return number, moved, index

    ordered = sorted(range(len(rows)), key=order)
    return [replace(rows[i], position=str(n), slot=n) for n, i in enumerate(ordered, 1)], {}


def row_error(
    exc: DomainError, rows: list[EditRow], ranks: dict[str, int], _: Callable[[str], str]
) -> dict[str, str]:
    """The message of a rejected list, keyed by the field it belongs next to."""
    text = error_text(exc, _)
    parts = (exc.field or "").split(".")
    if parts[0] == "items" and len(parts) > 1 and parts[1].isdigit():
        index = int(parts[1]) - 1
        if 0 <= index < len(rows):
            if parts[2:] != ["rationale"]:
                return {f"{index}.pain_point": text}
            if rows[index].rationale:
                return {f"{index}.rationale": text}
            rank = ranks.get(hex_id(rows[index].pain_point))
            message = _("This row departs from its community rank (%(rank)s): give the reason.")
            return {f"{index}.rationale": message % {"rank": rank or _("unranked")}}
    if exc.field == "note":
        return {"note": text}
    return {"form": text}
