"""The keyboard focus ring stands out: ≥ 3:1 against what surrounds it (WCAG 1.4.11)."""

from __future__ import annotations

import re

from api.web.assets import STATIC

CSS = (STATIC / "app.css").read_text()


def variable(name: str) -> str:
    found = re.search(rf"--{name}:\s*(#[0-9a-fA-F]{{6}})", CSS)
    assert found is not None, name
    return found.group(1)


def luminance(colour: str) -> float:
    def channel(hex_pair: str) -> float:
        c = int(hex_pair, 16) / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(colour[i : i + 2]) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_focus_ring_contrasts_with_the_page_and_the_header() -> None:
    focus_rule = re.search(r"a:focus,[^{]*\{([^}]*)\}", CSS)
    assert focus_rule is not None
    ring = re.search(r"outline:\s*\d+px solid var\(--([a-z-]+)\)", focus_rule.group(1))
    assert ring is not None
    page_ring = variable(ring.group(1))
    for background in ("wash", "paper"):
        assert contrast(page_ring, variable(background)) >= 3, background
    header_rule = re.search(
        r"header\.site a:focus[^{]*\{\s*outline-color:\s*var\(--([a-z-]+)\)", CSS
    )
    assert header_rule is not None
    assert contrast(variable(header_rule.group(1)), variable("brand")) >= 3


def test_the_contrast_formula() -> None:
    assert round(contrast("#000000", "#ffffff"), 1) == 21.0
    assert contrast("#ffbf47", "#f4f6f9") < 3  # the old ring on the page
