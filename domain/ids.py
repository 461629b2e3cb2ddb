"""Deterministic identities: uniqueness is a storage guarantee, not a check-then-act."""

from __future__ import annotations

import hashlib
import hmac
import unicodedata
from uuid import UUID, uuid5

NAMESPACE = UUID("6f1c3a52-3b7e-4d0e-9d8e-5b1f2a9c4e70")

#: The actor recorded for what the system itself does (bootstrap, demo loader).
SYSTEM = UUID(int=0)


def support_id(pain_point_id: UUID, person_id: UUID) -> UUID:
    """One support aggregate per person and pain point."""
    return uuid5(NAMESPACE, f"support:{pain_point_id}:{person_id}")


def claim_id(kind: str, key: str) -> UUID:
    """The id of the claim on a unique key (an e-mail address, a company name …).

    Keys equal after Unicode normalisation and case folding claim the same id, so
    "Süd (München)" typed with combining accents collides with the composed form.
    """
    return uuid5(NAMESPACE, f"claim:{kind}:{folded_key(key)}")


def folded_key(key: str) -> str:
    return unicodedata.normalize("NFKC", key.strip()).casefold()


def secret_claim_id(secret: bytes, kind: str, key: str) -> UUID:
    """The id of a claim on a personal key (an e-mail address): a keyed HMAC.

    Unlike `claim_id`, nobody without the installation's secret can compute it from a
    guessed address; erasing the person releases the claim (docs/privacy.md).
    """
    message = f"claim:{kind}:{folded_key(key)}".encode()
    return UUID(bytes=hmac.new(secret, message, hashlib.sha256).digest()[:16])


def idempotent_id(kind: str, actor: UUID, key: str) -> UUID:
    """The id of what `actor` creates with Idempotency-Key `key`: a retry hits it."""
    return uuid5(NAMESPACE, f"idem:{kind}:{actor}:{key}")


def session_id(token_digest: str) -> UUID:
    """The id of a sign-in session, from the digest of its bearer token."""
    return uuid5(NAMESPACE, f"session:{token_digest}")


def ballot_id(group_id: UUID, person_id: UUID, epoch: str) -> UUID:
    """A person's ballot in a group for one budget epoch (a voting round, or ever)."""
    return uuid5(NAMESPACE, f"ballot:{group_id}:{person_id}:{epoch}")


def invitation_id(token_digest: str) -> UUID:
    """An invitation's id, from the digest of its link's token."""
    return uuid5(NAMESPACE, f"invitation:{token_digest}")


def password_reset_id(token_digest: str) -> UUID:
    """A password reset's id, from the digest of its link's token."""
    return uuid5(NAMESPACE, f"password-reset:{token_digest}")


def person_from_invitation(invitation: UUID) -> UUID:
    """The person an accepted invitation registers: a retried accept finds them."""
    return uuid5(NAMESPACE, f"person-from-invitation:{invitation}")
