"""Issuing a briefing dossier records its definition and the hash of every file."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

import pytest

from domain.dossier import Dossier
from domain.errors import Invalid, PermissionDenied
from tests.service.world import (
    World,
    new_events,
    nothing_stored,
    position,
    then,
)

AT = datetime(2026, 3, 14, 9, tzinfo=UTC)
HASH = "a" * 64


def definition(**changes: Any) -> dict[str, Any]:
    return {"association": "MSPN e.V.", "group_ids": ["g1"], "language": "de", "position": 7,
            "meeting_id": None, "include_companies": False, "rules_version": 1,
            "template_version": 1, "formats": ["pdf", "md"], **changes}  # fmt: skip


def test_issuing_records_the_definition_and_a_hash_per_format() -> None:
    dossier = Dossier.issue(
        definition(), {"md": HASH, "pdf": "b" * 64}, "c" * 64, "Briefing", by=uuid4(), at=AT,
        id=uuid4(),
    )  # fmt: skip
    (issued,) = new_events(dossier, Dossier.DossierIssued)
    assert issued.definition["position"] == 7
    assert issued.files == {"md": HASH, "pdf": "b" * 64}
    assert issued.content_hash == "c" * 64


@pytest.mark.parametrize(
    ("changes", "files", "field"),
    [
        ({"group_ids": []}, {"pdf": HASH, "md": HASH}, "group_ids"),
        ({"group_ids": ["g", "g"]}, {"pdf": HASH, "md": HASH}, "group_ids"),
        ({"language": "fr"}, {"pdf": HASH, "md": HASH}, "language"),
        ({"position": 0}, {"pdf": HASH, "md": HASH}, "position"),
        ({"formats": ["odt"]}, {"odt": HASH}, "formats"),
        ({}, {"pdf": HASH}, "files"),
        ({}, {"pdf": HASH, "md": "not-a-hash"}, "files"),
    ],
)
def test_an_incomplete_dossier_is_refused(
    changes: dict[str, Any], files: dict[str, str], field: str
) -> None:
    with pytest.raises(Invalid) as refused:
        Dossier.issue(definition(**changes), files, HASH, "t", by=uuid4(), at=AT, id=uuid4())
    assert refused.value.field == field


@pytest.mark.parametrize("who", ["board", "admin"])
def test_the_board_issues_dossiers(world: World, who: str) -> None:
    before = position(world.app)
    outcome = world.app.issue_dossier(
        definition(), {"pdf": HASH, "md": HASH}, HASH, "Briefing", by=getattr(world, who)
    )
    (issued,) = then(world.app, before, "Dossier.DossierIssued")
    assert issued.originator_id == outcome.id


@pytest.mark.parametrize("who", ["member", "lead", "vendor", "outsider"])
def test_nobody_else_issues_dossiers(world: World, who: str) -> None:
    before = position(world.app)
    with pytest.raises(PermissionDenied):
        world.app.issue_dossier(
            definition(), {"pdf": HASH, "md": HASH}, HASH, "x", by=getattr(world, who)
        )
    nothing_stored(world.app, before)


def test_an_idempotency_key_issues_once(world: World) -> None:
    files = {"pdf": HASH, "md": HASH}
    first = world.app.issue_dossier(definition(), files, HASH, "x", by=world.board, key="k1")
    again = world.app.issue_dossier(definition(), files, HASH, "x", by=world.board, key="k1")
    assert (first.id, first.changed, again.id, again.changed) == (first.id, True, first.id, False)
