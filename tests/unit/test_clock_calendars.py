"""Business calendars as UTC intervals and business seconds, worked out by hand on a London office.

June 2026 is British Summer Time (UTC+1), so a London 08:00 is 07:00 UTC: a clock that read the hours in UTC
would be an hour late at every opening and closing.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np

from sltdesk.domain.register import WEEKDAYS, ServiceCalendar
from sltdesk.rules.calendars import ALWAYS, SANE, BusinessClock, Hours, business_intervals, hours_of
from sltdesk.rules.event_log import NA_TIME

LONDON = ZoneInfo("Europe/London")
H = 3600
DAY = 86_400
OFFICE = (((480, 1080),),) * 5 + ((), ())  # Monday to Friday 08:00-18:00
ROUND_THE_CLOCK_WEEKDAYS = (((0, 1440),),) * 5 + ((), ())


def at(*args, zone=LONDON) -> int:
    return int(datetime(*args, tzinfo=zone).timestamp())


def office(**values) -> Hours:
    return Hours("Europe/London", OFFICE, **values)


def between(clock: BusinessClock, pairs: list[tuple[int, int]]) -> list[int]:
    seconds = clock.between(np.array([a for a, _ in pairs]), np.array([b for _, b in pairs]))
    assert seconds.dtype == np.int64  # business time is counted in whole seconds
    return seconds.tolist()


# --- hours_of and days_off --------------------------------------------------------------------------------


def test_a_calendars_split_days_and_odd_minutes_are_read_and_unlisted_days_are_closed():
    calendar = ServiceCalendar(name="Split", timezone="Europe/London",
                               hours=(("mon", "08:30-12:00, 13:00-17:15"), ("tue", "09:00-17:00"), ("wed", "")),
                               holiday_country="GB", holiday_subdivision="ENG", closure_days=(date(2026, 12, 24),))
    assert hours_of(calendar) == Hours("Europe/London", (((510, 720), (780, 1035)), ((540, 1020),), (), (), (), (), ()),
                                       frozenset({date(2026, 12, 24)}), "GB", "ENG")


def test_a_calendar_without_a_holiday_region_reads_as_round_the_clock_with_blank_region():
    hours = hours_of(ServiceCalendar(name="Plain"))
    assert hours == Hours("UTC", tuple(((0, 1440),) for _ in WEEKDAYS), frozenset(), "", "")
    assert (hours.holiday_country, hours.holiday_subdivision, hours.always) == ("", "", True)
    assert hours_of(None) is ALWAYS


def test_closure_days_on_the_first_and_last_day_asked_about_are_days_off():
    first, middle, last = date(2026, 8, 3), date(2026, 8, 4), date(2026, 8, 5)
    hours = office(closures=frozenset({first, middle, last, date(2026, 8, 6)}))
    assert hours.days_off(first, last) == {first, middle, last}
    assert hours.days_off(middle, middle) == {middle}


def test_bank_holidays_on_the_first_and_last_day_asked_about_are_days_off_beside_the_closures():
    hours = office(closures=frozenset({date(2026, 12, 24)}), holiday_country="GB", holiday_subdivision="ENG")
    # Christmas Eve is the office's own closure; 25, 26 and 28 December 2026 are English bank holidays
    assert hours.days_off(date(2026, 12, 24), date(2026, 12, 28)) == {
        date(2026, 12, 24), date(2026, 12, 25), date(2026, 12, 26), date(2026, 12, 28)}
    assert hours.days_off(date(2026, 12, 25), date(2026, 12, 26)) == {date(2026, 12, 25), date(2026, 12, 26)}
    assert hours.days_off(date(2026, 12, 29), date(2027, 1, 1)) == {date(2027, 1, 1)}  # next year's holidays too


def test_easter_monday_is_off_in_england_but_not_in_the_uk_wide_calendar():
    england = office(holiday_country="GB", holiday_subdivision="ENG")
    uk_wide = office(holiday_country="GB")
    assert england.days_off(date(2026, 4, 3), date(2026, 4, 6)) == {date(2026, 4, 3), date(2026, 4, 6)}
    assert uk_wide.days_off(date(2026, 4, 3), date(2026, 4, 6)) == {date(2026, 4, 3)}


# --- business_intervals -----------------------------------------------------------------------------------


def test_business_intervals_are_the_office_hours_in_london_time_clipped_to_the_range():
    """Monday 1 June 12:00 to Wednesday 3 June 12:00: the rest of Monday, all Tuesday, Wednesday morning."""
    got = business_intervals(office(), at(2026, 6, 1, 12), at(2026, 6, 3, 12))
    assert got.tolist() == [[at(2026, 6, 1, 12), at(2026, 6, 1, 18)], [at(2026, 6, 2, 8), at(2026, 6, 2, 18)],
                            [at(2026, 6, 3, 8), at(2026, 6, 3, 12)]]
    assert got[0, 0] - at(2026, 6, 1, 12, zone=ZoneInfo("UTC")) == -H  # London is an hour ahead in June


def test_an_office_opening_at_half_past_eight_opens_at_half_past_eight_london_time():
    hours = Hours("Europe/London", (((510, 1035),),) + ((),) * 6)  # Mondays 08:30-17:15
    got = business_intervals(hours, at(2026, 6, 1), at(2026, 6, 2))
    assert got.tolist() == [[at(2026, 6, 1, 8, 30), at(2026, 6, 1, 17, 15)]]


def test_a_range_from_a_closing_time_to_an_opening_time_holds_only_the_day_between():
    got = business_intervals(office(), at(2026, 6, 1, 18), at(2026, 6, 3, 8))
    assert got.tolist() == [[at(2026, 6, 2, 8), at(2026, 6, 2, 18)]]


def test_a_range_without_business_hours_is_one_empty_interval_at_its_start():
    start, end = at(2026, 6, 6, 9), at(2026, 6, 7, 18)  # Saturday morning to Sunday evening
    assert business_intervals(office(), start, end).tolist() == [[start, start]]


def test_round_the_clock_weekdays_join_up_across_midnight_into_one_interval_a_week():
    hours = Hours("Europe/London", ROUND_THE_CLOCK_WEEKDAYS)
    got = business_intervals(hours, at(2026, 6, 1), at(2026, 6, 15))
    assert got.tolist() == [[at(2026, 6, 1), at(2026, 6, 6)], [at(2026, 6, 8), at(2026, 6, 13)]]


def test_overlapping_spans_of_one_day_make_one_interval_to_the_latest_end():
    hours = Hours("UTC", (((480, 720), (540, 600), (700, 780)),) + ((),) * 6)
    got = business_intervals(hours, at(2026, 6, 1, zone=ZoneInfo("UTC")), at(2026, 6, 2, zone=ZoneInfo("UTC")))
    assert got.tolist() == [[at(2026, 6, 1, 8, zone=ZoneInfo("UTC")), at(2026, 6, 1, 13, zone=ZoneInfo("UTC"))]]


def test_a_round_the_clock_calendar_with_a_closure_counts_the_25_hour_autumn_day():
    hours = Hours("Europe/London", (((0, 1440),),) * 7, closures=frozenset({date(2026, 10, 30)}))
    got = business_intervals(hours, at(2026, 10, 24), at(2026, 10, 27))
    assert got.tolist() == [[at(2026, 10, 24), at(2026, 10, 27)]]
    assert got[0, 1] - got[0, 0] == 3 * 24 * H + H  # clocks go back on Sunday 25 October


# --- BusinessClock ----------------------------------------------------------------------------------------


def test_the_first_and_last_days_of_the_clocks_range_count_in_full():
    clock = BusinessClock(office(), at(2026, 6, 1), at(2026, 6, 5, 23, 59))
    assert between(clock, [(at(2026, 6, 1, 8), at(2026, 6, 1, 9)), (at(2026, 6, 5, 17), at(2026, 6, 5, 18)),
                           (at(2026, 6, 1, 7, 30), at(2026, 6, 1, 8, 30)), (at(2026, 6, 1, 17, 30),
                                                                            at(2026, 6, 2, 8, 30)),
                           (at(2026, 6, 2, 10), at(2026, 6, 2, 9))]) == [H, H, H // 2, H, 0]


def test_an_instant_is_in_hours_from_the_opening_second_until_before_the_closing_one():
    clock = BusinessClock(office(), at(2026, 6, 1), at(2026, 6, 30))
    instants = [at(2026, 6, 1, 7, 59, 59), at(2026, 6, 1, 8), at(2026, 6, 1, 17, 59, 59), at(2026, 6, 1, 18),
                at(2026, 6, 6, 10)]
    assert clock.in_hours(np.array(instants)).tolist() == [False, True, True, False, False]


def test_round_the_clock_weekdays_count_whole_days_and_stop_over_the_weekend():
    """The clock's range starts on Wednesday 3 June 12:00; its first interval runs from Monday to Saturday 00:00.
    Wednesday 12:00 to Monday 06:00 is 2.5 days (60 h) plus 6 h; Saturday 10:00 to Monday 06:00 is 6 h."""
    clock = BusinessClock(Hours("Europe/London", ROUND_THE_CLOCK_WEEKDAYS), at(2026, 6, 3, 12), at(2026, 6, 30))
    assert between(clock, [(at(2026, 6, 3, 12), at(2026, 6, 8, 6)), (at(2026, 6, 6, 10), at(2026, 6, 8, 6)),
                           (at(2026, 6, 3, 12), at(2026, 6, 5, 12))]) == [66 * H, 6 * H, 48 * H]
    instants = [at(2026, 6, 3, 12), at(2026, 6, 6, 10), at(2026, 6, 8, 0)]
    assert clock.in_hours(np.array(instants)).tolist() == [True, False, True]


def test_a_ticket_raised_in_the_christmas_shutdown_starts_its_clock_when_the_office_reopens():
    """Closed from Friday 19 December 2025 to Sunday 4 January 2026; reopens Monday 5 January at 08:00."""
    shutdown = frozenset(date(2025, 12, 19) + timedelta(days=n) for n in range(17))
    clock = BusinessClock(office(closures=shutdown), at(2025, 12, 22, 9), at(2026, 1, 31))
    assert between(clock, [(at(2025, 12, 22, 9), at(2026, 1, 5, 10))]) == [2 * H]
    assert clock.in_hours(np.array([at(2025, 12, 22, 9), at(2026, 1, 5, 8)])).tolist() == [False, True]


def test_a_ticket_resolved_a_year_after_the_range_skips_that_years_easter_holidays():
    """Thursday 25 March 2027 17:00 to Tuesday 30 March 09:00: Good Friday and Easter Monday are off, so 1 h + 1 h.
    Thursday 31 December 2026 17:00 to Monday 4 January 2027 09:00: New Year's Day is off, so 1 h + 1 h."""
    clock = BusinessClock(office(holiday_country="GB", holiday_subdivision="ENG"), at(2026, 1, 1), at(2026, 12, 31))
    assert between(clock, [(at(2027, 3, 25, 17), at(2027, 3, 30, 9))]) == [2 * H]
    clock = BusinessClock(office(holiday_country="GB", holiday_subdivision="ENG"), at(2026, 1, 1),
                          at(2026, 12, 31, 23, 59))
    assert between(clock, [(at(2026, 12, 31, 17), at(2027, 1, 4, 9))]) == [2 * H]
    assert clock.in_hours(np.array([at(2027, 1, 1, 10), at(2027, 1, 4, 10)])).tolist() == [False, True]


