"""Half-open time intervals [start, end) in whole seconds (or minutes): the one home of merge, intersect,
subtract and "which segments lie inside" — used by calendars, calibration and availability alike."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

Interval = tuple[int, int]


def merge(intervals: Iterable[tuple[int, int]]) -> list[Interval]:
    """Sorted, with overlapping and touching intervals joined and empty ones dropped."""
    merged: list[Interval] = []
    for start, end in sorted((int(s), int(e)) for s, e in intervals if e > s):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def total(intervals: Iterable[Interval]) -> int:
    return sum(end - start for start, end in intervals)


def intersect(a: Iterable[Interval], b: Iterable[Interval]) -> list[Interval]:
    """What both cover (each side merged first)."""
    left, right = merge(a), merge(b)
    out: list[Interval] = []
    i = j = 0
    while i < len(left) and j < len(right):
        start, end = max(left[i][0], right[j][0]), min(left[i][1], right[j][1])
        if end > start:
            out.append((start, end))
        if left[i][1] < right[j][1]:
            i += 1
        else:
            j += 1
    return out


def subtract(a: Iterable[Interval], b: Iterable[Interval]) -> list[Interval]:
    """The parts of `a` that `b` does not cover."""
    out: list[Interval] = []
    cuts = merge(b)
    for start, end in merge(a):
        cursor = start
        for cut_start, cut_end in cuts:
            if cut_end <= cursor or cut_start >= end:
                continue
            if cut_start > cursor:
                out.append((cursor, cut_start))
            cursor = max(cursor, cut_end)
        if cursor < end:
            out.append((cursor, end))
    return out


def as_array(intervals: Iterable[Interval]) -> np.ndarray:
    """An (n, 2) int64 array of the intervals (empty: shape (0, 2))."""
    return np.array(list(intervals), dtype=np.int64).reshape(-1, 2)


def merge_array(spans: np.ndarray) -> np.ndarray:
    """`merge` for an (n, 2) array of spans (floats read as whole seconds)."""
    return as_array(merge((start, end) for start, end in np.asarray(spans, dtype=np.int64).reshape(-1, 2).tolist()))


def covered(points: np.ndarray, windows: Iterable[Interval]) -> np.ndarray:
    """Which half-open segments [points[i], points[i+1]) lie inside a window: those whose middle does."""
    middles = (points[:-1] + points[1:]) / 2
    joined = merge(windows)
    if not joined or not len(middles):
        return np.zeros(len(middles), dtype=bool)
    starts = np.array([s for s, _ in joined])
    ends = np.array([e for _, e in joined])
    index = np.searchsorted(starts, middles, side="right") - 1
    return (index >= 0) & (middles < ends[np.clip(index, 0, None)])
