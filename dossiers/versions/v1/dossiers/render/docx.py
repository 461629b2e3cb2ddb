"""The Word dossier: built-in heading styles (navigation pane, TOC), a TOC field, running
header, "page X of Y" fields, tables and the chart images; archive made byte-reproducible."""

from __future__ import annotations

import io
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from docx import Document
from docx.document import Document as WordDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Length, Pt, RGBColor

from dossiers.versions.v1.dossiers.render import theme
from dossiers.versions.v1.dossiers.render.compose import compose
from dossiers.versions.v1.dossiers.render.docxblocks import (
    LABEL_SHARE,
    add_blocks,
    add_table_rows,
    split_width,
    style_run,
)
from dossiers.versions.v1.dossiers.render.docxparts import (
    add_field,
    cell_margins,
    deterministic_zip,
    field_char,
    field_instruction,
    shade,
    update_fields_on_open,
)
from dossiers.versions.v1.dossiers.render.labels import LOCALES, utc_moment
from dossiers.versions.v1.dossiers.render.model import TOC_LEVELS, Dossier

PAGE_WIDTH, PAGE_HEIGHT = Cm(21.0), Cm(29.7)
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = Cm(2.2), Cm(2.4), Cm(2.2)
TEXT_WIDTH = Length(PAGE_WIDTH - 2 * MARGIN_X)
HEADING_SIZES = {1: 16, 2: 13, 3: 9.5}
#: Word has no DejaVu Sans; Calibri is the sans every Office installation has.
WORD_FONT = "Calibri"


def render_docx(content: Mapping[str, Any], charts: Mapping[str, bytes]) -> bytes:
    dossier = compose(content)
    document = Document()
    page_setup(document, dossier)
    styles(document, dossier.language)
    cover(document, dossier)
    contents(document, dossier)
    add_blocks(document, dossier.blocks, charts, TEXT_WIDTH)
    properties(document, dossier, content["content_hash"])
    out = io.BytesIO()
    document.save(out)
    return deterministic_zip(out.getvalue(), as_of(dossier))


def as_of(dossier: Dossier) -> datetime:
    return utc_moment(dossier.as_of_time).replace(tzinfo=None)


#: Word's core properties hold at most 255 characters (a scope of many groups is longer).
PROPERTY_LIMIT = 255


def fitted(text: str) -> str:
    return text if len(text) <= PROPERTY_LIMIT else text[: PROPERTY_LIMIT - 1] + "…"


def properties(document: WordDocument, dossier: Dossier, content_hash: str) -> None:
    """Core properties from the content, never from the clock; no stale template thumbnail."""
    core = document.core_properties
    moment = as_of(dossier)
    core.title, core.author = fitted(dossier.title), fitted(dossier.author)
    core.subject, core.keywords = fitted(dossier.subject), fitted(dossier.keywords)
    core.identifier = content_hash
    core.last_modified_by = fitted(dossier.author)
    core.category = fitted(dossier.cover.title)
    core.comments = dossier.cover.hash_line
    core.language = LOCALES[dossier.language]
    core.created = core.modified = core.last_printed = moment
    core.revision = 1
    package = document.part.package
    for key, relationship in list(package.rels.items()):
        if relationship.reltype == RELATIONSHIP_TYPE.THUMBNAIL:
            del package.rels[key]


def page_setup(document: WordDocument, dossier: Dossier) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.left_margin = section.right_margin = MARGIN_X
    section.top_margin, section.bottom_margin = MARGIN_TOP, MARGIN_BOTTOM
    section.header_distance = section.footer_distance = Cm(1.1)
    section.different_first_page_header_footer = True
    running = dossier.running
    header = section.header.paragraphs[0]
    style_run(header.add_run(running.header_left), bold=True, colour=theme.ACCENT)
    header.add_run("\t" + running.header_right)
    footer = section.footer.paragraphs[0]
    footer.add_run(running.footer_left + "\t")
    before, rest = running.page_of.split("{page}")
    middle, after = rest.split("{pages}")
    footer.add_run(before)
    add_field(footer, "PAGE", "1")
    footer.add_run(middle)
    add_field(footer, "NUMPAGES", "1")
    footer.add_run(after)


