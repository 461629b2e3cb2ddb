"""Briefing dossiers over HTTP: issued in a child process, downloaded, verified."""

from __future__ import annotations

import hashlib

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import load_pem_public_key

from dossiers.signing import check_file, fingerprint
from service.dossier_jobs import DossierJobs
from tests.api.api_world import PROBLEM, World
from tests.api.board_world import build_board_world, finished, issue_dossier


def test_the_board_issues_downloads_and_verifies_a_dossier(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(DossierJobs, "in_child_process", True)  # as the server runs it
    staged = build_board_world(world)
    board = staged.board
    dossier, _ = issue_dossier(
        staged, board, [staged.group_1, staged.group_2], ["pdf", "docx", "md", "json"],
        meeting_id=str(staged.meeting), language="en",
    )  # fmt: skip

    listed = staged.read("/dossiers", board).json()
    assert listed["total"] == 2  # the board world's own and this one
    issued = staged.read(f"/dossiers/{dossier}", board).json()
    assert (issued["language"], issued["meeting_id"]) == ("en", str(staged.meeting))
    assert sorted(issued["files"]) == ["docx", "json", "md", "pdf"]
    for fmt, magic in (("pdf", b"%PDF"), ("docx", b"PK"), ("md", b"# "), ("json", b"{")):
        response = staged.call("GET", f"/dossiers/{dossier}/files/{fmt}", board)
        assert response.status_code == 200
        assert response.content.startswith(magic), fmt
        assert hashlib.sha256(response.content).hexdigest() == issued["files"][fmt]
        assert "attachment" in response.headers["content-disposition"]

    started = staged.call("POST", f"/dossiers/{dossier}/verify", board)
    assert started.status_code == 202
    assert started.headers["location"] == f"/api/v1/dossier-jobs/{started.json()['id']}"
    result = finished(staged, board, started.json()["id"])
    assert result["verified"] is True, result
    assert result["files"] == {"docx": True, "json": True, "md": True, "pdf": True}
    assert "the signature is valid" in result["message"]
    assert (result["signature_valid"], result["chain_head_unchanged"]) == (True, True)
    assert result["first_altered_position"] is None

    key = staged.read("/signing-key", staged.member_b).json()  # any signed-in person
    public_key = load_pem_public_key(key["public_key_pem"].encode())
    assert isinstance(public_key, Ed25519PublicKey)
    assert key["fingerprint"] == fingerprint(public_key) == issued["key_fingerprint"]
    assert issued["chain_head"] is not None
    signature = staged.call("GET", f"/dossiers/{dossier}/signature", board)
    assert signature.status_code == 200
    assert signature.json()["statement"]["chain_head"] == issued["chain_head"]
    pdf = staged.call("GET", f"/dossiers/{dossier}/files/pdf", board).content
    assert check_file(pdf, signature.content, public_key).ok


def test_bad_dossier_requests_are_refused_with_a_problem(world: World) -> None:
    board = world.board
    group = str(world.group_1)
    for body in (
        {"group_ids": []},
        {"group_ids": [group, group]},
        {"group_ids": ["5b0c3f52-3b7e-4d0e-9d8e-5b1f2a9c4e70"]},
        {"group_ids": [group], "formats": ["odt"]},
        {"group_ids": [group], "formats": []},
        {"group_ids": [group], "language": "fr"},
        {"group_ids": [group], "position": 10**9},
        {"group_ids": [group], "position": 0},
        {"group_ids": [group], "meeting_id": "5b0c3f52-3b7e-4d0e-9d8e-5b1f2a9c4e70"},
        {"group_ids": "G1"},
    ):
        response = world.call("POST", "/dossiers", board, json=body)
        assert response.status_code == 422, (body, response.text)
        assert response.headers["content-type"] == PROBLEM
    assert world.read("/dossiers", board).json()["total"] == 0
    unknown = "5b0c3f52-3b7e-4d0e-9d8e-5b1f2a9c4e70"
    assert world.call("GET", f"/dossiers/{unknown}", board).status_code == 404
    assert world.call("GET", f"/dossiers/{unknown}/files/pdf", board).status_code == 404
    assert world.call("GET", "/dossier-jobs/nope", board).status_code == 404
    assert world.call("GET", f"/dossiers/{unknown}/files/odt", board).status_code == 422


def test_a_file_not_issued_is_not_found(world: World) -> None:
    staged = build_board_world(world)
    response = staged.call("GET", f"/dossiers/{staged.dossier}/files/pdf", staged.board)
    assert response.status_code == 404
    assert "not issued as pdf" in response.json()["detail"]
