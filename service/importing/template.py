"""The downloadable template: one sheet per kind, the canonical headers, an example row."""

from __future__ import annotations

import io

from service.importing.sheets import COLUMNS

EXAMPLES: dict[str, list[str]] = {
    "companies": ["Taunushöhe Systemhaus GmbH", "2024-03-01"],
    "people": [
        "matthias.peters@taunushoehe-systemhaus.example",
        "Matthias Peters",
        "Taunushöhe Systemhaus GmbH",
        "Lizenzierung",
        "no",
    ],
    "working_groups": ["Lizenzierung", "thematic", "Licensing programmes and their terms"],
    "pain_points": [
        "LIZ-1",
        "Lizenzierung",
        "Partnerportal verliert Kundenzuordnungen",
        "Seit dem Update fehlen Zuordnungen.",
        "matthias.peters@taunushoehe-systemhaus.example",
        "15.04.2024",
        "accepted",
        "portal|crm",
    ],
    "supports": ["LIZ-1", "", "Taunushöhe Systemhaus GmbH", "2024-05-02"],
}


def template_xlsx() -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for kind, columns in COLUMNS.items():
        sheet = book.create_sheet(kind)
        sheet.append(list(columns))
        sheet.append(EXAMPLES[kind])
        for cells in sheet.columns:
            sheet.column_dimensions[cells[0].column_letter].width = 28
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
