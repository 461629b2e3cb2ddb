"""The ranking rules as properties of the pure rank() function."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from domain.ranking import SCORE_BITS, UNIT, Tally, company_units, rank

people_per_company = st.lists(st.integers(min_value=1, max_value=60), max_size=30)


def test_flood_of_one_company_ranks_below_breadth_of_eight() -> None:
    flooded = Tally.from_counts("a", [40], first_support_at=1)
    broad = Tally.from_counts("b", [1] * 8, first_support_at=2)
    assert [t.pain_point_id for t in rank([flooded, broad])] == ["b", "a"]


@given(counts=people_per_company, extra=st.integers(min_value=1, max_value=10_000))
def test_any_number_of_supporters_from_one_company_adds_less_than_one_point(
    counts: list[int], extra: int
) -> None:
    before = Tally.from_counts("x", [*counts, 0], 1).units
    after = Tally.from_counts("x", [*counts, extra], 1).units
    assert 0 < after - before < UNIT


@given(n=st.integers(min_value=0, max_value=200))
def test_each_further_person_of_a_company_adds_less_than_the_one_before(n: int) -> None:
    gain = company_units(n + 1) - company_units(n)
    next_gain = company_units(n + 2) - company_units(n + 1)
    assert next_gain <= gain
    if n < SCORE_BITS - 1:
        assert next_gain < gain


@given(companies=st.integers(min_value=2, max_value=50), people=st.integers(1, 10_000))
def test_two_or_more_companies_beat_one_company_of_any_size(companies: int, people: int) -> None:
    broad = Tally.from_counts("broad", [1] * companies, 2)
    flooded = Tally.from_counts("flooded", [people], 1)
    assert [t.pain_point_id for t in rank([flooded, broad])] == ["broad", "flooded"]


@given(st.lists(st.tuples(people_per_company, st.integers(0, 10**6)), max_size=20))
def test_rank_is_a_deterministic_total_order(items: list[tuple[list[int], int]]) -> None:
    tallies = [
        Tally.from_counts(f"id{i:03}", counts, first) for i, (counts, first) in enumerate(items)
    ]
    ranked = rank(tallies)
    assert rank(reversed(tallies)) == ranked
    keys = [t.sort_key() for t in ranked]
    assert keys == sorted(keys)
    assert len(set(keys)) == len(keys)


def test_ties_break_by_companies_then_people_then_first_support_then_id() -> None:
    same_score_more_companies = Tally("a", units=100, companies=3, supporters=3)
    fewer_companies = Tally("b", units=100, companies=2, supporters=9)
    earlier = Tally("c", units=50, companies=1, supporters=1, first_support_at=5)
    later = Tally("d", units=50, companies=1, supporters=1, first_support_at=9)
    id_tie_second = Tally("f", units=10, companies=1, supporters=1, first_support_at=1)
    id_tie_first = Tally("e", units=10, companies=1, supporters=1, first_support_at=1)
    ranked = rank(
        [id_tie_second, later, fewer_companies, id_tie_first, earlier, same_score_more_companies]
    )
    assert [t.pain_point_id for t in ranked] == ["a", "b", "c", "d", "e", "f"]
