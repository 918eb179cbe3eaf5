"""What an import says it covers, rule by rule, and what that does to the period's verdict.

Each format a file may state its period in has its own case: a title cell holding "Month YYYY", "Mon YYYY",
"YYYY-MM" or "Qn YYYY", and a sheet name of the same forms.
"""

from __future__ import annotations

import pytest
from edge_setup import attainment, cli, contract, csv_file, import_file
from openpyxl import Workbook

from models.workspace import open_workspace
from sltdesk.domain.register import MetricKind

OUTAGES = ["Outage ID", "Service", "Start", "End", "Impact %"]
ROWS = [["O-1", "WAN", "2026-03-10 10:00", "2026-03-10 10:30", "100"],
        ["O-2", "WAN", "2026-03-20 23:30", "2026-03-21 00:15", "100"]]


def _workspace(tmp_path):
    return contract(tmp_path, metric=MetricKind.AVAILABILITY, threshold="99.8", rule={"source": "outages"},
                    zone="Europe/London")  # March: 75 minutes down of 44,580 is 99.83 %


def _titled(tmp_path, title: str | None, *, sheet: str = "Outages"):
    book = Workbook()
    ws = book.active
    ws.title = sheet
    if title is not None:
        ws.append([title])
        ws.append([])
    ws.append(OUTAGES)
    for row in ROWS:
        ws.append(row)
    path = tmp_path / "outages.xlsx"
    book.save(path)
    return path


def test_a_given_period_is_what_the_import_covers_and_the_month_is_judged(tmp_path):
    path = _workspace(tmp_path)
    report = import_file(path, "outages", csv_file(tmp_path / "o.csv", OUTAGES, ROWS), "--period", "2026-03")
    assert report["covers"] == {"start": "2026-03-01T00:00:00Z", "end": "2026-03-31T23:00:00Z",
                                "how": "the period given with --period (2026-03)"}  # London's March
    figure = attainment(path, "2026-03")
    assert (figure["completeness"], figure["met"]) == ("complete", True)
    assert figure["coverage"] == "data covers 1 Mar 00:00 – 1 Apr 00:00 of 2026-03"


def test_a_span_covers_each_of_its_months(tmp_path):
    path = _workspace(tmp_path)
    report = import_file(path, "outages", csv_file(tmp_path / "o.csv", OUTAGES, ROWS), "--period", "2026-02..2026-04")
    assert (report["covers"]["start"], report["covers"]["end"]) == ("2026-02-01T00:00:00Z", "2026-04-30T23:00:00Z")
    assert [attainment(path, m)["completeness"] for m in ("2026-01", "2026-02", "2026-04", "2026-05")] == [
        "incomplete", "complete", "complete", "incomplete"]
    assert attainment(path, "2026-02")["achieved"] == "100"  # covered and without outages: available throughout


def test_without_a_period_an_outage_log_covers_whole_days_from_its_first_record_to_its_last(tmp_path):
    path = _workspace(tmp_path)
    report = import_file(path, "outages", csv_file(tmp_path / "o.csv", OUTAGES, ROWS))
    assert (report["covers"]["start"], report["covers"]["end"]) == ("2026-03-10T00:00:00Z", "2026-03-22T00:00:00Z")
    figure = attainment(path, "2026-03")
    assert (figure["completeness"], figure["achieved"], figure["met"]) == ("incomplete", None, None)
    assert figure["explanation"].startswith("data covers 10 Mar 00:00 – 22 Mar 00:00 of 2026-03: no verdict")
    code, out, _ = cli("import", "outages", csv_file(tmp_path / "o2.csv", OUTAGES, ROWS[:1]), "-w", path,
                       "--contract", "EDGE-1", "--dry-run")
    assert code == 0 and "covers 10 Mar 2026 00:00 – 11 Mar 2026 00:00 (Europe/London): whole days" in out


