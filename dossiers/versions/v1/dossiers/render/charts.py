"""Support-over-time charts as PNG, the same bytes on every machine with the same libraries.

Nothing is left to the environment: the Agg canvas is used directly (no pyplot, no backend
choice), every rcParam that shapes the picture is set here after resetting matplotlib's own
defaults (so no user matplotlibrc applies), every text uses the DejaVu Sans file shipped inside
matplotlib (not whichever "DejaVu Sans" the system has), and the PNG carries no software tag.
"""

from __future__ import annotations

import io
import math
import threading
from collections.abc import Mapping
from typing import Any, cast

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties

from dossiers.versions.v1.dossiers.render.labels import Labels, labels_for
from dossiers.versions.v1.dossiers.render.theme import ACCENT, FONT_FILES, INK, RULE

FONT_FILE = FONT_FILES["regular"]

#: 16 cm wide at 200 dpi: sharp in print, small enough to embed one per pain point.
SIZE_INCHES = (6.3, 2.1)
DPI = 200
PEOPLE = "#8a949e"  # lighter than text grey, so the companies line leads the eye
MAX_X_LABELS = 6

RC: dict[str, Any] = {
    "figure.dpi": DPI,
    "figure.facecolor": "white",
    "savefig.dpi": DPI,
    "savefig.facecolor": "white",
    "savefig.edgecolor": "white",
    "savefig.transparent": False,
    "savefig.bbox": None,
    "font.size": 7.5,
    "text.color": INK,
    "text.antialiased": True,
    "text.hinting": "default",
    "axes.linewidth": 0.6,
    "axes.edgecolor": RULE,
    "axes.labelcolor": INK,
    "axes.unicode_minus": True,
    "xtick.color": RULE,
    "ytick.color": RULE,
    "xtick.labelcolor": INK,
    "ytick.labelcolor": INK,
    "xtick.major.size": 3,
    "ytick.major.size": 0,
    "lines.antialiased": True,
    "patch.antialiased": True,
    "path.simplify": False,
    "agg.path.chunksize": 0,
    "image.composite_image": True,
}

#: rcParams are process-wide: two dossiers rendered at once must not interleave their settings.
_LOCK = threading.Lock()


def render_charts(content: Mapping[str, Any]) -> dict[str, bytes]:
    """One PNG per pain point with a history, keyed by pain point id."""
    labels = labels_for(content)
    charts: dict[str, bytes] = {}
    with _LOCK, matplotlib.rc_context():
        matplotlib.rcdefaults()
        cast(dict[str, Any], matplotlib.rcParams).update(RC)
        for group in content["groups"]:
            for pain_point in group["pain_points"]:
                trend = pain_point.get("trend") or {}
                if trend.get("weeks"):
                    charts[pain_point["id"]] = support_chart(trend, labels)
    return charts


def support_chart(trend: Mapping[str, Any], labels: Labels) -> bytes:
    """Companies (accent) and people (grey) supporting the pain point, week by week."""
    font = FontProperties(fname=FONT_FILE, size=RC["font.size"])
    weeks: list[str] = list(trend["weeks"])
    companies, people = list(trend["companies"]), list(trend["people"])
    # Steps hold each week's value until the next week; the last week gets its own step.
    x = list(range(len(weeks) + 1))
    figure = Figure(figsize=SIZE_INCHES, dpi=DPI)
    FigureCanvasAgg(figure)
    figure.subplots_adjust(left=0.06, right=0.99, top=0.95, bottom=0.14)
    axes = figure.add_subplot()
    axes.fill_between(x, [*companies, companies[-1]], step="post", color=ACCENT, alpha=0.12, lw=0)
    axes.step(x, [*people, people[-1]], where="post", color=PEOPLE, lw=1.1, ls=(0, (3, 1.5)))
    axes.step(x, [*companies, companies[-1]], where="post", color=ACCENT, lw=1.6)
    top = max([*people, *companies, 1])
    y_ticks = nice_ticks(top)
    axes.set_ylim(0, y_ticks[-1] * 1.04)
    axes.set_xlim(0, len(weeks))
    axes.set_yticks(y_ticks, [labels.number(t) for t in y_ticks], fontproperties=font)
    step = math.ceil(len(weeks) / MAX_X_LABELS)
    positions = list(range(0, len(weeks), step))
    axes.set_xticks(
        [p + 0.5 for p in positions],
        [labels.short_date(weeks[p]) for p in positions],
        fontproperties=font,
    )
    axes.grid(axis="y", color=RULE, lw=0.5)
    axes.set_axisbelow(True)
    for side in ("top", "right", "left"):
        axes.spines[side].set_visible(False)
    axes.legend(
        [axes.lines[1], axes.lines[0]],
        [labels["chart_companies"], labels["chart_people"]],
        prop=font,
        loc="upper left",
        frameon=False,
        handlelength=2.2,
    )
    out = io.BytesIO()
    figure.savefig(out, format="png", dpi=DPI, metadata={"Software": None})
    return out.getvalue()


def nice_ticks(top: int) -> list[int]:
    """Whole-number ticks from 0 in steps of 1, 2 or 5 × 10ⁿ, at most five, covering `top`."""
    step = 1
    while math.ceil(top / step) > 4:
        for factor in (2, 5 / 2, 2):
            step = round(step * factor)
            if math.ceil(top / step) <= 4:
                break
    return list(range(0, step * math.ceil(top / step) + 1, step))
