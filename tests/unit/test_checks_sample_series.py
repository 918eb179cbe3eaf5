"""Checks on monitoring samples: negative counts, more errors than requests, and each probe's time series —
gaps, samples off the interval grid, a clock that ran ahead and came back, time running backwards.

The interval is the median of the positive steps; a step over 1.5 intervals is a gap; a jump later undone by a
step back of about the same size (within one interval) marks the samples in between as carrying wrong times."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sltdesk.domain.raw import RecordKind, Severity
from sltdesk.rules.data_quality import (
    OUT_OF_ORDER_FEWEST,
    OUT_OF_ORDER_SHARE,
    _skew_segments,
    _span,
    series_issues,
    validate,
)

NA = np.iinfo(np.int64).min
MARCH = 1772323200  # 2026-03-01 00:00 UTC
START = MARCH + 7  # this probe samples at 7 s past each 5 minutes
E, W = Severity.ERROR, Severity.WARNING
CLOCK = "the probe's clock was wrong before this row"


def samples(stamps, **columns) -> pd.DataFrame:
    """Samples at START + each offset (None: no time), sheet rows from 2."""
    data: dict = {"source_row": np.arange(2, len(stamps) + 2, dtype=np.int64),
                  "timestamp": np.array([NA if s is None else START + s for s in stamps], dtype=np.int64)}
    data.update(columns)
    return pd.DataFrame(data)


def series(offsets, probe=""):
    """One probe's series checked on its own; positions 0, 1, 2… and sheet rows from 2."""
    stamps = np.array([START + s for s in offsets], dtype=np.int64)
    return series_issues(stamps, np.arange(2, len(offsets) + 2), np.arange(len(offsets)), probe)


def test_negative_counts_and_more_errors_than_requests_are_refused():
    frame = samples([0, 300, 600, 900, 1200, 1500, 1800],
                    requests=[10.0, -1.0, 5.0, 0.0, 3.0, 8.0, 4.0], errors=[0.0, np.nan, 6.0, 0.0, -2.0, 0.0, 4.0],
                    latency_ms=[120.0, 80.0, 95.0, 0.0, 70.0, -5.0, 88.0])
    assert validate(frame, RecordKind.SAMPLES) == [
        (1, E, "out-of-range", "requests", "requests cannot be negative"),
        (4, E, "out-of-range", "errors", "errors cannot be negative"),
        (5, E, "out-of-range", "latency_ms", "latency_ms cannot be negative"),
        (2, E, "out-of-range", "errors", "more errors than requests"),
    ]


def test_a_gap_counts_the_intervals_without_data():
    frame = samples([0, 300, 600, 1500, 1800, 2400, 2700], probe=["edge-1"] * 7, requests=[1.0] * 7)
    assert validate(frame, RecordKind.SAMPLES) == [
        (3, W, "series-gap", "timestamp",
         "probe edge-1: gap of 10 min after row 4 (2 intervals of 5 min without data)"),
        (5, W, "series-gap", "timestamp",
         "probe edge-1: gap of 5 min after row 6 (1 interval of 5 min without data)"),
    ]


def test_a_step_of_one_and_a_half_intervals_is_skew_not_a_gap_but_one_second_more_is_a_gap():
    assert series([0, 300, 600, 1050, 1350, 1650]) == [
        (3, W, "clock-skew", "timestamp", "rows 5–7 are 2 min 30 s after the 5 min grid: clock skew")]
    assert series([0, 300, 600, 1051, 1351]) == [
        (3, W, "series-gap", "timestamp", "gap of 2 min 31 s after row 4 (1 interval of 5 min without data)"),
        (3, W, "clock-skew", "timestamp", "rows 5–6 are 2 min 29 s before the 5 min grid: clock skew"),
    ]


def test_samples_off_the_grid_are_reported_per_run_as_after_or_before_the_nearest_slot():
    offsets = [0, 300, 600, 930, 1230, 1500, 1800, 2080, 2400, 2700, 2850, 3000, 3300, 3451, 3600]
    frame = samples(offsets, probe=["core"] * len(offsets))
    assert validate(frame, RecordKind.SAMPLES) == [
        (3, W, "clock-skew", "timestamp", "probe core: rows 5–6 are 30 s after the 5 min grid: clock skew"),
        (7, W, "clock-skew", "timestamp", "probe core: rows 9–9 are 20 s before the 5 min grid: clock skew"),
        # exactly half an interval off counts as late; one second more as early
        (10, W, "clock-skew", "timestamp", "probe core: rows 12–12 are 2 min 30 s after the 5 min grid: clock skew"),
        (13, W, "clock-skew", "timestamp", "probe core: rows 15–15 are 2 min 29 s before the 5 min grid: clock skew"),
    ]


