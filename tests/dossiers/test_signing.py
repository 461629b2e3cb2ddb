"""Signed dossiers: a rewritten history is caught, a file verifies offline, old versions verify."""

from __future__ import annotations

import json
from pathlib import Path
from uuid import UUID

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from typer.testing import CliRunner

from cli.main import cli
from domain.dossier import Dossier
from domain.ids import SYSTEM
from dossiers import content as current_content
from dossiers.issuing import compose, signature_document, verify
from dossiers.render import labels
from dossiers.signing import fingerprint, public_pem
from service.application import Sprachrohr
from service.dossiers import record
from service.runtime import build_runtime
from service.settings import Settings
from tests.dossiers.history import definition, record_history
from tests.sqlite_files import connected, copy_store

KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(1, 33)))
runner = CliRunner()


def popo_app() -> Sprachrohr:
    return Sprachrohr(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})


def sqlite_store_with_a_signed_dossier(data_dir: Path) -> tuple[str, int]:
    """A store (events and views) with a history and one signed dossier; its id and the
    position of the first event that names 'Preislisten'."""
    runtime = build_runtime(Settings(data_dir=data_dir))
    try:
        h = record_history(runtime.app)
        key = runtime.signing_key()
        wanted = definition(h, key_fingerprint=fingerprint(key.public_key()))
        outcome = record(runtime.app, compose(h.app.recorder, h.app.mapper, wanted), by=SYSTEM,
                         signing_key=key)  # fmt: skip
        runtime.projector.catch_up()
        first = next(
            n.id for n in runtime.app.recorder.select_notifications(start=1, limit=1000)
            if b"Preislisten" in n.state
        )  # fmt: skip
    finally:
        runtime.close()
    return outcome.id.hex, first


