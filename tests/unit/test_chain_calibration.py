"""Outage log against interval samples: clipping to the period, merging, and the spans only one source saw.

All times are seconds from the start of the period; a period of one hour is [0, 3600).
"""

from __future__ import annotations

import numpy as np

from sltdesk.rules.calibration import Calibration, calibrate
from sltdesk.rules.intervals import merge_array as union

NONE = np.zeros((0, 2), dtype=np.int64)


def spans(*pairs: tuple[int, int]) -> np.ndarray:
    return np.array(pairs, dtype=np.int64).reshape(-1, 2)


def test_the_union_of_no_spans_is_an_empty_list_of_integer_spans():
    merged = union(np.zeros((0, 2)))
    assert merged.shape == (0, 2) and merged.dtype == np.int64


def test_the_union_sorts_by_start_and_merges_nested_and_touching_spans():
    # 0-20 min holds 10-15 min, and 20-25 min starts where it ends: one span 0-25 min
    merged = union(spans((600, 900), (0, 1200), (1200, 1500)))
    assert merged.tolist() == [[0, 1500]] and merged.dtype == np.int64
    assert union(spans((0, 600), (601, 900))).tolist() == [[0, 600], [601, 900]]  # a second apart: two spans


def test_the_union_of_spans_read_as_floats_is_whole_seconds():
    merged = union(np.array([[0.0, 600.0], [300.0, 900.0]]))
    assert merged.tolist() == [[0, 900]] and merged.dtype == np.int64


def test_outages_and_samples_reaching_outside_the_period_count_only_inside_it():
    # the log: 23:50-00:10 and 00:50-01:10 → 10 + 10 min inside; the probes: 23:55-00:05 and 00:55-01:05 →
    # 5 + 5 min inside, both within the log's
    found = calibrate(spans((-600, 600), (3000, 4200)), spans((-300, 300), (3300, 3900)), 0, 3600)
    assert found == Calibration(outage_minutes=20.0, sample_minutes=10.0, both_minutes=10.0,
                                only_in_outages=((300, 600), (3000, 3300)), only_in_samples=())


def test_an_outage_entirely_before_the_period_and_no_samples_count_nothing():
    found = calibrate(spans((-600, -60)), NONE, 0, 3600)
    assert found == Calibration(0.0, 0.0, 0.0, (), ())


def test_a_log_line_that_ends_before_it_starts_adds_no_downtime():
    found = calibrate(spans((600, 0), (1200, 1800)), NONE, 0, 3600)
    assert (found.outage_minutes, found.only_in_outages) == (10.0, ((1200, 1800),))


def test_sources_that_never_overlap_share_no_minutes():
    found = calibrate(spans((0, 600)), spans((1200, 1500)), 0, 3600)
    assert found == Calibration(10.0, 5.0, 0.0, ((0, 600),), ((1200, 1500),))


def test_a_later_outage_is_still_compared_after_the_samples_run_out():
    found = calibrate(spans((0, 60), (1000, 1100)), spans((0, 60)), 0, 3600)
    assert found == Calibration(160 / 60, 1.0, 1.0, ((1000, 1100),), ())


def test_a_sample_span_overlapping_the_second_outage_is_found_after_the_first_outage_ends():
    # the log: 0-10 and 20-40 min; the probes: 30-50 min → 10 min in both
    found = calibrate(spans((0, 600), (1200, 2400)), spans((1800, 3000)), 0, 3600)
    assert found == Calibration(30.0, 20.0, 10.0, ((0, 600), (1200, 1800)), ((2400, 3000),))


def test_three_short_sample_spans_inside_one_long_outage_each_count():
    # the log: the whole hour; the probes: 0-5, 10-15, 20-25 min
    found = calibrate(spans((0, 3600)), spans((0, 300), (600, 900), (1200, 1500)), 0, 3600)
    assert found == Calibration(60.0, 15.0, 15.0, ((300, 600), (900, 1200), (1500, 3600)), ())


def test_samples_ending_before_an_outage_do_not_hide_later_samples_inside_it():
    # the probes: 0-50 min (before the outage) and 2:00-2:30 h (inside the 1:40-3:20 h outage)
    found = calibrate(spans((6000, 12000)), spans((0, 3000), (7200, 9000)), 0, 14400)
    assert found.only_in_outages == ((6000, 7200), (9000, 12000))
    assert (found.outage_minutes, found.sample_minutes, found.both_minutes) == (100.0, 80.0, 30.0)


def test_a_sample_ending_with_the_outage_leaves_only_its_start_to_the_log():
    found = calibrate(spans((0, 600)), spans((300, 600)), 0, 3600)
    assert (found.only_in_outages, found.only_in_samples) == (((0, 300),), ())
