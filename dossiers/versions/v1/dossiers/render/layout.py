"""Column widths that fit: shared by PDF and DOCX tables."""

from __future__ import annotations

from collections.abc import Iterable

from reportlab.pdfbase.pdfmetrics import stringWidth

from dossiers.versions.v1.dossiers.render.model import Table
from dossiers.versions.v1.dossiers.render.pdfstyle import STYLES, register_fonts

#: Left and right cell padding together, and a little air, in points.
CELL_PADDING = 10


def longest_word(values: Iterable[str], font: str, size: float) -> float:
    return max((stringWidth(w, font, size) for v in values for w in v.split(" ")), default=0)


def fit_widths(block: Table, total: float, scale: float = 1.0) -> list[float]:
    """The table's relative widths scaled to `total` points, widened where a column's longest
    word would not fit (measured in the PDF's font and sizes times `scale`); the other
    columns give up the room in proportion."""
    register_fonts()
    head, cell = STYLES["head"], STYLES["cell"]
    columns = range(len(block.widths))
    need = [
        CELL_PADDING
        + scale
        * max(
            longest_word([block.header[c]], head.fontName, head.fontSize),
            longest_word([row[c] for row in block.rows], cell.fontName, cell.fontSize),
        )
        for c in columns
    ]
    if sum(need) > total:
        return [w * total / sum(block.widths) for w in block.widths]
    fixed: dict[int, float] = {}
    while True:
        free = [c for c in columns if c not in fixed]
        room = total - sum(fixed.values())
        share = room / sum(block.widths[c] for c in free)
        short = [c for c in free if need[c] > block.widths[c] * share]
        if not short:
            return [fixed.get(c, block.widths[c] * share) for c in columns]
        fixed.update((c, need[c]) for c in short)
