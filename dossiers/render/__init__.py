"""Render a dossier's content to PDF, DOCX, Markdown and JSON, byte-reproducibly.

The same content gives the same bytes in any process, time zone, working directory or locale,
on any day, as long as the pinned libraries (reportlab, python-docx, matplotlib, Pillow, zlib)
are the same versions: verification re-renders and compares SHA-256.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from dossiers.render.jsonfmt import canonical_json, render_json

# The PDF, DOCX and chart renderers (reportlab, python-docx, matplotlib) are imported when a
# dossier is rendered, not when the server starts: they cost seconds of start-up.

FORMATS = ("pdf", "docx", "md", "json")
MEDIA_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "md": "text/markdown; charset=utf-8",
    "json": "application/json",
}
#: File name extensions, with the dot.
EXTENSIONS = {"pdf": ".pdf", "docx": ".docx", "md": ".md", "json": ".json"}
#: Formats that embed the charts.
CHARTED = ("pdf", "docx")

__all__ = [
    "EXTENSIONS",
    "FORMATS",
    "MEDIA_TYPES",
    "canonical_json",
    "render",
    "render_all",
]


def _check(fmt: str) -> None:
    if fmt not in FORMATS:
        raise ValueError(f"unknown dossier format {fmt!r}: choose from {', '.join(FORMATS)}")


def render_charts(content: dict[str, Any]) -> dict[str, bytes]:
    from dossiers.render.charts import render_charts as draw

    return draw(content)


def _render(content: dict[str, Any], fmt: str, charts: Mapping[str, bytes]) -> bytes:
    if fmt == "pdf":
        from dossiers.render.pdf import render_pdf

        return render_pdf(content, charts)
    if fmt == "docx":
        from dossiers.render.docx import render_docx

        return render_docx(content, charts)
    if fmt == "md":
        from dossiers.render.markdown import render_markdown

        return render_markdown(content)
    return render_json(content)


def render(content: dict[str, Any], fmt: str) -> bytes:
    """The bytes of one format of the dossier."""
    _check(fmt)
    charts = render_charts(content) if fmt in CHARTED else {}
    return _render(content, fmt, charts)


def render_all(content: dict[str, Any], formats: Iterable[str] = FORMATS) -> dict[str, bytes]:
    """The bytes of each format asked for, in the order of FORMATS; the charts are drawn once
    and shared by PDF and DOCX."""
    wanted = list(dict.fromkeys(formats))
    for fmt in wanted:
        _check(fmt)
    charts = render_charts(content) if any(f in CHARTED for f in wanted) else {}
    return {fmt: _render(content, fmt, charts) for fmt in FORMATS if fmt in wanted}
