"""Ranking: breadth of support across companies, not the number of accounts.

score(i) = Σ_c (1 − 2^−n(c,i)), with n(c,i) the people of member company c with
active support on pain point i. Scores are kept as exact integers in units of
2^−SCORE_BITS, so live views, rebuilds and as-of queries agree to the last bit.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

#: The version of the ranking rules (score, tie-breakers, what counts). Dossiers record
#: it; change it whenever a change here would rank any history differently.
RANKING_RULES_VERSION = 1
SCORE_BITS = 40
UNIT = 1 << SCORE_BITS
NO_SUPPORT = (1 << 62) - 1  # sorts after every real first-support time


def company_units(people: int) -> int:
    """One company's contribution: 1 − 2^−n in units; it never reaches one point."""
    if people <= 0:
        return 0
    return UNIT - (UNIT >> min(people, SCORE_BITS))


def score_of(units: int) -> float:
    """The score rounded for display (six decimals)."""
    return round(units / UNIT, 6)


def exact_score(units: int) -> float:
    """The score at full float precision: exact while units < 2^53 (over 8,000 companies),
    so one company's 1 − 2^−n never shows as a whole point."""
    return units / UNIT


@dataclass(frozen=True)
class Tally:
    """The counted support of one pain point."""

    pain_point_id: str
    units: int = 0
    companies: int = 0
    supporters: int = 0
    first_support_at: int = NO_SUPPORT

    @classmethod
    def from_counts(cls, pain_point_id: str, counts: Iterable[int], first_support_at: int) -> Tally:
        people = [n for n in counts if n > 0]
        return cls(
            pain_point_id,
            units=sum(company_units(n) for n in people),
            companies=len(people),
            supporters=sum(people),
            first_support_at=first_support_at if people else NO_SUPPORT,
        )

    def sort_key(self) -> tuple[int, int, int, int, str]:
        """Higher score, then more companies, more people, earlier first support, id."""
        return (
            -self.units,
            -self.companies,
            -self.supporters,
            self.first_support_at,
            self.pain_point_id,
        )


def rank(tallies: Iterable[Tally]) -> list[Tally]:
    """The community ranking: a total order, deterministic for equal scores."""
    return sorted(tallies, key=Tally.sort_key)


RANK_ORDER_SQL = (
    "units DESC, companies DESC, supporters DESC, first_support_at ASC, pain_point_id ASC"
)
