"""Shared pieces of the attainment rules: the measured result, percentages as exact Decimals.

A figure is never rounded before it is judged (see `sltdesk.domain.figures`); minutes in the counts are
rounded to 0.01 for reading, and the exact seconds stand beside them for anything that prices them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal

import numpy as np
import pandas as pd

from sltdesk.domain.attainment import Exclusion
from sltdesk.domain.figures import percent, ratio
from sltdesk.domain.measurement import Window

__all__ = ["Measured", "percent", "percentile", "minutes", "whole", "clip_windows"]


@dataclass
class Measured:
    """What a rule computed for one target and period, before it is compared with the threshold."""

    achieved: Decimal | None
    counts: dict[str, Decimal | int] = field(default_factory=dict)
    exclusions: list[Exclusion] = field(default_factory=list)
    explanation: str = ""
    budget: str = ""
    evidence: pd.DataFrame | None = None  # the rows behind the figure, for drill-down and exports
    evidence_source: tuple | None = None  # what builds `evidence` on demand (tickets: see ticket_clock)


def minutes(seconds: float | int | Decimal) -> Decimal:
    """Seconds as minutes to 0.01, for reading (the exact seconds go in the counts beside them)."""
    return (Decimal(str(seconds)) / 60).quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN)


def percentile(values: np.ndarray, q: int | Decimal, *, scale: int = 1) -> Decimal | None:
    """The q-th percentile with linear interpolation between the closest ranks (numpy's default method),
    computed exactly in Decimal from the values as written (a float's shortest form), then / `scale`."""
    data = np.sort(np.asarray(values, dtype=float))
    data = data[~np.isnan(data)]
    if not len(data):
        return None
    position = (len(data) - 1) * Decimal(q) / 100
    low = int(position)
    fraction = position - low
    below = Decimal(repr(float(data[low])))
    value = below if fraction == 0 else below + (Decimal(repr(float(data[low + 1]))) - below) * fraction
    return ratio(value, scale) if scale != 1 else value


def whole(value: Decimal) -> int | Decimal:
    """An exact count: an int when it is whole (1200, never 1.2E+3), else the Decimal as it is."""
    return int(value) if value == value.to_integral_value() else value


def clip_windows(windows: list[Window], start: int, end: int) -> list[Window]:
    return [w for w in windows if w.end > start and w.start < end]
