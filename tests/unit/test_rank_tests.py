"""The exact Mann–Whitney U test of sltdesk/rules/rank_tests.py: cases worked by hand, scipy's exact method
where there are no ties, and brute-force enumeration of every split where there are."""

from __future__ import annotations

from fractions import Fraction
from itertools import combinations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import mannwhitneyu

from sltdesk.rules.rank_tests import mann_whitney_exact, mid_ranks, rank_sum_counts
from tests.budget import examples


def brute_force_p(x: list[float], y: list[float]) -> float:
    """Every way to pick len(x) of the pooled values as 'x', its mid-rank sum; p = twice the smaller tail."""
    pooled = x + y
    ranks = mid_ranks(pooled)
    observed = sum(ranks[: len(x)])
    sums = [sum(ranks[i] for i in pick) for pick in combinations(range(len(pooled)), len(x))]
    below = sum(s <= observed + 1e-9 for s in sums)
    above = sum(s >= observed - 1e-9 for s in sums)
    return float(min(Fraction(1), 2 * Fraction(min(below, above), len(sums))))


def test_four_against_four_with_no_overlap_gives_the_smallest_possible_p_of_two_in_seventy():
    # C(8, 4) = 70 splits; only "all four lowest" is as extreme on one side, and only "all four highest" on the other
    result = mann_whitney_exact([1, 2, 3, 4], [5, 6, 7, 8])
    assert (result.u_x, result.u_y, result.n) == (0, 16, 8)
    assert result.p == pytest.approx(2 / 70) and result.p < 0.05
    assert result.y_tends_higher and not result.ties


def test_three_against_three_can_never_reach_five_percent():
    # C(6, 3) = 20 splits: the most extreme two-sided p is 2/20 = 0.1
    assert mann_whitney_exact([1, 2, 3], [4, 5, 6]).p == pytest.approx(0.1)


def test_identical_samples_give_p_one():
    result = mann_whitney_exact([5, 5, 5, 5], [5, 5, 5, 5])
    assert result.p == 1.0 and result.u_x == result.u_y == 8 and result.ties


def test_u_counts_ties_as_one_half():
    # x = [2, 3], y = [1, 2]: pairs with x above y are 2>1, 3>1, 3>2 (3), and the tie 2=2 counts 0.5
    result = mann_whitney_exact([2, 3], [1, 2])
    assert result.u_x == 3.5 and result.u_y == 0.5


def test_mid_ranks_share_the_mean_rank_of_a_tie():
    assert mid_ranks([10, 20, 20, 30, 20]) == [1, 3, 3, 5, 3]


def test_the_counts_of_the_recurrence_add_up_to_every_split():
    counts = rank_sum_counts([2, 4, 6, 8, 10], 2)  # doubled ranks 1..5, choose 2: C(5, 2) = 10
    assert sum(counts.values()) == 10 and counts[2 * (1 + 2)] == 1 and counts[2 * (2 + 5)] == 2  # 2+5, 3+4


def test_a_sample_must_not_be_empty():
    with pytest.raises(ValueError):
        mann_whitney_exact([], [1.0])


@settings(max_examples=examples(300), deadline=None)
@given(st.lists(st.integers(-10_000, 10_000), min_size=2, max_size=20, unique=True), st.data())
def test_without_ties_the_p_value_is_scipys_exact_one(values, data):
    cut = data.draw(st.integers(1, len(values) - 1))
    x, y = values[:cut], values[cut:]
    ours = mann_whitney_exact(x, y)
    theirs = mannwhitneyu(x, y, alternative="two-sided", method="exact")
    assert ours.p == pytest.approx(theirs.pvalue, rel=1e-12, abs=1e-15)
    assert ours.u_x == theirs.statistic


@settings(max_examples=examples(150), deadline=None)
@given(st.lists(st.integers(0, 5), min_size=2, max_size=12), st.data())
def test_with_ties_the_p_value_is_the_exact_count_over_every_split(values, data):
    cut = data.draw(st.integers(1, len(values) - 1))
    x, y = [float(v) for v in values[:cut]], [float(v) for v in values[cut:]]
    assert mann_whitney_exact(x, y).p == pytest.approx(brute_force_p(x, y), rel=1e-12)
