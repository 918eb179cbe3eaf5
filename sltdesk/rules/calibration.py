"""Two sources for one target — the vendor's outage log and interval samples — compared minute by minute."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sltdesk.rules.intervals import as_array, intersect, merge_array, subtract


@dataclass(frozen=True)
class Calibration:
    outage_minutes: float  # what the outage log says was down
    sample_minutes: float  # what the bad intervals say was down
    both_minutes: float  # down in both
    only_in_outages: tuple[tuple[int, int], ...]  # spans only the log has (UTC epoch seconds)
    only_in_samples: tuple[tuple[int, int], ...]  # spans only the samples show: outages the log does not mention


def calibrate(outages: np.ndarray, bad_intervals: np.ndarray, start: int, end: int) -> Calibration:
    """Both inputs are (n, 2) arrays of [start, end) in UTC epoch seconds; the period clips them."""
    a = merge_array(np.clip(outages, start, end))
    b = merge_array(np.clip(bad_intervals, start, end))
    both = as_array(intersect(map(tuple, a.tolist()), map(tuple, b.tolist())))
    return Calibration(_length(a) / 60, _length(b) / 60, _length(both) / 60,
                       tuple(subtract(map(tuple, a.tolist()), map(tuple, b.tolist()))),
                       tuple(subtract(map(tuple, b.tolist()), map(tuple, a.tolist()))))


def _length(spans: np.ndarray) -> float:
    return float((spans[:, 1] - spans[:, 0]).clip(min=0).sum()) if len(spans) else 0.0