def test_the_grid_is_set_by_the_first_sample_not_the_second():
    assert series([0, 20, 300, 600, 900, 1200, 1500]) == [
        (1, W, "clock-skew", "timestamp", "rows 3–3 are 20 s after the 5 min grid: clock skew")]


def test_a_clock_that_ran_an_hour_ahead_and_came_back_makes_those_samples_errors_and_no_gap():
    # the clock jumps 1 h 10 s ahead at row 5 and comes back 5 s late at row 8
    offsets = [0, 300, 600, 4510, 4810, 5110, 1805, 2105]
    frame = samples(offsets, probe=["core"] * 8, requests=[1.0] * 8)
    wrong = "probe core: wrong time (the clock ran ahead, see row 5)"
    assert validate(frame, RecordKind.SAMPLES) == [
        (3, E, "clock-skew", "timestamp",
         "probe core: the clock ran 1 h 10 s ahead from row 5 to row 7: those 3 samples carry wrong times"),
        (4, E, "clock-skew", "timestamp", wrong),
        (5, E, "clock-skew", "timestamp", wrong),
        (6, W, "clock-skew", "timestamp", "probe core: rows 8–9 are 5 s after the 5 min grid: clock skew"),
    ]


def test_a_clock_one_second_ahead_on_a_one_second_probe_is_ahead():
    stamps = np.array([START, START + 1, START + 3, START + 4, START + 4, START + 5], dtype=np.int64)
    assert series_issues(stamps, np.arange(10, 16), np.arange(6), "fast") == [
        (2, E, "clock-skew", "timestamp",
         "probe fast: the clock ran 1 s ahead from row 12 to row 13: those 2 samples carry wrong times"),
        (3, E, "clock-skew", "timestamp", "probe fast: wrong time (the clock ran ahead, see row 12)"),
    ]


def test_the_jump_undone_is_the_last_one_before_the_step_back_and_earlier_gaps_stay_gaps():
    # gaps after rows 3, 5 and 7; the clock jumps 55 min ahead after row 9 and comes back 55 min at row 12
    offsets = [0, 300, 900, 1200, 1800, 2100, 2700, 3000, 6600, 6900, 3900, 4200]
    gap = "gap of 5 min after row {} (1 interval of 5 min without data)"
    assert series(offsets) == [
        (8, E, "clock-skew", "timestamp",
         "the clock ran 55 min ahead from row 10 to row 11: those 2 samples carry wrong times"),
        (9, E, "clock-skew", "timestamp", "wrong time (the clock ran ahead, see row 10)"),
        (2, W, "series-gap", "timestamp", gap.format(3)),
        (4, W, "series-gap", "timestamp", gap.format(5)),
        (6, W, "series-gap", "timestamp", gap.format(7)),
    ]


def test_a_step_back_one_second_further_than_a_jump_plus_an_interval_is_not_the_clock_coming_back():
    # jump of 3600 s (55 min ahead); back 3300 s → returned 3600 s: within one interval of 55 min, a skew
    assert series([0, 300, 600, 4200, 4500, 1200, 1500]) == [
        (3, E, "clock-skew", "timestamp",
         "the clock ran 55 min ahead from row 5 to row 6: those 2 samples carry wrong times"),
        (4, E, "clock-skew", "timestamp", "wrong time (the clock ran ahead, see row 5)"),
    ]
    # back 3301 s → returned 3601 s: 301 s more than the jump, so a gap and a step back instead
    assert series([0, 300, 600, 4200, 4500, 1199, 1499]) == [
        (3, W, "series-gap", "timestamp", "gap of 55 min after row 4 (11 intervals of 5 min without data)"),
        (5, W, "series-backwards", "timestamp", f"time goes back 55 min 1 s behind row 6: {CLOCK}"),
        (5, W, "clock-skew", "timestamp", "rows 7–8 are 1 s before the 5 min grid: clock skew"),
    ]


def test_a_step_of_exactly_half_an_interval_is_not_a_step_back():
    assert series([0, 300, 600, 1100, 1250, 1550, 1850]) == [
        (3, W, "series-gap", "timestamp", "gap of 3 min 20 s after row 4 (1 interval of 5 min without data)"),
        (3, W, "clock-skew", "timestamp", "rows 5–8 are 1 min 40 s before the 5 min grid: clock skew"),
    ]


