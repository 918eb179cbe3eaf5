"""Did a done improvement action move its target (sltdesk/rules/action_effect.py): which months count as before
and after, the minimum of four each, the verdicts, and the direction of "better" for each kind of target."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from scipy.stats import mannwhitneyu

from sltdesk.domain.register import Comparison
from sltdesk.rules.action_effect import Figure, assess_effect, split_periods

THRESHOLD = Decimal("99.9")


def months(values: list[str], first: tuple[int, int] = (2025, 1)) -> list[Figure]:
    year, month = first
    out = []
    for v in values:
        out.append(Figure(f"{year}-{month:02d}", Decimal(v), Decimal(v) >= THRESHOLD))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


# Jan – Jun 2025 poor, Jul – Aug the action at work, Sep – Dec good
YEAR = months(["99.80", "99.85", "99.91", "99.82", "99.88", "99.84", "99.90", "99.93",
               "99.97", "99.95", "99.99", "99.96"])


def test_a_month_over_on_the_day_the_action_opened_counts_before_and_the_month_it_was_done_in_counts_neither():
    before, after = split_periods(YEAR, opened_on=date(2025, 7, 1), closed_on=date(2025, 8, 31))
    assert [f.period for f in before] == ["2025-01", "2025-02", "2025-03", "2025-04", "2025-05", "2025-06"]
    assert [f.period for f in after] == ["2025-09", "2025-10", "2025-11", "2025-12"]
    before, after = split_periods(YEAR, opened_on=date(2025, 6, 30), closed_on=date(2025, 9, 1))
    assert before[-1].period == "2025-05" and after[0].period == "2025-10"  # June and September were touched


def test_an_action_that_lifted_its_target_is_effective_with_scipys_p():
    effect = assess_effect(YEAR, comparison=Comparison.AT_LEAST, opened_on=date(2025, 7, 1),
                           closed_on=date(2025, 8, 31))
    before = [float(f.achieved) for f in effect.before]
    after = [float(f.achieved) for f in effect.after]
    assert effect.verdict == "effective" and effect.test is not None
    assert effect.test.p == pytest.approx(mannwhitneyu(before, after, method="exact").pvalue, rel=1e-12)
    assert (effect.test.n_x, effect.test.n_y, effect.n) == (6, 4, 10)
    assert effect.median_before == Decimal("99.845") and effect.median_after == Decimal("99.965")
    assert effect.median_shift == Decimal("0.120")
    # misses: 99.80, 99.85, 99.82, 99.88, 99.84 of 6 before (99.91 met); none of 4 after
    assert (effect.miss_rate_before, effect.miss_rate_after) == (Decimal("83.3"), Decimal("0.0"))
    assert effect.summary.startswith("effective: median 99.845 → 99.965, missed 83.3 % → 0.0 % of months")


def test_the_same_figures_against_an_at_most_target_are_worse():
    effect = assess_effect(YEAR, comparison=Comparison.AT_MOST, opened_on=date(2025, 7, 1),
                           closed_on=date(2025, 8, 31))
    assert effect.verdict == "worse"


def test_three_months_after_is_not_enough():
    effect = assess_effect(YEAR, comparison=Comparison.AT_LEAST, opened_on=date(2025, 7, 1),
                           closed_on=date(2025, 9, 30))
    assert effect.verdict == "not enough periods (6 before, 3 after)" and effect.test is None
    assert effect.summary == effect.verdict


def test_four_of_each_is_enough_to_be_tested():
    effect = assess_effect(YEAR[2:], comparison=Comparison.AT_LEAST, opened_on=date(2025, 7, 1),
                           closed_on=date(2025, 8, 31))
    assert (len(effect.before), len(effect.after)) == (4, 4) and effect.test is not None
    # the best month before (99.91) is still below every month after: a perfect split, p = 2/70
    assert effect.test.p == pytest.approx(2 / 70) and effect.verdict == "effective"


def test_overlapping_figures_are_not_significant_and_say_p_and_n():
    mixed = months(["99.90", "99.95", "99.92", "99.97", "99.91", "99.96", "99.93", "99.94", "99.95", "99.92"])
    effect = assess_effect(mixed, comparison=Comparison.AT_LEAST, opened_on=date(2025, 5, 1),
                           closed_on=date(2025, 5, 31))
    assert effect.test is not None and effect.test.p >= 0.05
    assert effect.verdict == f"not significant (p = {effect.test.p:.3g}, n = 9)"


def test_at_most_twelve_months_each_side_nearest_the_action():
    long = months(["99.8"] * 20 + ["99.99"] * 20, first=(2023, 1))  # 2023-01 .. 2026-04
    before, after = split_periods(long, opened_on=date(2024, 9, 1), closed_on=date(2024, 9, 30))
    assert (len(before), before[0].period, before[-1].period) == (12, "2023-09", "2024-08")
    assert (len(after), after[0].period, after[-1].period) == (12, "2024-10", "2025-09")
