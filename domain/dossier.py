"""A briefing dossier, as issued: its definition and the SHA-256 of every file.

The files themselves are not stored: the definition and the log up to its position
determine every byte, so a dossier is regenerated on demand and verified against the
hashes recorded here ("this is exactly what we presented").
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.errors import Invalid

FORMATS = ("pdf", "docx", "md", "json")
LANGUAGES = ("de", "en")
SHA256 = re.compile(r"[0-9a-f]{64}")
MAX_GROUPS = 100


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
    @event("DossierIssued")
    def __init__(
        self,
        id: UUID,
        definition: dict[str, Any],
        files: dict[str, str],
        content_hash: str,
        title: str,
        by: UUID,
        timestamp: datetime,
    ) -> None:
        self.definition = definition
        self.files = files
        self.content_hash = content_hash
        self.title = title
        self.issued_by = by
        self.issued_at = timestamp

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
    ) -> Dossier:
        definition = clean_definition(definition)
        if sorted(files) != sorted(definition["formats"]):
            raise Invalid("dossier.hash_per_format", field="files")
        for digest in (*files.values(), content_hash):
            if not SHA256.fullmatch(digest):
                raise Invalid("dossier.hash_format", field="files")
        return cls(
            id=id,
            definition=definition,
            files=dict(sorted(files.items())),
            content_hash=content_hash,
            title=title,
            by=by,
            timestamp=at,
        )