def test_a_changed_event_with_rewritten_dossier_hashes_fails_and_names_the_position(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = tmp_path / "original"
    dossier_id, altered = sqlite_store_with_a_signed_dossier(original)
    copy = tmp_path / "copy"
    copy_store(original, copy)
    events = copy / "events.sqlite"
    with connected(events) as db:  # one byte of an old event
        query = "SELECT state FROM stored_events WHERE rowid = ?"
        (state,) = db.execute(query, (altered,)).fetchone()
        changed = bytes(state).replace(b"Preislisten", b"Preislistem", 1)
        assert len(changed) == len(state)
        db.execute("UPDATE stored_events SET state = ? WHERE rowid = ?", (changed, altered))
    rewrite_recorded_hashes(events, dossier_id)

    monkeypatch.setenv("SPRACHROHR_DATA_DIR", str(original))
    untouched = runner.invoke(cli, ["dossier", "verify", dossier_id])
    assert untouched.exit_code == 0, untouched.output
    assert "verified" in untouched.output
    assert "signature is valid" in untouched.output

    monkeypatch.setenv("SPRACHROHR_DATA_DIR", str(copy))
    tampered = runner.invoke(cli, ["dossier", "verify", dossier_id])
    assert tampered.exit_code == 1, tampered.output
    text = " ".join(tampered.output.split())
    assert "no longer hashes to the signed chain head" in text
    assert f"departs from the stored chain at position {altered}" in text
    assert "content regenerated" not in text  # the recorded hashes were rewritten to match

    log_check = runner.invoke(cli, ["log", "verify"])
    assert log_check.exit_code == 1
    assert f"at position {altered}" in " ".join(log_check.output.split())
    monkeypatch.setenv("SPRACHROHR_DATA_DIR", str(original))
    assert runner.invoke(cli, ["log", "verify"]).exit_code == 0


def rewrite_recorded_hashes(events: Path, dossier_id: str) -> None:
    """What someone with write access to the database does to hide the change: regenerate
    the dossier from the altered log and record its hashes in `DossierIssued`."""
    app = Sprachrohr(env={"PERSISTENCE_MODULE": "eventsourcing.sqlite",
                          "SQLITE_DBNAME": str(events)})  # fmt: skip
    issued = app.load(Dossier, UUID(dossier_id), "dossier")
    regenerated = compose(app.recorder, app.mapper, current_content.Definition.of(
        dict(issued.definition)))  # fmt: skip
    app.close()
    replacements = {issued.content_hash: regenerated.content["content_hash"]}
    for fmt, digest in issued.files.items():
        replacements[digest] = regenerated.hashes[fmt]
    with connected(events) as db:
        rowid, state = db.execute(
            "SELECT rowid, state FROM stored_events WHERE topic LIKE '%DossierIssued'"
        ).fetchone()
        state = bytes(state)
        for old, new in replacements.items():
            assert old != new
            state = state.replace(old.encode(), new.encode())
        db.execute("UPDATE stored_events SET state = ? WHERE rowid = ?", (state, rowid))


def test_a_file_verifies_offline_and_fails_with_one_changed_byte(tmp_path: Path) -> None:
    app = popo_app()
    h = record_history(app)
    wanted = definition(h, formats=["md", "pdf"], key_fingerprint=fingerprint(KEY.public_key()))
    composed = compose(app.recorder, app.mapper, wanted)
    outcome = record(app, composed, by=SYSTEM, signing_key=KEY)
    document = signature_document(app.load(Dossier, outcome.id, "dossier"))
    assert document is not None
    (tmp_path / "d.sig").write_bytes(document)
    (tmp_path / "public.pem").write_text(public_pem(KEY.public_key()))
    pdf = composed.files["pdf"]
    (tmp_path / "d.pdf").write_bytes(pdf)
    args = ["--signature", str(tmp_path / "d.sig"), "--public-key", str(tmp_path / "public.pem")]

    good = runner.invoke(cli, ["dossier", "verify-file", str(tmp_path / "d.pdf"), *args])
    assert good.exit_code == 0, good.output
    assert "verified: the file is the dossier's pdf file" in " ".join(good.output.split())

    middle = len(pdf) // 2
    (tmp_path / "d.pdf").write_bytes(pdf[:middle] + bytes([pdf[middle] ^ 1]) + pdf[middle + 1 :])
    bad = runner.invoke(cli, ["dossier", "verify-file", str(tmp_path / "d.pdf"), *args])
    assert bad.exit_code == 1
    assert "is none of the signed files" in " ".join(bad.output.split())

    statement = json.loads(document)
    statement["statement"]["files"]["pdf"] = statement["statement"]["files"]["md"]
    (tmp_path / "forged.sig").write_text(json.dumps(statement))
    (tmp_path / "d.md").write_bytes(composed.files["md"])
    forged = runner.invoke(cli, ["dossier", "verify-file", str(tmp_path / "d.md"),
                                 "--signature", str(tmp_path / "forged.sig"),
                                 "--public-key", str(tmp_path / "public.pem")])  # fmt: skip
    assert forged.exit_code == 1
    assert "signature does not match" in forged.output


def test_a_dossier_of_an_older_template_version_verifies_after_the_template_changed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app = popo_app()
    h = record_history(app)
    sealed = {"key_fingerprint": fingerprint(KEY.public_key()), "formats": ["md", "json"]}
    old = compose(app.recorder, app.mapper, definition(h, template_version=1, **sealed))
    new = compose(app.recorder, app.mapper, definition(h, **sealed))
    old_id = record(app, old, by=SYSTEM, signing_key=KEY, key="old").id
    new_id = record(app, new, by=SYSTEM, signing_key=KEY, key="new").id

    # The current template changes: the cover says something else.
    monkeypatch.setitem(labels.DE, "cover_hash", "Prüfsumme des Inhalts")

    for dossier_id, expected in ((old_id, True), (new_id, False)):
        issued = app.load(Dossier, dossier_id, "dossier")
        result, _ = verify(app.recorder, app.mapper, issued, KEY.public_key())
        assert result.ok is expected, result.message
