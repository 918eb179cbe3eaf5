"""XmR limits and Western Electric rule flags against hand calculations; early warnings."""

from __future__ import annotations

from decimal import Decimal

import pytest

from sltdesk.domain.register import Comparison
from sltdesk.rules.control_charts import (
    RuleFlag,
    XmRChart,
    clipped,
    early_warnings,
    natural_bounds,
    special_cause,
    western_electric,
    xmr,
)

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


def test_a_percentage_is_bounded_by_0_and_100_and_any_other_measure_by_0():
    assert natural_bounds("%") == (0.0, 100.0)
    assert natural_bounds("min") == (0.0, None)
    assert natural_bounds("ms") == (0.0, None)


def test_an_upper_limit_past_100_percent_is_clipped_and_the_computed_limit_kept():
    # the demo's P1 response: eleven months at 100 and one at 93.75 → mean 1193.75 / 12 = 99.47917; moving
    # ranges 6.25 twice in 11 → MR̄ = 12.5 / 11 = 1.13636; 2.66 × MR̄ = 3.02273;
    # UCL = 102.50189 → 100, LCL = 96.45644 (inside the bounds, kept)
    values = [100] * 5 + [93.75] + [100] * 6
    chart = xmr(LABELS, values, bounds=natural_bounds("%"))
    assert chart.ucl == 100.0 and chart.ucl_computed == pytest.approx(102.50189, abs=1e-5)
    assert chart.lcl == pytest.approx(96.45644, abs=1e-5) and chart.lcl_computed is None
    assert chart.flags == xmr(LABELS, values).flags  # the rules use σ, so clipping flags nothing new


def test_a_limit_exactly_on_the_bound_is_not_clipped_and_one_a_hair_past_it_is():
    # values 99 and 101 alternate: centre 100, MR̄ 2 → limits 100 ± 5.32; bounds put exactly on them or just inside
    chart = xmr(LABELS[:4], [99, 101, 99, 101])
    on = clipped(chart, (chart.lcl, chart.ucl))
    assert (on.ucl, on.lcl, on.ucl_computed, on.lcl_computed) == (chart.ucl, chart.lcl, None, None)
    inside = clipped(chart, (chart.lcl + 0.0001, chart.ucl - 0.0001))
    assert inside.ucl == pytest.approx(chart.ucl - 0.0001) and inside.ucl_computed == chart.ucl
    assert inside.lcl == pytest.approx(chart.lcl + 0.0001) and inside.lcl_computed == chart.lcl


def test_a_limit_of_exactly_100_percent_is_not_clipped_but_100_0001_is():
    # centre 99 with MR̄ = 1 / 2.66 puts the UCL on 100 exactly; 0.0001 more per moving range puts it past
    exact = clipped(XmRChart((), (), (), 99.0, 1 / 2.66, 100.0, 98.0, None, ()), natural_bounds("%"))
    assert exact.ucl == 100.0 and exact.ucl_computed is None
    past = clipped(XmRChart((), (), (), 99.0, 1 / 2.66, 100.0001, 98.0, None, ()), natural_bounds("%"))
    assert past.ucl == 100.0 and past.ucl_computed == 100.0001


def test_a_negative_lower_limit_of_a_duration_is_clipped_at_zero():
    # resolution minutes 10, 40, 10, 40: centre 25, MR̄ 30 → LCL = 25 − 79.8 = −54.8 → 0; UCL 104.8 stays
    chart = xmr(LABELS[:4], [10, 40, 10, 40], bounds=natural_bounds("min"))
    assert chart.lcl == 0.0 and chart.lcl_computed == pytest.approx(-54.8)
    assert chart.ucl == pytest.approx(104.8) and chart.ucl_computed is None
