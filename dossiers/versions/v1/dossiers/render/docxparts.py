"""Word building blocks python-docx has no API for: fields, shading, borders, header rows,
and the rewrite that makes the package's zip archive byte-reproducible."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.table import CT_Tbl
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.table import _Cell, _Row
from docx.text.paragraph import Paragraph

CONTENT_TYPES = "[Content_Types].xml"
#: As Word writes its own packages: made on "MS-DOS", no file attributes.
CREATE_SYSTEM = 0
FILE_ATTRIBUTES = 0
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)

# Word rejects properties out of the schema's order: each is inserted before its successors.
TC_AFTER_SHD = ("w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark")
TR_AFTER_HEADER = ("w:tblCellSpacing", "w:jc", "w:hidden", "w:ins", "w:del", "w:trPrChange")
TBL_AFTER_BORDERS = ("w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption")
SETTINGS_AFTER_UPDATE_FIELDS = (
    "w:hdrShapeDefaults",
    "w:footnotePr",
    "w:endnotePr",
    "w:compat",
    "w:docVars",
    "w:rsids",
    "m:mathPr",
    "w:attachedSchema",
    "w:themeFontLang",
    "w:clrSchemeMapping",
    "w:doNotIncludeSubdocsInStats",
    "w:doNotAutoCompressPictures",
    "w:forceUpgrade",
    "w:captions",
    "w:readModeInkLockDown",
    "w:smartTagType",
    "sl:schemaLibrary",
    "w:shapeDefaults",
    "w:doNotEmbedSmartTags",
    "w:decimalSymbol",
    "w:listSeparator",
)


def add_field(paragraph: Paragraph, instruction: str, shown: str) -> None:
    """A simple field (PAGE, NUMPAGES), showing `shown` until Word computes it."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = shown
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def field_char(paragraph: Paragraph, kind: str, dirty: bool = False) -> None:
    run = paragraph.add_run()
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    if dirty:
        char.set(qn("w:dirty"), "true")
    run._r.append(char)


def field_instruction(paragraph: Paragraph, instruction: str) -> None:
    run = paragraph.add_run()
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    run._r.append(text)


def shade(cell: _Cell, fill: str) -> None:
    properties = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill.lstrip("#").upper())
    properties.insert_element_before(shading, *TC_AFTER_SHD)


def repeat_as_header(row: _Row) -> None:
    """The row repeats at the top of every page the table runs onto."""
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.insert_element_before(header, *TR_AFTER_HEADER)


def rule_borders(table_element: CT_Tbl, colour: str) -> None:
    """Only thin horizontal rules: between rows and under the table."""
    properties = table_element.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        border = OxmlElement(f"w:{edge}")
        visible = edge in ("bottom", "insideH")
        border.set(qn("w:val"), "single" if visible else "nil")
        if visible:
            border.set(qn("w:sz"), "4")
            border.set(qn("w:space"), "0")
            border.set(qn("w:color"), colour.lstrip("#").upper())
        borders.append(border)
    properties.insert_element_before(borders, *TBL_AFTER_BORDERS)


def cell_margins(table_element: CT_Tbl, top: int, side: int) -> None:
    """Cell padding in twentieths of a point."""
    margins = OxmlElement("w:tblCellMar")
    for edge, value in (("top", top), ("left", side), ("bottom", top), ("right", side)):
        margin = OxmlElement(f"w:{edge}")
        margin.set(qn("w:w"), str(value))
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    table_element.tblPr.insert_element_before(margins, *TBL_AFTER_BORDERS[2:])


def update_fields_on_open(settings: BaseOxmlElement) -> None:
    """Word recomputes the fields (the table of contents) when it opens the document."""
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    settings.insert_element_before(update, *SETTINGS_AFTER_UPDATE_FIELDS)


def deterministic_zip(package: bytes, moment: datetime) -> bytes:
    """The same archive with nothing left to chance: [Content_Types].xml first, then the
    parts by name, each with the as-of time, DEFLATE level 9 and fixed attributes."""
    stamp = max(
        (moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second),
        ZIP_EPOCH,
    )
    with zipfile.ZipFile(io.BytesIO(package)) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    names = sorted(parts, key=lambda name: (name != CONTENT_TYPES, name))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = CREATE_SYSTEM
            info.external_attr = FILE_ATTRIBUTES
            archive.writestr(info, parts[name], compresslevel=9)
    return out.getvalue()
