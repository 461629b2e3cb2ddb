"""Small pieces of markup the templates share."""

from __future__ import annotations

from markupsafe import Markup, escape

from notify import texts


def sparkline(values: list[int], label: str, width: int = 80, height: int = 20) -> Markup:
    """An inline SVG line of support over time, with a text alternative."""
    if not values:
        return Markup("")
    # Scaled between the lowest and highest value, so a change shows even on a high base.
    low, span = min(values), max(max(values) - min(values), 1)
    step = width / max(len(values) - 1, 1)
    points = " ".join(
        f"{i * step:.1f},{height - 2 - ((v - low) / span) * (height - 4):.1f}"
        for i, v in enumerate(values)
    )
    return Markup(  # noqa: S704 (numbers only; the label is escaped)
        f'<svg class="spark" width="{width}" height="{height}" viewBox="0 0 {width} {height}"'
        f' role="img" aria-label="{escape(label)}"><polyline fill="none" stroke="#0b4f8a"'
        f' stroke-width="1.5" points="{points}"/></svg>'
    )


def N_(message: str) -> str:
    return message


#: Every status's name, translated where it is shown (see render.environment).
STATUS_LABELS = texts.STATUS_LABELS