def test_a_ticket_opened_before_the_range_counts_the_christmas_week_before_it():
    """Wednesday 24 December 2025 17:00 to Friday 2 January 2026 09:00: 1 h, then 29-31 December at 10 h a day
    (25, 26 December and 1 January are bank holidays), then 1 h on the 2nd: 32 h."""
    clock = BusinessClock(office(holiday_country="GB", holiday_subdivision="ENG"), at(2026, 1, 1), at(2026, 12, 31))
    assert between(clock, [(at(2025, 12, 24, 17), at(2026, 1, 2, 9))]) == [32 * H]


def test_an_empty_batch_of_instants_takes_no_time():
    clock = BusinessClock(office(), at(2026, 6, 1), at(2026, 6, 30))
    assert between(clock, []) == []
    assert clock.in_hours(np.array([], dtype=np.int64)).tolist() == []


def test_an_instant_two_centuries_from_1970_is_not_a_real_time_and_is_never_in_hours():
    hours = Hours("UTC", (((0, 1440),),) * 7, closures=frozenset({date(2000, 1, 1)}))
    clock = BusinessClock(hours, at(2026, 6, 1), at(2026, 6, 30))
    assert clock.in_hours(np.array([SANE, -SANE])).tolist() == [False, False]
    assert clock.range == (at(2026, 6, 1), at(2026, 6, 30))  # nothing was laid out for them


def test_a_missing_time_is_not_in_hours_and_widens_nothing():
    clock = BusinessClock(office(), at(2026, 6, 1), at(2026, 6, 30))
    assert clock.in_hours(np.array([NA_TIME, at(2026, 6, 2, 9)])).tolist() == [False, True]
    assert clock.range == (at(2026, 6, 1), at(2026, 6, 30))


def test_an_always_open_clock_counts_every_second():
    clock = BusinessClock(ALWAYS, at(2026, 6, 1), at(2026, 6, 30))
    assert between(clock, [(at(2026, 6, 6, 10), at(2026, 6, 8, 6))]) == [44 * H]
    assert clock.in_hours(np.array([at(2026, 6, 6, 3)])).tolist() == [True]
