"""The machine-readable dossier: the content itself as canonical JSON."""

from __future__ import annotations

import json
from typing import Any


def canonical_json(value: Any) -> bytes:
    """Sorted keys, two-space indent, UTF-8 without escapes, one trailing newline.

    The same value gives the same bytes in every process; NaN and infinities are refused
    because JSON has no portable spelling for them.
    """
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, indent=2, allow_nan=False)
    return (text + "\n").encode("utf-8")


def render_json(content: dict[str, Any]) -> bytes:
    return canonical_json(content)
