"""The months a contract has data for, and the range the Verification grid opens on.

A month counts when it holds data: whole quarter-hours with a ticket opened, an outage starting or a sample
taken (local months in the contract's zone; every zone's offset is a whole number of quarter-hours), or a
figure the vendor reported for it. An edge month with only a sliver of data is no month of data."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date

import numpy as np
import pandas as pd

from sltdesk.domain.period import months_between, shift

ALL_OF_THEM = 18  # a history this long or shorter is shown whole (the demo's 18 months)
RECENT = 12  # a longer one: its last 12 months
SLIVER = 0.02  # an edge month with under 2 % of the busiest month's quarter-hours of data is no month of data
QUARTER_HOUR = 900
MONTH = re.compile(r"\d{4}-\d{2}")  # '2026-03'; a quarter ('2026-Q2') or a year is no month


def months_with_data(stamps: Sequence[np.ndarray], zone: str, reported: Iterable[object] = ()) -> list[str]:
    """The months ('2026-03', in `zone`) that hold data: UTC epoch seconds (0 and below are no time) and the
    periods the vendor reported figures for (only month labels count: '2026-Q2' is seven characters too, but
    no month), edge slivers trimmed."""
    every = np.concatenate([np.asarray(s, dtype=np.int64) for s in stamps]) if stamps else np.empty(0, np.int64)
    quarters = np.unique(every[every > 0] // QUARTER_HOUR) * QUARTER_HOUR
    local = pd.to_datetime(quarters, unit="s", utc=True).tz_convert(zone)
    counts = Counter(local.strftime("%Y-%m"))
    busiest = max(counts.values(), default=1)
    for period in reported:
        if isinstance(period, str) and MONTH.fullmatch(period):
            counts[period] = busiest
    return trimmed(sorted(counts), counts)


def trimmed(months: list[str], counts: Counter) -> list[str]:
    """Without edge months holding a sliver of data (a UTC export's last hour that falls into the next month)."""
    floor = max(counts.values(), default=0) * SLIVER
    while months and counts[months[0]] < floor:
        months = months[1:]
    while months and counts[months[-1]] < floor:
        months = months[:-1]
    return months


def default_periods(months: list[str], *, today: date) -> list[str]:
    """The whole span with data when it is 18 months or less (the demo's), else its last 12 months; without
    data, the 12 months up to the last full month before `today`."""
    if not months:
        last = shift(f"{today.year:04d}-{today.month:02d}", -1)
        return months_between(shift(last, -(RECENT - 1)), last)
    whole = months_between(months[0], months[-1])
    return whole if len(whole) <= ALL_OF_THEM else whole[-RECENT:]
