"""The print dossier: A4 PDF with cover, table of contents, running header and "page X of Y".

Reproducible to the byte: reportlab's invariant mode, the creation date and document ID taken
from the content (not the clock, nor SOURCE_DATE_EPOCH), fonts embedded from fixed files.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Mapping
from typing import Any

from reportlab.lib.units import cm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
)
from reportlab.platypus.flowables import HRFlowable, PageBreakIfNotEmpty
from reportlab.platypus.tableofcontents import TableOfContents

from dossiers.versions.v1.dossiers.render.compose import compose
from dossiers.versions.v1.dossiers.render.labels import LOCALES, utc_moment
from dossiers.versions.v1.dossiers.render.model import TOC_LEVELS, Dossier, Running
from dossiers.versions.v1.dossiers.render.pdfblocks import story_of_blocks
from dossiers.versions.v1.dossiers.render.pdfstyle import (
    ACCENT,
    ACCENT_LIGHT,
    BOLD,
    FONT,
    MARGIN_BOTTOM,
    MARGIN_TOP,
    MARGIN_X,
    MUTED,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    RULE,
    STYLES,
    TEXT_WIDTH,
    register_fonts,
    table_style,
    text,
)

#: A layout that has not settled after this many full builds is a bug, not a slow document.
MAX_BUILDS = 3


class ContentStamp:
    """Stands in for reportlab's TimeStamp: the dossier's as-of instant, in UTC."""

    def __init__(self, iso: str) -> None:
        moment = utc_moment(iso)
        self.t = moment.timestamp()
        self.YMDhms = (
            moment.year,
            moment.month,
            moment.day,
            moment.hour,
            moment.minute,
            moment.second,
        )
        self.dhh = self.dmm = 0
        self.tzname = "UTC"


def canvas_maker(dossier: Dossier, seed: bytes) -> Any:
    """A Canvas factory for reportlab that pins the creation date and the document ID."""

    def make(*args: Any, **kwargs: Any) -> Canvas:
        kwargs["invariant"] = 1
        canvas = Canvas(*args, **kwargs)
        document = canvas._doc
        document._timeStamp = ContentStamp(dossier.as_of_time)
        document.signature = hashlib.md5(seed, usedforsecurity=False)
        canvas.showOutline()
        return canvas

    return make


class DossierDocument(BaseDocTemplate):  # type: ignore[misc]
    """Feeds headings to the table of contents and the PDF outline; knows the page count
    of the previous pass for "page X of Y"."""

    def __init__(self, target: io.BytesIO, dossier: Dossier, total_pages: int) -> None:
        super().__init__(
            target,
            pagesize=(PAGE_WIDTH, PAGE_HEIGHT),
            leftMargin=MARGIN_X,
            rightMargin=MARGIN_X,
            topMargin=MARGIN_TOP,
            bottomMargin=MARGIN_BOTTOM,
            title=dossier.title,
            author=dossier.author,
            subject=dossier.subject,
            keywords=dossier.keywords,
            creator="Sprachrohr",
            producer="Sprachrohr (ReportLab)",
            initialFontName=FONT,
            lang=LOCALES[dossier.language],
            invariant=1,
            pageCompression=1,
        )
        self.running = dossier.running
        self.total_pages = total_pages
        frame = Frame(MARGIN_X, MARGIN_BOTTOM, TEXT_WIDTH, PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM)
        self.addPageTemplates(
            [
                PageTemplate("cover", [frame]),
                PageTemplate("body", [frame], onPage=self.decorate),
            ]
        )

    def build(self, flowables: list[Flowable], **kwargs: Any) -> None:
        """One pass of multiBuild: the next pass shows this pass's page count."""
        self.total_shown = self.total_pages
        super().build(flowables, **kwargs)
        self.total_pages = self.page

    def afterFlowable(self, flowable: Flowable) -> None:
        level = getattr(flowable, "toc_level", None)
        if level is None:
            return
        key = flowable.toc_key
        self.canv.bookmarkPage(key)
        self.canv.addOutlineEntry(flowable.toc_text, key, level=level, closed=level > 0)
        self.notify("TOCEntry", (level, flowable.toc_text, self.page, key))

    def decorate(self, canvas: Canvas, document: BaseDocTemplate) -> None:
        running: Running = self.running
        page = canvas.getPageNumber()
        total = self.total_pages or page
        canvas.saveState()
        top = PAGE_HEIGHT - MARGIN_TOP + 0.7 * cm
        canvas.setFont(BOLD, 7.2)
        canvas.setFillColor(ACCENT)
        canvas.drawString(MARGIN_X, top, running.header_left)
        canvas.setFont(FONT, 7.2)
        canvas.setFillColor(MUTED)
        canvas.drawRightString(PAGE_WIDTH - MARGIN_X, top, running.header_right)
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN_X, top - 4, PAGE_WIDTH - MARGIN_X, top - 4)
        bottom = MARGIN_BOTTOM - 1.0 * cm
        canvas.line(MARGIN_X, bottom + 9, PAGE_WIDTH - MARGIN_X, bottom + 9)
        canvas.drawString(MARGIN_X, bottom, running.footer_left)
        canvas.drawRightString(
            PAGE_WIDTH - MARGIN_X, bottom, running.page_of.format(page=page, pages=total)
        )
        canvas.restoreState()


