"""Compose and verify briefing dossiers.

Composing reads the log up to the definition's position, builds the content and
renders every chosen format; issuing (service.dossiers.record) records
`Dossier.DossierIssued` with the definition and the SHA-256 of each file; verifying
composes the dossier again from the log and compares every byte's hash with the
recorded ones.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from eventsourcing.persistence import ApplicationRecorder, Mapper

from domain.dossier import Dossier
from dossiers.content import Definition, Progress, build
from dossiers.render import render_all


@dataclass(frozen=True)
class Composed:
    definition: Definition
    content: dict[str, Any]
    files: dict[str, bytes]

    @property
    def hashes(self) -> dict[str, str]:
        return {fmt: sha256(data) for fmt, data in sorted(self.files.items())}

    @property
    def title(self) -> str:
        return title_of(self.content)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def title_of(content: dict[str, Any]) -> str:
    german = content["definition"]["language"] == "de"
    meeting = content.get("meeting")
    head = "Briefing-Dossier" if german else "Briefing dossier"
    if meeting:
        return f"{head}: {meeting['name']}, {meeting['date']}"
    return f"{head}, {'Stand' if german else 'as of'} {content['as_of']['date']}"


def compose(
    recorder: ApplicationRecorder,
    mapper: Mapper[Any],
    definition: Definition,
    progress: Progress | None = None,
) -> Composed:
    content = build(recorder, mapper, definition, progress)
    if progress is not None:
        progress("render", 0, len(definition.formats))
    files = render_all(content, list(definition.formats))
    if progress is not None:
        progress("render", len(definition.formats), len(definition.formats))
    return Composed(definition, content, files)


@dataclass(frozen=True)
class FileCheck:
    format: str
    recorded: str
    regenerated: str

    @property
    def identical(self) -> bool:
        return self.recorded == self.regenerated


@dataclass(frozen=True)
class Verification:
    dossier_id: UUID
    recorded_content_hash: str
    regenerated_content_hash: str
    files: list[FileCheck] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        same_content = self.recorded_content_hash == self.regenerated_content_hash
        return same_content and all(check.identical for check in self.files)

    @property
    def message(self) -> str:
        if self.ok:
            return (
                f"verified: all {len(self.files)} files are byte-identical to the issued"
                f" dossier ({', '.join(c.format for c in self.files)})"
            )
        differing = [c.format for c in self.files if not c.identical]
        parts = []
        if self.recorded_content_hash != self.regenerated_content_hash:
            parts.append(
                "the content regenerated from the log differs from the issued content"
                f" (content hash {self.recorded_content_hash[:12]}… recorded,"
                f" {self.regenerated_content_hash[:12]}… now): an event up to the dossier's"
                " position has changed, or the rendering code differs from its template version"
            )
        if differing:
            parts.append(f"files differ: {', '.join(differing)}")
        return "NOT verified: " + "; ".join(parts)


def definition_of(dossier: Dossier) -> Definition:
    return Definition.of(dict(dossier.definition))


def verify(
    recorder: ApplicationRecorder,
    mapper: Mapper[Any],
    dossier: Dossier,
    progress: Progress | None = None,
) -> tuple[Verification, Composed]:
    """Regenerate the dossier from the log and compare it with what was issued."""
    composed = compose(recorder, mapper, definition_of(dossier), progress)
    return compare(dossier, composed), composed


def compare(dossier: Dossier, composed: Composed) -> Verification:
    """The recorded hashes of an issued dossier against a fresh composition."""
    regenerated = composed.hashes
    checks = [
        FileCheck(fmt, recorded, regenerated.get(fmt, ""))
        for fmt, recorded in sorted(dossier.files.items())
    ]
    return Verification(dossier.id, dossier.content_hash, composed.content["content_hash"], checks)
