"""Service hours as minute intervals of a reference week in UTC, so calendars in any zone compare.

Weekly hours are laid onto two reference weeks — one in winter, one in summer time — because zones
with different daylight-saving rules (London vs New York) line up differently in each.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sltdesk.domain.register import WEEKDAYS, ServiceCalendar
from sltdesk.rules.intervals import intersect, merge, subtract, total

REFERENCE_WEEKS = (date(2026, 1, 5), date(2026, 7, 6))  # Mondays
Intervals = list[tuple[int, int]]
ALWAYS = ServiceCalendar(name="24x7 UTC")


def week_intervals(calendar: ServiceCalendar | None, week_start: date, *, days: Iterable[int] = range(7)) -> Intervals:
    """The calendar's open hours on the given days of the week (0 = Monday; -1 and 7 reach into the
    neighbouring weeks) as merged [start, end) minutes since week_start 00:00 UTC."""
    calendar = calendar or ALWAYS
    zone = ZoneInfo(calendar.timezone)
    spans = dict(calendar.hours)
    origin = datetime.combine(week_start, time(0), tzinfo=UTC)
    found: Intervals = []
    for offset in days:
        day = week_start + timedelta(days=offset)
        for part in filter(None, (p.strip() for p in spans.get(WEEKDAYS[day.weekday()], "").split(","))):
            start_text, end_text = part.split("-")
            start = _local(day, start_text, zone)
            end = _local(day, end_text, zone)
            found.append((_minutes(start - origin), _minutes(end - origin)))
    return merge(found)


def _local(day: date, text: str, zone: ZoneInfo) -> datetime:
    hours, minutes = (int(x) for x in text.split(":"))
    if hours == 24:
        return datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone)
    return datetime.combine(day, time(hours, minutes), tzinfo=zone)


def _minutes(delta: timedelta) -> int:
    return int(delta.total_seconds() // 60)


def required_week(calendar: ServiceCalendar | None, week_start: date) -> Intervals:
    return week_intervals(calendar, week_start)


def offered_week(calendars: Sequence[ServiceCalendar | None], week_start: date) -> Intervals:
    """What several calendars offer together, reaching into the neighbouring days for zone shifts."""
    return merge(i for c in calendars for i in week_intervals(c, week_start, days=range(-1, 8)))


def uncovered_minutes(required: ServiceCalendar | None, offered: Sequence[ServiceCalendar | None]) -> int:
    """Minutes a week of the required hours no offered calendar covers (the worse reference week)."""
    return max(total(subtract(required_week(required, w), offered_week(offered, w))) for w in REFERENCE_WEEKS)


def shared_minutes(required: ServiceCalendar | None, first: ServiceCalendar | None,
                   second: ServiceCalendar | None) -> int:
    """Minutes a week of the required hours that both calendars cover (the larger reference week)."""
    return max(total(intersect(intersect(required_week(required, w), offered_week([first], w)),
                               offered_week([second], w))) for w in REFERENCE_WEEKS)


def excludes_more_days(offered: ServiceCalendar | None, required: ServiceCalendar | None) -> str:
    """A sentence when the offered calendar closes on days the required one counts, else ''."""
    if offered is None:
        return ""
    region = "-".join(filter(None, (offered.holiday_country, offered.holiday_subdivision)))
    required_region = "-".join(filter(None, (required.holiday_country, required.holiday_subdivision))) \
        if required else ""
    if region and region != required_region:
        return f"excludes {region} public holidays"
    extra = set(offered.closure_days) - set(required.closure_days if required else ())
    if extra:
        return f"closes on {len(extra)} day(s) the end-to-end target counts"
    return ""


def describe(calendar: ServiceCalendar | None) -> str:
    """'UK business hours (Mon–Fri 08:00-18:00, Europe/London)'."""
    if calendar is None:
        return "24x7 (UTC)"
    groups: list[tuple[str, str, str]] = []
    for day, span in calendar.hours:
        if groups and groups[-1][2] == span:
            groups[-1] = (groups[-1][0], day, span)
        else:
            groups.append((day, day, span))
    parts = [f"{_day(a)}–{_day(b)} {s}" if a != b else f"{_day(a)} {s}" for a, b, s in groups if s]
    return f"{calendar.name} ({', '.join(parts) or 'closed'}, {calendar.timezone})"


def _day(name: str) -> str:
    return name.capitalize()
