"""Service hours on the reference weeks, the sentences that describe a calendar, and extra closing days."""

from __future__ import annotations

from datetime import date

from sltdesk.domain.register import WEEKDAYS, ServiceCalendar
from sltdesk.rules.hours import describe, excludes_more_days, uncovered_minutes, week_intervals
from sltdesk.rules.intervals import merge

WINTER, SUMMER = date(2026, 1, 5), date(2026, 7, 6)  # Mondays; London is UTC+0 in January and UTC+1 in July
DAY = 24 * 60


def calendar(name: str, zone: str = "Europe/London", weekdays: str = "", saturday: str = "", sunday: str = "",
             country: str = "", subdivision: str = "", closures: tuple[date, ...] = ()) -> ServiceCalendar:
    return ServiceCalendar(name=name, timezone=zone, hours=tuple(zip(WEEKDAYS, (weekdays,) * 5 + (saturday, sunday),
                                                                     strict=True)),
                           holiday_country=country, holiday_subdivision=subdivision, closure_days=closures)


UK_OFFICE = calendar("UK business hours", weekdays="08:00-18:00", country="GB")
ALL_DAY = "00:00-24:00"


def test_a_round_the_clock_week_is_one_span_from_monday_midnight_utc():
    assert week_intervals(None, WINTER) == [(0, 7 * DAY)]
    assert week_intervals(calendar("24x7 UTC", "UTC", ALL_DAY, ALL_DAY, ALL_DAY), SUMMER) == [(0, 7 * DAY)]


def test_office_hours_fall_on_each_weekday_and_move_an_hour_earlier_in_utc_in_summer():
    assert week_intervals(UK_OFFICE, WINTER) == [(d * DAY + 480, d * DAY + 1080) for d in range(5)]
    assert week_intervals(UK_OFFICE, SUMMER) == [(d * DAY + 420, d * DAY + 1020) for d in range(5)]


def test_a_calendar_that_lists_only_some_weekdays_is_closed_on_the_others_and_keeps_its_minutes():
    clinic = ServiceCalendar(name="Monday clinic", timezone="Europe/London", hours=(("mon", "09:00-12:30"),))
    assert week_intervals(clinic, WINTER) == [(540, 750)]


def test_touching_spans_merge_and_empty_ones_vanish():
    assert merge([(300, 300), (60, 120), (0, 60)]) == [(0, 120)]
    assert merge([(0, 60), (61, 120)]) == [(0, 60), (61, 120)]


def test_new_york_round_the_clock_covers_london_round_the_clock_including_monday_morning():
    # London's Monday 00:00-05:00 is New York's Sunday evening: the offered Sunday counts
    new_york = calendar("24x7 New York", "America/New_York", ALL_DAY, ALL_DAY, ALL_DAY)
    london = calendar("24x7 London", weekdays=ALL_DAY, saturday=ALL_DAY, sunday=ALL_DAY)
    assert uncovered_minutes(london, [new_york]) == 0
    assert uncovered_minutes(london, [calendar("NY weekdays", "America/New_York", ALL_DAY)]) > 0


def test_a_calendar_is_described_by_runs_of_days_with_the_same_hours():
    assert describe(None) == "24x7 (UTC)"
    assert describe(UK_OFFICE) == "UK business hours (Mon–Fri 08:00-18:00, Europe/London)"
    shop = calendar("Retail", weekdays="08:00-18:00", saturday="09:00-13:00")
    assert describe(shop) == "Retail (Mon–Fri 08:00-18:00, Sat 09:00-13:00, Europe/London)"
    assert describe(ServiceCalendar(name="Always")) == "Always (Mon–Sun 00:00-24:00, UTC)"


def test_days_with_different_hours_are_listed_one_by_one():
    mixed = ServiceCalendar(name="Depot", hours=(("mon", "08:00-18:00"), ("tue", "08:00-12:00"),
                                                 ("wed", "08:00-18:00")))
    assert describe(mixed) == "Depot (Mon 08:00-18:00, Tue 08:00-12:00, Wed 08:00-18:00, UTC)"


def test_a_calendar_with_no_hours_at_all_is_described_as_closed():
    assert describe(calendar("Mothballed site", "UTC")) == "Mothballed site (closed, UTC)"


def test_no_offered_calendar_means_no_extra_closing_days():
    assert excludes_more_days(None, UK_OFFICE) == ""


def test_the_same_holiday_region_closes_no_extra_days():
    england = calendar("England office", weekdays="08:00-18:00", country="GB", subdivision="ENG")
    assert excludes_more_days(england, england) == ""
    scotland = calendar("Scotland office", weekdays="08:00-18:00", country="GB", subdivision="SCT")
    assert excludes_more_days(england, scotland) == "excludes GB-ENG public holidays"
    assert excludes_more_days(UK_OFFICE, None) == "excludes GB public holidays"  # the target counts every day


def test_a_calendar_without_holidays_excludes_none_of_the_targets_days():
    assert excludes_more_days(calendar("Every weekday", weekdays="08:00-18:00"), UK_OFFICE) == ""


def test_closure_days_count_only_when_the_end_to_end_target_is_open_on_them():
    christmas, boxing_day = date(2026, 12, 25), date(2026, 12, 26)
    supplier = calendar("Supplier", weekdays="08:00-18:00", closures=(christmas, boxing_day))
    target = calendar("Target", weekdays="08:00-18:00", closures=(christmas,))
    assert excludes_more_days(supplier, target) == "closes on 1 day(s) the end-to-end target counts"
    assert excludes_more_days(supplier, None) == "closes on 2 day(s) the end-to-end target counts"
    assert excludes_more_days(target, supplier) == ""
