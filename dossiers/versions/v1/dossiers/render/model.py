"""The dossier as a sequence of format-neutral blocks.

Every format renders the same blocks in the same order, so headings, tables and figures agree
across PDF, DOCX and Markdown by construction. Texts in blocks are plain (no markup): each
renderer escapes them for its own format.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

#: Headings of these levels appear in the table of contents; deeper ones only in the body.
TOC_LEVELS = (1, 2)


@dataclass(frozen=True)
class Heading:
    """A numbered heading; level 1 starts a new page in paged formats."""

    level: int
    number: str
    text: str

    @property
    def title(self) -> str:
        return f"{self.number} {self.text}" if self.number else self.text


@dataclass(frozen=True)
class Para:
    """A paragraph; `style` is "body", "intro" (a lead-in), "small" or "caption"."""

    text: str
    style: str = "body"


@dataclass(frozen=True)
class Bullets:
    items: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    """A table with a header row.

    `widths` are relative column widths, `right` the columns aligned right (numbers), and
    `notes` an optional second line per row (an abstract, a rationale), shown in small type
    under the cell of column `notes_column`; an empty note shows nothing.
    """

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...]
    right: tuple[int, ...] = ()
    notes: tuple[str, ...] = ()
    notes_column: int = 0


@dataclass(frozen=True)
class Facts:
    """Label-value pairs, shown as a two-column table without a header."""

    rows: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Chart:
    """The support-over-time chart of a pain point; `alt` describes it in words."""

    key: str
    caption: str
    alt: str


Block = Heading | Para | Bullets | Table | Facts | Chart

#: Numbers the next heading of a level: (level, text) -> Heading.
Numberer = Callable[[int, str], Heading]


@dataclass(frozen=True)
class Cover:
    """The cover page: who, for which meeting, as of when, and how to prove it."""

    association: str
    title: str
    meeting: str
    meeting_line: str
    facts: tuple[tuple[str, str], ...]
    hash_line: str
    notice_title: str
    notice: str


@dataclass(frozen=True)
class Running:
    """Texts of the running header and footer of paged formats."""

    header_left: str
    header_right: str
    footer_left: str
    page_of: str  # with {page} and {pages} placeholders


@dataclass(frozen=True)
class Dossier:
    """Everything a renderer needs: the metadata, cover, page texts and body blocks."""

    language: str
    title: str
    author: str
    subject: str
    keywords: str
    as_of_time: str
    contents_title: str
    cover: Cover
    running: Running
    blocks: tuple[Block, ...] = field(default_factory=tuple)

    def toc(self) -> list[Heading]:
        return [b for b in self.blocks if isinstance(b, Heading) and b.level in TOC_LEVELS]

    def charts(self) -> list[Chart]:
        return [b for b in self.blocks if isinstance(b, Chart)]
