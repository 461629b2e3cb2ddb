"""Field limits: how long each text may be and how many items a list may hold.

One definition for every way in: the aggregates enforce them (domain.rules.clean_text
raises `text.too_long` with the limit), and the request schemas (api/schemas/) and the
web forms import them from here. Business date and number ranges live in
domain/moments.py.
"""

from __future__ import annotations

# -- texts (characters, after surrounding whitespace is stripped) ----------------------
MAX_TITLE = 200
MAX_DESCRIPTION = 20_000
MAX_NAME = 120
MAX_TAG = 40
MAX_REASON = 2_000
MAX_COMMENT = 5_000
MAX_NOTE = 2_000
MAX_LINK = 2_000
MAX_EMAIL = 254
MIN_PASSWORD = 10
MAX_PASSWORD = 256
#: A status, kind or role name sent by a client (the domain checks the value itself).
MAX_CODE = 40

# -- counts ------------------------------------------------------------------------------
MAX_TAGS = 10
MAX_ITEMS = 15  # rows of a curated list
MAX_AGENDA = 40  # items on a meeting's agenda
MAX_GROUPS = 100  # working groups in one dossier
MAX_BUDGET = 50  # votes per person and group
MAX_CUSTOMERS = 1_000_000  # affected customers on one piece of evidence


def accepted(limit: int) -> int:
    """The most characters a request may carry for a text the domain limits to `limit`.

    The domain strips surrounding whitespace before it counts, and refuses an overlong
    text with its own coded error (`text.too_long`, naming the limit); the request
    schema only turns away what is absurd, with room for that whitespace."""
    return limit + max(limit // 4, 200)
