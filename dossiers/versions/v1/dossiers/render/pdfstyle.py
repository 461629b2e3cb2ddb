"""Fonts, paragraph styles and table styles of the PDF dossier."""

from __future__ import annotations

import threading
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import TableStyle

from dossiers.versions.v1.dossiers.render import theme

FONT = "DossierSans"
BOLD = "DossierSans-Bold"
ITALIC = "DossierSans-Italic"
BOLD_ITALIC = "DossierSans-BoldItalic"

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_X = 2.2 * cm
MARGIN_TOP = 2.4 * cm
MARGIN_BOTTOM = 2.2 * cm
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN_X

ACCENT = colors.HexColor(theme.ACCENT)
ACCENT_LIGHT = colors.HexColor(theme.ACCENT_LIGHT)
INK = colors.HexColor(theme.INK)
MUTED = colors.HexColor(theme.MUTED)
RULE = colors.HexColor(theme.RULE)
ZEBRA = colors.HexColor(theme.ZEBRA)

_registered = threading.Lock()


def register_fonts() -> None:
    """Embed the DejaVu Sans files that ship with matplotlib, under names of our own."""
    with _registered:
        if FONT in pdfmetrics.getRegisteredFontNames():
            return
        files = theme.FONT_FILES
        for name, key in (
            (FONT, "regular"),
            (BOLD, "bold"),
            (ITALIC, "italic"),
            (BOLD_ITALIC, "bold_italic"),
        ):
            pdfmetrics.registerFont(TTFont(name, str(files[key])))
        pdfmetrics.registerFontFamily(
            FONT, normal=FONT, bold=BOLD, italic=ITALIC, boldItalic=BOLD_ITALIC
        )


def text(value: str) -> str:
    """Plain text for a Paragraph: markup characters are shown, not interpreted."""
    return escape(value)


def _style(name: str, **values: object) -> ParagraphStyle:
    base: dict[str, object] = {
        "fontName": FONT,
        "bulletFontName": FONT,
        "fontSize": 9.3,
        "leading": 13.2,
        "textColor": INK,
        "spaceAfter": 5,
    }
    base.update(values)
    return ParagraphStyle(name, **base)


STYLES: dict[str, ParagraphStyle] = {
    "body": _style("body"),
    "intro": _style("intro", fontSize=10, leading=14.5, spaceAfter=8),
    "small": _style("small", fontSize=7.6, leading=10.4, textColor=MUTED),
    "caption": _style("caption", fontName=ITALIC, fontSize=7.6, leading=10, textColor=MUTED),
    "bullet": _style("bullet", leftIndent=11, bulletIndent=2, spaceAfter=2.5),
    "h1": _style(
        "h1",
        fontName=BOLD,
        fontSize=17,
        leading=21,
        textColor=ACCENT,
        spaceBefore=0,
        spaceAfter=10,
        keepWithNext=1,
    ),
    "h2": _style(
        "h2",
        fontName=BOLD,
        fontSize=12.2,
        leading=15.5,
        textColor=ACCENT,
        spaceBefore=12,
        spaceAfter=6,
        keepWithNext=1,
    ),
    "h3": _style(
        "h3",
        fontName=BOLD,
        fontSize=8.6,
        leading=11,
        textColor=MUTED,
        spaceBefore=7,
        spaceAfter=3,
        keepWithNext=1,
    ),
    "cell": _style("cell", fontSize=8, leading=10.4, spaceAfter=0),
    "cell_right": _style("cell_right", fontSize=8, leading=10.4, spaceAfter=0, alignment=TA_RIGHT),
    "head": _style(
        "head", fontName=BOLD, fontSize=7.6, leading=9.6, spaceAfter=0, textColor=colors.white
    ),
    "head_right": _style(
        "head_right",
        fontName=BOLD,
        fontSize=7.6,
        leading=9.6,
        spaceAfter=0,
        textColor=colors.white,
        alignment=TA_RIGHT,
    ),
    "label": _style(
        "label", fontName=BOLD, fontSize=8, leading=10.4, spaceAfter=0, textColor=MUTED
    ),
    "cover_association": _style(
        "cover_association", fontName=BOLD, fontSize=11, leading=14, textColor=MUTED
    ),
    "cover_title": _style(
        "cover_title", fontName=BOLD, fontSize=30, leading=36, textColor=ACCENT, spaceAfter=14
    ),
    "cover_meeting": _style("cover_meeting", fontName=BOLD, fontSize=16, leading=20, spaceAfter=3),
    "cover_line": _style("cover_line", fontSize=11, leading=15, textColor=MUTED, spaceAfter=26),
    "cover_hash": _style("cover_hash", fontSize=6.4, leading=8.5, textColor=MUTED),
    "notice_title": _style("notice_title", fontName=BOLD, fontSize=9, leading=12, spaceAfter=2),
    "notice": _style("notice", fontSize=8, leading=11, spaceAfter=0),
    "toc_title": _style("toc_title", fontName=BOLD, fontSize=17, leading=21, textColor=ACCENT),
    "toc1": _style("toc1", fontName=BOLD, fontSize=9.6, leading=13, spaceBefore=5, spaceAfter=1),
    "toc2": _style("toc2", fontSize=8.8, leading=11.5, leftIndent=16, spaceAfter=0.5),
    "running": _style("running", fontSize=7.2, leading=9, textColor=MUTED),
}


def table_style(rows: int, has_header: bool) -> TableStyle:
    """Light zebra rows under a thin rule; the header row in the accent colour."""
    commands: list[tuple[object, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 2.6),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3.2),
        ("LINEBELOW", (0, -1), (-1, -1), 0.6, RULE),
    ]
    first = 1 if has_header else 0
    if has_header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), ACCENT))
    for row in range(first, rows):
        if (row - first) % 2 == 1:
            commands.append(("BACKGROUND", (0, row), (-1, row), ZEBRA))
    return TableStyle(commands)