def test_after_the_clock_came_back_a_later_step_back_stands_on_its_own():
    offsets = [0, 300, 600, 4200, 4500, 1200, 1500, 1800, 2100, 2400, 2700, 3000, -300, 0]
    assert series(offsets) == [
        (3, E, "clock-skew", "timestamp",
         "the clock ran 55 min ahead from row 5 to row 6: those 2 samples carry wrong times"),
        (4, E, "clock-skew", "timestamp", "wrong time (the clock ran ahead, see row 5)"),
        (12, W, "series-backwards", "timestamp", f"time goes back 55 min behind row 13: {CLOCK}"),
    ]


def test_a_clock_that_fell_behind_and_caught_up_is_a_step_back_then_a_gap():
    offsets = [0, 300, 600, -2700, -2400, -2100, 1800, 2100]
    assert series(offsets, "core") == [
        (6, W, "series-gap", "timestamp", "probe core: gap of 1 h after row 7 (12 intervals of 5 min without data)"),
        (3, W, "series-backwards", "timestamp", f"probe core: time goes back 55 min behind row 4: {CLOCK}"),
    ]


def test_three_samples_are_enough_to_see_a_repeat_and_two_are_not():
    assert series([0, 300, 300]) == [
        (2, W, "series-backwards", "timestamp", f"time repeats the time of row 3: {CLOCK}")]
    assert series([0, 0]) == []
    assert series([300, 0]) == []


def test_a_series_stuck_on_one_time_has_no_interval_to_check_against():
    assert series([0, 0, 0, 0]) == []


def test_repeats_do_not_count_towards_the_interval():
    repeat = f"time repeats the time of row 3: {CLOCK}"
    assert series([0, 300, 300, 300, 300]) == [
        (2, W, "series-backwards", "timestamp", repeat),
        (3, W, "series-backwards", "timestamp", f"time repeats the time of row 4: {CLOCK}"),
        (4, W, "series-backwards", "timestamp", f"time repeats the time of row 5: {CLOCK}"),
    ]


def test_a_sample_without_a_time_is_reported_missing_and_left_out_of_its_series():
    frame = samples([0, 300, None, 900, 1200], requests=[1.0] * 5)
    assert validate(frame, RecordKind.SAMPLES) == [
        (2, E, "missing-value", "timestamp", "Timestamp is required but empty"),
        (3, W, "series-gap", "timestamp", "gap of 5 min after row 3 (1 interval of 5 min without data)"),
    ]


@pytest.mark.parametrize("probes", [
    ["A", "B", "A", "B", "A", "B", "A", "B", None, None, None, None],
    pd.Categorical(["A", "B", "A", "B", "A", "B", "A", "B", None, None, None, None], categories=["B", "A"]),
])
def test_each_probe_is_its_own_series_and_unnamed_rows_form_one_more(probes):
    offsets = [0, 0, 300, 300, 600, 600, 1200, 900, 0, 300, 600, 1200]
    frame = samples(offsets, probe=probes, requests=[1.0] * 12)
    assert validate(frame, RecordKind.SAMPLES) == [
        (6, W, "series-gap", "timestamp", "probe A: gap of 5 min after row 6 (1 interval of 5 min without data)"),
        (11, W, "series-gap", "timestamp", "gap of 5 min after row 12 (1 interval of 5 min without data)"),
    ]


def test_a_file_without_a_probe_column_is_one_series():
    frame = samples([0, 300, 900, 1200], requests=[1.0] * 4)
    assert validate(frame, RecordKind.SAMPLES) == [
        (2, W, "series-gap", "timestamp", "gap of 5 min after row 3 (1 interval of 5 min without data)")]


@pytest.mark.parametrize(("seconds", "text"), [
    (0, "0 s"), (1, "1 s"), (59, "59 s"), (60, "1 min"), (61, "1 min 1 s"), (300, "5 min"), (3599, "59 min 59 s"),
    (3600, "1 h"), (3605, "1 h 5 s"), (3660, "1 h 01 min"), (3725, "1 h 02 min 5 s"), (36600, "10 h 10 min"),
    (150.0, "2 min 30 s"), (90.9, "1 min 30 s"),
])
def test_durations_read_in_hours_minutes_and_seconds(seconds, text):
    assert _span(seconds) == text


def test_a_one_second_probe_that_repeats_a_second_is_still_checked():
    assert series([0, 1, 2, 2, 3]) == [
        (3, W, "series-backwards", "timestamp", f"time repeats the time of row 4: {CLOCK}")]


