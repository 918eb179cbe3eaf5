"""XmR charts at their edges: few points, flat processes, the rule boundaries, and every early-warning sentence."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from sltdesk.domain.register import Comparison
from sltdesk.rules.control_charts import RuleFlag, XmRChart, early_warnings, western_electric, worse_side, xmr

LABELS = [f"2026-{m:02d}" for m in range(1, 13)]
AT_LEAST, AT_MOST = Comparison.AT_LEAST, Comparison.AT_MOST


def warnings(chart: XmRChart, threshold: str, comparison: Comparison = AT_LEAST, **options) -> list[str]:
    return early_warnings(chart, threshold=Decimal(threshold), comparison=comparison, met_latest=True, **options)


# --- the chart --------------------------------------------------------------------------------------------------


def test_two_figures_a_gap_apart_give_a_centre_but_no_moving_range_and_no_limits():
    chart = xmr(LABELS[:3], [10, None, 12])
    assert chart == XmRChart(labels=("2026-01", "2026-02", "2026-03"), values=(10.0, None, 12.0),
                             moving_ranges=(None, None, None), centre=11.0, mr_mean=None, ucl=None, lcl=None,
                             mr_ucl=None, flags=())


def test_periods_without_any_figure_give_no_centre():
    chart = xmr(LABELS[:2], [None, None])
    assert (chart.centre, chart.mr_mean, chart.ucl, chart.flags) == (None, None, None, ())


def test_two_adjacent_figures_are_enough_for_limits():
    # mean 11, one moving range of 2: UCL = 11 + 2.66 × 2 = 16.32, LCL = 5.68, mR UCL = 3.267 × 2 = 6.534
    chart = xmr(LABELS[:2], [10, 12])
    assert chart.centre == pytest.approx(11) and chart.mr_mean == pytest.approx(2)
    assert (chart.ucl, chart.lcl, chart.mr_ucl) == (pytest.approx(16.32), pytest.approx(5.68), pytest.approx(6.534))


def test_a_process_that_never_moves_between_neighbours_flags_nothing_even_off_its_centre():
    # 5, 5, –, 7, 7: centre 6 but both moving ranges are 0, so σ = 0 and no rule can apply
    chart = xmr(LABELS[:5], [5, 5, None, 7, 7])
    assert (chart.centre, chart.mr_mean, chart.ucl, chart.lcl) == (6.0, 0.0, 6.0, 6.0)
    assert chart.flags == ()


def test_sigma_is_the_average_moving_range_over_1_128_not_times_it():
    # response minutes 50, 51, … 50, 57: mean 410 / 8 = 51.25; moving ranges six 1s and a 7 → MR̄ = 13 / 7;
    # UCL = 51.25 + 2.66 × 13 / 7 = 56.19, so 57 is beyond 3σ (it would not be with σ = MR̄ × 1.128: 57.53)
    chart = xmr(LABELS[:8], [50, 51, 50, 51, 50, 51, 50, 57])
    assert chart.ucl == pytest.approx(56.19)
    assert chart.flags == (RuleFlag(7, 1, "above"),)
    assert chart.sigma == pytest.approx(13 / 7 / 1.128)


def test_the_rules_at_a_period_are_listed_once_each_in_order():
    chart = replace(xmr(LABELS[:5], [99.99, 99.97, 99.99, 99.97, 99.98]),
                    flags=(RuleFlag(2, 2, "below"), RuleFlag(4, 3, "below"), RuleFlag(4, 2, "below"),
                           RuleFlag(4, 1, "below")))
    assert chart.rules_at(4) == (1, 2, 3)
    assert chart.rules_at(2) == (2,)
    assert chart.rules_at(0) == ()


# --- the Western Electric rules at their boundaries --------------------------------------------------------------


def test_rule_1_needs_a_point_strictly_beyond_three_sigma():
    assert western_electric([2.99], 0, 1) == []
    assert western_electric([3.0], 0, 1) == []
    assert western_electric([3.01], 0, 1) == [RuleFlag(0, 1, "above")]


def test_rule_2_needs_points_strictly_beyond_two_sigma():
    assert western_electric([2.0, 0.0, 2.0], 0, 1) == []
    assert western_electric([2.01, 0.0, 2.01], 0, 1) == [RuleFlag(0, 2, "above"), RuleFlag(2, 2, "above")]


def test_rule_2_looks_at_three_points_not_four_and_not_fewer():
    assert western_electric([2.5, 0.0, 0.0, 2.5], 0, 1) == []
    assert western_electric([2.5, 2.5], 0, 1) == []  # two points are not yet "two of three"


def test_rule_4_takes_eight_points_so_a_ninth_on_the_other_side_does_not_undo_it():
    assert western_electric([0.1] * 8 + [-0.1], 0, 1) == [RuleFlag(i, 4, "above") for i in range(8)]


def test_points_on_the_centre_line_are_on_neither_side():
    assert western_electric([0.0] * 8, 0, 1) == []
    assert western_electric([-0.1] * 4 + [0.0] + [-0.1] * 3, 0, 1) == []
    assert xmr(LABELS[:8], [100.0] * 8).flags == ()  # a perfectly flat process


def test_the_unfavourable_side_is_below_for_at_least_and_above_for_at_most():
    assert (worse_side(AT_LEAST), worse_side(Comparison.MORE_THAN)) == ("below", "below")
    assert (worse_side(AT_MOST), worse_side(Comparison.LESS_THAN)) == ("above", "above")


# --- early warnings ----------------------------------------------------------------------------------------------


def test_a_steady_slide_gives_a_run_a_trend_and_a_drift_warning():
    # 10, 10, 9.8, 9.6, 9.4, 9.2, 9.0 against ≥ 8.9:
    # - the last three periods each fell; 9.0 is 0.1 above the target;
    # - the last six fall 0.2 a period, so the next would be 8.8 < 8.9;
    # - mean 67 / 7 = 9.571, MR̄ = 1 / 6, σ = 0.148: 9.2 and 9.0 are both more than 2σ below (rule 2)
    chart = xmr(LABELS[:7], [10, 10, 9.8, 9.6, 9.4, 9.2, 9.0])
    assert warnings(chart, "8.9") == [
        "worse in each of the last 3 periods (9.6 → 9.4 → 9.2 → 9); 0.1 from the target >= 8.9",
        "the trend of the last 6 periods projects 8.8 next period, which would miss >= 8.9",
        "drifting: two of three points beyond 2σ on one side on the unfavourable side",
    ]


def test_whole_numbers_are_written_without_a_decimal_point():
    chart = xmr(LABELS[:4], [10, 9, 8, 7])
    assert warnings(chart, "5") == ["worse in each of the last 3 periods (10 → 9 → 8 → 7); 2 from the target >= 5"]


def test_the_run_is_counted_over_the_latest_periods_only():
    # 99.9 then four falling figures: the last three steps fall, the first step rose
    chart = xmr(LABELS[:5], [99.9, 99.99, 99.98, 99.97, 99.96])
    assert warnings(chart, "99.95") == [
        "worse in each of the last 3 periods (99.99 → 99.98 → 99.97 → 99.96); 0.01 from the target >= 99.95"]


def test_a_run_of_one_period_can_be_asked_for_with_just_two_figures():
    chart = xmr(LABELS[:2], [99.99, 99.97])
    assert warnings(chart, "99.95", run=1) == [
        "worse in each of the last 1 periods (99.99 → 99.97); 0.02 from the target >= 99.95"]
    assert warnings(xmr(LABELS[:1], [99.99]), "99.95", run=0) == []  # one figure: nothing to compare


def test_a_projection_is_judged_at_six_decimals():
    # 12, 10, 11, y: slope (3y − 35) / 10, mean (33 + y) / 4, so next period = mean + 2.5 × slope = y − 0.5:
    # y = 8.9999996 projects 8.4999996, which is 8.5 at six decimals (met); y = 8.999999 projects 8.499999 (missed)
    held = xmr(LABELS[:4], [12, 10, 11, 8.9999996])
    assert warnings(held, "8.5") == []
    missed = xmr(LABELS[:4], [12, 10, 11, 8.999999])
    assert [w[:40] for w in warnings(missed, "8.5")] == ["the trend of the last 4 periods projects"]


def test_labels_and_figures_that_do_not_line_up_are_refused():
    chart = xmr(LABELS[:3], [99.9, 99.8, 99.7, 99.6])
    with pytest.raises(ValueError):
        warnings(chart, "99")


# The drift warning reads the flags of the latest period only, rules 2-4, unfavourable side only.
STEADY = [99.99, 99.97, 99.99, 99.97, 99.98]  # no run, and a trend (99.974 next) well above 99.9


def drift(*flags: RuleFlag) -> list[str]:
    return warnings(replace(xmr(LABELS[:5], STEADY), flags=flags), "99.9")


def test_rules_2_and_3_at_the_latest_period_are_named_in_order():
    assert drift(RuleFlag(3, 3, "below"), RuleFlag(4, 3, "below"), RuleFlag(4, 2, "below")) == [
        "drifting: two of three points beyond 2σ on one side; four of five points beyond 1σ on one side "
        "on the unfavourable side"]


def test_rule_4_above_the_line_is_a_drift_for_an_at_most_target():
    chart = replace(xmr(LABELS[:5], [0.01, 0.03, 0.01, 0.03, 0.02]), flags=(RuleFlag(4, 4, "above"),))
    assert warnings(chart, "0.1", AT_MOST) == [
        "drifting: eight points in a row on one side of the centre line on the unfavourable side"]


def test_a_signal_at_the_period_before_the_latest_is_not_a_drift():
    assert drift(RuleFlag(3, 2, "below")) == []


def test_a_single_point_beyond_the_limits_is_not_a_drift():
    assert drift(RuleFlag(4, 1, "below")) == []


def test_a_signal_on_the_favourable_side_is_not_a_drift():
    assert drift(RuleFlag(4, 2, "above")) == []
