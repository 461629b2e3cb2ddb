"""Reading the spreadsheets: one XLSX with a sheet per kind, or CSV files of one kind each.

Headers are matched case-insensitively against the canonical English names and their
German aliases; columns nobody knows are ignored with a warning. Every cell becomes
a stripped string (XLSX dates as YYYY-MM-DD), each row keeps its spreadsheet line.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import PurePath
from typing import Any

#: kind → canonical column → accepted headers (the canonical one first, German after).
COLUMNS: dict[str, dict[str, tuple[str, ...]]] = {
    "companies": {"name": ("name", "firma"), "joined_on": ("joined_on", "beitritt")},
    "people": {
        "email": ("email", "e-mail"),
        "display_name": ("display_name", "name"),
        "company": ("company", "firma"),
        "working_groups": ("working_groups", "arbeitskreise"),
        "invite": ("invite", "einladen"),
    },
    "working_groups": {
        "name": ("name",),
        "kind": ("kind", "art"),
        "description": ("description", "beschreibung"),
    },
    "pain_points": {
        "key": ("key", "schlüssel", "schluessel"),
        "working_group": ("working_group", "arbeitskreis"),
        "title": ("title", "titel"),
        "description": ("description", "beschreibung"),
        "submitted_by": ("submitted_by", "eingereicht von"),
        "submitted_on": ("submitted_on", "eingereicht am"),
        "status": ("status",),
        "tags": ("tags", "schlagworte"),
    },
    "supports": {
        "pain_point": ("pain_point", "pain-point"),
        "person": ("person",),
        "company": ("company", "firma"),
        "given_on": ("given_on", "datum"),
    },
}
KINDS = tuple(COLUMNS)
#: German sheet and file names accepted for the kinds.
KIND_ALIASES = {
    "firmen": "companies",
    "personen": "people",
    "arbeitskreise": "working_groups",
    "pain-points": "pain_points",
    "painpoints": "pain_points",
    "unterstuetzungen": "supports",
    "unterstützungen": "supports",
}
#: Columns a row of that kind must have.
REQUIRED = {
    "companies": ("name",),
    "people": ("email", "display_name"),
    "working_groups": ("name", "kind"),
    "pain_points": ("key", "working_group", "title"),
    "supports": ("pain_point",),
}


class SheetError(Exception):
    """A file that cannot be read as a whole (a usage error, not a row's)."""


@dataclass
class Row:
    file: str
    line: int
    values: dict[str, str]

    def get(self, column: str) -> str:
        return self.values.get(column, "")


@dataclass
class Sheet:
    kind: str
    file: str
    rows: list[Row] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def kind_named(name: str) -> str | None:
    folded = name.strip().casefold().replace(" ", "_")
    if folded in COLUMNS:
        return folded
    return KIND_ALIASES.get(folded.replace("_", "-")) or KIND_ALIASES.get(folded)


def read_files(files: list[tuple[str, bytes]], kind: str | None = None) -> list[Sheet]:
    """The sheets of one XLSX or of several CSVs (each named by `kind` or its file name)."""
    if not files:
        raise SheetError("no file given")
    xlsx = [name for name, _ in files if name.lower().endswith(".xlsx")]
    if xlsx and len(files) > 1:
        raise SheetError("give one XLSX file, or several CSV files")
    if xlsx:
        return read_xlsx(files[0][0], files[0][1])
    sheets = []
    for name, content in files:
        if not name.lower().endswith(".csv"):
            raise SheetError(f"{name}: not a .csv or .xlsx file")
        sheet_kind = kind_named(kind) if kind else kind_named(PurePath(name).stem)
        if sheet_kind is None:
            raise SheetError(f"{name}: name the kind with --kind ({', '.join(KINDS)})")
        sheets.append(read_csv(name, content, sheet_kind))
    kinds = [s.kind for s in sheets]
    if len(set(kinds)) != len(kinds):
        raise SheetError("two files of the same kind")
    return sheets


def read_csv(name: str, content: bytes, kind: str) -> Sheet:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise SheetError(f"{name}: not UTF-8 text") from error
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    return _sheet(name, kind, [list(r) for r in reader])


def read_xlsx(name: str, content: bytes) -> list[Sheet]:
    from openpyxl import load_workbook  # only an import of XLSX pays for loading it

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a broken file
        raise SheetError(f"{name}: not a readable XLSX file") from error
    sheets = []
    try:
        for worksheet in book.worksheets:
            kind = kind_named(worksheet.title)
            if kind is None:
                continue
            cells = [[_cell(v) for v in row] for row in worksheet.iter_rows(values_only=True)]
            sheets.append(_sheet(f"{name}:{worksheet.title}", kind, cells))
    finally:
        book.close()
    if not sheets:
        raise SheetError(f"{name}: no sheet named like a kind ({', '.join(KINDS)})")
    return sheets


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _sheet(name: str, kind: str, cells: list[list[str]]) -> Sheet:
    sheet = Sheet(kind, name)
    if not cells:
        return sheet
    aliases = {alias: column for column, names in COLUMNS[kind].items() for alias in names}
    header: list[str | None] = []
    for title in cells[0]:
        column = aliases.get(title.strip().casefold())
        if column is None and title.strip():
            sheet.warnings.append(f"{name}: column {title.strip()!r} is ignored")
        header.append(column)
    for index, row in enumerate(cells[1:], start=2):
        values = {c: v.strip() for c, v in zip(header, row, strict=False) if c and v}
        if values:
            sheet.rows.append(Row(name, index, values))
    return sheet
