"""Dossier blocks as reportlab flowables."""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping

from reportlab.lib.units import cm
from reportlab.platypus import CondPageBreak, Flowable, Image, KeepTogether, Paragraph, Spacer
from reportlab.platypus import Table as PdfTable

from dossiers.versions.v1.dossiers.render import theme
from dossiers.versions.v1.dossiers.render.charts import SIZE_INCHES
from dossiers.versions.v1.dossiers.render.layout import fit_widths
from dossiers.versions.v1.dossiers.render.model import (
    TOC_LEVELS,
    Block,
    Bullets,
    Chart,
    Facts,
    Heading,
    Para,
    Table,
)
from dossiers.versions.v1.dossiers.render.pdfstyle import STYLES, TEXT_WIDTH, table_style, text

LABEL_SHARE = 0.3
#: A section of the dossier starts on a new page unless this much room is left.
SECTION_ROOM = 6 * cm


class HeadingParagraph(Paragraph):  # type: ignore[misc]
    """A heading that the document enters into the table of contents and the PDF outline."""

    def __init__(self, heading: Heading, key: str) -> None:
        super().__init__(text(heading.title), STYLES[f"h{heading.level}"])
        if heading.level in TOC_LEVELS:
            self.toc_level = heading.level - 1
            self.toc_text = heading.title
            self.toc_key = key


def story_of_blocks(blocks: Iterable[Block], charts: Mapping[str, bytes]) -> list[Flowable]:
    flowables: list[Flowable] = []
    for index, block in enumerate(blocks):
        if isinstance(block, Heading):
            if block.level == 2:
                flowables.append(CondPageBreak(SECTION_ROOM))
            flowables.append(HeadingParagraph(block, f"h{index}"))
        elif isinstance(block, Para):
            flowables.append(Paragraph(text(block.text), STYLES[block.style]))
        elif isinstance(block, Bullets):
            flowables += [Paragraph(text(i), STYLES["bullet"], bulletText="•") for i in block.items]
            flowables.append(Spacer(1, 3))
        elif isinstance(block, Facts):
            flowables += [facts_table(block), Spacer(1, 4)]
        elif isinstance(block, Chart):
            # The chart's heading goes with it: never a heading alone at the foot of a page.
            last = flowables[-1] if flowables else None
            title = [flowables.pop()] if isinstance(last, HeadingParagraph) else []
            flowables.append(KeepTogether([*title, *chart(block, charts)]))
        else:
            flowables += [data_table(block), Spacer(1, 6)]
    return flowables


def chart(block: Chart, charts: Mapping[str, bytes]) -> list[Flowable]:
    png = charts.get(block.key)
    if png is None:
        return [Paragraph(text(block.alt), STYLES["body"])]
    width, height = SIZE_INCHES
    image = Image(io.BytesIO(png), width=TEXT_WIDTH, height=TEXT_WIDTH * height / width)
    return [image, Spacer(1, 2), Paragraph(text(block.caption), STYLES["caption"])]


def facts_table(block: Facts) -> Flowable:
    rows = [
        [Paragraph(text(label), STYLES["label"]), Paragraph(text(value), STYLES["cell"])]
        for label, value in block.rows
    ]
    return PdfTable(
        rows,
        colWidths=[LABEL_SHARE * TEXT_WIDTH, (1 - LABEL_SHARE) * TEXT_WIDTH],
        style=table_style(len(rows), has_header=False),
    )


def data_table(block: Table) -> Flowable:
    header = [
        Paragraph(text(title), STYLES["head_right" if i in block.right else "head"])
        for i, title in enumerate(block.header)
    ]
    rows = [header]
    for number, row in enumerate(block.rows):
        note = block.notes[number] if number < len(block.notes) else ""
        cells = []
        for column, value in enumerate(row):
            markup = text(value)
            if note and column == block.notes_column:
                markup += f'<br/><font size="7" color="{theme.MUTED}">{text(note)}</font>'
            style = STYLES["cell_right" if column in block.right else "cell"]
            cells.append(Paragraph(markup, style))
        rows.append(cells)
    return PdfTable(
        rows,
        colWidths=fit_widths(block, TEXT_WIDTH),
        repeatRows=1,
        style=table_style(len(rows), has_header=True),
    )