def test_a_gap_after_the_clock_came_back_is_still_a_gap():
    assert series([0, 300, 600, 4200, 4500, 1200, 1500, 2100, 2400]) == [
        (3, E, "clock-skew", "timestamp",
         "the clock ran 55 min ahead from row 5 to row 6: those 2 samples carry wrong times"),
        (4, E, "clock-skew", "timestamp", "wrong time (the clock ran ahead, see row 5)"),
        (7, W, "series-gap", "timestamp", "gap of 5 min after row 8 (1 interval of 5 min without data)"),
    ]


def test_a_late_sample_just_before_the_clock_jumps_is_still_reported_as_skew():
    # row 6 is 10 s late; the clock then runs 59 min 50 s ahead for rows 7 and 8
    assert series([0, 300, 600, 900, 1210, 5100, 5400, 2100, 2400]) == [
        (5, E, "clock-skew", "timestamp",
         "the clock ran 59 min 50 s ahead from row 7 to row 8: those 2 samples carry wrong times"),
        (6, E, "clock-skew", "timestamp", "wrong time (the clock ran ahead, see row 7)"),
        (4, W, "clock-skew", "timestamp", "rows 6–6 are 10 s after the 5 min grid: clock skew"),
    ]


def test_a_sample_one_second_late_is_after_the_grid():
    assert series([0, 300, 601, 900]) == [
        (2, W, "clock-skew", "timestamp", "rows 4–4 are 1 s after the 5 min grid: clock skew")]


def test_a_step_of_one_and_a_half_intervals_then_a_repeat_is_not_a_clock_that_ran_ahead():
    assert series([0, 300, 600, 1050, 1350, 1350, 1650]) == [
        (5, W, "series-backwards", "timestamp", f"time repeats the time of row 6: {CLOCK}"),
        (3, W, "clock-skew", "timestamp", "rows 5–8 are 2 min 30 s after the 5 min grid: clock skew"),
    ]


def test_a_short_jump_undone_by_a_step_of_less_than_half_an_interval_is_a_clock_that_ran_ahead():
    # a 500 s step (3 min 20 s ahead) then a 120 s step (180 s back): within one interval of each other
    assert series([0, 300, 600, 1100, 1400, 1520, 1820, 2120]) == [
        (3, E, "clock-skew", "timestamp",
         "the clock ran 3 min 20 s ahead from row 5 to row 6: those 2 samples carry wrong times"),
        (4, E, "clock-skew", "timestamp", "wrong time (the clock ran ahead, see row 5)"),
        (5, W, "clock-skew", "timestamp", "rows 7–9 are 20 s after the 5 min grid: clock skew"),
    ]


def test_a_repeat_early_in_the_series_does_not_hide_a_later_clock_jump():
    assert series([0, 300, 300, 600, 900, 4500, 4800, 1500, 1800]) == [
        (5, E, "clock-skew", "timestamp",
         "the clock ran 55 min ahead from row 7 to row 8: those 2 samples carry wrong times"),
        (6, E, "clock-skew", "timestamp", "wrong time (the clock ran ahead, see row 7)"),
        (2, W, "series-backwards", "timestamp", f"time repeats the time of row 3: {CLOCK}"),
    ]


def _pairs_as_first_written(steps: np.ndarray, interval: int) -> list[tuple[int, int]]:
    """The jump/return pairing as it was first written (every step back against every jump and every pair so
    far): the specification the bisecting version is held to."""
    segments: list[tuple[int, int]] = []
    jumps = [int(k) for k in np.flatnonzero(steps > 1.5 * interval)]
    for back in np.flatnonzero(steps < interval / 2):
        earlier = [k for k in jumps if k < back and all(k > b for _, b in segments)]
        if not earlier:
            continue
        jump = earlier[-1]
        ahead, returned = steps[jump] - interval, interval - steps[back]
        if abs(ahead - returned) <= interval:
            segments.append((jump, int(back)))
    return segments


@given(st.lists(st.sampled_from([-900, -600, -301, -300, -150, -149, 0, 1, 149, 150, 300, 301, 449, 450, 451,
                                 600, 750, 3900]), min_size=0, max_size=60))
@settings(max_examples=400, deadline=None)
def test_the_clock_pairs_are_those_of_the_first_written_rule(steps):
    """Jumps over 1.5 intervals, steps back under half of one, and the sizes at each edge, in any order."""
    array = np.array(steps, dtype=np.int64)
    assert _skew_segments(array, 300) == _pairs_as_first_written(array, 300)


