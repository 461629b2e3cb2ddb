"""Compose and verify briefing dossiers.

Composing reads the log up to the definition's position, builds the content and
renders every chosen format with the code of the definition's template version;
issuing (service.dossiers.record) records `Dossier.DossierIssued` with the definition,
the SHA-256 of each file and the seal (the hash chain's head at the position, signed
with the association's key); verifying composes the dossier again from the log,
compares every byte's hash with the recorded ones, checks the signature and that the
log up to the position still hashes to the signed chain head.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from eventsourcing.persistence import ApplicationRecorder, Mapper

from domain.dossier import Dossier
from dossiers.content import Definition, Progress
from dossiers.signing import fingerprint, signature_file, signature_valid, statement
from dossiers.versions import version_for
from projections.chain_view import Departure, Locate, recompute_head


@dataclass(frozen=True)
class Composed:
    definition: Definition
    content: dict[str, Any]
    files: dict[str, bytes]
    #: The head of the hash chain over the log up to the definition's position.
    chain_head: str

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
    """The dossier `definition` describes, by the code of its template version."""
    version = version_for(definition.template_version, definition.rules_version)
    content = version.build(recorder, mapper, definition.as_dict(), progress)
    if progress is not None:
        progress("render", 0, len(definition.formats))
    files = version.render_all(content, list(definition.formats))
    if progress is not None:
        progress("render", len(definition.formats), len(definition.formats))
    seal = content.get("seal") or {}
    head = seal.get("chain_head") or recompute_head(recorder, definition.position)
    return Composed(definition, content, files, head)


def statement_of(dossier: Dossier) -> dict[str, Any]:
    """What an issued dossier's signature covers, from what it recorded."""
    assert dossier.chain_head is not None
    return statement(
        dossier.content_hash, dossier.chain_head, dict(dossier.definition), dict(dossier.files)
    )


def signature_document(dossier: Dossier) -> bytes | None:
    """The `.sig` file of a sealed dossier; None for one issued without a seal."""
    seal = dossier.seal
    if seal is None:
        return None
    return signature_file(statement_of(dossier), seal["signature"], seal["key_fingerprint"])


@dataclass(frozen=True)
class FileCheck:
    format: str
    recorded: str
    regenerated: str

    @property
    def identical(self) -> bool:
        return self.recorded == self.regenerated


@dataclass(frozen=True)
class SealCheck:
    """The seal of an issued dossier against its key and the log as it is now."""

    signed: bool
    signature_valid: bool
    recorded_head: str | None
    head_now: str
    departure: Departure | None = None

    @property
    def ok(self) -> bool:
        return self.signed and self.signature_valid and self.recorded_head == self.head_now

    def problems(self) -> list[str]:
        if not self.signed:
            return []
        found = []
        if not self.signature_valid:
            found.append(
                "the signature does not match what the dossier records (or another key made it)"
            )
        if self.recorded_head != self.head_now:
            where = (
                f"; the log first departs from the stored chain at position"
                f" {self.departure.position} ({self.departure.reason})"
                if self.departure is not None
                else "; the stored chain was rebuilt from the changed log, so the first altered"
                " position is not known"
            )
            found.append(
                f"the log up to the dossier's position no longer hashes to the signed chain head"
                f" ({(self.recorded_head or '')[:12]}… signed, {self.head_now[:12]}… now){where}"
            )
        return found


@dataclass(frozen=True)
class Verification:
    dossier_id: UUID
    recorded_content_hash: str
    regenerated_content_hash: str
    files: list[FileCheck] = field(default_factory=list)
    seal: SealCheck | None = None

    @property
    def ok(self) -> bool:
        same_content = self.recorded_content_hash == self.regenerated_content_hash
        sealed = self.seal is None or not self.seal.signed or self.seal.ok
        return same_content and sealed and all(check.identical for check in self.files)

    @property
    def message(self) -> str:
        if self.ok:
            signed = self.seal is not None and self.seal.signed
            return (
                f"verified: all {len(self.files)} files are byte-identical to the issued"
                f" dossier ({', '.join(c.format for c in self.files)})"
                + (
                    "; the signature is valid and the log up to its position still hashes to"
                    " the signed chain head"
                    if signed
                    else "; the dossier was issued without a signature"
                )
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
        if self.seal is not None:
            parts.extend(self.seal.problems())
        return "NOT verified: " + "; ".join(parts)


def definition_of(dossier: Dossier) -> Definition:
    return Definition.of(dict(dossier.definition))


def verify(
    recorder: ApplicationRecorder,
    mapper: Mapper[Any],
    dossier: Dossier,
    public_key: Ed25519PublicKey | None,
    locate: Locate | None = None,
    progress: Progress | None = None,
) -> tuple[Verification, Composed]:
    """Regenerate the dossier from the log and compare it with what was issued."""
    composed = compose(recorder, mapper, definition_of(dossier), progress)
    return compare(dossier, composed, public_key, locate), composed


def compare(
    dossier: Dossier,
    composed: Composed,
    public_key: Ed25519PublicKey | None,
    locate: Locate | None = None,
) -> Verification:
    """The recorded hashes and seal of an issued dossier against a fresh composition.

    `public_key`: the key to check the signature with (None: the signature cannot be
    checked and counts as invalid); `locate` names the first altered position when the
    chain head differs.
    """
    regenerated = composed.hashes
    checks = [
        FileCheck(fmt, recorded, regenerated.get(fmt, ""))
        for fmt, recorded in sorted(dossier.files.items())
    ]
    return Verification(
        dossier.id,
        dossier.content_hash,
        composed.content["content_hash"],
        checks,
        check_seal(dossier, composed.chain_head, public_key, locate),
    )


def check_seal(
    dossier: Dossier, head_now: str, public_key: Ed25519PublicKey | None, locate: Locate | None
) -> SealCheck:
    if dossier.seal is None:
        return SealCheck(False, False, None, head_now)
    valid = (
        public_key is not None
        and fingerprint(public_key) == dossier.key_fingerprint
        and signature_valid(public_key, statement_of(dossier), dossier.seal["signature"])
    )
    departure = None
    if dossier.chain_head != head_now and locate is not None:
        departure = locate(int(dossier.definition["position"]))
    return SealCheck(True, valid, dossier.chain_head, head_now, departure)
