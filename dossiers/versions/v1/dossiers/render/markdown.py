"""The dossier as Markdown (GitHub flavour): headings, a linked contents list, pipe tables."""

from __future__ import annotations

import re
from typing import Any

from dossiers.versions.v1.dossiers.render.compose import compose
from dossiers.versions.v1.dossiers.render.model import (
    TOC_LEVELS,
    Block,
    Bullets,
    Chart,
    Dossier,
    Facts,
    Heading,
    Para,
    Table,
)

#: Model heading levels one to three sit below the document title.
LEVEL_OFFSET = 1
SPECIAL = re.compile(r"([\\`*_\[\]<>|])")
LINE_START = re.compile(r"^(#|[-+>]\s|\d+[.)]\s)")


def escape(text: str) -> str:
    """Text shown literally: no emphasis, links, HTML or table breaks from user input."""
    escaped = SPECIAL.sub(r"\\\1", text)
    return LINE_START.sub(r"\\\1", escaped)


class Slugs:
    """GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, and
    a counter appended to repeats."""

    def __init__(self) -> None:
        self.seen: dict[str, int] = {}

    def __call__(self, text: str) -> str:
        base = re.sub(r"[^\w\- ]", "", text.lower()).replace(" ", "-")
        count = self.seen.get(base, 0)
        self.seen[base] = count + 1
        return base if count == 0 else f"{base}-{count}"


def render_markdown(content: dict[str, Any]) -> bytes:
    dossier = compose(content)
    lines = cover(dossier)
    slugs = Slugs()
    slugs(dossier.cover.title)
    lines += [f"## {escape(dossier.contents_title)}", ""]
    slugs(dossier.contents_title)
    anchors = [slugs(block.title) if isinstance(block, Heading) else "" for block in dossier.blocks]
    for block, anchor in zip(dossier.blocks, anchors, strict=True):
        if isinstance(block, Heading) and block.level in TOC_LEVELS:
            indent = "  " * (block.level - 1)
            lines.append(f"{indent}- [{escape(block.title)}](#{anchor})")
    lines.append("")
    for block in dossier.blocks:
        lines += render_block(block)
    return ("\n".join(lines).rstrip("\n") + "\n").encode("utf-8")


def cover(dossier: Dossier) -> list[str]:
    page = dossier.cover
    lines = [
        f"# {escape(page.title)}",
        "",
        f"**{escape(page.association)}**",
        "",
        f"**{escape(page.meeting)}** · {escape(page.meeting_line)}",
        "",
    ]
    lines += table(("", ""), [(label, value) for label, value in page.facts], ())
    lines += [
        escape(page.hash_line),
        "",
        f"> **{escape(page.notice_title)}.** {escape(page.notice)}",
        "",
    ]
    return lines


def render_block(block: Block) -> list[str]:
    if isinstance(block, Heading):
        return [f"{'#' * (block.level + LEVEL_OFFSET)} {escape(block.title)}", ""]
    if isinstance(block, Para):
        text = escape(block.text)
        return [f"*{text}*" if block.style in ("small", "caption") else text, ""]
    if isinstance(block, Bullets):
        return [*(f"- {escape(item)}" for item in block.items), ""]
    if isinstance(block, Facts):
        return table(("", ""), list(block.rows), ())
    if isinstance(block, Chart):
        return [f"*{escape(block.caption)}* {escape(block.alt)}", ""]
    return table_with_notes(block)


def table_with_notes(block: Table) -> list[str]:
    lines = table(block.header, list(block.rows), block.right)
    notes = [
        f"- **{escape(row[block.notes_column])}**: {escape(note)}"
        for row, note in zip(block.rows, block.notes, strict=False)
        if note
    ]
    return [*lines, *notes, ""] if notes else lines


def table(
    header: tuple[str, ...], rows: list[tuple[str, ...]], right: tuple[int, ...]
) -> list[str]:
    def row_line(cells: tuple[str, ...]) -> str:
        return "| " + " | ".join(escape(cell) for cell in cells) + " |"

    rule = "|" + "|".join("---:" if i in right else "---" for i in range(len(header))) + "|"
    return [row_line(header), rule, *(row_line(tuple(r)) for r in rows), ""]
