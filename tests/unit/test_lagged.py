"""Leading indicators (sltdesk/rules/lagged.py): Pearson's p without scipy, checked against scipy; a series built
to lead a target is listed with its lag; noise, short series and weak links are not."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.special import betainc as scipy_betainc
from scipy.stats import pearsonr

from sltdesk.rules.lagged import (
    CAUTION,
    betainc,
    lagged_pairs,
    leading_indicators,
    listed,
    out_of_range,
    pearson,
)
from tests.budget import examples


def leading_pair(months: int, lag: int, seed: int = 1) -> tuple[list[float], list[float]]:
    """An error rate that jumps a `lag` months before the availability drops, plus small noise on both."""
    rng = random.Random(seed)
    rises = {4, 9, 15} | ({20} if months > 21 else set())
    errors = [0.05 + rng.gauss(0, 0.01) + (1.5 if m in rises else 0) for m in range(months)]
    avail = [99.99 + rng.gauss(0, 0.005) - (1.2 if m - lag in rises else 0) for m in range(months)]
    return errors, avail


@settings(max_examples=examples(200), deadline=None)
@given(st.integers(3, 40), st.floats(-3, 3), st.integers(0, 10_000))
def test_the_p_of_pearsons_r_is_scipys(n, slope, seed):
    rng = random.Random(seed)
    x = [rng.gauss(0, 1) for _ in range(n)]
    y = [slope * a + rng.gauss(0, 1) for a in x]
    ours, theirs = pearson(x, y), pearsonr(x, y)
    assert ours.r == pytest.approx(theirs.statistic, abs=1e-12)
    assert ours.p == pytest.approx(theirs.pvalue, rel=1e-9, abs=1e-15)


@settings(max_examples=examples(300), deadline=None)
@given(st.floats(0.05, 200), st.floats(0.05, 200), st.floats(0, 1))
def test_the_incomplete_beta_is_scipys(a, b, x):
    assert betainc(a, b, x) == pytest.approx(float(scipy_betainc(a, b, x)), rel=1e-9, abs=1e-14)


def test_a_flat_series_or_too_few_pairs_has_no_correlation():
    assert pearson([1, 1, 1, 1], [1, 2, 3, 4]).p == 1.0
    assert pearson([1, 2], [2, 1]).p == 1.0


def test_lagged_pairs_put_the_lead_lag_periods_before_the_follower_and_skip_gaps():
    xs, ys = lagged_pairs([1, 2, None, 4, 5], [10, 20, 30, 40, 50], 1)
    assert (xs, ys) == ([1, 2, 4], [20, 30, 50])  # t=3 lost: its lead (t=2) has no value


def test_a_series_that_leads_by_two_months_is_listed_with_lag_two():
    errors, avail = leading_pair(18, 2)
    found = leading_indicators({"error rate": errors}, avail)
    [best] = listed(found)
    assert (best.candidate, best.lag, best.n) == ("error rate", 2, 16)  # 18 months, 2 lost to the lag
    assert best.r < -0.9 and best.p_adjusted == pytest.approx(min(1, best.p * 3))  # 1 candidate × 3 lags
    assert "2 months ahead" in best.text and "falls" in best.text


def test_pure_noise_of_the_same_length_is_not_listed():
    errors, avail = leading_pair(18, 1)
    rng = random.Random(99)
    noise = [rng.gauss(0.05, 0.01) for _ in avail]
    found = leading_indicators({"error rate": errors, "noise": noise}, avail)
    assert [i.candidate for i in listed(found)] == ["error rate"]
    assert all(not i.listed for i in found if i.candidate == "noise")


def test_noise_is_rarely_listed_at_all():
    rng = random.Random(7)
    hits = 0
    for _ in range(200):
        target = [rng.gauss(0, 1) for _ in range(18)]
        candidates = {name: [rng.gauss(0, 1) for _ in range(18)] for name in ("a", "b", "c", "d")}
        hits += bool(listed(leading_indicators(candidates, target)))
    # Bonferroni over 12 tests holds the family-wise error at 5 % or below (200 draws: 10 expected, sd about 3);
    # uncorrected, about a third of these noise families would list something
    assert hits <= 16


def test_eleven_pairs_are_too_few_however_strong_the_link():
    errors, avail = leading_pair(12, 1)  # 12 months -> 11 pairs at lag 1
    found = leading_indicators({"error rate": errors}, avail, lags=[1])
    assert found[0].n == 11 and abs(found[0].r) > 0.9 and not found[0].listed


def test_bonferroni_can_drop_a_link_that_would_pass_alone():
    rng = random.Random(3)
    target = [rng.gauss(0, 1) for _ in range(14)]
    lead = [t * 0.9 + rng.gauss(0, 1.0) for t in target[1:]] + [None]  # lead[t - 1] tracks target[t]
    alone = leading_indicators({"x": lead}, target, lags=[1])[0]
    crowded = leading_indicators({"x": lead, **{f"n{i}": [rng.gauss(0, 1) for _ in target] for i in range(10)}},
                                 target)
    again = next(i for i in crowded if i.candidate == "x" and i.lag == 1)
    assert alone.n == 13 and abs(alone.r) >= 0.5 and alone.p == again.p
    assert again.p_adjusted == pytest.approx(min(1, alone.p * 33))  # 11 candidates × 3 lags
    assert alone.p_adjusted < 0.05 <= again.p_adjusted


def test_the_latest_value_outside_two_standard_deviations_is_out_of_range():
    usual = [1.0, 1.1, 0.9, 1.0, 1.05, 0.95, 1.0, 1.1, 0.9, 1.0, 1.05, 0.95]
    assert out_of_range(usual + [2.0]) and not out_of_range(usual + [1.08])
    assert out_of_range(usual + [2.0, None])  # the last value there is
    assert not out_of_range(usual[:5] + [9.0])  # too short to know the usual range


def test_the_caution_says_correlation_is_not_cause():
    assert CAUTION.startswith("Correlation is not cause")
