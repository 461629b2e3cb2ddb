"""Pieces every web form shares."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import Form

#: A text field of a posted form.
Text = Annotated[str, Form()]


def new_key() -> str:
    """A fresh idempotency token for a form: submitting it twice creates one record."""
    return secrets.token_urlsafe(16)
