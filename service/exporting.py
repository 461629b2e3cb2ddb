"""Lists as files an office opens: CSV (UTF-8 with BOM) and XLSX, safe from formulas.

A cell whose text starts with `=`, `+`, `-`, `@`, a tab or a carriage return would be
read by a spreadsheet as a formula (CSV/formula injection); such text gets a leading
apostrophe, which spreadsheets show as text. Numbers stay numbers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date, datetime

CSV = "text/csv; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MEDIA_TYPES = {"csv": CSV, "xlsx": XLSX}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

Cell = str | int | float | bool | date | datetime | None


def neutralised(value: Cell) -> Cell:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def csv_bytes(
    headers: Sequence[str], rows: Sequence[Sequence[Cell]], *, delimiter: str = ","
) -> bytes:
    """UTF-8 with a BOM (so Excel reads the umlauts), one header line."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow([_text(neutralised(h)) for h in headers])
    for row in rows:
        writer.writerow([_text(neutralised(cell)) for cell in row])
    return b"\xef\xbb\xbf" + out.getvalue().encode("utf-8")


def xlsx_bytes(title: str, headers: Sequence[str], rows: Sequence[Sequence[Cell]]) -> bytes:
    from openpyxl import Workbook  # only a download of XLSX pays for loading it

    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append([neutralised(h) for h in headers])
    for row in rows:
        sheet.append([_xlsx_cell(cell) for cell in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _xlsx_cell(value: Cell) -> Cell:
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.isoformat()  # spreadsheets have no time zones: keep the exact moment
    return neutralised(value)


def table_file(
    fmt: str, title: str, headers: Sequence[str], rows: Sequence[Sequence[Cell]], *, language: str
) -> bytes:
    """The table as `fmt` (csv or xlsx); German CSV uses `;` like German Excel."""
    if fmt == "xlsx":
        return xlsx_bytes(title, headers, rows)
    return csv_bytes(headers, rows, delimiter=";" if language == "de" else ",")
