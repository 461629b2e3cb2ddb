"""The association's Ed25519 signing key and the detached signatures of issued dossiers.

The key lives in a file outside the database (`SPRACHROHR_SIGNING_KEY_FILE`): whoever can
write to the database cannot sign. A dossier's signature covers a *statement*: its content
hash, the hash chain's head at its position, its definition and the SHA-256 of each file,
as canonical JSON. The `.sig` file carries the statement, the signature and the key's
fingerprint, so that a file can be checked with the public key alone, offline.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

SIGNATURE_FORMAT = "sprachrohr-dossier-signature/1"


class SigningKeyError(ValueError):
    """A key file that is missing, unreadable or not an Ed25519 key."""


def fingerprint(public_key: Ed25519PublicKey) -> str:
    """SHA-256 of the raw 32-byte public key, lowercase hex."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()


def public_pem(public_key: Ed25519PublicKey) -> str:
    return public_key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()


def create_key(path: Path) -> Ed25519PrivateKey:
    """A new private key written to `path` (PEM, readable by its owner only); never overwrites."""
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(pem)
    return key


def load_private_key(path: Path) -> Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (OSError, ValueError, TypeError) as error:
        raise SigningKeyError(f"cannot read the signing key {path}: {error}") from error
    if not isinstance(key, Ed25519PrivateKey):
        raise SigningKeyError(f"{path} is not an Ed25519 private key")
    return key


def load_public_key(path: Path) -> Ed25519PublicKey:
    """A public key from a PEM file (a private key's file gives its public key)."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise SigningKeyError(f"cannot read the public key {path}: {error}") from error
    if b"PRIVATE KEY" in data:
        return load_private_key(path).public_key()
    try:
        key = serialization.load_pem_public_key(data)
    except ValueError as error:
        raise SigningKeyError(f"{path} is not a PEM public key: {error}") from error
    if not isinstance(key, Ed25519PublicKey):
        raise SigningKeyError(f"{path} is not an Ed25519 public key")
    return key


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
