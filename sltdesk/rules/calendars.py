"""Service calendars as time: business intervals in UTC, and elapsed business time, vectorised.

A calendar's business hours are local wall-clock spans per weekday in an IANA zone, minus public
holidays (the `holidays` package, by country and subdivision) and closure days. Each local day is
turned into UTC intervals with the zone's rules, so DST changes are right by construction; elapsed
business time between two instants is a difference of a cumulative sum found with searchsorted —
no loop per ticket, let alone per minute.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import numpy as np

from sltdesk.domain.register import WEEKDAYS, ServiceCalendar

DAY = 86_400
SANE = 200 * 365 * DAY  # instants further than two centuries from 1970 are not real times


@dataclass(frozen=True)
class Hours:
    """A calendar in the form the clock needs: zone, spans per weekday (minutes), days off.

    Public holidays are looked up for whichever years the clock is asked about, so a ticket that stays
    open for years is timed with the holidays of every year it spans.
    """

    timezone: str
    spans: tuple[tuple[tuple[int, int], ...], ...]  # Monday..Sunday: ((start_min, end_min), ...)
    closures: frozenset[date] = frozenset()  # the calendar's own closure days
    holiday_country: str = ""
    holiday_subdivision: str = ""

    @property
    def always(self) -> bool:
        return not self.closures and not self.holiday_country and all(day == ((0, 1440),) for day in self.spans)

    def days_off(self, first: date, last: date) -> frozenset[date]:
        """Closure days and public holidays between two dates (inclusive)."""
        found = {d for d in self.closures if first <= d <= last}
        if self.holiday_country:
            years = tuple(range(first.year, last.year + 1))
            found |= {d for d in _public_holidays(self.holiday_country, self.holiday_subdivision or None, years)
                      if first <= d <= last}
        return frozenset(found)


ALWAYS = Hours("UTC", tuple(((0, 1440),) for _ in WEEKDAYS))


def hours_of(calendar: ServiceCalendar | None) -> Hours:
    """The calendar's hours, closure days and holiday region (the clock looks the holidays up for the
    years it is asked about)."""
    if calendar is None:
        return ALWAYS
    spans = []
    by_day = dict(calendar.hours)
    for day in WEEKDAYS:
        text = by_day.get(day, "")
        spans.append(tuple(_span(part) for part in text.split(",") if part.strip()))
    return Hours(calendar.timezone, tuple(spans), frozenset(calendar.closure_days), calendar.holiday_country or "",
                 calendar.holiday_subdivision or "")


@lru_cache(maxsize=64)
def _public_holidays(country: str, subdivision: str | None, years: tuple[int, ...]) -> frozenset[date]:
    import holidays

    return frozenset(holidays.country_holidays(country, subdiv=subdivision, years=years).keys())


def _span(text: str) -> tuple[int, int]:
    start, end = text.strip().split("-")
    return _minutes(start), _minutes(end)


def _minutes(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


class BusinessClock:
    """Business seconds between instants (UTC epoch seconds) for one calendar, at any distance in time.

    The business intervals are laid out for [start, end] first; an instant outside that range widens it
    (with the holidays of the years it reaches), so nothing is ever clamped to a horizon.
    """

    def __init__(self, hours: Hours, start: int, end: int):
        self.hours = hours
        self._always = hours.always
        self._build(int(start), int(end))

    def _build(self, start: int, end: int) -> None:
        self.range = (start, end)
        if self._always:
            self.starts = np.array([start], dtype=np.int64)
            self.ends = np.array([end], dtype=np.int64)
        else:
            intervals = business_intervals(self.hours, start - 2 * DAY, end + 2 * DAY)
            self.starts, self.ends = intervals[:, 0], intervals[:, 1]
        self._cumulative = np.concatenate(([0], np.cumsum(self.ends - self.starts)))

    def _reach(self, t: np.ndarray) -> None:
        """Widen the laid-out range to hold every instant in `t` (a year's margin, to widen rarely)."""
        t = t[(t > -SANE) & (t < SANE)]  # a missing time (int64's minimum) is not an instant to reach for
        if self._always or not len(t):
            return
        low, high = int(t.min()), int(t.max())
        start, end = self.range
        if low >= start and high <= end:
            return
        self._build(min(start, low - 365 * DAY), max(end, high + 365 * DAY))

    def position(self, t: np.ndarray) -> np.ndarray:
        """Business seconds from a fixed origin up to each instant (only differences are meaningful)."""
        t = np.asarray(t, dtype=np.int64)
        if self._always:
            return t - self.starts[0]
        self._reach(t)
        k = np.searchsorted(self.starts, t, side="right") - 1
        inside = np.clip(t - self.starts[np.maximum(k, 0)], 0, (self.ends - self.starts)[np.maximum(k, 0)])
        return np.where(k < 0, 0, self._cumulative[np.maximum(k, 0)] + inside)

    def between(self, t1: np.ndarray, t2: np.ndarray) -> np.ndarray:
        """Business seconds in [t1, t2) (0 where t2 <= t1)."""
        t1, t2 = np.asarray(t1, dtype=np.int64), np.asarray(t2, dtype=np.int64)
        if not self._always:
            self._reach(np.concatenate((t1.ravel(), t2.ravel())))
        return np.maximum(self.position(t2) - self.position(t1), 0)

    def in_hours(self, t: np.ndarray) -> np.ndarray:
        """Whether each instant falls inside business hours."""
        t = np.asarray(t, dtype=np.int64)
        if self._always:
            return np.ones(len(t), dtype=bool)
        self._reach(t)
        k = np.searchsorted(self.starts, t, side="right") - 1
        return (k >= 0) & (t < self.ends[np.maximum(k, 0)])


def business_intervals(hours: Hours, start: int, end: int) -> np.ndarray:
    """Sorted, non-overlapping [start, end) business intervals (UTC epoch seconds) covering the range."""
    zone = ZoneInfo(hours.timezone)
    first = datetime.fromtimestamp(start, UTC).astimezone(zone).date() - timedelta(days=1)
    last = datetime.fromtimestamp(end, UTC).astimezone(zone).date() + timedelta(days=1)
    out: list[tuple[int, int]] = []
    days_off = hours.days_off(first, last)
    day = first
    while day <= last:
        if day not in days_off:
            for begin, finish in hours.spans[day.weekday()]:
                a = _instant(day, begin, zone)
                b = _instant(day, finish, zone)
                if b > a:
                    if out and out[-1][1] >= a:  # 24x7 days join up across midnight
                        out[-1] = (out[-1][0], max(out[-1][1], b))
                    else:
                        out.append((a, b))
        day += timedelta(days=1)
    array = np.array(out or [(start, start)], dtype=np.int64).reshape(-1, 2)
    keep = (array[:, 1] > start) & (array[:, 0] < end)
    array = array[keep] if keep.any() else np.array([[start, start]], dtype=np.int64)
    return np.column_stack((np.maximum(array[:, 0], start), np.minimum(array[:, 1], end)))


def _instant(day: date, minutes: int, zone: ZoneInfo) -> int:
    if minutes >= 1440:
        return int(datetime.combine(day + timedelta(days=1), time(0), zone).timestamp())
    return int(datetime.combine(day, time(minutes // 60, minutes % 60), zone).timestamp())
