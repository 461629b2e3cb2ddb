"""`sprachrohr dossier issue | verify`: the command line issues through the same use case
as the API and the web (service.dossiers: define → compose → record)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import cli
from domain.ids import SYSTEM
from service.runtime import build_runtime
from service.settings import Settings


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A SQLite store with an admin and one working group, as the CLI's settings."""
    monkeypatch.setenv("SPRACHROHR_DATA_DIR", str(tmp_path / "var"))
    runtime = build_runtime(Settings())
    try:
        runtime.app.ensure_admin("admin@verband.example", "Admin", "hash")
        runtime.app.found_group("Learning", "thematic", "Training and exams", by=SYSTEM)
    finally:
        runtime.close()
    return tmp_path


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def test_a_dossier_issued_on_the_command_line_is_recorded_and_verifies(data_dir: Path) -> None:
    out = data_dir / "out"
    code, output = run("dossier", "issue", "--group", "learning", "--format", "md",
                       "--format", "json", "--language", "en", "--out", str(out))  # fmt: skip
    assert code == 0, output
    assert "Issued" in output
    names = sorted(path.name for path in out.iterdir())
    assert [name.rsplit(".", 1)[1] for name in names] == ["json", "md", "sig"]  # sealed
    dossier_id = names[0].split(".")[0].removeprefix("dossier-")
    assert names == [f"dossier-{dossier_id}.{ext}" for ext in ("json", "md", "sig")]
    code, output = run("dossier", "verify", dossier_id)
    assert code == 0, output
    assert "verified: all 2 files are byte-identical" in output
    code, output = run("dossier", "verify-file", str(out / names[1]),
                       "--signature", str(out / names[2]),
                       "--public-key", str(data_dir / "var" / "signing-key.pem"))  # fmt: skip
    assert code == 0, output
    assert "verified: the file is the dossier's md file" in " ".join(output.split())
    code, output = run("dossier", "list")
    assert code == 0
    assert "1 briefing dossiers" in output


def test_a_position_beyond_the_log_is_refused_like_in_the_api(data_dir: Path) -> None:
    code, output = run("dossier", "issue", "--position", "999999", "--out", str(data_dir))
    assert code == 2
    assert "Refused" in output
    assert not list(data_dir.glob("dossier-*"))


def test_an_unknown_group_is_a_bad_parameter(data_dir: Path) -> None:
    code, output = run("dossier", "issue", "--group", "Nowhere", "--out", str(data_dir))
    assert code == 2
    assert "no working group named 'Nowhere'" in output
