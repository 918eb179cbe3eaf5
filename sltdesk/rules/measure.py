"""Shared pieces of the attainment rules: the measured result, percentages as exact Decimals."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal

import numpy as np
import pandas as pd

from sltdesk.domain.attainment import Exclusion
from sltdesk.domain.measurement import Window

PLACES = Decimal("0.0001")  # attainment percentages are kept to four decimals (99.9667 %)


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


def percent(good: int | Decimal, total: int | Decimal) -> Decimal | None:
    """good / total as a percentage, rounded half-even to four places; None when there is nothing to count."""
    if not total:
        return None
    return (Decimal(good) * 100 / Decimal(total)).quantize(PLACES, rounding=ROUND_HALF_EVEN)


def minutes(seconds: float | int | Decimal) -> Decimal:
    return (Decimal(str(seconds)) / 60).quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN)


def clip_windows(windows: list[Window], start: int, end: int) -> list[Window]:
    return [w for w in windows if w.end > start and w.start < end]


def covered(points: np.ndarray, windows: list[Window]) -> np.ndarray:
    """Which half-open segments [points[i], points[i+1]) lie inside any window."""
    mids = (points[:-1] + points[1:]) / 2
    inside = np.zeros(len(mids), dtype=bool)
    for window in windows:
        inside |= (mids >= window.start) & (mids < window.end)
    return inside
