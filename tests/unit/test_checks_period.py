"""Records outside the period chosen for an import are refused: tickets opened outside it (an event log's
updates go with their ticket), outages and maintenance windows that do not overlap it, samples taken outside it.
The period runs from its start (included) to its end (excluded)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sltdesk.domain.raw import RecordKind, Severity
from sltdesk.rules.data_quality import validate

NA = np.iinfo(np.int64).min
MARCH, APRIL = 1772323200, 1775001600  # 2026-03-01 and 2026-04-01 00:00 UTC
PERIOD = (MARCH, APRIL, "2026-03")
HOUR = 3600
E = Severity.ERROR
OUTSIDE = "outside the chosen period 2026-03"
TIMES = ("opened_at", "changed_at", "start", "end", "timestamp")


def frame(**columns) -> pd.DataFrame:
    rows = len(next(iter(columns.values())))
    data: dict = {"source_row": np.arange(2, rows + 2, dtype=np.int64)}
    for name, values in columns.items():
        data[name] = np.array([NA if v is None else v for v in values], dtype=np.int64) if name in TIMES else values
    return pd.DataFrame(data)


def test_tickets_opened_from_the_first_second_to_the_last_second_of_the_period_belong_to_it():
    tickets = frame(ticket_id=["T1", "T2", "T3", "T4", "T5"], priority=["P2"] * 5,
                    opened_at=[MARCH - 1, MARCH, APRIL - 1, APRIL, None])
    assert validate(tickets, RecordKind.TICKETS, period=PERIOD) == [
        (4, E, "missing-value", "opened_at", "Opened at is required but empty"),
        (0, E, "outside-period", "opened_at", OUTSIDE),
        (3, E, "outside-period", "opened_at", OUTSIDE),
    ]


def test_a_ticket_id_used_twice_is_judged_row_by_row_for_the_period():
    tickets = frame(ticket_id=["T1", "T1"], priority=["P2", "P3"], opened_at=[MARCH - 10, MARCH + 10])
    assert [i for i in validate(tickets, RecordKind.TICKETS, period=PERIOD) if i[2] == "outside-period"] == [
        (0, E, "outside-period", "opened_at", OUTSIDE)]


def test_an_outage_counts_when_it_overlaps_the_period_by_a_second():
    outages = frame(outage_id=[f"O{i}" for i in range(1, 8)], service=["WAN"] * 7,
                    start=[MARCH - 2 * HOUR, MARCH - HOUR, MARCH - HOUR, APRIL - 1, APRIL, MARCH - 1, MARCH],
                    end=[MARCH - HOUR, MARCH, MARCH + 1, APRIL + HOUR, APRIL + 60, None, None])
    assert validate(outages, RecordKind.OUTAGES, period=PERIOD) == [
        (5, E, "missing-value", "end", "End is required but empty"),
        (6, E, "missing-value", "end", "End is required but empty"),
        (0, E, "outside-period", "start", OUTSIDE),
        (1, E, "outside-period", "start", OUTSIDE),
        (4, E, "outside-period", "start", OUTSIDE),
        (5, E, "outside-period", "start", OUTSIDE),  # no end: judged by its start alone, like a ticket
    ]


def test_a_maintenance_window_ending_as_the_period_starts_is_outside_it():
    windows = frame(reference=["CHG-1", "CHG-2", "CHG-3"], start=[MARCH - HOUR, MARCH - HOUR, APRIL],
                    end=[MARCH, MARCH + 1, APRIL + HOUR])
    assert validate(windows, RecordKind.MAINTENANCE, period=PERIOD) == [
        (0, E, "outside-period", "start", OUTSIDE),
        (2, E, "outside-period", "start", OUTSIDE),
    ]


def test_samples_before_the_period_starts_are_refused():
    early = frame(timestamp=[MARCH - 600, MARCH - 300, MARCH, MARCH + 300], requests=[1.0] * 4)
    assert validate(early, RecordKind.SAMPLES, period=PERIOD) == [
        (0, E, "outside-period", "timestamp", OUTSIDE),
        (1, E, "outside-period", "timestamp", OUTSIDE),
    ]


def test_samples_from_the_period_end_on_are_refused():
    late = frame(timestamp=[APRIL - 600, APRIL - 300, APRIL, APRIL + 300], requests=[1.0] * 4)
    assert validate(late, RecordKind.SAMPLES, period=PERIOD) == [
        (2, E, "outside-period", "timestamp", OUTSIDE),
        (3, E, "outside-period", "timestamp", OUTSIDE),
    ]


def test_an_event_log_keeps_every_update_of_a_ticket_opened_in_the_period():
    events = frame(ticket_id=["T1", "T1", "T2", "T2", "T3", "T3", "T4"],
                   state=["New", "Resolved", "New", "Closed", "New", "Resolved", "New"],
                   changed_at=[MARCH + HOUR, APRIL + HOUR, MARCH - HOUR, MARCH + 60, None, MARCH + 2 * HOUR, None])
    # T1 opened in March and resolved in April: both kept; T2 opened in February: both refused;
    # T3's first update has no time, so its next one dates it; T4 has no time at all
    assert validate(events, RecordKind.TICKET_EVENTS, period=PERIOD) == [
        (4, E, "missing-value", "changed_at", "Changed at is required but empty"),
        (6, E, "missing-value", "changed_at", "Changed at is required but empty"),
        (2, E, "outside-period", "changed_at", OUTSIDE),
        (3, E, "outside-period", "changed_at", OUTSIDE),
    ]


def test_an_event_log_ticket_first_seen_in_april_is_refused_with_its_later_updates():
    events = frame(ticket_id=["T8", "T8"], state=["New", "Closed"], changed_at=[APRIL, APRIL + HOUR])
    assert validate(events, RecordKind.TICKET_EVENTS, period=PERIOD) == [
        (0, E, "outside-period", "changed_at", OUTSIDE),
        (1, E, "outside-period", "changed_at", OUTSIDE),
    ]


def test_vendor_reports_and_credit_notes_are_not_checked_against_the_period():
    report = frame(target_name=["SL1"], period=["2026-02"], achieved=[99.9])
    assert validate(report, RecordKind.VENDOR_REPORT, period=PERIOD) == []
