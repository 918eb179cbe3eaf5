"""The Verification grid's rules: a cell's state, the vendor's rounding, the months with data, the default range,
and the evidence rows behind a figure (flags and texts)."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from sltdesk.domain.attainment import AttainmentResult
from sltdesk.domain.register import Comparison, MetricKind
from sltdesk.rules.cell_states import CellState, cell_state, vendor_differs
from sltdesk.rules.data_months import default_periods, months_with_data, trimmed
from sltdesk.rules.evidence_tables import cell_text, evidence_table

MARCH_2026 = int(datetime(2026, 3, 1, tzinfo=UTC).timestamp())
APRIL_2026 = int(datetime(2026, 4, 1, tzinfo=UTC).timestamp())


def _result(achieved: str | None, threshold: str, reported: str | None = None, comparison=Comparison.AT_LEAST,
            **extra) -> AttainmentResult:
    value = Decimal(achieved) if achieved is not None else None
    met = comparison.holds(value, Decimal(threshold)) if value is not None else None
    return AttainmentResult(1, "NW-1", 1, "T", MetricKind.AVAILABILITY, "2026-03", Decimal(threshold), comparison,
                            "%", value, met, reported=Decimal(reported) if reported else None, **extra)


# --- a cell's state ----------------------------------------------------------------------------------------------
def test_amber_means_under_a_quarter_of_the_error_budget_left_and_a_vendor_difference_is_not_amber():
    assert cell_state(_result("99.9624", "99.95")) is CellState.AMBER  # budget 0.05 points, 0.0124 left: < 25 %
    assert cell_state(_result("99.9625", "99.95")) is CellState.MET  # exactly a quarter left
    assert cell_state(_result("0.38", "0.5", comparison=Comparison.AT_MOST)) is CellState.AMBER  # 0.12 of 0.5
    assert cell_state(_result("0.37", "0.5", comparison=Comparison.AT_MOST)) is CellState.MET  # 0.13 of 0.5
    assert cell_state(_result("99.99", "99.9", "99.5")) is CellState.MET  # the vendor differs: a marker, not amber
    assert cell_state(_result("99.89", "99.9")) is CellState.MISSED


def test_each_status_has_its_cell_state():
    assert cell_state(_result("99.89", "99.9")) is CellState.MISSED
    assert cell_state(_result("99.91", "99.9")) is CellState.AMBER  # 0.01 of a 0.1 budget left
    assert cell_state(_result("99.99", "99.9", warnings=("worse three times in a row",))) is CellState.AMBER
    assert cell_state(_result("99.99", "99.9")) is CellState.MET  # 0.09 of 0.1 left, no warning
    assert cell_state(_result(None, "99.9")) is CellState.NO_DATA  # nothing to compute from
    assert cell_state(_result("99.99", "99.9", completeness="incomplete")) is CellState.NO_DATA  # no verdict yet
    assert cell_state(_result("99.99", "99.9", completeness="in progress")) is CellState.NO_DATA


def test_the_vendors_figure_is_ours_when_it_is_ours_rounded_as_the_vendor_rounds():
    assert not vendor_differs(_result("99.9677", "99.9", "99.97"))  # ours, rounded half-up to their 2 places
    assert vendor_differs(_result("99.9677", "99.9", "99.96"))  # truncated is not how they round
    assert not vendor_differs(_result("99.965", "99.9", "99.97"))  # half-up at the edge
    assert vendor_differs(_result("99.6976", "99.9", "99.74"))
    assert not vendor_differs(_result("99.6976", "99.9"))  # the vendor reported nothing
    assert not vendor_differs(_result(None, "99.9", "99.74"))  # we have no figure


# --- the months with data, and the default range ----------------------------------------------------------------
def test_an_edge_month_under_two_percent_of_the_busiest_is_trimmed_and_at_two_percent_is_kept():
    months = ["2026-02", "2026-03", "2026-04"]
    assert trimmed(months, Counter({"2026-02": 2, "2026-03": 100, "2026-04": 2})) == months  # exactly 2 %
    assert trimmed(months, Counter({"2026-02": 1, "2026-03": 100, "2026-04": 1})) == ["2026-03"]  # under
    assert trimmed(months, Counter({"2026-02": 3, "2026-03": 100, "2026-04": 3})) == months  # over
    assert trimmed(["2026-02", "2026-03", "2026-04"], Counter({"2026-02": 100, "2026-03": 1, "2026-04": 100})) \
        == ["2026-02", "2026-03", "2026-04"]  # only the edges are trimmed
    assert trimmed([], Counter()) == []


def _quarters(start: int, count: int) -> np.ndarray:
    return start + 900 * np.arange(count, dtype=np.int64)


def test_months_with_data_count_quarter_hours_in_the_contracts_zone():
    march = _quarters(MARCH_2026, 100)  # 100 quarter-hours of tickets on 1 March
    assert months_with_data([march, _quarters(APRIL_2026, 2)], "UTC") == ["2026-03", "2026-04"]  # 2 of 100
    assert months_with_data([march, _quarters(APRIL_2026, 1)], "UTC") == ["2026-03"]  # 1 of 100: a sliver
    # 22:00 UTC on 31 March is 1 April in Berlin (summer time): a UTC export's last two hours fall into April
    end_of_march = _quarters(APRIL_2026 - 900 * 1000, 1000)
    assert months_with_data([end_of_march], "UTC") == ["2026-03"]
    assert months_with_data([end_of_march], "Europe/Berlin") == ["2026-03"]  # 8 of 992 in April: a sliver
    shorter = _quarters(APRIL_2026 - 900 * 200, 200)
    assert months_with_data([shorter], "Europe/Berlin") == ["2026-03", "2026-04"]  # 8 of 192: over 2 %
    assert months_with_data([march, march], "UTC") == ["2026-03"]  # the same quarter-hour counts once


def test_a_month_the_vendor_reported_counts_as_a_month_with_data():
    march = _quarters(MARCH_2026, 100)
    reported = pd.Series(["2026-05", None, "2026-Q2", "2026"])
    assert months_with_data([march, np.array([0, -5])], "UTC", reported) == ["2026-03", "2026-05"]
    assert months_with_data([np.empty(0, np.int64)], "UTC", ["2026-01"]) == ["2026-01"]


def test_the_default_range_is_every_month_with_data_up_to_18_else_the_last_12():
    eighteen = [f"{2025 + (m + 4) // 12}-{(m + 4) % 12 + 1:02d}" for m in range(18)]  # 2025-05 … 2026-10
    today = date(2026, 11, 5)
    assert default_periods(eighteen, today=today) == eighteen
    nineteen = ["2025-04", *eighteen]
    assert default_periods(nineteen, today=today) == eighteen[-12:]
    assert default_periods(["2025-05", "2026-10"], today=today) == eighteen  # the span between, gaps filled
    assert default_periods([], today=datetime(2026, 1, 15, tzinfo=UTC)) == [
        "2025-01", "2025-02", "2025-03", "2025-04", "2025-05", "2025-06", "2025-07", "2025-08", "2025-09",
        "2025-10", "2025-11", "2025-12"]  # no data: the 12 months up to the last full one
    assert default_periods([], today=date(2026, 3, 31))[-1] == "2026-02"


# --- the evidence behind a figure -------------------------------------------------------------------------------
def test_a_missed_ticket_is_flagged_and_one_a_force_majeure_took_out_is_not():
    frame = pd.DataFrame({
        "ticket_id": ["A", "B", "C"], "priority": ["P1", "P1", None],
        "opened_at": [MARCH_2026, MARCH_2026 + 3600, MARCH_2026 + 7200],
        "elapsed_minutes": [10.0, 60.04, 61.0], "paused_minutes": [0.0, 0.0, 1.25],
        "judged": [True, True, True], "met": [True, False, False],
        "excluded_by": [None, None, "approved force majeure FM-1: Flood"],
        "service": ["Mail", "Mail", "Mail"], "status": ["closed"] * 3, "source_row": [2, 3, 4]})
    table = evidence_table(frame, ZoneInfo("Europe/Berlin"))
    headers = [h for h, _ in table.headers]
    assert headers == ["Ticket", "Priority", "Opened", "Clock min", "Paused min", "Result", "Service", "Status",
                       "Source row"]  # no column for times nobody recorded
    assert [r.flagged for r in table.rows] == [False, True, False]
    assert table.flagged == 1 and table.flag_name == "missed tickets"
    assert [r.values[5] for r in table.rows] == ["met", "missed", "excluded — approved force majeure FM-1: Flood"]
    b = table.rows[1]
    assert b.values[2] == datetime(2026, 3, 1, 2, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    assert [table.text(b, i) for i in (2, 3, 4, 8)] == ["2026-03-01 02:00", "60", "0", "3"]
    assert table.text(table.rows[2], 4) == "1.2"  # rounded to one decimal: 1.25 → 1.2 (banker's)
    assert table.text(table.rows[2], 1) == ""


def test_a_bad_interval_is_flagged_unless_excluded_and_numbers_read_with_separators():
    frame = pd.DataFrame({"t": [MARCH_2026, MARCH_2026 + 300, MARCH_2026 + 600],
                          "requests": [12000.0, 0.0, 50.0], "errors": [30.0, 0.0, 50.0],
                          "latency": [120.0, np.nan, 900.0], "bad": [True, True, True],
                          "missing": [False, True, False], "excluded": [False, False, True]})
    table = evidence_table(frame, ZoneInfo("UTC"))
    assert [r.values[5] for r in table.rows] == ["bad", "no data (unavailable)", "excluded"]
    assert [r.flagged for r in table.rows] == [True, True, False]
    assert [table.text(table.rows[0], i) for i in range(5)] == ["2026-03-01 00:00", "12,000", "30", "0.25", "120"]
    assert table.text(table.rows[1], 3) == ""  # no requests: no error rate


def test_cell_texts():
    assert cell_text("number", 1234.5) == "1,234.5"
    assert cell_text("number", 2.0) == "2"
    assert cell_text("int", 1234567.0) == "1,234,567"
    assert cell_text("text", 7) == "7"
    assert cell_text("time", None) == ""
