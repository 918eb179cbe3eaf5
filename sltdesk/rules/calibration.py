"""Two sources for one target — the vendor's outage log and interval samples — compared minute by minute."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Calibration:
    outage_minutes: float  # what the outage log says was down
    sample_minutes: float  # what the bad intervals say was down
    both_minutes: float  # down in both
    only_in_outages: tuple[tuple[int, int], ...]  # spans only the log has (UTC epoch seconds)
    only_in_samples: tuple[tuple[int, int], ...]  # spans only the samples show: outages the log does not mention


def union(spans: np.ndarray) -> np.ndarray:
    """Overlapping [start, end) spans merged, sorted."""
    if not len(spans):
        return np.zeros((0, 2), dtype=np.int64)
    spans = spans[np.argsort(spans[:, 0])]
    out = [list(spans[0])]
    for a, b in spans[1:]:
        if a <= out[-1][1]:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return np.array(out, dtype=np.int64)


def calibrate(outages: np.ndarray, bad_intervals: np.ndarray, start: int, end: int) -> Calibration:
    """Both inputs are (n, 2) arrays of [start, end) in UTC epoch seconds; the period clips them."""
    a = union(np.clip(outages, start, end))
    b = union(np.clip(bad_intervals, start, end))
    both = _intersect(a, b)
    return Calibration(_length(a) / 60, _length(b) / 60, _length(both) / 60,
                       tuple(map(tuple, _subtract(a, b).tolist())), tuple(map(tuple, _subtract(b, a).tolist())))


def _length(spans: np.ndarray) -> float:
    return float((spans[:, 1] - spans[:, 0]).clip(min=0).sum()) if len(spans) else 0.0


def _intersect(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    out = []
    i = j = 0
    while i < len(a) and j < len(b):
        lo, hi = max(a[i, 0], b[j, 0]), min(a[i, 1], b[j, 1])
        if lo < hi:
            out.append((lo, hi))
        if a[i, 1] < b[j, 1]:
            i += 1
        else:
            j += 1
    return np.array(out, dtype=np.int64).reshape(-1, 2)


def _subtract(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Parts of a not covered by b."""
    out = []
    for lo, hi in a:
        cursor = lo
        for c, d in b:
            if d <= cursor or c >= hi:
                continue
            if c > cursor:
                out.append((cursor, c))
            cursor = max(cursor, d)
        if cursor < hi:
            out.append((cursor, hi))
    return np.array(out, dtype=np.int64).reshape(-1, 2)
