"""An issued dossier regenerates byte for byte from the log; a changed log fails."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from domain.dossier import Dossier
from domain.ids import SYSTEM
from dossiers.issuing import compose, verify
from dossiers.render import render
from service.application import Sprachrohr
from service.dossiers import record
from tests.dossiers.history import definition, record_history
from tests.sqlite_files import connected, copy_database

GOLDEN = Path(__file__).parent / "golden"
KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))


def sqlite_app(path: Path) -> Sprachrohr:
    return Sprachrohr(env={"PERSISTENCE_MODULE": "eventsourcing.sqlite",
                           "SQLITE_DBNAME": str(path)})  # fmt: skip


def test_verify_passes_and_fails_clearly_once_one_event_is_changed(tmp_path: Path) -> None:
    original = tmp_path / "events.sqlite"
    app = sqlite_app(original)
    h = record_history(app)
    composed = compose(app.recorder, app.mapper, definition(h))
    outcome = record(app, composed, by=SYSTEM, signing_key=KEY)
    dossier = app.load(Dossier, outcome.id, "dossier")
    result, _ = verify(app.recorder, app.mapper, dossier, KEY.public_key())
    assert result.ok, result.message
    app.close()

    copy = tmp_path / "tampered.sqlite"
    copy_database(original, copy)
    with connected(copy) as db:
        changed = db.execute(
            "UPDATE stored_events SET state = CAST(replace(CAST(state AS TEXT),"
            " 'Preislisten kommen zu spät', 'Preislisten kommen pünktlich') AS BLOB)"
            " WHERE CAST(state AS TEXT) LIKE '%Preislisten kommen zu spät%'"
        ).rowcount
    assert changed == 1
    tampered = sqlite_app(copy)
    issued = tampered.load(Dossier, outcome.id, "d")
    result, _ = verify(tampered.recorder, tampered.mapper, issued, KEY.public_key())
    tampered.close()

    assert not result.ok
    assert result.message.startswith("NOT verified: the content regenerated from the log differs")
    assert sorted(check.format for check in result.files if not check.identical) == [
        "docx", "json", "md", "pdf"
    ]  # fmt: skip


@pytest.mark.parametrize("language", ["de", "en"])
def test_a_fixed_history_renders_to_known_markdown_and_json(language: str) -> None:
    app = Sprachrohr(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    h = record_history(app)
    composed = compose(app.recorder, app.mapper, definition(h, language=language,
                                                            formats=["md", "json"]))  # fmt: skip
    for fmt in ("md", "json"):
        golden = GOLDEN / f"history.{language}.{fmt}"
        assert composed.files[fmt] == render(composed.content, fmt)
        rendered = without_log_bytes(composed.files[fmt], composed.content)
        if os.environ.get("UPDATE_GOLDEN"):
            golden.write_bytes(rendered)
        assert rendered == golden.read_bytes(), f"{golden.name} differs; UPDATE_GOLDEN=1 renews it"


def without_log_bytes(rendered: bytes, content: dict[str, Any]) -> bytes:
    """The rendering with the chain head and the content hash (which covers it) replaced:
    they hash the log's stored bytes, and personal values are stored encrypted with a fresh
    nonce, so the same history recorded twice has other heads (the same log, the same)."""
    for name, digest in (("CHAIN-HEAD", content["seal"]["chain_head"]),
                         ("CONTENT-HASH", content["content_hash"])):  # fmt: skip
        rendered = rendered.replace(digest.encode(), f"<{name}>".encode())
        rendered = rendered.replace(digest[:12].encode(), f"<{name[:5]}>".encode())
    return rendered


@pytest.mark.parametrize("language", ["de", "en"])
def test_the_frozen_first_template_version_renders_what_version_1_rendered(language: str) -> None:
    """The goldens of version 1 were written by the code before it was frozen."""
    app = Sprachrohr(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    h = record_history(app)
    old = definition(h, language=language, formats=["md", "json"], template_version=1)
    composed = compose(app.recorder, app.mapper, old)
    for fmt in ("md", "json"):
        assert composed.files[fmt] == (GOLDEN / "v1" / f"history.{language}.{fmt}").read_bytes()


def test_a_scope_of_many_groups_still_renders_to_word() -> None:
    """Word's core properties take 255 characters; a long scope is cut, not refused."""
    app = Sprachrohr(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    h = record_history(app)
    content = compose(app.recorder, app.mapper, definition(h, formats=["md"])).content
    for group in content["groups"]:
        group["name"] = group["name"] * 20
    assert render(content, "docx").startswith(b"PK")
