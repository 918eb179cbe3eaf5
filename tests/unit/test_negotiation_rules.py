"""The statistics of a threshold negotiation (sltdesk/rules/negotiation.py), with numbers worked by hand."""

from __future__ import annotations

from decimal import Decimal as D

import numpy as np
import pytest

from sltdesk.domain.attainment import AttainmentResult
from sltdesk.domain.register import Comparison, MetricKind
from sltdesk.rules.negotiation import (
    distribution,
    missed_months,
    percentile,
    rolling_baseline,
    suggest,
    trend,
    with_threshold,
)

FIGURES = [D(x) for x in ("99.91", "99.99", "99.95", "99.80", "99.97", "99.93", "99.96", "99.99", "99.94", "99.98",
                          "99.92", "99.97")]
MONTHS = [f"2026-{m:02d}" for m in range(1, 13)]


@pytest.mark.parametrize("q", [0, 10, 16.5, 50, 90, 100])
def test_a_percentile_equals_numpys_linear_method(q):
    assert float(percentile(FIGURES, D(str(q)))) == pytest.approx(np.percentile([float(v) for v in FIGURES], q),
                                                                  abs=1e-12)


def test_the_distribution_names_the_worst_month_on_the_worse_side_of_the_comparison():
    higher = distribution(MONTHS, FIGURES, comparison=Comparison.AT_LEAST, unit="%")
    assert (higher.worst, higher.worst_month, higher.median) == (D("99.80"), "2026-04", D("99.955"))
    lower = distribution(MONTHS, FIGURES, comparison=Comparison.AT_MOST, unit="ms")
    assert (lower.worst, lower.worst_month) == (D("99.99"), "2026-02")


def test_a_straight_line_has_its_slope_and_an_interval_of_zero_width():
    line = trend([D(10 + 2 * i) for i in range(12)], comparison=Comparison.AT_LEAST, unit="%")
    assert (line.slope, line.first, line.last) == pytest.approx((2.0, 10.0, 32.0))
    assert line.low == pytest.approx(2.0) and line.high == pytest.approx(2.0)
    assert "getting better" in line.text


def test_the_slope_interval_is_the_t_interval_of_least_squares():
    ys = [1.0, 3.0, 2.0, 5.0, 4.0, 6.0, 5.5, 7.0, 6.0, 9.0, 8.0, 9.5]
    line = trend([D(str(y)) for y in ys], comparison=Comparison.AT_MOST, unit="min")
    slope, intercept = np.polyfit(range(12), ys, 1)
    residual = np.sum((np.array(ys) - (intercept + slope * np.arange(12))) ** 2)
    se = np.sqrt(residual / 10 / np.sum((np.arange(12) - 5.5) ** 2))
    assert line.slope == pytest.approx(slope) and line.high - line.slope == pytest.approx(2.228 * se)
    assert "getting worse" in line.text  # lower is better, and the figures rise


def test_the_suggestion_allows_one_miss_in_ten_months_and_says_so():
    s = suggest(FIGURES, comparison=Comparison.AT_LEAST)  # 12 months: 1 miss allowed → second-worst, 99.91
    assert (s.threshold, s.met, s.months, s.percentile) == (D("99.91"), 11, 12, 8)
    assert s.rule.startswith("met in 11 of 12 months at the 8th percentile: the second-worst month's figure 99.91")
    assert missed_months(FIGURES, s.threshold, comparison=Comparison.AT_LEAST) == 1


def test_a_suggestion_is_moved_to_the_worse_side_when_rounded_to_two_decimals():
    figures = [D("99.9567")] * 5 + [D("99.9")] + [D("99.9981")] * 6
    assert suggest(figures, comparison=Comparison.AT_LEAST).threshold == D("99.95")
    assert suggest([D("31.234")] * 12, comparison=Comparison.AT_MOST).threshold == D("31.24")


def test_the_rolling_baseline_needs_twelve_figures_and_is_their_worse_side_tenth_percentile():
    assert rolling_baseline(FIGURES[:11], comparison=Comparison.AT_LEAST) is None
    assert rolling_baseline([*FIGURES[:11], None], comparison=Comparison.AT_LEAST) is None
    floats = [float(v) for v in FIGURES]
    assert float(rolling_baseline(FIGURES, comparison=Comparison.AT_LEAST)) == pytest.approx(np.percentile(floats, 10))
    assert float(rolling_baseline(FIGURES, comparison=Comparison.AT_MOST)) == pytest.approx(np.percentile(floats, 90))


def test_another_threshold_judges_the_figure_again_and_keeps_it():
    result = AttainmentResult(1, "C-1", 7, "Availability", MetricKind.AVAILABILITY, "2026-03", D("99.9"),
                              Comparison.AT_LEAST, "%", D("99.93"), True)
    stricter = with_threshold(result, D("99.95"))
    assert (stricter.met, stricter.threshold, stricter.achieved) == (False, D("99.95"), D("99.93"))
    assert with_threshold(result, D("99.93")).met is True  # ≥: equal meets
