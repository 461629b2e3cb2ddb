"""Small pieces of markup the templates share."""

from __future__ import annotations

from collections.abc import Callable

from markupsafe import Markup, escape

from domain.reasons import system_reason


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
STATUS_LABELS = {
    "new": N_("new"),
    "accepted": N_("accepted"),
    "needs-info": N_("needs information"),
    "declined": N_("declined"),
    "escalated": N_("escalated to the board"),
    "presented": N_("presented to the vendor"),
    "answered": N_("answered by the vendor"),
    "resolved": N_("resolved"),
    "closed": N_("closed"),
    "withdrawn": N_("withdrawn"),
    "merged": N_("merged"),
}


#: The reasons the system writes itself (domain.reasons), by code.
SYSTEM_REASONS = {
    "vendor_responded": N_("the vendor responded"),
    "imported": N_("imported from the previous tool"),
    "presented_at": N_("presented at %(meeting)s on %(day)s"),
}


def reason_text(reason: str, gettext: Callable[[str], str], day: Callable[[str], str]) -> str:
    """A status change's reason in the reader's language: the system's own reasons are
    translated (their day localised), a person's words are shown as written."""
    known = system_reason(reason)
    if known is None:
        return reason
    params = dict(known.params)
    if "day" in params:
        params["day"] = day(params["day"])
    return (
        gettext(SYSTEM_REASONS[known.code]) % params
        if params
        else gettext(SYSTEM_REASONS[known.code])
    )