def styles(document: WordDocument, language: str) -> None:
    fonts(document)
    normal = document.styles["Normal"]
    normal.font.size = Pt(10)
    normal.font.color.rgb = RGBColor.from_string(theme.INK.lstrip("#"))
    normal.paragraph_format.space_after = Pt(5)
    for level, size in HEADING_SIZES.items():
        heading = document.styles[f"Heading {level}"]
        heading.font.size = Pt(size)
        heading.font.bold = True
        colour = theme.MUTED if level == 3 else theme.ACCENT
        heading.font.color.rgb = RGBColor.from_string(colour.lstrip("#"))
        heading.paragraph_format.space_before = Pt(14 if level < 3 else 8)
        heading.paragraph_format.space_after = Pt(5 if level < 3 else 2)
        heading.paragraph_format.keep_with_next = True
    document.styles["Heading 1"].paragraph_format.page_break_before = True
    for name in ("Header", "Footer"):
        running = document.styles[name]
        running.font.size = Pt(7.5)
        running.font.color.rgb = RGBColor.from_string(theme.MUTED.lstrip("#"))
        stops = running.paragraph_format.tab_stops
        stops.clear_all()
        stops.add_tab_stop(TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT)
    language_default(document, LOCALES[language])


def fonts(document: WordDocument) -> None:
    """One sans font throughout, named rather than taken from the template's theme."""
    for fonts_element in document.styles.element.iter(qn("w:rFonts")):
        for theme_attribute in ("asciiTheme", "hAnsiTheme", "cstheme", "eastAsiaTheme"):
            fonts_element.attrib.pop(qn(f"w:{theme_attribute}"), None)
        for attribute in ("ascii", "hAnsi", "cs"):
            fonts_element.set(qn(f"w:{attribute}"), WORD_FONT)


def language_default(document: WordDocument, language: str) -> None:
    """Spelling and hyphenation in the dossier's language."""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    run_defaults = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = run_defaults.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        run_defaults.append(lang)
    lang.set(qn("w:val"), language)


def cover(document: WordDocument, dossier: Dossier) -> None:
    page = dossier.cover
    first = document.add_paragraph()
    first.paragraph_format.space_before = Pt(60)
    style_run(first.add_run(page.association), size=11, bold=True, colour=theme.MUTED)
    title = document.add_paragraph()
    title.paragraph_format.space_before = Pt(18)
    style_run(title.add_run(page.title), size=30, bold=True, colour=theme.ACCENT)
    style_run(document.add_paragraph().add_run(page.meeting), size=16, bold=True)
    line = document.add_paragraph()
    line.paragraph_format.space_after = Pt(24)
    style_run(line.add_run(page.meeting_line), size=11, colour=theme.MUTED)
    table = document.add_table(rows=len(page.facts), cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    add_table_rows(table, list(page.facts), split_width(TEXT_WIDTH, LABEL_SHARE))
    hash_line = document.add_paragraph()
    hash_line.paragraph_format.space_before = Pt(4)
    style_run(hash_line.add_run(page.hash_line), size=6.5, colour=theme.MUTED)
    spacer = document.add_paragraph()
    spacer.paragraph_format.space_before = Pt(30)
    notice = document.add_table(rows=1, cols=1)
    cell = notice.rows[0].cells[0]
    cell.width = TEXT_WIDTH
    shade(cell, theme.ACCENT_LIGHT)
    cell_margins(notice._tbl, top=100, side=160)
    heading = cell.paragraphs[0]
    style_run(heading.add_run(page.notice_title), size=9, bold=True)
    body = cell.add_paragraph()
    style_run(body.add_run(page.notice), size=8.5)


def contents(document: WordDocument, dossier: Dossier) -> None:
    """A TOC field whose result is already the list of headings: readable as it stands,
    complete with page numbers once Word updates the field on opening."""
    title = document.add_paragraph(dossier.contents_title, style="TOC Heading")
    title.paragraph_format.page_break_before = True
    entries = dossier.toc()
    levels = "-".join(str(level) for level in (TOC_LEVELS[0], TOC_LEVELS[-1]))
    for index, heading in enumerate(entries):
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.left_indent = Cm(0.6 * (heading.level - 1))
        paragraph.paragraph_format.space_after = Pt(2)
        if index == 0:
            field_char(paragraph, "begin", dirty=True)
            field_instruction(paragraph, f'TOC \\o "{levels}" \\h \\z \\u')
            field_char(paragraph, "separate")
        style_run(
            paragraph.add_run(heading.title),
            size=10 if heading.level == 1 else 9,
            bold=heading.level == 1,
        )
        if index == len(entries) - 1:
            field_char(paragraph, "end")
    update_fields_on_open(document.settings.element)
