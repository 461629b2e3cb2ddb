"""Input rules shared by the aggregates."""

from __future__ import annotations

from domain.errors import Invalid
from domain.limits import MAX_DESCRIPTION, MAX_NAME, MAX_REASON, MAX_TAG, MAX_TAGS, MAX_TITLE

__all__ = [
    "MAX_DESCRIPTION",
    "MAX_NAME",
    "MAX_REASON",
    "MAX_TAG",
    "MAX_TAGS",
    "MAX_TITLE",
    "clean_tags",
    "clean_text",
]


def clean_text(value: str, *, field: str, max_len: int, required: bool = True) -> str:
    """Strip surrounding whitespace and enforce presence and length."""
    text = value.strip()
    if any((ord(c) < 32 and c not in "\t\n\r") or c == "\x7f" for c in text):
        raise Invalid("text.control_characters", field=field)
    if required and not text:
        raise Invalid("text.empty", field=field)
    if len(text) > max_len:
        raise Invalid("text.too_long", field=field, max=max_len, got=len(text))
    return text


def clean_tags(tags: list[str]) -> list[str]:
    """Lower-case, de-duplicate and sort tags so equal sets compare equal."""
    cleaned = sorted({clean_text(t, field="tags", max_len=MAX_TAG).casefold() for t in tags})
    if len(cleaned) > MAX_TAGS:
        raise Invalid("tags.too_many", field="tags", max=MAX_TAGS)
    return cleaned
