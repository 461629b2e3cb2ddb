"""The detached signatures of issued dossiers, made with the association's Ed25519 key.

The key lives in a file outside the database (`service/signing_key.py`): whoever can
write to the database cannot sign. A dossier's signature covers a *statement*: its content
hash, the hash chain's head at its position, its definition and the SHA-256 of each file,
as canonical JSON. The `.sig` file carries the statement, the signature and the key's
fingerprint, so that a file can be checked with the public key alone, offline.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

SIGNATURE_FORMAT = "sprachrohr-dossier-signature/1"


def statement(
    content_hash: str, chain_head: str, definition: dict[str, Any], files: dict[str, str]
) -> dict[str, Any]:
    """What a dossier's signature covers."""
    return {
        "chain_head": chain_head,
        "content_hash": content_hash,
        "definition": definition,
        "files": dict(sorted(files.items())),
    }


def canonical(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def sign(key: Ed25519PrivateKey, signed: dict[str, Any]) -> str:
    return base64.b64encode(key.sign(canonical(signed))).decode()


def signature_valid(public_key: Ed25519PublicKey, signed: dict[str, Any], signature: str) -> bool:
    try:
        public_key.verify(base64.b64decode(signature, validate=True), canonical(signed))
    except (InvalidSignature, ValueError):
        return False
    return True


def signature_file(signed: dict[str, Any], signature: str, key_fingerprint: str) -> bytes:
    """The detached `.sig` file: statement, signature and the signing key's fingerprint."""
    document = {
        "format": SIGNATURE_FORMAT,
        "algorithm": "Ed25519",
        "key_fingerprint": key_fingerprint,
        "signature": signature,
        "statement": signed,
    }
    return (json.dumps(document, sort_keys=True, ensure_ascii=False, indent=2) + "\n").encode()


@dataclass(frozen=True)
class FileCheck:
    ok: bool
    message: str


def check_file(data: bytes, signature_data: bytes, public_key: Ed25519PublicKey) -> FileCheck:
    """Whether `data` is one of the files the `.sig` file's signature vouches for."""
    try:
        document = json.loads(signature_data)
        signed, signature = document["statement"], document["signature"]
        files = signed["files"]
        if document.get("format") != SIGNATURE_FORMAT or not isinstance(files, dict):
            raise ValueError(document.get("format"))
    except (ValueError, KeyError, TypeError):
        return FileCheck(False, "NOT verified: the signature file is not a dossier signature")
    if document.get("key_fingerprint") != fingerprint(public_key):
        return FileCheck(False, "NOT verified: the signature was made with another key")
    if not signature_valid(public_key, signed, signature):
        return FileCheck(False, "NOT verified: the signature does not match its statement")
    digest = hashlib.sha256(data).hexdigest()
    matches = sorted(fmt for fmt, signed_hash in files.items() if signed_hash == digest)
    if not matches:
        return FileCheck(
            False,
            f"NOT verified: the file (sha256 {digest[:16]}…) is none of the signed files:"
            " it was changed or belongs to another dossier",
        )
    return FileCheck(
        True,
        f"verified: the file is the dossier's {matches[0]} file (sha256 {digest}), signed by"
        f" the key {fingerprint(public_key)} with the log's chain head {signed['chain_head']}",
    )


def fingerprint(public_key: Ed25519PublicKey) -> str:
    """SHA-256 of the raw 32-byte public key, lowercase hex."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()


def public_pem(public_key: Ed25519PublicKey) -> str:
    """The public key as PEM (SubjectPublicKeyInfo)."""
    pem: bytes = public_key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return pem.decode()
