"""The checks an import runs on a parsed frame of tickets, outages and maintenance windows: required values,
times after the export, times in the wrong order, impact outside 0–100 %. Times are UTC epoch seconds, a
missing time is the int64 minimum, and `source_row` is the sheet row (row 2 is the first under the header)."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pandas as pd

from sltdesk.domain.raw import RecordKind, Severity
from sltdesk.rules.data_quality import validate

NA = np.iinfo(np.int64).min
MARCH = 1772323200  # 2026-03-01 00:00 UTC
HOUR, MINUTE = 3600, 60
TEN = MARCH + 10 * HOUR  # 1 March 10:00
E = Severity.ERROR
TIMES = ("opened_at", "assigned_at", "responded_at", "resolved_at", "closed_at", "changed_at", "start", "end",
         "notified_at", "timestamp")


def frame(**columns) -> pd.DataFrame:
    """A parsed frame as the importer makes it: int64 times (None → missing), text as objects, numbers as floats."""
    rows = len(next(iter(columns.values())))
    data: dict = {"source_row": np.arange(2, rows + 2, dtype=np.int64)}
    for name, values in columns.items():
        data[name] = np.array([NA if v is None else v for v in values], dtype=np.int64) if name in TIMES else values
    return pd.DataFrame(data)


def test_empty_required_values_are_errors_named_after_the_field_and_optional_ones_are_not():
    tickets = frame(ticket_id=["T1", None, "T3"], priority=["P1", "P2", None], service=[None, None, "WAN"],
                    opened_at=[TEN, TEN + MINUTE, None], resolved_at=[None, None, None])
    assert validate(tickets, RecordKind.TICKETS) == [
        (1, E, "missing-value", "ticket_id", "Ticket id is required but empty"),
        (2, E, "missing-value", "priority", "Priority is required but empty"),
        (2, E, "missing-value", "opened_at", "Opened at is required but empty"),
    ]


def test_a_required_field_the_file_has_no_column_for_is_not_reported_row_by_row():
    tickets = frame(ticket_id=["T1", "T2"], opened_at=[TEN, None])
    assert validate(tickets, RecordKind.TICKETS) == [
        (1, E, "missing-value", "opened_at", "Opened at is required but empty")]


def test_reports_and_credit_notes_need_their_figures():
    report = frame(target_name=["SL1 Availability", "SL2 Response"], period=["2026-03", "2026-03"],
                   achieved=[99.97, None])
    assert validate(report, RecordKind.VENDOR_REPORT) == [
        (1, E, "missing-value", "achieved", "Achieved is required but empty")]
    notes = frame(amount=[Decimal("120.00"), None])
    assert validate(notes, RecordKind.CREDIT_NOTES) == [
        (1, E, "missing-value", "amount", "Amount is required but empty")]


def test_two_identical_credit_lines_without_a_document_or_line_number_are_both_kept():
    notes = frame(amount=[Decimal("120.00"), Decimal("120.00")], description=["SL1 credit", "SL1 credit"])
    assert validate(notes, RecordKind.CREDIT_NOTES) == []


def test_a_time_after_the_export_is_impossible_but_the_export_second_itself_is_not():
    exported = TEN + 8 * HOUR
    tickets = frame(ticket_id=["T1", "T2", "T3"], priority=["P2", "P2", "P2"],
                    opened_at=[exported - HOUR, exported, exported + MINUTE],
                    resolved_at=[exported + 1, None, None])
    assert validate(tickets, RecordKind.TICKETS, exported_at=exported) == [
        (2, E, "in-the-future", "opened_at", "opened at lies after the file was exported"),
        (0, E, "in-the-future", "resolved_at", "resolved at lies after the file was exported"),
    ]
    assert validate(tickets, RecordKind.TICKETS) == []  # no export time known: nothing can be in the future


def test_an_outage_ending_after_the_export_is_reported_on_its_end():
    exported = TEN + HOUR
    outages = frame(outage_id=["O1", "O2"], start=[TEN, TEN], end=[exported, exported + 1])
    assert validate(outages, RecordKind.OUTAGES, exported_at=exported) == [
        (1, E, "in-the-future", "end", "end lies after the file was exported")]


def test_ticket_times_out_of_order_are_each_reported_on_the_later_time():
    tickets = frame(
        ticket_id=["T1", "T2", "T3", "T4", "T5", "T6", "T7"], priority=["P2"] * 7,
        opened_at=[TEN, TEN, TEN, TEN, TEN, TEN, None],
        responded_at=[TEN + 30 * MINUTE, None, TEN - HOUR, None, None, TEN, None],
        resolved_at=[TEN + 2 * HOUR, TEN - 1, None, None, TEN + 2 * HOUR, TEN, TEN - HOUR],
        closed_at=[TEN + 3 * HOUR, None, None, TEN - HOUR, TEN + HOUR, TEN, None],
    )
    assert validate(tickets, RecordKind.TICKETS) == [
        (6, E, "missing-value", "opened_at", "Opened at is required but empty"),
        (1, E, "resolved-before-opened", "resolved_at", "resolved before it was opened"),
        (2, E, "responded-before-opened", "responded_at", "responded to before it was opened"),
        (3, E, "closed-before-opened", "closed_at", "closed before it was opened"),
        (4, E, "closed-before-resolved", "closed_at", "closed before it was resolved"),
    ]


def test_an_outage_that_ends_before_it_starts_or_claims_an_impact_outside_0_to_100_percent_is_refused():
    outages = frame(outage_id=["O1", "O2", "O3", "O4", "O5", "O6"], service=["WAN"] * 6,
                    start=[TEN] * 6, end=[TEN + HOUR, TEN - 1, TEN, TEN + HOUR, TEN + HOUR, TEN + HOUR],
                    impact_percent=[100.0, 50.0, 0.0, 100.5, -1.0, np.nan])
    assert validate(outages, RecordKind.OUTAGES) == [
        (1, E, "negative-duration", "end", "ends before it starts (negative duration)"),
        (3, E, "out-of-range", "impact_percent", "impact 100.5 % lies outside 0–100 %"),
        (4, E, "out-of-range", "impact_percent", "impact -1 % lies outside 0–100 %"),
    ]


def test_an_impact_just_inside_the_range_passes():
    outages = frame(outage_id=["O1", "O2"], start=[TEN, TEN], end=[TEN + HOUR, TEN + HOUR],
                    impact_percent=[0.5, 99.99])
    assert validate(outages, RecordKind.OUTAGES) == []


def test_an_outage_file_without_an_impact_column_is_checked_for_its_times_only():
    outages = frame(outage_id=["O1", "O2"], start=[TEN, TEN], end=[TEN - HOUR, None])
    assert validate(outages, RecordKind.OUTAGES) == [
        (1, E, "missing-value", "end", "End is required but empty"),
        (0, E, "negative-duration", "end", "ends before it starts (negative duration)"),
    ]


def test_a_maintenance_window_that_ends_before_it_starts_is_refused_and_a_zero_length_one_is_not():
    windows = frame(start=[TEN, TEN, TEN], end=[TEN - 1, TEN, None], reference=["CHG-1", "CHG-2", "CHG-3"],
                    notified_at=[TEN - 48 * HOUR] * 3)
    assert validate(windows, RecordKind.MAINTENANCE) == [
        (2, E, "missing-value", "end", "End is required but empty"),
        (0, E, "negative-duration", "end", "ends before it starts"),
    ]


def test_an_event_log_has_no_order_checks_of_its_own_and_repeats_ticket_ids_by_nature():
    events = frame(ticket_id=["T1", "T1", "T1"], state=["New", "Resolved", "Resolved"],
                   changed_at=[TEN, TEN - HOUR, TEN - HOUR])
    assert validate(events, RecordKind.TICKET_EVENTS) == []


def test_issues_come_in_order_missing_then_future_then_order_then_period():
    april = 1775001600  # 2026-04-01 00:00 UTC
    exported = april + HOUR
    tickets = frame(ticket_id=["T1", "T2", "T3"], priority=["P1", None, "P3"],
                    opened_at=[TEN, april + 2 * HOUR, TEN], resolved_at=[TEN - HOUR, None, None])
    assert validate(tickets, RecordKind.TICKETS, exported_at=exported, period=(MARCH, april, "2026-03")) == [
        (1, E, "missing-value", "priority", "Priority is required but empty"),
        (1, E, "in-the-future", "opened_at", "opened at lies after the file was exported"),
        (0, E, "resolved-before-opened", "resolved_at", "resolved before it was opened"),
        (1, E, "outside-period", "opened_at", "outside the chosen period 2026-03"),
    ]
