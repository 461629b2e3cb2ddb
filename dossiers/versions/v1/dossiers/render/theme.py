"""The dossier's look, shared by charts, PDF and DOCX: one accent colour, greys, a sans font."""

from __future__ import annotations

from pathlib import Path

import matplotlib

ACCENT = "#1f4e79"
ACCENT_LIGHT = "#e9eef4"
INK = "#2b3137"
MUTED = "#6b757f"
RULE = "#c8ced4"
ZEBRA = "#f3f5f7"
WHITE = "#ffffff"

#: DejaVu Sans as shipped inside matplotlib: the same font file on every machine, umlauts
#: and the symbols the dossier uses (⚑ ↕ Σ − ⁻ⁿ €) included.
FONT_DIR = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
FONT_FILES = {
    "regular": FONT_DIR / "DejaVuSans.ttf",
    "bold": FONT_DIR / "DejaVuSans-Bold.ttf",
    "italic": FONT_DIR / "DejaVuSans-Oblique.ttf",
    "bold_italic": FONT_DIR / "DejaVuSans-BoldOblique.ttf",
}
