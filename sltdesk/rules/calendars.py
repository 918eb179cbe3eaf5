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


@dataclass(frozen=True)
class Hours:
    """A calendar in the form the clock needs: zone, spans per weekday (minutes), days off."""

    timezone: str
    spans: tuple[tuple[tuple[int, int], ...], ...]  # Monday..Sunday: ((start_min, end_min), ...)
    days_off: frozenset[date] = frozenset()

    @property
    def always(self) -> bool:
        return not self.days_off and all(day == ((0, 1440),) for day in self.spans)


ALWAYS = Hours("UTC", tuple(((0, 1440),) for _ in WEEKDAYS))


def hours_of(calendar: ServiceCalendar | None, *, years: range) -> Hours:
    """The calendar's hours with its public holidays and closure days for the given years."""
    if calendar is None:
        return ALWAYS
    spans = []
    by_day = dict(calendar.hours)
    for day in WEEKDAYS:
        text = by_day.get(day, "")
        spans.append(tuple(_span(part) for part in text.split(",") if part.strip()))
    days_off = set(calendar.closure_days)
    if calendar.holiday_country:
        days_off |= _public_holidays(calendar.holiday_country, calendar.holiday_subdivision or None,
                                     tuple(years))
    return Hours(calendar.timezone, tuple(spans), frozenset(days_off))


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
    """Business seconds between instants (UTC epoch seconds) for one calendar over a time range."""

    def __init__(self, hours: Hours, start: int, end: int):
        self.hours = hours
        if hours.always:
            self.starts = np.array([start], dtype=np.int64)
            self.ends = np.array([end], dtype=np.int64)
            self._always = True
        else:
            intervals = business_intervals(hours, start - 2 * DAY, end + 2 * DAY)
            self.starts, self.ends = intervals[:, 0], intervals[:, 1]
            self._always = False
        self._cumulative = np.concatenate(([0], np.cumsum(self.ends - self.starts)))

    def position(self, t: np.ndarray) -> np.ndarray:
        """Business seconds from the start of the range up to each instant."""
        t = np.asarray(t, dtype=np.int64)
        if self._always:
            return t - self.starts[0]
        k = np.searchsorted(self.starts, t, side="right") - 1
        inside = np.clip(t - self.starts[np.maximum(k, 0)], 0, (self.ends - self.starts)[np.maximum(k, 0)])
        return np.where(k < 0, 0, self._cumulative[np.maximum(k, 0)] + inside)

    def between(self, t1: np.ndarray, t2: np.ndarray) -> np.ndarray:
        """Business seconds in [t1, t2) (0 where t2 <= t1)."""
        return np.maximum(self.position(t2) - self.position(t1), 0)

    def in_hours(self, t: np.ndarray) -> np.ndarray:
        """Whether each instant falls inside business hours."""
        t = np.asarray(t, dtype=np.int64)
        if self._always:
            return np.ones(len(t), dtype=bool)
        k = np.searchsorted(self.starts, t, side="right") - 1
        return (k >= 0) & (t < self.ends[np.maximum(k, 0)])


def business_intervals(hours: Hours, start: int, end: int) -> np.ndarray:
    """Sorted, non-overlapping [start, end) business intervals (UTC epoch seconds) covering the range."""
    zone = ZoneInfo(hours.timezone)
    first = datetime.fromtimestamp(start, UTC).astimezone(zone).date() - timedelta(days=1)
    last = datetime.fromtimestamp(end, UTC).astimezone(zone).date() + timedelta(days=1)
    out: list[tuple[int, int]] = []
    day = first
    while day <= last:
        if day not in hours.days_off:
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
