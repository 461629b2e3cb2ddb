"""Request and response bodies of briefing dossiers."""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, Field

from api.schemas.common import Body
from domain.limits import MAX_GROUPS
from domain.moments import MAX_POSITION

Format = Literal["pdf", "docx", "md", "json"]
Language = Literal["de", "en"]
ALL_FORMATS: tuple[Format, ...] = ("pdf", "docx", "md", "json")


class DossierIn(Body):
    meeting_id: UUID | None = Field(None, description="The vendor board meeting it is for.")
    group_ids: list[UUID] = Field(min_length=1, max_length=MAX_GROUPS, description="Its scope.")
    language: Language = "de"
    formats: list[Format] = Field(default_factory=lambda: list(ALL_FORMATS), min_length=1,
                                  max_length=4)  # fmt: skip
    include_companies: bool = Field(
        False, description="Name the supporting member companies (off: aggregated numbers only)."
    )
    position: int | None = Field(
        None,
        ge=1,
        le=MAX_POSITION,
        description="The log position it is as of (default: the latest).",
    )


class JobOut(BaseModel):
    id: str
    kind: Literal["issue", "verify"]
    state: Literal["queued", "running", "done", "failed"]
    step: str = Field(description="start, replay, groups, render or record")
    percent: int = Field(ge=0, le=100)
    dossier_id: UUID | None
    verified: bool | None = Field(description="For a verification: byte-identical or not.")
    message: str | None = Field(description="What the verification found, or why it failed.")
    files: dict[str, bool] | None = Field(description="Per format: identical to the issued file.")
    signature_valid: bool | None = Field(
        None, description="For a verification of a signed dossier: the signature holds."
    )
    chain_head_unchanged: bool | None = Field(
        None,
        description="For a verification of a signed dossier: the log up to its position still"
        " hashes to the signed chain head.",
    )
    first_altered_position: int | None = Field(
        None, description="When the chain head differs: where the log departs from the chain."
    )


class DossierOut(BaseModel):
    id: UUID
    title: str
    issued_at: datetime
    meeting_id: UUID | None
    group_ids: list[UUID]
    language: Language
    position: int = Field(description="The log position it is as of.")
    rules_version: int
    template_version: int
    include_companies: bool
    association: str
    content_hash: str
    files: dict[str, str] = Field(description="SHA-256 of each rendered file, by format.")
    chain_head: str | None = Field(
        description="The hash chain's head at its position (None: issued without a seal)."
    )
    key_fingerprint: str | None = Field(
        description="SHA-256 of the public key that signed it (None: not signed)."
    )


class SigningKeyOut(BaseModel):
    algorithm: Literal["Ed25519"] = "Ed25519"
    fingerprint: str = Field(description="SHA-256 of the raw public key, lowercase hex.")
    public_key_pem: str = Field(description="The public key (SubjectPublicKeyInfo, PEM).")