def render_pdf(content: Mapping[str, Any], charts: Mapping[str, bytes]) -> bytes:
    register_fonts()
    dossier = compose(content)
    seed = content["content_hash"].encode("ascii")
    total = 0
    for _ in range(MAX_BUILDS):
        target = io.BytesIO()
        document = DossierDocument(target, dossier, total)
        document.multiBuild(story(dossier, charts), canvasmaker=canvas_maker(dossier, seed))
        if document.total_shown == document.total_pages:
            return target.getvalue()
        total = document.total_pages
    raise RuntimeError(f"the dossier's page count did not settle in {MAX_BUILDS} builds")


def story(dossier: Dossier, charts: Mapping[str, bytes]) -> list[Flowable]:
    flowables = cover(dossier)
    flowables += [NextPageTemplate("body"), PageBreak()]
    flowables += [Paragraph(text(dossier.contents_title), STYLES["toc_title"]), Spacer(1, 10)]
    contents = TableOfContents(
        dotsMinLevel=0,
        tableStyle=[
            ("FONTNAME", (0, 0), (-1, -1), FONT),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ],
    )
    contents.levelStyles = [STYLES["toc1"], STYLES["toc2"]][: len(TOC_LEVELS)]
    flowables += [contents, PageBreak()]
    for flowable in story_of_blocks(dossier.blocks, charts):
        if getattr(flowable, "toc_level", None) == 0:
            flowables.append(PageBreakIfNotEmpty())
        flowables.append(flowable)
    return flowables


def cover(dossier: Dossier) -> list[Flowable]:
    page = dossier.cover
    facts = Table(
        [
            [Paragraph(text(label), STYLES["label"]), Paragraph(text(value), STYLES["cell"])]
            for label, value in page.facts
        ],
        colWidths=[0.3 * TEXT_WIDTH, 0.7 * TEXT_WIDTH],
        style=table_style(len(page.facts), has_header=False),
    )
    notice = Table(
        [
            [Paragraph(text(page.notice_title), STYLES["notice_title"])],
            [Paragraph(text(page.notice), STYLES["notice"])],
        ],
        colWidths=[TEXT_WIDTH],
        style=[
            ("FONTNAME", (0, 0), (-1, -1), FONT),
            ("BACKGROUND", (0, 0), (-1, -1), ACCENT_LIGHT),
            ("LINEBEFORE", (0, 0), (0, -1), 2.4, ACCENT),
            ("LEFTPADDING", (0, 0), (-1, -1), 9),
            ("TOPPADDING", (0, 0), (-1, 0), 7),
            ("BOTTOMPADDING", (0, -1), (-1, -1), 8),
        ],
    )
    return [
        Spacer(1, 2.2 * cm),
        Paragraph(text(page.association), STYLES["cover_association"]),
        HRFlowable(width="100%", thickness=1.6, color=ACCENT, spaceBefore=6, spaceAfter=18),
        Paragraph(text(page.title), STYLES["cover_title"]),
        Paragraph(text(page.meeting), STYLES["cover_meeting"]),
        Paragraph(text(page.meeting_line), STYLES["cover_line"]),
        facts,
        Spacer(1, 6),
        Paragraph(text(page.hash_line), STYLES["cover_hash"]),
        Spacer(1, 1.4 * cm),
        notice,
    ]
