"""Approved false positives count as good (sltdesk.rules.false_positives), worked by hand at their boundaries.

A flagged outage is time up, but unlike maintenance its time stays in the agreed minutes; a flagged span turns
the bad intervals whose middle lies in it good; a flagged ticket is met.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from sltdesk.domain.measurement import ExceptionStatus, FalsePositive, FlagSubject, MeasurementRule, Source
from sltdesk.rules import availability, ticket_clock
from sltdesk.rules.calendars import ALWAYS, BusinessClock
from sltdesk.rules.ticket_clock import NA_TIME
from tests.exact import exactly

D = Decimal
T = int(datetime(2026, 3, 2, tzinfo=ZoneInfo("UTC")).timestamp())  # Monday 2 March 2026 00:00 UTC, on the grid
DAY = 86_400
OUTAGES = MeasurementRule(target_id=1, source=Source.OUTAGES)
SAMPLES = MeasurementRule(target_id=1, source=Source.SAMPLES)


def flag(subject: FlagSubject, *, reference: str = "", start: int = 0, end: int = 0, number: int = 7,
         probe: str = "") -> FalsePositive:
    return FalsePositive(contract_id=1, subject=subject, reason="probe blocked by a firewall change",
                         requested_by="alice", requested_at="2026-03-03T09:00:00Z", reference=reference,
                         start=start, end=end, probe=probe, status=ExceptionStatus.APPROVED, decided_by="bob",
                         id=number)


def outages(*rows: tuple[int, int, float, int]) -> pd.DataFrame:
    """(start, end, impact %, stored record number) rows."""
    return pd.DataFrame({"start": [r[0] for r in rows], "end": [r[1] for r in rows],
                         "impact_percent": [r[2] for r in rows], "planned": [False] * len(rows),
                         "record_id": [r[3] for r in rows]})


def day(frame: pd.DataFrame, flags=()):
    clock = BusinessClock(ALWAYS, T - DAY, T + 2 * DAY)
    return availability.from_outages(frame, [], clock, T, T + DAY, OUTAGES, D("99.5"), flags=flags)


def test_a_flagged_outage_is_time_up_and_its_time_stays_in_the_agreed_minutes():
    """One hour down of a day, flagged by its record number: 1440 agreed minutes (not 1380), none down, 100 %."""
    frame = outages((T + 3600, T + 7200, 100, 12))
    assert exactly(day(frame).achieved, 1380, 1440)
    result = day(frame, [flag(FlagSubject.OUTAGE, reference="12", start=T + 3600, end=T + 7200)])
    assert result.achieved == D(100)
    assert result.counts["service_seconds"] == DAY and result.counts["excluded_seconds"] == 0
    assert result.counts["downtime_seconds"] == 0 and result.counts["outages"] == 0
    [named] = result.exclusions
    assert (named.kind, named.reference, named.minutes) == ("false-positive", "FP-7", D("60.00"))
    assert "probe blocked by a firewall change" in named.reason and "approved by bob" in named.reason
    assert result.explanation.endswith("; false positive counted as up: FP-7")
    assert list(result.evidence["false_positive"]) == ["FP-7"]


def test_a_flag_on_another_record_changes_nothing():
    frame = outages((T + 3600, T + 7200, 100, 12))
    result = day(frame, [flag(FlagSubject.OUTAGE, reference="13")])
    assert exactly(result.achieved, 1380, 1440) and result.exclusions == []


def test_under_a_flagged_outage_a_lower_impact_real_outage_still_counts():
    """A flagged 100 % outage over 01:00–02:00 hides a real 50 % one over the same hour: 30 minutes down."""
    frame = outages((T + 3600, T + 7200, 100, 12), (T + 3600, T + 7200, 50, 13))
    result = day(frame, [flag(FlagSubject.OUTAGE, reference="12")])
    assert exactly(result.achieved, 1410, 1440) and result.counts["downtime_seconds"] == 1800


def test_a_span_exactly_covering_an_outage_turns_all_of_it_up_and_half_a_span_half_of_it():
    frame = outages((T + 3600, T + 7200, 100, 12))
    exact = day(frame, [flag(FlagSubject.SPAN, start=T + 3600, end=T + 7200)])
    assert exact.achieved == D(100) and exact.exclusions[0].minutes == D("60.00")
    half = day(frame, [flag(FlagSubject.SPAN, start=T + 5400, end=T + 9000)])
    assert exactly(half.achieved, 1410, 1440) and half.exclusions[0].minutes == D("30.00")
    assert half.counts["service_seconds"] == DAY  # the span is not taken out of the measured time


def test_a_span_outside_the_period_is_not_named():
    frame = outages((T + 3600, T + 7200, 100, 12))
    result = day(frame, [flag(FlagSubject.SPAN, start=T - 7200, end=T)])
    assert exactly(result.achieved, 1380, 1440) and result.exclusions == []


def samples(bad: tuple[int, ...], *, probe: str = "eu") -> pd.DataFrame:
    """Twelve 5-minute intervals from T, 100 requests each; the `bad` ones with 20 errors."""
    return pd.DataFrame({"probe": probe, "t": [T + 300 * i for i in range(12)], "requests": 100.0,
                         "errors": [20.0 if i in bad else 0.0 for i in range(12)], "latency_ms": 300.0})


def hour(data: pd.DataFrame, flags=(), *, metric: str = "availability", rule: MeasurementRule = SAMPLES):
    clock = BusinessClock(ALWAYS, T - DAY, T + DAY)
    return availability.from_samples(data, [], clock, T, T + 3600, rule, D(75), metric=metric, flags=flags)


def test_a_span_exactly_covering_a_bad_interval_turns_that_one_good_and_no_neighbour():
    data = samples((3, 4))
    assert exactly(hour(data).achieved, 10, 12)
    result = hour(data, [flag(FlagSubject.SPAN, start=T + 900, end=T + 1200)])  # exactly interval 3
    assert exactly(result.achieved, 11, 12) and result.counts["intervals_bad"] == 1
    assert result.counts["intervals_counted"] == 12 and result.counts["intervals_excluded"] == 0
    assert [(e.kind, e.reference, e.minutes) for e in result.exclusions] == [("false-positive", "FP-7", D("5.00"))]
    assert "false positive counted as good: FP-7" in result.explanation


def test_a_span_touching_a_bad_interval_or_covering_less_than_its_middle_leaves_it_bad():
    data = samples((3,))
    touching = hour(data, [flag(FlagSubject.SPAN, start=T + 600, end=T + 900)])  # ends where interval 3 begins
    short = hour(data, [flag(FlagSubject.SPAN, start=T + 900, end=T + 1050)])  # stops at its middle
    assert touching.counts["intervals_bad"] == short.counts["intervals_bad"] == 1
    assert touching.exclusions[0].minutes == D(0)  # named (it is in the period), but turned nothing good


def test_a_flagged_outage_turns_the_probe_intervals_in_its_span_good_unless_it_names_another_probe():
    data = samples((3,))
    outage = flag(FlagSubject.OUTAGE, reference="12", start=T + 900, end=T + 1200, probe="eu")
    assert hour(data, [outage]).counts["intervals_bad"] == 0
    other = flag(FlagSubject.OUTAGE, reference="12", start=T + 900, end=T + 1200, probe="us")
    assert hour(data, [other], rule=MeasurementRule(target_id=1, source=Source.SAMPLES,
                                                    probe="eu")).counts["intervals_bad"] == 1


def test_a_flagged_interval_has_no_errors_for_the_error_rate():
    data = samples((3,))
    assert hour(data, metric="error rate").counts["errors"] == 20
    flagged = hour(data, [flag(FlagSubject.SPAN, start=T + 900, end=T + 1200)], metric="error rate")
    assert flagged.counts["errors"] == 0 and flagged.achieved == D(0)


def test_a_flagged_ticket_counts_as_met_even_when_still_open():
    """A met in 30 min; B took 100 min (missed, flagged); C is open and 120 min old (missed, flagged)."""
    columns = ["ticket_id", "priority", "service", "opened_at", "assigned_at", "responded_at", "resolved_at",
               "closed_at"]
    start, end = T, T + DAY
    rows = [("A", "P1", "desk", start, NA_TIME, NA_TIME, start + 1800, NA_TIME),
            ("B", "P1", "desk", start + 3600, NA_TIME, NA_TIME, start + 3600 + 6000, NA_TIME),
            ("C", "P1", "desk", end - 7200, NA_TIME, NA_TIME, NA_TIME, NA_TIME)]
    tickets = pd.DataFrame(rows, columns=columns).astype({c: np.int64 for c in columns[3:]})
    rule = MeasurementRule(target_id=1, source=Source.TICKETS, limit_minutes=D(60))
    clock = BusinessClock(ALWAYS, start - DAY, end + DAY)
    plain = ticket_clock.within(tickets, None, [], clock, start, end, rule, D(90))
    assert exactly(plain.achieved, 1, 3)
    flags = [flag(FlagSubject.TICKET, reference="B", number=1), flag(FlagSubject.TICKET, reference="C", number=2)]
    result = ticket_clock.within(tickets, None, [], clock, start, end, rule, D(90), flags=flags)
    assert result.achieved == D(100)
    assert result.counts == {"tickets": 3, "met": 3, "missed": 0, "excluded": 0, "paused_minutes": D("0.00")}
    assert [(e.kind, e.tickets, e.reference) for e in result.exclusions] == [("false-positive", 1, "FP-1"),
                                                                            ("false-positive", 1, "FP-2")]
    assert result.explanation.endswith("; false positives counted as met: FP-1, FP-2")
