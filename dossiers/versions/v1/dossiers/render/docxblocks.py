"""Dossier blocks as Word content."""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping, Sequence

from docx.document import Document as WordDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Length, Pt, RGBColor
from docx.table import Table as WordTable
from docx.text.run import Run

from dossiers.versions.v1.dossiers.render import theme
from dossiers.versions.v1.dossiers.render.docxparts import (
    cell_margins,
    repeat_as_header,
    rule_borders,
    shade,
)
from dossiers.versions.v1.dossiers.render.layout import fit_widths
from dossiers.versions.v1.dossiers.render.model import (
    Block,
    Bullets,
    Chart,
    Facts,
    Heading,
    Para,
    Table,
)

LABEL_SHARE = 0.3
CELL_SIZE = 8.5
PDF_CELL_SIZE = 8.0
NOTE_SIZE = 7.5
PARA_SIZES = {"body": None, "intro": 11.0, "small": 8.0}


def style_run(
    run: Run,
    size: float | None = None,
    bold: bool = False,
    italic: bool = False,
    colour: str | None = None,
) -> Run:
    if size is not None:
        run.font.size = Pt(size)
    if bold:
        run.font.bold = True
    if italic:
        run.font.italic = True
    if colour is not None:
        run.font.color.rgb = RGBColor.from_string(colour.lstrip("#"))
    return run


def add_blocks(
    document: WordDocument, blocks: Iterable[Block], charts: Mapping[str, bytes], width: Length
) -> None:
    for block in blocks:
        if isinstance(block, Heading):
            document.add_heading(block.title, level=block.level)
        elif isinstance(block, Para):
            add_para(document, block)
        elif isinstance(block, Bullets):
            for item in block.items:
                document.add_paragraph(item, style="List Bullet")
        elif isinstance(block, Facts):
            table = document.add_table(rows=len(block.rows), cols=2)
            add_table_rows(table, list(block.rows), split_width(width, LABEL_SHARE))
            after_table(document)
        elif isinstance(block, Chart):
            add_chart(document, block, charts, width)
        else:
            add_data_table(document, block, width)


def split_width(width: Length, share: float) -> list[Length]:
    """A label column of `share` of the width and a value column of the rest (whole EMU)."""
    label = int(width * share)
    return [Length(label), Length(int(width) - label)]


def add_para(document: WordDocument, block: Para) -> None:
    if block.style == "caption":
        document.add_paragraph(block.text, style="Caption")
        return
    paragraph = document.add_paragraph()
    small = block.style == "small"
    style_run(
        paragraph.add_run(block.text),
        size=PARA_SIZES.get(block.style),
        colour=theme.MUTED if small else None,
    )


def add_chart(
    document: WordDocument, block: Chart, charts: Mapping[str, bytes], width: Length
) -> None:
    png = charts.get(block.key)
    if png is None:
        document.add_paragraph(block.alt)
        return
    document.add_picture(io.BytesIO(png), width=width)
    document.paragraphs[-1].paragraph_format.keep_with_next = True
    document.add_paragraph(block.caption, style="Caption")


def after_table(document: WordDocument) -> None:
    """Word merges adjacent tables: a small gap paragraph keeps them apart."""
    gap = document.add_paragraph()
    gap.paragraph_format.space_after = Pt(2)
    style_run(gap.add_run(""), size=4)


def add_data_table(document: WordDocument, block: Table, width: Length) -> None:
    points = fit_widths(block, width.pt, scale=CELL_SIZE / PDF_CELL_SIZE)
    widths = [Length(int(width * p / sum(points))) for p in points]
    table = document.add_table(rows=len(block.rows) + 1, cols=len(block.header))
    add_table_rows(
        table,
        [block.header, *block.rows],
        widths,
        header=True,
        right=block.right,
        notes=("", *block.notes),
        notes_column=block.notes_column,
    )
    after_table(document)


def add_table_rows(
    table: WordTable,
    rows: Sequence[Sequence[str]],
    widths: Sequence[Length],
    header: bool = False,
    right: Sequence[int] = (),
    notes: Sequence[str] = (),
    notes_column: int = 0,
) -> None:
    """Fills the table's rows (made empty, as many as `rows`) with thin rules and zebra
    stripes; with `header` the first row is the header, in the accent colour; without it the
    first column holds labels."""
    table.autofit = False
    rule_borders(table._tbl, theme.RULE)
    cell_margins(table._tbl, top=40, side=80)
    for column, column_width in zip(table.columns, widths, strict=True):
        column.width = column_width
    for number, (row, values) in enumerate(zip(table.rows, rows, strict=True)):
        is_header = header and number == 0
        if is_header:
            repeat_as_header(row)
        stripe = (number - (1 if header else 0)) % 2 == 1
        for column, (cell, value) in enumerate(zip(row.cells, values, strict=True)):
            cell.width = widths[column]
            if is_header:
                shade(cell, theme.ACCENT)
            elif stripe:
                shade(cell, theme.ZEBRA)
            paragraph = cell.paragraphs[0]
            paragraph.paragraph_format.space_after = Pt(0)
            if column in right:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            label = not header and column == 0
            style_run(
                paragraph.add_run(value),
                size=CELL_SIZE,
                bold=is_header or label,
                colour=theme.WHITE if is_header else theme.MUTED if label else None,
            )
            note = notes[number] if number < len(notes) else ""
            if note and column == notes_column:
                extra = cell.add_paragraph()
                extra.paragraph_format.space_after = Pt(0)
                style_run(extra.add_run(note), size=NOTE_SIZE, colour=theme.MUTED)
