"""How a `Personal` value is stored: AES-GCM under its subject's key (crypto-shredding).

Registered on the application's JSON transcoder, so every event and snapshot that
holds a `Personal` stores `{"s": subject, "n": nonce, "c": ciphertext}` instead of the
text. The subject's id is the associated data: a ciphertext cannot be passed off as
another person's. When the subject's key has been destroyed the value decodes to
`Personal(subject, None)` (erased), and an erased value encodes without ciphertext.
"""

from __future__ import annotations

import base64
import os
from typing import Any
from uuid import UUID

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from eventsourcing.persistence import Transcoding

from domain.personal import Personal
from storage.keys import KeyStore

NONCE_BYTES = 12


class PersonalAsCiphertext(Transcoding):
    type = Personal
    name = "personal"

    def __init__(self, keys: KeyStore) -> None:
        self.keys = keys

    def encode(self, obj: Personal) -> dict[str, str]:
        if obj.text is None:
            return {"s": obj.subject.hex}
        key = self.keys.key(obj.subject)
        if key is None:
            if self.keys.is_destroyed(obj.subject):
                return {"s": obj.subject.hex}  # erased while the command ran
            msg = f"no key for {obj.subject}: make it in the command (Service.make_key)"
            raise LookupError(msg)
        nonce = os.urandom(NONCE_BYTES)
        sealed = AESGCM(key).encrypt(nonce, obj.text.encode("utf-8"), obj.subject.bytes)
        return {"s": obj.subject.hex, "n": _b64(nonce), "c": _b64(sealed)}

    def decode(self, data: Any) -> Personal:
        subject = UUID(data["s"])
        if "c" not in data:
            return Personal(subject, None)
        key = self.keys.key(subject)
        if key is None:
            return Personal(subject, None)
        nonce, sealed = base64.b64decode(data["n"]), base64.b64decode(data["c"])
        text = AESGCM(key).decrypt(nonce, sealed, subject.bytes).decode("utf-8")
        return Personal(subject, text)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")
