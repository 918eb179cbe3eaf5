"""Duplicate rows in an import: an exact copy of an earlier row is skipped with a warning; the same natural key
with other content is an error naming the row that has the key first."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sltdesk.domain.raw import RecordKind, Severity
from sltdesk.rules.data_quality import validate

NA = np.iinfo(np.int64).min
MARCH = 1772323200  # 2026-03-01 00:00 UTC
HOUR, MINUTE = 3600, 60
TEN = MARCH + 10 * HOUR
E, W = Severity.ERROR, Severity.WARNING
TIMES = ("opened_at", "resolved_at", "changed_at", "start", "end", "timestamp")


def frame(**columns) -> pd.DataFrame:
    rows = len(next(iter(columns.values())))
    data: dict = {"source_row": np.arange(2, rows + 2, dtype=np.int64)}
    for name, values in columns.items():
        data[name] = np.array([NA if v is None else v for v in values], dtype=np.int64) if name in TIMES else values
    return pd.DataFrame(data)


def duplicates(issues):
    return [i for i in issues if i[2].startswith("duplicate")]


def test_an_exact_copy_is_skipped_and_a_reused_ticket_id_is_an_error_pointing_at_the_first_row():
    tickets = frame(ticket_id=["T1", "T2", "T1", "T1", "T3", "T2"], priority=["P1", "P2", "P1", "P3", "P1", "P4"],
                    opened_at=[TEN, TEN + MINUTE, TEN, TEN, TEN + 2 * MINUTE, TEN + MINUTE])
    assert validate(tickets, RecordKind.TICKETS) == [
        (2, W, "duplicate-row", "ticket_id", "an exact copy of row 2: skipped"),
        (3, E, "duplicate-key", "ticket_id", "ticket id T1 also stands in row 2 with other values"),
        (5, E, "duplicate-key", "ticket_id", "ticket id T2 also stands in row 3 with other values"),
    ]


def test_a_file_of_exactly_two_identical_rows_keeps_the_first():
    tickets = frame(ticket_id=["T9", "T9"], priority=["P2", "P2"], opened_at=[TEN, TEN])
    assert validate(tickets, RecordKind.TICKETS) == [
        (1, W, "duplicate-row", "ticket_id", "an exact copy of row 2: skipped")]
    assert validate(tickets.head(1), RecordKind.TICKETS) == []


def test_a_third_copy_also_points_at_the_first_row():
    tickets = frame(ticket_id=["T1", "T1", "T1"], priority=["P2", "P2", "P3"], opened_at=[TEN, TEN, TEN])
    assert validate(tickets, RecordKind.TICKETS) == [
        (1, W, "duplicate-row", "ticket_id", "an exact copy of row 2: skipped"),
        (2, E, "duplicate-key", "ticket_id", "ticket id T1 also stands in row 2 with other values"),
    ]


def test_an_outage_key_leaves_out_an_id_column_the_file_leaves_empty():
    # outage_id is empty throughout, so service + start is the key; rows 5 and 6 have no service at all
    # (the sentence then shows the empty service as 'nan')
    for service in (["WAN", "WAN", "LAN", None, None],
                    pd.Categorical(["WAN", "WAN", "LAN", None, None], categories=["LAN", "WAN"])):
        outages = frame(outage_id=[None] * 5, service=service, start=[TEN, TEN, TEN, TEN + HOUR, TEN + HOUR],
                        end=[TEN + 600, TEN + 1200, TEN + 600, TEN + 2 * HOUR, TEN + 3 * HOUR])
        assert validate(outages, RecordKind.OUTAGES) == [
            (1, E, "duplicate-key", "service", "service + start WAN also stands in row 2 with other values"),
            (4, E, "duplicate-key", "service", "service + start nan also stands in row 5 with other values"),
        ]


def test_outages_with_their_own_ids_are_told_apart_by_id():
    outages = frame(outage_id=["O1", "O2"], service=["WAN", "WAN"], start=[TEN, TEN], end=[TEN + 60, TEN + 120])
    assert validate(outages, RecordKind.OUTAGES) == []


def test_samples_repeated_for_a_probe_are_found_whether_or_not_the_repeat_follows_its_original():
    probes = pd.Categorical(["A", "A", "A", "B", "B", "B"], categories=["A", "B"])
    samples = frame(probe=probes, timestamp=[TEN, TEN + 300, TEN + 300, TEN, TEN + 300, TEN + 300],
                    requests=[10.0, 12.0, 12.0, 5.0, 5.0, 6.0], errors=[0.0, 0.0, 0.0, 0.0, 1.0, 1.0])
    repeat = "time repeats the time of row {}: the probe's clock was wrong before this row"
    assert validate(samples, RecordKind.SAMPLES) == [
        (2, W, "duplicate-row", "probe", "an exact copy of row 3: skipped"),
        (5, E, "duplicate-key", "probe", "probe + timestamp B also stands in row 6 with other values"),
        (2, W, "series-backwards", "timestamp", "probe A: " + repeat.format(3)),
        (5, W, "series-backwards", "timestamp", "probe B: " + repeat.format(6)),
    ]


def test_a_probe_that_comes_back_later_in_the_file_is_checked_against_its_earlier_rows():
    probes = pd.Categorical(["A", "A", "B", "B", "A"], categories=["A", "B"])
    samples = frame(probe=probes, timestamp=[TEN, TEN + 300, TEN, TEN + 300, TEN + 300],
                    requests=[10.0, 12.0, 5.0, 5.0, 13.0])
    assert duplicates(validate(samples, RecordKind.SAMPLES)) == [
        (4, E, "duplicate-key", "probe", "probe + timestamp A also stands in row 3 with other values")]


def test_samples_in_file_order_with_no_repeat_have_no_duplicates():
    probes = pd.Categorical(["A", "A", "B", "B"], categories=["A", "B"])
    samples = frame(probe=probes, timestamp=[TEN, TEN + 300, TEN, TEN + 300], requests=[1.0, 1.0, 1.0, 1.0])
    assert validate(samples, RecordKind.SAMPLES) == []


def test_samples_of_one_probe_are_keyed_by_time_alone_when_no_probe_is_named():
    samples = frame(probe=[None] * 4, timestamp=[TEN, TEN + 300, TEN + 600, TEN + 300],
                    requests=[1.0, 2.0, 3.0, 4.0])
    assert duplicates(validate(samples, RecordKind.SAMPLES)) == [
        (3, E, "duplicate-key", "timestamp", f"timestamp {TEN + 300} also stands in row 3 with other values")]


def test_maintenance_windows_with_the_same_reference_and_start_are_one_window():
    windows = frame(reference=["CHG-7", "CHG-7", "CHG-8"], start=[TEN, TEN, TEN], end=[TEN + HOUR, TEN + 2 * HOUR,
                                                                                   TEN + HOUR])
    assert validate(windows, RecordKind.MAINTENANCE) == [
        (1, E, "duplicate-key", "reference", "reference + start CHG-7 also stands in row 2 with other values")]


def test_a_vendor_report_repeating_a_target_and_period_with_another_figure_is_an_error():
    report = frame(target_name=["SL1", "SL1", "SL1"], period=["2026-02", "2026-03", "2026-03"],
                   achieved=[99.9, 99.95, 99.5])
    assert validate(report, RecordKind.VENDOR_REPORT) == [
        (2, E, "duplicate-key", "target_name", "target name + period SL1 also stands in row 3 with other values")]


def test_a_sample_without_a_time_does_not_hide_a_repeated_time():
    times = dict(timestamp=[TEN, None, TEN + 300, TEN + 300], requests=[1.0, 2.0, 3.0, 4.0])
    missing = (1, E, "missing-value", "timestamp", "Timestamp is required but empty")
    assert validate(frame(**times), RecordKind.SAMPLES)[:2] == [
        missing, (3, E, "duplicate-key", "timestamp", f"timestamp {TEN + 300} also stands in row 4 with other values")]
    named = frame(probe=pd.Categorical(["A"] * 4, categories=["A"]), **times)
    assert validate(named, RecordKind.SAMPLES)[:2] == [
        missing, (3, E, "duplicate-key", "probe", "probe + timestamp A also stands in row 4 with other values")]
