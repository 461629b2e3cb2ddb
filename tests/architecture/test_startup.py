"""A (re)start imports only what serving needs: the dossier renderers' libraries
(reportlab, python-docx, matplotlib) and the other heavy ones load when first used."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
#: Imported when a dossier is made, a sheet is imported or exported, or a PDF is read.
HEAVY = ("reportlab", "docx", "matplotlib", "pypdf", "openpyxl", "PIL", "numpy")


def test_starting_the_server_imports_no_renderer() -> None:
    probe = (
        "import sys, api.main, cli.main\n"
        "print(' '.join(sorted({name.split('.')[0] for name in sys.modules})))\n"
        "print(' '.join(sorted(name for name in sys.modules if name.startswith('demo.'))))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )
    packages, demo = done.stdout.split("\n")[:2]
    loaded = set(packages.split())
    assert "fastapi" in loaded  # the probe did import the server
    assert loaded.isdisjoint(HEAVY), sorted(loaded & set(HEAVY))
    # A restart asks whether the store holds an association; the demo loads only if not.
    assert demo.split() == ["demo.presence"]
