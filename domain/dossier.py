"""A briefing dossier, as issued: its definition, the SHA-256 of every file and its seal.

The files themselves are not stored: the definition and the log up to its position
determine every byte, so a dossier is regenerated on demand and verified against the
hashes recorded here ("this is exactly what we presented"). The seal binds them to the
log: the hash chain's head at the dossier's position and the association's Ed25519
signature over (content hash, chain head, definition, file hashes), by the key with the
recorded fingerprint. Dossiers issued before seals existed (event version 1) have none.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any, TypedDict
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.errors import Invalid
from domain.limits import MAX_GROUPS

FORMATS = ("pdf", "docx", "md", "json")
LANGUAGES = ("de", "en")
SHA256 = re.compile(r"[0-9a-f]{64}")
SIGNATURE = re.compile(r"[A-Za-z0-9+/]{86}==")


class Seal(TypedDict):
    """What ties an issued dossier to the log and to the association's signing key."""

    chain_head: str
    key_fingerprint: str
    signature: str


def check_seal(seal: Seal) -> Seal:
    well_formed = (
        SHA256.fullmatch(seal.get("chain_head", ""))
        and SHA256.fullmatch(seal.get("key_fingerprint", ""))
        and SIGNATURE.fullmatch(seal.get("signature", ""))
    )
    if not well_formed:
        raise Invalid("dossier.seal_format", field="seal")
    return Seal(
        chain_head=seal["chain_head"],
        key_fingerprint=seal["key_fingerprint"],
        signature=seal["signature"],
    )


def clean_definition(definition: dict[str, Any]) -> dict[str, Any]:
    """The definition's fields checked: what a verifier needs to regenerate the files."""
    groups = definition.get("group_ids")
    if not isinstance(groups, list) or not 1 <= len(groups) <= MAX_GROUPS:
        raise Invalid("dossier.group_count", field="group_ids")
    if len(set(groups)) != len(groups):
        raise Invalid("dossier.group_twice", field="group_ids")
    if definition.get("language") not in LANGUAGES:
        raise Invalid("dossier.language", field="language")
    position = definition.get("position")
    if not isinstance(position, int) or position < 1:
        raise Invalid("dossier.position", field="position")
    formats = definition.get("formats")
    if not isinstance(formats, list) or not formats or not set(formats) <= set(FORMATS):
        raise Invalid("dossier.formats", field="formats", choices=", ".join(FORMATS))
    return definition


class Dossier(Aggregate):
    class DossierIssued(Aggregate.Created):
        """Version 2 adds the seal (`chain_head`, `key_fingerprint`, `signature`)."""

        class_version = 2
        definition: dict[str, Any]
        files: dict[str, str]
        content_hash: str
        title: str
        by: UUID
        chain_head: str | None
        key_fingerprint: str | None
        signature: str | None

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["chain_head"] = state["key_fingerprint"] = state["signature"] = None

    @event(DossierIssued)
    def __init__(
        self,
        id: UUID,
        definition: dict[str, Any],
        files: dict[str, str],
        content_hash: str,
        title: str,
        by: UUID,
        timestamp: datetime,
        chain_head: str | None = None,
        key_fingerprint: str | None = None,
        signature: str | None = None,
    ) -> None:
        self.definition = definition
        self.files = files
        self.content_hash = content_hash
        self.title = title
        self.issued_by = by
        self.issued_at = timestamp
        self.chain_head = chain_head
        self.key_fingerprint = key_fingerprint
        self.signature = signature

    @property
    def seal(self) -> Seal | None:
        if self.chain_head is None or self.key_fingerprint is None or self.signature is None:
            return None
        return Seal(
            chain_head=self.chain_head,
            key_fingerprint=self.key_fingerprint,
            signature=self.signature,
        )

    @classmethod
    def issue(
        cls,
        definition: dict[str, Any],
        files: dict[str, str],
        content_hash: str,
        title: str,
        *,
        by: UUID,
        at: datetime,
        id: UUID,
        seal: Seal | None = None,
    ) -> Dossier:
        definition = clean_definition(definition)
        if sorted(files) != sorted(definition["formats"]):
            raise Invalid("dossier.hash_per_format", field="files")
        for digest in (*files.values(), content_hash):
            if not SHA256.fullmatch(digest):
                raise Invalid("dossier.hash_format", field="files")
        sealed = check_seal(seal) if seal is not None else None
        return cls(
            id=id,
            definition=definition,
            files=dict(sorted(files.items())),
            content_hash=content_hash,
            title=title,
            by=by,
            timestamp=at,
            chain_head=sealed["chain_head"] if sealed else None,
            key_fingerprint=sealed["key_fingerprint"] if sealed else None,
            signature=sealed["signature"] if sealed else None,
        )
