"""Render the demo's latest dossier to PDF and its cover and first working-group page to
PNG with pdftoppm (Debian's poppler-utils): docs/screenshots/dossier-*.png."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from pypdf import PdfReader

from demo.loader import load_demo
from domain.dossier import Dossier
from dossiers.content import build
from dossiers.issuing import definition_of
from dossiers.render import render_all
from service.application import Sprachrohr

TARGET = Path(__file__).resolve().parent.parent / "docs" / "screenshots"


def main() -> None:
    app = Sprachrohr(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    key = Ed25519PrivateKey.from_private_bytes(bytes(32))  # a fixed key: stable screenshots
    load_demo(app, "x", now=datetime(2026, 11, 20, 9, tzinfo=UTC), signing_key=key)
    issued = [n for n in app.recorder.select_notifications(1, 10**9) if "DossierIssued" in n.topic]
    dossier = app.load(Dossier, issued[-1].originator_id, "dossier")
    content = build(app.recorder, app.mapper, definition_of(dossier))
    pdf = render_all(content, ["pdf"])["pdf"]
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "dossier.pdf"
        path.write_bytes(pdf)
        reader = PdfReader(path)
        group_page = next(i for i, page in enumerate(reader.pages, 1) if page.images)
        for name, number in (("dossier-cover", 1), ("dossier-working-group", group_page)):
            out = TARGET / name
            subprocess.run(
                ["pdftoppm", "-png", "-r", "70", "-f", str(number), "-l", str(number),
                 "-singlefile", str(path), str(out)],
                check=True,
            )  # fmt: skip
            print(f"wrote {out}.png (page {number} of {len(reader.pages)})", file=sys.stderr)


if __name__ == "__main__":
    main()