@pytest.mark.parametrize(("title", "sheet", "where"), [
    ("Managed WAN — outage report, March 2026", "Outages", "row 1 'Managed WAN — outage report, March 2026'"),
    ("Outages Mar 2026", "Outages", "row 1 'Outages Mar 2026'"),
    ("Outage log 2026-03 (generated 2026-04-02 06:00)", "Outages", None),  # two periods' worth of text: a date too
    ("Outage log for 2026-03", "Outages", "row 1 'Outage log for 2026-03'"),
    (None, "March 2026", "sheet name 'March 2026'"),
    (None, "Mar 2026", "sheet name 'Mar 2026'"),
    (None, "2026-03", "sheet name '2026-03'"),
])
def test_the_period_a_file_states_is_what_it_covers(tmp_path, title, sheet, where):
    path = _workspace(tmp_path)
    report = import_file(path, "outages", _titled(tmp_path, title, sheet=sheet))
    if where is None:  # "2026-04-02" is a date, not a month: only 2026-03 is stated, so it counts
        where = f"row 1 '{title}'"
    assert report["covers"]["how"] == f"the period the file states ({where})"
    assert (report["covers"]["start"], report["covers"]["end"]) == ("2026-03-01T00:00:00Z", "2026-03-31T23:00:00Z")
    assert attainment(path, "2026-03")["completeness"] == "complete"


def test_a_quarter_stated_in_the_title_covers_the_quarter(tmp_path):
    path = _workspace(tmp_path)
    report = import_file(path, "outages", _titled(tmp_path, "Availability report Q1 2026"))
    assert (report["covers"]["start"], report["covers"]["end"]) == ("2026-01-01T00:00:00Z", "2026-03-31T23:00:00Z")
    assert [attainment(path, m)["completeness"] for m in ("2026-01", "2026-03", "2026-04")] == [
        "complete", "complete", "incomplete"]


def test_samples_cover_their_first_interval_to_their_last(tmp_path):
    path = contract(tmp_path, metric=MetricKind.AVAILABILITY, threshold="99.9", zone="UTC",
                    rule={"source": "samples", "interval_seconds": 300})
    rows = [[f"2026-11-01 00:{m:02d}", "eu", 100, 0, 120] for m in range(0, 60, 5)]
    report = import_file(path, "samples", csv_file(tmp_path / "s.csv", ["Timestamp", "Probe", "Requests", "Errors",
                                                                        "Latency ms"], rows), "--timezone", "UTC")
    assert (report["covers"]["start"], report["covers"]["end"]) == ("2026-11-01T00:00:00Z", "2026-11-01T01:00:00Z")
    figure = attainment(path, "2026-11")
    assert figure["completeness"] == "incomplete" and figure["achieved"] is None  # not 0.14 %: not downtime
    assert figure["coverage"] == "data covers 1 Nov 00:00 – 1 Nov 01:00 of 2026-11"


def test_a_period_marked_complete_as_imported_is_judged_with_the_missing_data_policy(tmp_path):
    path = contract(tmp_path, metric=MetricKind.AVAILABILITY, threshold="99.9", zone="UTC",
                    rule={"source": "samples", "interval_seconds": 300})
    rows = [[f"2026-11-01 00:{m:02d}", "eu", 100, 0, 120] for m in range(0, 60, 5)]
    import_file(path, "samples", csv_file(tmp_path / "s.csv", ["Timestamp", "Probe", "Requests", "Errors",
                                                               "Latency ms"], rows), "--timezone", "UTC")
    code, out, err = cli("periods", "mark-complete", "-w", path, "--contract", "EDGE-1", "--period", "2026-11",
                         "--reason", "the vendor confirmed the probes were off")
    assert code == 0, err
    figure = attainment(path, "2026-11")
    assert (figure["completeness"], figure["achieved_text"], figure["met"]) == ("complete", "0.1389", False)
    assert figure["counts"]["intervals_missing"] == 8640 - 12  # 12 of 30 × 288 intervals have data
    ws = open_workspace(path)
    with ws.unit_of_work() as uow:
        [entry] = uow.audit.entries_of("period_mark", "mark-complete")
    ws.close()
    assert (entry.entity_id, entry.after["reason"], entry.after["period"]) == (
        "EDGE-1:2026-11", "the vendor confirmed the probes were off", "2026-11")
    assert cli("audit", "verify", "-w", path)[0] == 0
    code, out, _ = cli("periods", "unmark", "-w", path, "--contract", "EDGE-1", "--period", "2026-11")
    assert code == 0 and attainment(path, "2026-11")["completeness"] == "incomplete"
