"""Each quirk of real vendor exports, on a small file the test makes."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pytest

from importers.pipeline import parse_file
from sltdesk.domain.raw import ImportOptions, RecordKind
from tests.importfiles import ticket_rows, tickets_workbook, write_csv

LONDON = "Europe/London"


def utc(*args) -> int:
    return int(datetime(*args, tzinfo=UTC).timestamp())


def parse(path, kind=RecordKind.TICKETS, **options):
    return parse_file(path, ImportOptions(kind=kind, timezone=options.pop("timezone", LONDON), **options))


def codes(result) -> list[str]:
    return [f.code for f in result.findings]


def test_the_header_is_found_below_title_rows_and_mapped_from_vendor_names(tmp_path):
    result = parse(tickets_workbook(tmp_path / "t.xlsx", rows=ticket_rows(5)))
    assert result.header_row == 4 and result.rows_read == 5 and result.rows_accepted == 5
    assert result.mapping == {"ticket_id": "Ticket #", "priority": "Sev", "status": "Status", "opened_at": "Opened",
                              "responded_at": "First Response", "resolved_at": "Resolved"}
    assert result.frame["source_row"].tolist() == [5, 6, 7, 8, 9]


def test_naive_times_are_read_in_the_contract_zone_and_stored_in_utc(tmp_path):
    result = parse(tickets_workbook(tmp_path / "t.xlsx", rows=ticket_rows(1)))
    # 2 March 2026 09:00 in London (GMT) is 09:00 UTC; in Berlin it would be 08:00 UTC.
    assert result.frame["opened_at"].iloc[0] == utc(2026, 3, 2, 9, 0)
    berlin = parse(tickets_workbook(tmp_path / "b.xlsx", rows=ticket_rows(1)), timezone="Europe/Berlin")
    assert berlin.frame["opened_at"].iloc[0] == utc(2026, 3, 2, 8, 0)


def test_merged_header_cells_read_their_top_left_value(tmp_path):
    result = parse(tickets_workbook(tmp_path / "m.xlsx", rows=ticket_rows(3), merged_header=True))
    assert result.mapping["ticket_id"] == "Ticket #" and result.mapping["opened_at"] == "Opened"
    assert result.rows_accepted == 3


def test_a_trailing_total_row_is_skipped_with_a_finding(tmp_path):
    result = parse(tickets_workbook(tmp_path / "t.xlsx", rows=ticket_rows(4), total=True))
    assert result.rows_read == 4 and result.rows_rejected == 0
    total = next(f for f in result.findings if f.code == "total-row")
    assert total.row == 10 and total.severity.value == "info"


def test_a_formula_without_a_cached_value_is_a_finding_not_a_silent_empty(tmp_path):
    path = tickets_workbook(tmp_path / "f.xlsx", rows=ticket_rows(3), formula_row=6)
    result = parse(path)
    finding = next(f for f in result.findings if f.code == "formula-without-value")
    assert (finding.row, finding.column, finding.severity.value) == (6, "E 'Resolved'", "error")
    assert result.rows_rejected == 1 and 6 not in result.frame["source_row"].tolist()


@pytest.mark.parametrize("epoch1904", [False, True])
def test_excel_serial_dates_follow_the_workbooks_date_system(tmp_path, epoch1904):
    path = tickets_workbook(tmp_path / "d.xlsx", rows=ticket_rows(2), epoch1904=epoch1904)
    assert parse(path).frame["opened_at"].iloc[0] == utc(2026, 3, 2, 9, 0)


def test_day_first_text_dates_are_detected_from_the_whole_column(tmp_path):
    text = "id;prio;opened\nA;P1;03/04/2026 10:00\nB;P2;25/04/2026 11:30\n"
    result = parse(write_csv(tmp_path / "d.csv", text))
    assert result.frame["opened_at"].tolist() == [utc(2026, 4, 3, 9, 0), utc(2026, 4, 25, 10, 30)]
    assert "date-order" in codes(result)


def test_month_first_text_dates_are_detected_too(tmp_path):
    text = "id,prio,opened\nA,P1,04/03/2026 10:00\nB,P2,04/25/2026 11:30\n"
    result = parse(write_csv(tmp_path / "m.csv", text))
    assert result.frame["opened_at"].tolist() == [utc(2026, 4, 3, 9, 0), utc(2026, 4, 25, 10, 30)]


def test_an_ambiguous_date_column_needs_a_choice(tmp_path):
    path = write_csv(tmp_path / "a.csv", "id,prio,opened\nA,P1,03/04/2026 10:00\nB,P2,05/04/2026 11:30\n")
    refused = parse(path)
    assert refused.fatal and "ambiguous-dates" in codes(refused)
    chosen = parse(path, dayfirst=False)
    assert not chosen.fatal and chosen.frame["opened_at"].iloc[0] == utc(2026, 3, 4, 10, 0)


def test_a_german_semicolon_csv_with_bom_and_decimal_commas_reads_correctly(tmp_path):
    text = ("Störungs-ID;Dienst;Beginn;Ende;Auswirkung %;Geplant\r\n"
            "ST-1;VM Cluster FRA;02.01.2026 15:00;02.01.2026 15:25;25,5;nein\r\n"
            "ST-2;VM Cluster FRA;29.03.2026 01:30;29.03.2026 03:30;100,0;ja\r\n")
    result = parse(write_csv(tmp_path / "o.csv", "\ufeff" + text), RecordKind.OUTAGES, timezone="Europe/Berlin")
    frame = result.frame
    assert result.mapping["outage_id"] == "Störungs-ID" and result.mapping["start"] == "Beginn"
    assert frame["impact_percent"].tolist() == [25.5, 100.0] and frame["planned"].tolist() == [False, True]
    # 01:30 CET is 00:30 UTC; 03:30 is already summer time (CEST), 01:30 UTC: the outage lasts 1 h, not 2.
    assert frame["end"].iloc[1] - frame["start"].iloc[1] == 3600


@pytest.mark.parametrize("encoding", ["utf-16", "cp1252", "utf-8"])
def test_csv_encodings_are_detected(tmp_path, encoding):
    text = "Störungs-ID;Dienst;Beginn;Ende\nST-1;Süd;02.01.2026 15:00;02.01.2026 15:25\n"
    result = parse(write_csv(tmp_path / "e.csv", text, encoding=encoding), RecordKind.OUTAGES)
    assert result.frame["service"].tolist() == ["Süd"]


def test_dst_gap_and_repeat_times_are_flagged(tmp_path):
    text = ("id;prio;opened\nA;P1;29.03.2026 01:30\nB;P1;25.10.2026 01:30\nC;P1;26.10.2026 01:30\n")
    result = parse(write_csv(tmp_path / "dst.csv", text))
    dst = [f for f in result.findings if f.code == "dst-local-time"]
    assert [f.row for f in dst] == [2, 3]
    assert "does not exist" in dst[0].message and "occurs twice" in dst[1].message


def test_duplicates_resolved_before_opened_and_future_times_are_rejected_with_reasons(tmp_path):
    rows = ticket_rows(4)
    rows.append(list(rows[0]))  # an exact copy of row 5
    rows.append([rows[1][0], "P4"] + rows[1][2:])  # same id, other values
    rows[2][4] = rows[2][2].replace(hour=1)  # resolved before opened
    rows[3][2] = datetime(2030, 1, 1, 9, 0)  # after the export
    result = parse(tickets_workbook(tmp_path / "q.xlsx", rows=rows), exported_at=utc(2026, 4, 2))
    found = {(f.code, f.row) for f in result.findings}
    assert ("duplicate-row", 9) in found and ("duplicate-key", 10) in found
    assert ("resolved-before-opened", 7) in found and ("in-the-future", 8) in found
    assert result.rows_rejected == 4 and result.frame["source_row"].tolist() == [5, 6]


def test_missing_required_column_refuses_the_file_and_names_the_columns(tmp_path):
    result = parse(write_csv(tmp_path / "x.csv", "Number;Text\n1;a\n"))
    assert result.fatal
    assert result.findings[-1].message.startswith("No column found for priority, opened_at; the columns in row 1")


def test_explicit_mapping_and_value_labels_override_the_suggestions(tmp_path):
    text = "Ref;Dringlichkeit;Meldung\nA;Sev 2;2026-03-01 10:00\nB;kritisch;2026-03-01 11:00\nC;hmm;2026-03-01 12:00\n"
    result = parse(write_csv(tmp_path / "v.csv", text), mapping=(("opened_at", "Meldung"), ("ticket_id", "A")),
                   value_map=(("priority", "hmm", "P3"),))
    assert result.frame["priority"].tolist() == ["P2", "P1", "P3"]


def test_an_unknown_priority_label_rejects_its_row_and_says_how_to_map_it(tmp_path):
    text = "id;prio;opened\nA;Sev 2;2026-03-01 10:00\nB;whenever;2026-03-01 11:00\n"
    result = parse(write_csv(tmp_path / "u.csv", text))
    finding = next(f for f in result.findings if f.code == "unknown-label")
    assert finding.row == 3 and "--value priority:whenever=P1" in finding.message


def test_an_event_log_is_reduced_to_tickets_and_keeps_its_state_history(tmp_path):
    text = ("Ticket;Severity;State;Changed\n"
            "N-1;Sev 2;New;2026-03-02 09:00\nN-1;Sev 2;Awaiting Customer;2026-03-02 09:30\n"
            "N-1;Sev 2;In Progress;2026-03-02 11:00\nN-1;Sev 2;Resolved;2026-03-02 12:00\n"
            "N-2;Sev 1;New;2026-03-02 10:00\nN-2;Sev 1;Resolved;2026-03-02 10:45\n")
    result = parse(write_csv(tmp_path / "ev.csv", text), timezone="UTC")
    assert result.kind is RecordKind.TICKET_EVENTS and len(result.events) == 6
    tickets = result.frame.set_index("ticket_id")
    assert tickets.loc["N-1", "opened_at"] == utc(2026, 3, 2, 9) and tickets.loc["N-1", "resolved_at"] == utc(
        2026, 3, 2, 12)
    assert tickets.loc["N-2", "priority"] == "P1" and tickets.loc["N-2", "status"] == "Resolved"


def test_sample_series_gaps_and_a_clock_running_ahead_are_found(tmp_path):
    stamps = [datetime(2026, 3, 1, 0, 0, tzinfo=UTC).timestamp() + 300 * i for i in range(40)]
    stamps = stamps[:10] + stamps[16:]  # a 30-minute gap after row 11
    stamps = stamps[:20] + [s + 3660 for s in stamps[20:25]] + stamps[25:]  # clock 61 min ahead, rows 22-26
    lines = ["timestamp,probe,requests,errors,p95_ms"] + [
        f"{datetime.fromtimestamp(s, UTC):%Y-%m-%dT%H:%M:%SZ},eu,100,0,200" for s in stamps]
    result = parse(write_csv(tmp_path / "s.csv", "\n".join(lines)), RecordKind.SAMPLES, timezone="UTC")
    gap = next(f for f in result.findings if f.code == "series-gap")
    skew = next(f for f in result.findings if f.code == "clock-skew")
    assert gap.row == 12 and "gap of 30 min" in gap.message
    assert skew.row == 22 and "ran 1 h 01 min ahead from row 22 to row 26" in skew.message
    assert skew.severity.value == "error" and result.rows_rejected == 5  # wrong times are left out
    assert result.rows_accepted == 29


def test_vendor_report_fractions_become_percentages_and_the_period_comes_from_the_title(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in (["Service Level Report — March 2026"], [], ["Service Level", "Target", "Achieved", "Met?"],
                ["Availability", 0.9995, 0.9998, "Yes"], ["P1 resolution", 0.9, 0.85, "No"]):
        sheet.append(row)
    book.save(tmp_path / "r.xlsx")
    result = parse(tmp_path / "r.xlsx", RecordKind.VENDOR_REPORT)
    assert result.frame[["target_name", "period", "target_value", "achieved", "met"]].values.tolist() == [
        ["Availability", "2026-03", 99.95, 99.98, True], ["P1 resolution", "2026-03", 90.0, 85.0, False]]


def test_ics_recurrences_are_expanded_in_their_time_zone(tmp_path):
    ics = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:w@x\r\nSUMMARY:Patching\r\n"
           "DTSTART;TZID=Europe/Berlin:20260322T030000\r\nDTEND;TZID=Europe/Berlin:20260322T050000\r\n"
           "RRULE:FREQ=WEEKLY;COUNT=3\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
    path = tmp_path / "c.ics"
    path.write_text(ics)
    result = parse(path, RecordKind.MAINTENANCE, timezone="UTC")
    starts = result.frame["start"].tolist()
    # 22 March 03:00 CET = 02:00 UTC; 29 March and 5 April are summer time: 03:00 CEST = 01:00 UTC.
    assert starts == [utc(2026, 3, 22, 2), utc(2026, 3, 29, 1), utc(2026, 4, 5, 1)]
    assert np.all(result.frame["end"] - result.frame["start"] == 7200)


def test_an_ics_event_ending_before_it_starts_is_left_out_and_an_endless_rule_is_named(tmp_path):
    ics = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"
           "BEGIN:VEVENT\r\nUID:a@x\r\nSUMMARY:Backwards\r\nDTSTART:20260310T100000Z\r\n"
           "DTEND:20260310T090000Z\r\nEND:VEVENT\r\n"
           "BEGIN:VEVENT\r\nUID:b@x\r\nSUMMARY:Patching\r\nDTSTART:20260301T020000Z\r\n"
           "DTEND:20260301T030000Z\r\nRRULE:FREQ=WEEKLY\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
    path = tmp_path / "c.ics"
    path.write_text(ics)
    result = parse(path, RecordKind.MAINTENANCE, timezone="UTC", period_start=utc(2026, 3, 1),
                   period_end=utc(2026, 4, 1), period_label="2026-03")
    found = {f.code: f for f in result.findings}
    assert found["negative-duration"].row == 1 and "ends before it starts" in found["negative-duration"].message
    assert result.rows_rejected == 1 and result.rows_accepted == 5  # 1, 8, 15, 22 and 29 March
    assert found["recurrences"].message == "5 windows from 2 events, from 01 Mar 2026 to 29 Mar 2026"
    assert found["endless-recurrence"].message.startswith("1 event repeats without end: expanded from 01 Mar 2026")


def test_rows_named_by_findings_are_kept_as_read_so_the_wizard_can_show_them(tmp_path):
    rows = ticket_rows(40)
    rows[30][4] = rows[30][2].replace(hour=1)  # row 35 (four title and header rows above): resolved first
    result = parse(tickets_workbook(tmp_path / "far.xlsx", rows=rows))
    assert any(f.row == 35 for f in result.findings)
    assert 35 in result.source_rows and result.source_rows[35][0] == "T-0031"
    assert sorted(result.source_rows)[:3] == [5, 6, 7]
