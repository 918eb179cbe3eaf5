"""Attainment rules pinned to hand calculations."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from sltdesk.domain.measurement import MeasurementRule, MissingData, Source, Window
from sltdesk.domain.register import WEEKDAYS, ServiceCalendar
from sltdesk.rules import availability, ticket_clock
from sltdesk.rules.calendars import ALWAYS, BusinessClock, hours_of
from tests.exact import exactly

LONDON = ZoneInfo("Europe/London")
NA = np.iinfo(np.int64).min
UK_OFFICE = ServiceCalendar(name="UK", timezone="Europe/London", holiday_country="GB", holiday_subdivision="ENG",
                            hours=tuple(zip(WEEKDAYS, ["08:00-18:00"] * 5 + ["", ""], strict=True)))


def at(*args, zone=LONDON) -> int:
    return int(datetime(*args, tzinfo=zone).timestamp())


def uk_clock() -> BusinessClock:
    return BusinessClock(hours_of(UK_OFFICE), at(2026, 1, 1), at(2026, 12, 31))


def always(start: int, end: int) -> BusinessClock:
    return BusinessClock(ALWAYS, start - 86400, end + 86400)


def test_business_time_skips_the_weekend_and_a_bank_holiday_monday():
    clock = uk_clock()
    opened = at(2026, 5, 22, 17, 30)  # Friday; Monday 25 May 2026 is the spring bank holiday
    # Friday 17:30-18:00 is 30 min, Tuesday 08:00-09:30 is 90 min: 2 h; resolved at 09:00 it would be 1 h 30 min.
    assert clock.between(np.array([opened]), np.array([at(2026, 5, 26, 9, 30)]))[0] == 2 * 3600
    assert clock.between(np.array([opened]), np.array([at(2026, 5, 26, 9, 0)]))[0] == 90 * 60


def test_business_time_over_a_multi_week_ticket_and_across_the_spring_dst_change():
    clock = uk_clock()
    # Monday 23 March 09:00 to Friday 3 April 17:00 (clocks go forward on Sunday 29 March, Good Friday is 3 April):
    # week 1 Mon 9 h + Tue-Fri 4 x 10 h = 49 h; week 2 Mon-Thu 4 x 10 h = 40 h; Good Friday 0 → 89 h.
    assert clock.between(np.array([at(2026, 3, 23, 9)]), np.array([at(2026, 4, 3, 17)]))[0] == 89 * 3600


def test_an_outage_from_one_to_four_local_time_on_the_autumn_dst_day_lasts_four_hours():
    start, end = at(2026, 10, 25, 1, 0), at(2026, 10, 25, 4, 0)
    assert end - start == 4 * 3600
    outages = pd.DataFrame({"start": [start], "end": [end], "impact_percent": [100.0], "planned": [False]})
    month = at(2026, 10, 1), at(2026, 11, 1)
    rule = MeasurementRule(target_id=1, source=Source.OUTAGES)
    result = availability.from_outages(outages, [], always(*month), *month, rule, Decimal("99.9"))
    assert result.counts["downtime_minutes"] == Decimal("240.00")
    assert result.counts["service_minutes"] == Decimal(31 * 24 * 60 + 60)  # October has the extra hour


def test_a_maintenance_window_over_half_an_outage_removes_exactly_that_half():
    month = at(2026, 3, 1), at(2026, 4, 1)  # 31 days less the hour lost on 29 March: 44,580 min
    outages = pd.DataFrame({"start": [at(2026, 3, 10, 2)], "end": [at(2026, 3, 10, 4)], "impact_percent": [100.0],
                            "planned": [False]})
    window = Window(at(2026, 3, 10, 3), at(2026, 3, 10, 5), "maintenance", "CHG-1", "planned maintenance CHG-1")
    rule = MeasurementRule(target_id=1, source=Source.OUTAGES)
    result = availability.from_outages(outages, [window], always(*month), *month, rule, Decimal("99.9"))
    assert result.counts["downtime_minutes"] == Decimal("60.00")
    assert result.counts["excluded_minutes"] == Decimal("120.00")
    # (44,580 − 120 − 60) / (44,580 − 120) = 44,400 / 44,460
    assert exactly(result.achieved, 44_400, 44_460) and result.achieved.compare(Decimal("99.865047")) == 1
    assert [(e.reference, e.minutes) for e in result.exclusions] == [("CHG-1", Decimal("120.00"))]


def test_downtime_is_weighted_by_impact_and_overlapping_outages_count_once():
    month = at(2026, 3, 1), at(2026, 4, 1)
    outages = pd.DataFrame({"start": [at(2026, 3, 2, 10), at(2026, 3, 2, 10, 30)],
                            "end": [at(2026, 3, 2, 11), at(2026, 3, 2, 12)], "impact_percent": [50.0, 100.0],
                            "planned": [False, False]})
    rule = MeasurementRule(target_id=1, source=Source.OUTAGES)
    result = availability.from_outages(outages, [], always(*month), *month, rule, Decimal("99.9"))
    # 10:00-10:30 at 50 % = 15 min; 10:30-12:00 at 100 % (the higher impact wins the overlap) = 90 min.
    assert result.counts["downtime_minutes"] == Decimal("105.00")


def test_pause_intervals_in_an_event_log_are_not_counted():
    start = at(2026, 3, 2, 9, 0)
    tickets = pd.DataFrame({"ticket_id": ["A"], "priority": ["P2"], "opened_at": [start], "assigned_at": [NA],
                            "responded_at": [NA], "resolved_at": [start + 5 * 3600], "closed_at": [NA]})
    events = pd.DataFrame({"ticket_id": ["A"] * 4, "state": ["New", "Awaiting Customer", "In Progress", "Resolved"],
                           "changed_at": [start, start + 3600, start + 3 * 3600, start + 5 * 3600]})
    rule = MeasurementRule(target_id=1, source=Source.TICKETS, priority="P2", limit_minutes=Decimal(240),
                           pause_states=("awaiting customer",))
    clock = always(start, start + 86400)
    spent, paused, _ = ticket_clock.elapsed_seconds(tickets, events, clock, rule, until=start + 86400)
    assert (spent[0], paused[0]) == (3 * 3600, 2 * 3600)  # 5 h open, 2 h awaiting the customer
    result = ticket_clock.within(tickets, events, [], clock, start - 3600, start + 86400, rule, Decimal(90))
    assert result.achieved == Decimal("100.0000") and result.counts["paused_minutes"] == Decimal("120.00")


def test_tickets_outside_the_priority_or_the_period_do_not_count_and_open_ones_wait():
    start = at(2026, 3, 2, 9, 0)
    tickets = pd.DataFrame({
        "ticket_id": ["A", "B", "C", "D", "E"], "priority": ["P1", "P1", "P2", "P1", "P1"],
        "opened_at": [start, start, start, at(2026, 2, 27, 9), at(2026, 3, 31, 23)],
        "assigned_at": [NA] * 5, "responded_at": [NA] * 5, "closed_at": [NA] * 5,
        "resolved_at": [start + 3 * 3600, start + 5 * 3600, start + 3600, start, NA]})
    rule = MeasurementRule(target_id=1, source=Source.TICKETS, priority="P1", limit_minutes=Decimal(240))
    month = at(2026, 3, 1), at(2026, 4, 1)
    result = ticket_clock.within(tickets, None, [], always(*month), *month, rule, Decimal(90))
    # A met, B missed; C is P2, D was opened in February; E is open and still within its 4 hours.
    assert (result.counts["tickets"], result.counts["met"], result.achieved) == (2, 1, Decimal("50.0000"))
    assert result.exclusions[0].tickets == 1


def _samples(gap_from: int, gap_to: int) -> tuple[pd.DataFrame, tuple[int, int]]:
    start = at(2026, 3, 2, 0, 0)
    stamps = [start + 300 * i for i in range(12) if not gap_from <= i < gap_to]  # one hour of 5-minute intervals
    data = pd.DataFrame({"probe": "eu", "t": stamps, "requests": 100.0, "errors": 0.0, "ok": -1, "latency_ms": 300.0})
    data.loc[0, "errors"] = 6.0  # 6 % errors: above the 5 % limit
    return data, (start, start + 3600)


def test_a_sample_gap_follows_the_chosen_policy():
    data, (start, end) = _samples(4, 7)  # 3 intervals without data
    clock = always(start, end)
    expected = {MissingData.UNAVAILABLE: (8, 12),  # 8 good of 12
                MissingData.EXCLUDED: (8, 9),  # 8 good of 9 with data
                MissingData.IGNORED: (11, 12)}  # 11 good of 12
    for policy, value in expected.items():
        rule = MeasurementRule(target_id=1, source=Source.SAMPLES, missing_data=policy)
        result = availability.from_samples(data, [], clock, start, end, rule, Decimal("99.9"), metric="availability")
        assert exactly(result.achieved, *value), policy
        assert result.counts["intervals_missing"] == 3


def test_occurrence_budgeting_counts_requests_not_intervals():
    data, (start, end) = _samples(12, 12)
    from sltdesk.domain.measurement import Budgeting

    rule = MeasurementRule(target_id=1, source=Source.SAMPLES, budgeting=Budgeting.OCCURRENCE)
    result = availability.from_samples(data, [], always(start, end), start, end, rule, Decimal("99.9"),
                                       metric="availability")
    assert result.achieved == Decimal("99.5000")  # 1,194 good of 1,200 requests


def test_latency_share_and_the_period_percentile():
    data, (start, end) = _samples(12, 12)
    data.loc[:2, "latency_ms"] = 900.0
    share = MeasurementRule(target_id=1, source=Source.SAMPLES, limit_minutes=Decimal(800))
    result = availability.from_samples(data, [], always(start, end), start, end, share, Decimal(99),
                                       metric="latency percentile")
    assert result.achieved == Decimal("75.0000")  # 9 of 12 intervals at or under 800 ms
    value = availability.from_samples(data, [], always(start, end), start, end, share, Decimal(800),
                                      metric="latency percentile", unit="ms")
    assert value.achieved == Decimal("900.0")  # p95 of nine 300s and three 900s


def test_calibration_finds_what_each_source_saw_and_where_they_disagree():
    from sltdesk.rules.calibration import calibrate

    log = np.array([[0, 600], [1200, 1500]])  # the vendor logged 10 min and 5 min
    bad = np.array([[300, 600], [600, 900], [3000, 3300]])  # the probes saw 00:05-00:15 and 00:50-00:55
    found = calibrate(log, bad, 0, 3600)
    assert (found.outage_minutes, found.sample_minutes, found.both_minutes) == (15.0, 15.0, 5.0)
    assert found.only_in_outages == ((0, 300), (1200, 1500))
    assert found.only_in_samples == ((600, 900), (3000, 3300))
