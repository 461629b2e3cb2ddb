"""The development signing key when several processes of one store start at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from dossiers.signing import fingerprint
from service.runtime import ensure_signing_key
from service.settings import Settings
from service.signing_key import create_key


def test_a_key_created_by_another_process_after_the_check_is_loaded_not_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = Settings(data_dir=tmp_path)
    theirs = create_key(settings.signing_key_path)  # the other process won the race
    real_exists = Path.exists
    # This process looked before the other one wrote the file.
    monkeypatch.setattr(
        Path, "exists", lambda p: False if p == settings.signing_key_path else real_exists(p)
    )
    mine = ensure_signing_key(settings)
    assert fingerprint(mine.public_key()) == fingerprint(theirs.public_key())


def test_creating_never_overwrites_and_leaves_no_draft(tmp_path: Path) -> None:
    path = tmp_path / "signing-key.pem"
    first = path.read_bytes() if create_key(path) else b""
    with pytest.raises(FileExistsError):
        create_key(path)
    assert path.read_bytes() == first
    assert [p.name for p in tmp_path.iterdir()] == ["signing-key.pem"]
    assert path.stat().st_mode & 0o777 == 0o600
