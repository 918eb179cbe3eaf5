"""XmR limits and Western Electric rule flags against hand calculations; early warnings."""

from __future__ import annotations

from decimal import Decimal

import pytest

from sltdesk.domain.register import Comparison
from sltdesk.rules.control_charts import RuleFlag, early_warnings, special_cause, western_electric, xmr

LABELS = [f"2026-{m:02d}" for m in range(1, 13)]


def test_the_limits_are_the_mean_plus_and_minus_2_66_average_moving_ranges():
    # mean 55 / 5 = 11; moving ranges 2, 1, 2, 4 → MR̄ = 9 / 4 = 2.25
    chart = xmr(LABELS[:5], [10, 12, 11, 13, 9])
    assert chart.centre == pytest.approx(11)
    assert chart.moving_ranges == (None, 2, 1, 2, 4)
    assert chart.mr_mean == pytest.approx(2.25)
    assert chart.ucl == pytest.approx(11 + 2.66 * 2.25) == pytest.approx(16.985)
    assert chart.lcl == pytest.approx(5.015)
    assert chart.mr_ucl == pytest.approx(3.267 * 2.25) == pytest.approx(7.35075)
    assert chart.flags == ()  # ±1 and ±2 around 11 with σ = 2.25 / 1.128 = 1.995: nothing to flag


def test_a_collapse_below_the_lower_limit_is_special_cause_for_an_at_least_target():
    # mean 787 / 8 = 98.375; moving ranges 1 × 6 and 10 → MR̄ = 16 / 7; LCL = 98.375 − 2.66 × 16 / 7 = 92.295
    chart = xmr(LABELS[:8], [100, 99, 100, 99, 100, 99, 100, 90])
    assert chart.lcl == pytest.approx(92.295)
    assert chart.ucl == pytest.approx(104.455)
    assert chart.flags == (RuleFlag(7, 1, "below"),)
    assert special_cause(chart, 7, Comparison.AT_LEAST)
    assert not special_cause(chart, 7, Comparison.AT_MOST)  # lower is good news for an "at most" target
    assert not special_cause(chart, 6, Comparison.AT_LEAST)


def test_periods_without_a_figure_keep_their_place_but_take_no_part():
    chart = xmr(LABELS[:5], [10, None, 12, 11, None])
    assert chart.moving_ranges == (None, None, None, 1, None)
    assert chart.centre == pytest.approx(11) and chart.mr_mean == pytest.approx(1)
    assert xmr(LABELS[:2], [Decimal("99.9"), None]).ucl is None  # one figure: no limits


def test_rule_1_flags_one_point_beyond_three_sigma():
    assert western_electric([0.5, -0.5, 3.5], 0, 1) == [RuleFlag(2, 1, "above")]


def test_rule_2_flags_two_of_three_points_beyond_two_sigma_on_one_side():
    assert western_electric([2.5, 0.0, 2.2, 0.0], 0, 1) == [RuleFlag(0, 2, "above"), RuleFlag(2, 2, "above")]
    assert western_electric([2.5, 0.0, -2.5], 0, 1) == []  # opposite sides do not add up


def test_rule_3_flags_four_of_five_points_beyond_one_sigma_on_one_side():
    flags = western_electric([-1.5, -1.2, -0.3, -1.1, -1.4], 0, 1)
    assert flags == [RuleFlag(i, 3, "below") for i in (0, 1, 3, 4)]
    assert western_electric([-1.5, -1.2, -0.3, -1.1, 0.4], 0, 1) == []


def test_rule_4_flags_eight_points_in_a_row_on_one_side():
    assert western_electric([0.1] * 8, 0, 1) == [RuleFlag(i, 4, "above") for i in range(8)]
    assert western_electric([0.1] * 7 + [-0.1], 0, 1) == []
    assert western_electric([0.1] * 4 + [0.0] + [0.1] * 4, 0, 1) == []  # a point on the line breaks the run


def test_a_run_of_worsening_periods_warns_while_the_target_is_still_met():
    chart = xmr(LABELS[:4], [99.99, 99.98, 99.97, 99.96])
    [warning] = early_warnings(chart, threshold=Decimal("99.95"), comparison=Comparison.AT_LEAST, met_latest=True)
    assert warning == ("worse in each of the last 3 periods (99.99 → 99.98 → 99.97 → 99.96); "
                       "0.01 from the target >= 99.95")


def test_a_trend_that_projects_a_breach_next_period_warns():
    # least squares through 10, 9, 9, 8: slope −0.6, next period 9 − 0.6 × 2.5 = 7.5
    chart = xmr(LABELS[:4], [10, 9, 9, 8])
    warnings = early_warnings(chart, threshold=Decimal("7.6"), comparison=Comparison.AT_LEAST, met_latest=True)
    assert warnings == ["the trend of the last 4 periods projects 7.5 next period, which would miss >= 7.6"]
    assert early_warnings(chart, threshold=Decimal("7.5"), comparison=Comparison.AT_LEAST, met_latest=True) == []


def test_an_at_most_target_worsens_upwards_and_a_missed_period_gets_no_warning():
    chart = xmr(LABELS[:4], [0.1, 0.2, 0.3, 0.4])
    [warning] = early_warnings(chart, threshold=Decimal("0.5"), comparison=Comparison.AT_MOST, met_latest=True)
    assert warning.startswith("worse in each of the last 3 periods (0.1 → 0.2 → 0.3 → 0.4)")
    assert early_warnings(chart, threshold=Decimal("0.5"), comparison=Comparison.AT_MOST, met_latest=False) == []
