"""Pieces every web form shares."""

from __future__ import annotations

import re
import secrets
from datetime import date
from typing import Annotated

from fastapi import Form

from domain.errors import Invalid
from domain.moments import parse_day

#: A text field of a posted form.
Text = Annotated[str, Form()]


def calendar_day(raw: str) -> date | None:
    """Any calendar day written like 2026-03-14, or None (for a form that explains a
    day outside its range differently from one that is not a date at all)."""
    raw = raw.strip()
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        return None


def form_day(raw: str) -> date | None:
    """A business day typed into a form or a page's query (2026-03-14), or None when it
    is not one (`domain.moments`: 2000-01-01 … 2100-12-31). Every page reads days so."""
    try:
        return parse_day(raw, field="day")
    except Invalid:
        return None


def new_key() -> str:
    """A fresh idempotency token for a form: submitting it twice creates one record."""
    return secrets.token_urlsafe(16)