def test_a_series_out_of_time_order_is_checked_in_one_pass():
    """30,000 samples of one probe, shuffled (an export sorted by another column): the pairing is the first
    written rule's, found by bisection (the first rule compared every step back with every jump, and this
    series took over a quarter of an hour)."""
    offsets = np.random.default_rng(3).permutation(np.arange(30_000, dtype=np.int64) * 300)
    steps = np.diff(offsets)
    pairs = _skew_segments(steps, 300)
    assert pairs == [(2936, 2937), (19104, 19105)]  # a jump and a step back of about the same size, in a row
    assert _skew_segments(steps[:3_000], 300) == _pairs_as_first_written(steps[:3_000], 300) == pairs[:1]
    jumps = np.flatnonzero(steps > 450)
    for (jump, back), (next_jump, _) in zip(pairs, pairs[1:], strict=False):
        assert jump < back < next_jump  # each pair after the one before it
        assert jumps[np.searchsorted(jumps, back) - 1] == jump  # the last jump before its step back
    found = series(list(offsets))
    assert [(code, severity) for _, severity, code, _, _ in found] == [("series-unordered", W)]


def test_a_file_sorted_by_another_column_loses_no_row_and_its_gap_is_still_found():
    """A probe's samples sorted by latency (as in a spreadsheet) are checked in time order: one warning saying so,
    the gap found between the right rows, no sample taken for a wrong clock (it used to lose a fifth of them)."""
    offsets = [s for s in range(0, 300 * 40, 300) if s != 300 * 17]  # one slot without data
    latency = np.random.default_rng(5).permutation(len(offsets))
    order = np.argsort(latency)
    frame = samples([offsets[i] for i in order], probe=["p1"] * len(offsets),
                    latency_ms=latency[order].astype(float))
    found = validate(frame, RecordKind.SAMPLES)
    assert [severity for _, severity, _, _, _ in found] == [W, W]
    (first, _, code, _, message), (gap_at, _, gap, _, gap_message) = found
    assert code == "series-unordered" and first == int(np.flatnonzero(order == 0)[0])
    assert message.startswith("probe p1: the rows are not in time order (")
    assert gap == "series-gap" and gap_at == int(np.flatnonzero(order == 17)[0])  # the sample after the gap
    assert gap_message == f"probe p1: gap of 5 min after row {int(np.flatnonzero(order == 16)[0]) + 2} " \
                          "(1 interval of 5 min without data)"


def test_a_file_newest_first_is_checked_in_time_order():
    """Newest first (as many monitoring tools export): before, every step went back, no interval was found and
    nothing was checked; now its gap and its sample off the grid are found."""
    offsets = [0, 300, 600, 1500, 1800, 2107, 2400]
    found = series(offsets[::-1])
    assert [(pos, code) for pos, _, code, _, _ in found] == [(6, "series-unordered"), (3, "series-gap"),
                                                            (1, "clock-skew")]
    assert found[1][4] == "gap of 10 min after row 6 (2 intervals of 5 min without data)"


def _with_steps_back(back: int, steps: int) -> list[int]:
    """A series of `steps` + 1 samples on the 5-minute grid with `back` neighbouring samples swapped, one pair in
    three from the second sample: each swap is a step forward of two slots, one back, one forward of two again."""
    offsets = [slot * 300 for slot in range(steps + 1)]
    for j in range(back):
        offsets[3 * j + 1], offsets[3 * j + 2] = offsets[3 * j + 2], offsets[3 * j + 1]
    return offsets


@pytest.mark.parametrize(("back", "steps", "in_order"), [
    (OUT_OF_ORDER_FEWEST - 1, 6, True),  # past one in ten, but too few steps back to be anything but a clock
    (OUT_OF_ORDER_FEWEST, OUT_OF_ORDER_FEWEST * OUT_OF_ORDER_SHARE, True),  # one in ten: a clock's
    (OUT_OF_ORDER_FEWEST, OUT_OF_ORDER_FEWEST * OUT_OF_ORDER_SHARE - 1, False),  # a little more than one in ten
    (OUT_OF_ORDER_FEWEST + 1, OUT_OF_ORDER_FEWEST * OUT_OF_ORDER_SHARE, False),
])
def test_a_series_is_out_of_order_past_one_step_back_in_ten_and_at_least_three(back, steps, in_order):
    """In order, each swapped sample is a clock that ran ahead a slot and came back (an error); out of order, the
    series is checked sorted, where it is whole."""
    offsets = _with_steps_back(back, steps)
    assert int(np.count_nonzero(np.diff(offsets) < 0)) == back
    codes = [code for _, _, code, _, _ in series(offsets)]
    if in_order:  # checked as recorded (each swap's back step is in a finding of its own)
        assert "series-unordered" not in codes and len(codes) >= back
    else:
        assert codes == ["series-unordered"]
