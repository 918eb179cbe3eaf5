"""The shared measuring helpers of sltdesk/rules/measure.py: minutes for reading, exact percentiles, whole counts,
and which windows (maintenance, force majeure) touch a period and cover which segments."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, localcontext

import numpy as np
import pytest

from sltdesk.domain.measurement import Window
from sltdesk.rules import measure
from sltdesk.rules.intervals import covered

D = Decimal


def window(start: int, end: int, reference: str = "CHG-1") -> Window:
    return Window(start, end, "maintenance", reference, f"planned maintenance {reference}")


# minutes


def test_seconds_are_shown_as_minutes_to_the_hundredth():
    assert measure.minutes(5400) == D("90.00") and str(measure.minutes(5400)) == "90.00"
    assert measure.minutes(61) == D("1.02")  # 1.01666… rounds up
    assert measure.minutes(D("90.6")) == D("1.51")
    assert measure.minutes(0) == D("0.00")


def test_minutes_round_half_to_even_whatever_the_callers_context_says():
    # 0.3 s = 0.005 min and 1.5 s = 0.025 min: exactly halfway, to the even hundredth.
    with localcontext(rounding=ROUND_HALF_UP):
        assert measure.minutes(D("0.3")) == D("0.00")
        assert measure.minutes(D("1.5")) == D("0.02")
        assert measure.minutes(D("2.1")) == D("0.04")  # 0.035 → 0.04


# percentile


def test_the_percentile_interpolates_between_the_two_closest_ranks():
    values = np.array([50.0, 10.0, 40.0, 20.0, 30.0])  # sorted: 10 20 30 40 50
    assert measure.percentile(values, 50) == D("30")  # rank 4 × 0.5 = 2 → the third value
    # rank 4 × 0.95 = 3.8: 40 + 0.8 × (50 − 40) = 48
    assert measure.percentile(values, 95) == D("48.0")
    assert measure.percentile(values, 25) == D("20")
    assert measure.percentile(values, 10) == D("14.0")  # rank 0.4: 10 + 0.4 × 10
    assert measure.percentile(values, 0) == D("10")
    assert measure.percentile(values, 100) == D("50")  # the highest value, nothing above it to interpolate


def test_the_percentile_matches_numpy_on_an_even_count():
    values = [300.0, 900.0, 300.0, 600.0]
    assert measure.percentile(values, 95) == D("855.00")  # rank 2.85: 600 + 0.85 × 300
    assert float(measure.percentile(values, 95)) == pytest.approx(np.percentile(values, 95))


def test_the_percentile_is_computed_from_the_values_as_written_not_their_binary_floats():
    # 0.1 and 0.2 as floats are 0.1000000000000000055… and 0.2000000000000000111…; halfway is 0.15 exactly.
    assert measure.percentile([0.1, 0.2], 50) == D("0.15")
    assert measure.percentile([0.1, 0.2], D("12.5")) == D("0.1125")


def test_gaps_are_left_out_of_the_percentile_and_none_at_all_gives_none():
    assert measure.percentile([300, None, 900], 50) == D("600.0")  # None and NaN are no measurement
    assert measure.percentile(np.array([np.nan, 700.0]), 95) == D("700.0")
    assert measure.percentile([np.nan, np.nan], 95) is None
    assert measure.percentile([], 95) is None


def test_the_percentile_of_decimal_values_is_exact():
    assert measure.percentile([D("1.5"), D("2.5")], 50) == D("2.0")


def test_a_scaled_percentile_divides_the_value_exactly():
    # cycle times in seconds, shown in hours: p50 of 3,600 s and 10,800 s is 7,200 s = 2 h
    assert measure.percentile([3600, 10800], 50, scale=3600) == D("2")
    assert measure.percentile([3, 5], 50, scale=2) == D("2")  # 4 / 2
    assert measure.percentile([1, 2], 50, scale=3) == D("0.5")  # 1.5 / 3
    assert measure.percentile([4, 8], 50) == D("6.0")


# whole


def test_a_whole_count_is_an_int_and_a_fraction_stays_a_decimal():
    assert measure.whole(D("1.2E+3")) == 1200 and type(measure.whole(D("1.2E+3"))) is int
    assert str(measure.whole(D("1.2E+3"))) == "1200"
    assert type(measure.whole(D("0"))) is int
    kept = measure.whole(D("2.5"))
    assert kept == D("2.5") and isinstance(kept, Decimal)
    assert measure.whole(D("-7.00")) == -7 and type(measure.whole(D("-7.00"))) is int


# clip_windows and covered


def test_a_window_counts_for_a_period_only_when_it_overlaps_it():
    before, touching_start = window(0, 50, "A"), window(50, 100, "B")
    inside, touching_end, after = window(120, 130, "C"), window(200, 260, "D"), window(300, 400, "E")
    straddling = window(180, 220, "F")
    kept = measure.clip_windows([before, touching_start, inside, touching_end, after, straddling], 100, 200)
    assert [w.reference for w in kept] == ["C", "F"]
    assert measure.clip_windows([window(99, 101)], 100, 200) == [window(99, 101)]  # one second inside
    assert measure.clip_windows([window(199, 201)], 100, 200) == [window(199, 201)]


def test_a_segment_is_covered_when_its_middle_lies_in_a_window():
    points = np.array([0, 10, 20, 30])  # segments [0,10) [10,20) [20,30): middles 5, 15, 25
    assert covered(points, [(5, 15)]).tolist() == [True, False, False]  # 5 in, 15 not
    assert covered(points, [(6, 16)]).tolist() == [False, True, False]
    assert covered(points, [(4, 5)]).tolist() == [False, False, False]
    assert covered(points, [(0, 5)]).tolist() == [False, False, False]


def test_segments_covered_by_any_of_several_windows():
    points = np.array([0, 10, 20, 30, 40])
    got = covered(points, [(0, 10), (20, 30)])
    assert got.tolist() == [True, False, True, False] and got.dtype == bool
    assert covered(points, []).tolist() == [False, False, False, False]
    assert covered(np.array([100]), [(0, 200)]).tolist() == []
