"""Issuing a briefing dossier records its definition and the hash of every file."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

import pytest
from eventsourcing.persistence import StoredEvent

from domain.dossier import Dossier
from domain.errors import Invalid, PermissionDenied
from service.application import Sprachrohr
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


SEAL = {"chain_head": "d" * 64, "key_fingerprint": "e" * 64, "signature": "A" * 86 + "=="}


def test_a_sealed_dossier_records_its_chain_head_key_and_signature() -> None:
    dossier = Dossier.issue(definition(), {"md": HASH, "pdf": HASH}, HASH, "t", by=uuid4(),
                            at=AT, id=uuid4(), seal=SEAL)  # fmt: skip
    (issued,) = new_events(dossier, Dossier.DossierIssued)
    assert (issued.chain_head, issued.key_fingerprint) == ("d" * 64, "e" * 64)
    assert dossier.seal == SEAL


@pytest.mark.parametrize("part", ["chain_head", "key_fingerprint", "signature"])
def test_a_malformed_seal_is_refused(part: str) -> None:
    with pytest.raises(Invalid) as refused:
        Dossier.issue(definition(), {"md": HASH, "pdf": HASH}, HASH, "t", by=uuid4(), at=AT,
                      id=uuid4(), seal={**SEAL, part: "x"})  # fmt: skip
    assert refused.value.code == "dossier.seal_format"


def test_a_dossier_issued_before_seals_existed_is_read_without_one() -> None:
    """Version 1 of `DossierIssued` had no seal: it is upcast with none."""
    mapper = Sprachrohr(env={"PERSISTENCE_MODULE": "eventsourcing.popo"}).mapper
    dossier = Dossier.issue(definition(), {"md": HASH, "pdf": HASH}, HASH, "t", by=uuid4(),
                            at=AT, id=uuid4(), seal=SEAL)  # fmt: skip
    stored = mapper.to_stored_event(dossier.collect_events()[0])
    state = json.loads(stored.state)
    assert state.pop("class_version") == 2
    for field in SEAL:
        del state[field]
    version_1 = StoredEvent(stored.originator_id, stored.originator_version, stored.topic,
                            json.dumps(state).encode())  # fmt: skip
    event = mapper.to_domain_event(version_1)
    assert isinstance(event, Dossier.DossierIssued)
    assert (event.chain_head, event.key_fingerprint, event.signature) == (None, None, None)
    old = event.mutate(None)
    assert old is not None
    assert old.seal is None
    assert old.files == {"md": HASH, "pdf": HASH}
