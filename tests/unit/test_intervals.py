"""The one home of interval arithmetic, checked against sets of whole seconds."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from sltdesk.rules.intervals import covered, intersect, merge, merge_array, subtract, total

spans = st.lists(st.tuples(st.integers(0, 60), st.integers(0, 60)), max_size=8)


def seconds(intervals) -> set[int]:
    return {t for start, end in intervals for t in range(start, end)}


@given(spans, spans)
def test_merge_intersect_and_subtract_agree_with_sets_of_seconds(a, b):
    merged = merge(a)
    assert seconds(merged) == seconds(a) and total(merged) == len(seconds(a))
    assert all(e1 < s2 for (_, e1), (s2, _) in zip(merged, merged[1:], strict=False))  # sorted, not even touching
    assert seconds(intersect(a, b)) == seconds(a) & seconds(b)
    assert seconds(subtract(a, b)) == seconds(a) - seconds(b)


def test_touching_intervals_join_and_empty_or_backwards_ones_vanish():
    assert merge([(10, 20), (0, 10), (30, 30), (40, 35)]) == [(0, 20)]
    assert merge_array(np.array([[0.0, 600.0], [601.0, 900.0]])).tolist() == [[0, 600], [601, 900]]
    assert subtract([(0, 100)], [(0, 10), (90, 100)]) == [(10, 90)]


def test_a_segment_is_inside_when_its_middle_is_in_a_window_boundaries_included_at_the_start_only():
    points = np.array([0, 10, 20, 30])  # middles 5, 15, 25
    assert covered(points, [(5, 15)]).tolist() == [True, False, False]
    assert covered(points, [(0, 5), (5, 6)]).tolist() == [True, False, False]  # touching windows join: 5 is in
    assert covered(points, [(25, 26), (14, 16)]).tolist() == [False, True, True]
    assert covered(points, []).tolist() == [False, False, False]
