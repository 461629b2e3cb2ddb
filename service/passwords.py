"""Password rules after NIST SP 800-63B: 10 to 256 characters, not a common or breached
password, no composition rules. The list ships with the product
(service/data/common_passwords.txt: the 30,000 most common passwords of zxcvbn 4.5.0)."""

from __future__ import annotations

import hashlib
import secrets
from functools import cache
from pathlib import Path

from domain.errors import Invalid
from domain.limits import MAX_PASSWORD, MIN_PASSWORD

COMMON = Path(__file__).resolve().parent / "data" / "common_passwords.txt"


@cache
def common_passwords() -> frozenset[str]:
    lines = COMMON.read_text(encoding="utf-8").splitlines()
    return frozenset(line.casefold() for line in lines if line and not line.startswith("#"))


def check_password(password: str, *, field: str = "password") -> None:
    """Refuse a password that is too short, too long, or on the list of common ones."""
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise Invalid("password.length", field=field, min=MIN_PASSWORD, max=MAX_PASSWORD)
    if password.casefold() in common_passwords():
        raise Invalid("password.common", field=field)


def link_token() -> tuple[str, str]:
    """A one-time link's token (256 random bits) and the digest that is stored of it."""
    token = secrets.token_urlsafe(32)
    return token, token_digest(token)


def token_digest(token: str) -> str:
    """The SHA-256 digest kept of a token; equal tokens have equal digests, so looking
    the digest up by id compares in constant time what an attacker can choose."""
    return hashlib.sha256(token.encode()).hexdigest()
