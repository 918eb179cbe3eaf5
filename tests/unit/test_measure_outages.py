"""Availability from the vendor's outage log (sltdesk.rules.availability.from_outages), worked by hand.

Availability = (service minutes − excluded − downtime) / (service minutes − excluded). A day round the clock is
1,440 service minutes (86,400 s); the target's threshold sets the downtime budget: 99.5 % of a day allows
0.5 % × 86,400 s = 432 s = 7.20 min.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from sltdesk.domain.attainment import Exclusion
from sltdesk.domain.measurement import MeasurementRule, Source, Window
from sltdesk.domain.register import WEEKDAYS, ServiceCalendar
from sltdesk.rules import availability
from sltdesk.rules.calendars import ALWAYS, BusinessClock, hours_of
from tests.exact import exactly

D = Decimal
UTC = ZoneInfo("UTC")
LONDON = ZoneInfo("Europe/London")
DAY = 86_400
T = int(datetime(2026, 3, 2, tzinfo=UTC).timestamp())  # Monday 2 March 2026 00:00 UTC (and London: GMT)
WEIGHTED = MeasurementRule(target_id=1, source=Source.OUTAGES)
FLAT = MeasurementRule(target_id=1, source=Source.OUTAGES, weighted_by_impact=False)
COLUMNS = ["start", "end", "impact_percent", "planned", "downtime_minutes"]


def h(hours: float) -> int:
    """An instant `hours` after Monday 00:00."""
    return T + int(hours * 3600)


def outages(*spans: tuple[int, int, float]) -> pd.DataFrame:
    return pd.DataFrame({"start": [s for s, _, _ in spans], "end": [e for _, e, _ in spans],
                         "impact_percent": [i for _, _, i in spans], "planned": [False] * len(spans)})


def day(frame: pd.DataFrame, windows: list[Window] | None = None, *, rule: MeasurementRule = WEIGHTED,
        threshold: str = "99.5", start: int = T, end: int = T + DAY):
    clock = BusinessClock(ALWAYS, start - DAY, end + DAY)
    return availability.from_outages(frame, windows or [], clock, start, end, rule, D(threshold))


def counts(service_s: int, excluded_s: int, down_s: int | Decimal, n: int) -> dict:
    return {"service_minutes": availability.minutes(service_s), "excluded_minutes": availability.minutes(excluded_s),
            "downtime_minutes": availability.minutes(down_s), "outages": n, "service_seconds": service_s,
            "excluded_seconds": excluded_s, "downtime_seconds": down_s}


def test_a_day_without_outages_is_fully_available():
    result = day(outages())
    assert result.achieved == D(100)
    assert result.counts == counts(DAY, 0, 0, 0) and type(result.counts["downtime_seconds"]) is int
    assert result.budget == "7.20 min of downtime left before 99.5 % is missed"
    assert result.explanation == ("1440.00 agreed minutes (1440.00 in service hours less 0.00 excluded), "
                                  "0.00 minutes down weighted by impact")
    assert list(result.evidence.columns) == COLUMNS and len(result.evidence) == 0
    assert result.exclusions == []


def test_only_outages_that_overlap_the_period_are_read():
    frame = outages((h(-2), h(-1), 100.0),  # the night before
                    (h(-1), T, 100.0),  # ends as the day starts
                    (h(1), h(1.5), 100.0),  # 30 minutes inside
                    (T + DAY, T + DAY + 3600, 100.0))  # starts as the day ends
    result = day(frame)
    assert exactly(result.achieved, 1410, 1440)  # 1,440 − 30 minutes
    assert result.counts == counts(DAY, 0, 1800, 1)
    assert list(result.evidence.columns) == COLUMNS
    assert result.evidence[["start", "end"]].values.tolist() == [[h(1), h(1.5)]]
    assert result.evidence["downtime_minutes"].tolist() == [30.0]


def test_outages_across_the_edges_of_the_period_count_only_inside_it():
    frame = outages((h(-0.5), h(0.5), 100.0), (T + DAY - 600, T + DAY + 600, 100.0))  # 30 min and 10 min inside
    result = day(frame)
    assert result.counts == counts(DAY, 0, 2400, 2)
    assert exactly(result.achieved, 1400, 1440)
    assert result.evidence["downtime_minutes"].tolist() == [30.0, 10.0]
    # 432 s allowed − 2,400 s down = −1,968 s = −32.80 min
    assert result.budget == "-32.80 min of downtime left before 99.5 % is missed"


def test_downtime_is_weighted_by_impact_when_the_clause_says_so():
    result = day(outages((h(9), h(9) + 600, 50.0)))  # 10 minutes at half impact: 5 minutes down
    assert result.counts == counts(DAY, 0, 300, 1)
    assert exactly(result.achieved, DAY - 300, DAY)
    assert result.evidence["downtime_minutes"].tolist() == [5.0]
    assert result.budget == "2.20 min of downtime left before 99.5 % is missed"  # 432 s − 300 s = 132 s
    assert result.explanation == ("1440.00 agreed minutes (1440.00 in service hours less 0.00 excluded), "
                                  "5.00 minutes down weighted by impact")


def test_an_unweighted_clause_counts_every_outage_in_full():
    result = day(outages((h(9), h(9) + 600, 50.0)), rule=FLAT)
    assert result.counts == counts(DAY, 0, 600, 1)
    assert result.evidence["downtime_minutes"].tolist() == [10.0]
    assert result.budget == "-2.80 min of downtime left before 99.5 % is missed"  # 432 s − 600 s
    assert result.explanation == (
        "1440.00 agreed minutes (1440.00 in service hours less 0.00 excluded), 10.00 minutes down"
    )


def test_an_outage_without_an_impact_counts_in_full():
    blank = outages((h(9), h(9) + 600, float("nan")))
    assert day(blank).counts == counts(DAY, 0, 600, 1)
    no_column = blank.drop(columns=["impact_percent"])
    result = day(no_column)
    assert result.counts == counts(DAY, 0, 600, 1)
    assert list(result.evidence.columns) == ["start", "end", "planned", "downtime_minutes"]


def test_a_quarter_impact_over_a_fractional_second_keeps_the_exact_seconds():
    result = day(outages((h(9), h(9) + 6, 25.0)))  # 6 s at 25 % = 1.5 s
    assert result.counts["downtime_seconds"] == D("1.50") and result.counts["downtime_minutes"] == D("0.02")
    assert exactly(result.achieved, DAY * 100 - 150, DAY * 100)


def test_overlapping_outages_count_once_and_the_first_keeps_a_tie():
    # A 10:00-11:00 and B 10:30-11:30, both full impact: A holds its hour, B only 11:00-11:30.
    result = day(outages((h(10), h(11), 100.0), (h(10.5), h(11.5), 100.0)))
    assert result.counts == counts(DAY, 0, 5400, 2)
    assert result.evidence["downtime_minutes"].tolist() == [60.0, 30.0]


def test_an_outage_hidden_under_a_worse_one_is_not_counted_as_an_outage():
    # A 10:00-12:00 at 100 %, B 10:30-11:00 at 50 % lies wholly under it, C at 0 % impact takes nothing.
    result = day(outages((h(10), h(12), 100.0), (h(10.5), h(11), 50.0), (h(13), h(14), 0.0)))
    assert result.counts == counts(DAY, 0, 7200, 1)
    assert result.evidence["downtime_minutes"].tolist() == [120.0, 0.0, 0.0]


def test_a_one_second_outage_is_an_outage():
    result = day(outages((h(9), h(9) + 1, 100.0)))
    assert result.counts == counts(DAY, 0, 1, 1) and result.counts["downtime_minutes"] == D("0.02")


def test_downtime_inside_a_maintenance_window_is_not_downtime():
    window = Window(h(3), h(5), "maintenance", "CHG-1", "planned maintenance CHG-1")
    result = day(outages((h(2), h(4), 100.0)), [window])  # half the outage falls in the window
    assert result.counts == counts(DAY, 7200, 3600, 1)
    assert exactly(result.achieved, 1320 - 60, 1320)  # 1,440 − 120 excluded = 1,320 agreed
    assert result.exclusions == [Exclusion("planned maintenance CHG-1", "maintenance", D("120.00"), 0, "CHG-1")]
    assert result.explanation == ("1320.00 agreed minutes (1440.00 in service hours less 120.00 excluded), "
                                  "60.00 minutes down weighted by impact")
    # 0.5 % of 79,200 agreed seconds = 396 s allowed, 3,600 s used
    assert result.budget == "-53.40 min of downtime left before 99.5 % is missed"


def test_each_window_reports_the_time_it_alone_excluded():
    maintenance = Window(h(1), h(2), "maintenance", "CHG-1", "planned maintenance CHG-1")
    force = Window(h(5), h(5.5), "force-majeure", "FM-3", "approved force majeure FM-3")
    elsewhere = Window(h(30), h(31), "maintenance", "CHG-9", "planned maintenance CHG-9")  # the next day
    result = day(outages(), [maintenance, force, elsewhere])
    assert result.exclusions == [Exclusion("planned maintenance CHG-1", "maintenance", D("60.00"), 0, "CHG-1"),
                                 Exclusion("approved force majeure FM-3", "force-majeure", D("30.00"), 0, "FM-3")]
    assert result.counts == counts(DAY, 5400, 0, 0)


def test_overlapping_windows_share_the_time_first_come_first_served():
    a = Window(h(1), h(3), "maintenance", "CHG-1", "planned maintenance CHG-1")
    b = Window(h(2), h(4), "maintenance", "CHG-2", "planned maintenance CHG-2")
    c = Window(h(1.5), h(2), "force-majeure", "FM-3", "approved force majeure FM-3")  # wholly inside A
    result = day(outages(), [a, b, c])
    assert [(e.reference, e.minutes) for e in result.exclusions] == [("CHG-1", D("120.00")), ("CHG-2", D("60.00"))]
    assert result.counts["excluded_minutes"] == D("180.00")


def test_only_service_hours_count_towards_availability():
    office = ServiceCalendar(name="UK", timezone="Europe/London",
                             hours=tuple(zip(WEEKDAYS, ["08:00-18:00"] * 5 + ["", ""], strict=True)))
    week = T, T + 7 * DAY  # Monday to Monday: 5 × 10 h = 3,000 minutes
    clock = BusinessClock(hours_of(office), week[0] - DAY, week[1] + DAY)
    frame = outages((h(24 + 17), h(24 + 19), 100.0),  # Tuesday 17:00-19:00: one hour in service hours
                    (h(5 * 24 + 10), h(5 * 24 + 12), 100.0))  # Saturday: closed
    result = availability.from_outages(frame, [], clock, *week, WEIGHTED, D("99"))
    assert result.counts == counts(3000 * 60, 0, 3600, 1)
    assert result.achieved == D(98)  # 2,940 of 3,000 minutes
    assert result.evidence["downtime_minutes"].tolist() == [60.0, 0.0]
    assert result.budget == "-30.00 min of downtime left before 99 % is missed"  # 30 min allowed, 60 used


def test_the_evidence_is_a_fresh_table_of_the_outages_read():
    frame = outages((h(1), h(2), 100.0))
    frame.index = pd.Index([7])
    result = day(frame)
    assert list(result.evidence.columns) == COLUMNS and result.evidence.index.tolist() == [0]
    assert "downtime_minutes" not in frame.columns
    assert np.array_equal(result.evidence["start"].to_numpy(), [h(1)])
