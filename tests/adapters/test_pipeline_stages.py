"""Each stage of importers/pipeline.py on a small in-memory sheet: what it reads from the Sheet context, what it
leaves there, and the findings it adds. The sheets are built as a workbook's rows (no file)."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pytest

from importers import pipeline
from importers.pipeline import Refused, Sheet
from importers.reading import RawSheet
from importers.values import NA_TIME
from sltdesk.domain.raw import ImportOptions, RecordKind, Severity


def utc(*args: int) -> int:
    return int(datetime(*args, tzinfo=UTC).timestamp())


def sheet_before(stage, rows: list[list], kind: RecordKind = RecordKind.TICKETS, **options) -> Sheet:
    """The Sheet as `stage` receives it: started, and through every stage before it."""
    raw = RawSheet(name="Incidents", rows=rows)
    sheet = pipeline.start(raw, ImportOptions(kind=kind, **options), file_name="export.xlsx", sha256="")
    for earlier in pipeline.STAGES[:pipeline.STAGES.index(stage)]:
        earlier(sheet)
    return sheet


def codes(sheet: Sheet) -> list[str]:
    return [f.code for f in sheet.findings]


TICKET_HEADER = ["Ticket", "Priority", "Opened", "Resolved"]


def tickets(*rows: list) -> list[list]:
    return [TICKET_HEADER, *rows]


# --- header detection -------------------------------------------------------------------------------------

def test_start_finds_the_header_under_the_title_rows_and_numbers_it_as_the_sheet_does():
    rows = [["Vendor Ltd — incident export"], ["Generated 02.04.2026"], [],
            TICKET_HEADER, ["T-1", "P1", datetime(2026, 3, 2, 9), datetime(2026, 3, 2, 11)]]
    sheet = pipeline.start(RawSheet(name="Incidents", rows=rows, first_row=1),
                           ImportOptions(kind=RecordKind.TICKETS), file_name="export.xlsx", sha256="ab")
    assert sheet.header == 3
    assert sheet.result.header_row == 4
    assert sheet.headers == TICKET_HEADER
    assert (sheet.result.file_name, sheet.result.sha256, sheet.kind) == ("export.xlsx", "ab", RecordKind.TICKETS)


def test_start_takes_the_users_header_row_and_reads_whole_number_headers_without_their_point():
    rows = [["Ticket", 2026.0, None], ["T-1", "P1", None]]
    sheet = pipeline.start(RawSheet(name="S", rows=rows, first_row=5),
                           ImportOptions(kind=RecordKind.TICKETS, header_row=5), file_name="f.xlsx", sha256="")
    assert sheet.header == 0
    assert sheet.headers == ["Ticket", "2026", ""]


def test_check_text_refuses_a_sheet_of_blank_cells_and_clears_its_header_row():
    sheet = sheet_before(pipeline.check_text, [[None, "  "], ["", None]])
    with pytest.raises(Refused) as refused:
        pipeline.check_text(sheet)
    assert refused.value.code == "no-text"
    assert sheet.result.header_row is None
    result = pipeline.parse_sheet(sheet.raw, sheet.options, file_name="blank.xlsx", sha256="")
    assert result.fatal
    assert [(f.severity, f.code, f.row) for f in result.findings] == [(Severity.ERROR, "no-text", None)]
    assert result.findings[0].message == "blank.xlsx holds no text: there is nothing to import."


# --- mapping --------------------------------------------------------------------------------------------

SERVICENOW = ["number", "opened_at", "short_description", "caller_id", "priority", "state", "sys_updated_on"]


def test_choose_preset_detects_servicenow_and_puts_its_columns_and_labels_under_the_users():
    rows = [SERVICENOW, ["INC1", "2026-03-02 08:14:05", "Mail", "Abel", "2 - High", "Resolved", "2026-03-02"]]
    sheet = sheet_before(pipeline.choose_preset, rows, mapping=(("status", "state"),))
    pipeline.choose_preset(sheet)
    assert sheet.preset is not None and sheet.preset.name == "servicenow-incidents"
    assert sheet.result.preset == "servicenow-incidents"
    mapping = dict(sheet.options.mapping)
    assert mapping["ticket_id"] == "number" and mapping["opened_at"] == "opened_at"
    assert ("priority", "2 - High", "P2") in sheet.options.value_map
    assert codes(sheet) == ["preset"]


def test_choose_preset_refuses_a_preset_nobody_ships():
    sheet = sheet_before(pipeline.choose_preset, tickets(["T-1", "P1", "2026-03-02", ""]), preset="no-such-tool")
    with pytest.raises(Refused) as refused:
        pipeline.choose_preset(sheet)
    assert refused.value.code == "unknown-preset"


def test_map_columns_maps_by_header_and_turns_down_a_time_column_of_group_names():
    rows = [["Ticket", "Priority", "Opened", "Assigned"],
            *[[f"T-{i}", "P2", f"2026-03-0{i} 09:00", f"Group {50 + i}"] for i in range(1, 6)]]
    sheet = sheet_before(pipeline.map_columns, rows)
    pipeline.map_columns(sheet)
    assert sheet.columns == {"ticket_id": 0, "priority": 1, "opened_at": 2}
    assert sheet.result.mapping == {"ticket_id": "Ticket", "priority": "Priority", "opened_at": "Opened"}
    assert sheet.turned_down == [("assigned_at", 3, "Group 51")]
    turned = [f for f in sheet.findings if f.code == "type-check"]
    assert [(f.row, f.column) for f in turned] == [(1, "Assigned")]
    assert turned[0].message == ("column 'Assigned' was not used for assigned_at: most of its values are not dates "
                                 "(e.g. 'Group 51')")


def test_map_columns_reads_tickets_whose_ids_repeat_beside_a_state_as_an_event_log():
    rows = [["Ticket", "State", "Changed"],
            ["T-1", "New", "2026-03-02 09:00"], ["T-1", "Resolved", "2026-03-02 11:00"],
            ["T-2", "New", "2026-03-02 10:00"], ["T-2", "Closed", "2026-03-03 10:00"]]
    sheet = sheet_before(pipeline.map_columns, rows)
    pipeline.map_columns(sheet)
    assert sheet.kind is RecordKind.TICKET_EVENTS
    assert sheet.columns == {"ticket_id": 0, "state": 1, "changed_at": 2}
    assert "event-log" in codes(sheet)


def test_map_columns_refuses_samples_without_anything_measured():
    rows = [["Time", "Probe"], ["2026-03-02 09:00", "lon-1"]]
    sheet = sheet_before(pipeline.map_columns, rows, RecordKind.SAMPLES)
    with pytest.raises(Refused) as refused:
        pipeline.map_columns(sheet)
    assert refused.value.code == "no-measure"
    assert "the columns in row 1 are: A 'Time', B 'Probe'" in refused.value.message


# --- constants ------------------------------------------------------------------------------------------

def test_take_constants_reads_a_currency_stated_above_the_table():
    rows = [["Currency:", "GBP"], [], ["Credit note", "Amount"], ["CN-1", "1250.10"]]
    sheet = sheet_before(pipeline.take_constants, rows, RecordKind.CREDIT_NOTES)
    pipeline.take_constants(sheet)
    assert sheet.constants == {"currency": (1, "GBP")}
    assert sheet.columns["currency"] == -1
    assert sheet.result.mapping["currency"] == "title row 1"
    title = [f for f in sheet.findings if f.code == "title-value"]
    assert [(f.row, f.message) for f in title] == [(1, "currency 'GBP' taken from the title rows above the header")]


def test_take_constants_refuses_a_file_without_a_required_column_and_names_the_columns_it_has():
    rows = [["Ticket", "Notes"], ["T-1", "printer"]]
    sheet = sheet_before(pipeline.take_constants, rows)
    with pytest.raises(Refused) as refused:
        pipeline.take_constants(sheet)
    assert refused.value.code == "missing-column"
    assert refused.value.message == ("No column found for priority, opened_at; the columns in row 1 are: "
                                     "A 'Ticket', B 'Notes'. Map them with --map FIELD=COLUMN.")
    assert "unused-columns" in codes(sheet)  # 'Notes' is worth a look before the refusal


# --- the rows -------------------------------------------------------------------------------------------

def test_read_rows_leaves_out_a_trailing_total_row_and_keeps_sheet_row_numbers():
    rows = tickets(["T-1", "P1", datetime(2026, 3, 2, 9), None], None, ["T-2", "P2", datetime(2026, 3, 2, 10), None],
                   [None, None, None, None], ["Total", None, None, 2])
    rows = [r if r is not None else [None] * 4 for r in rows]
    sheet = sheet_before(pipeline.read_rows, rows)
    pipeline.read_rows(sheet)
    assert sheet.body.rows.tolist() == [2, 4]
    assert sheet.result.rows_read == 2
    assert sheet.result.preview[0] == TICKET_HEADER
    assert [(f.code, f.row) for f in sheet.findings if f.code == "total-row"] == [("total-row", 6)]


def test_read_rows_warns_when_no_data_row_stands_under_the_header():
    sheet = sheet_before(pipeline.read_rows, [TICKET_HEADER])
    pipeline.read_rows(sheet)
    assert sheet.result.rows_read == 0
    assert [(f.severity, f.code, f.row) for f in sheet.findings] == [(Severity.WARNING, "no-rows", 1)]


# --- conversion -----------------------------------------------------------------------------------------

def test_convert_types_each_field_rejects_an_unreadable_required_cell_and_empties_an_optional_one():
    rows = tickets(["T-1", "P1", "2026-03-02 09:00", "2026-03-02 11:30"],
                   ["T-2", "High", "someday", "2026-03-03 10:00"],
                   ["T-3", "P4", "2026-03-04 08:00", "soon"],
                   ["T-4", "?", "2026-03-05 08:00", None])
    sheet = sheet_before(pipeline.convert, rows, null_markers=("?",))
    pipeline.convert(sheet)
    frame = sheet.frame
    assert frame["opened_at"].tolist() == [utc(2026, 3, 2, 9), NA_TIME, utc(2026, 3, 4, 8), utc(2026, 3, 5, 8)]
    assert frame["resolved_at"].tolist() == [utc(2026, 3, 2, 11, 30), utc(2026, 3, 3, 10), NA_TIME, NA_TIME]
    assert frame["priority"][:3].tolist() == ["P1", "P2", "P4"] and frame["priority"].isna().tolist()[3]
    assert frame["source_row"].tolist() == [2, 3, 4, 5]
    assert sheet.rejected == {1}  # T-2 opened "someday"
    assert sheet.unreadable == {(1, "opened_at")}
    bad = [f for f in sheet.findings if f.severity is Severity.ERROR]
    assert [(f.code, f.row, f.column) for f in bad] == [("bad-date", 3, "C 'Opened'")]
    optional = next(f for f in sheet.findings if f.code == "optional-unreadable")
    assert optional.message.startswith("1 value of the optional field resolved_at could not be read and was left "
                                       "empty (rows 4)")
    assert sheet.result.emptied == {"resolved_at": ["T-3"]}
    assert next(f for f in sheet.findings if f.code == "null-marker").message == \
        "1 cell holding a null marker (?) read as empty"
    assert not sheet.result.fatal


def test_convert_gives_an_outage_without_an_end_its_start_plus_the_minutes():
    rows = [["Service", "Start", "Duration (min)"], ["Portal", "2026-03-02 10:00", 30], ["API", "2026-03-02 12:00",
                                                                                          "15.5"]]
    sheet = sheet_before(pipeline.convert, rows, RecordKind.OUTAGES)
    pipeline.convert(sheet)
    assert sheet.frame["end"].tolist() == [utc(2026, 3, 2, 10, 30), utc(2026, 3, 2, 12, 15, 30)]
    assert "end-from-duration" in codes(sheet)


# --- validation and block building ----------------------------------------------------------------------

def test_check_rows_rejects_an_error_and_a_duplicate_and_keeps_the_rest():
    rows = tickets(["T-1", "P1", "2026-03-02 09:00", "2026-03-02 11:00"],
                   ["T-2", "P2", "2026-03-02 10:00", "2026-03-02 08:00"],  # resolved before it opened
                   ["T-3", "P3", "2026-03-02 12:00", "2026-03-02 13:00"],
                   ["T-3", "P3", "2026-03-02 12:00", "2026-03-02 13:00"])
    sheet = sheet_before(pipeline.check_rows, rows)
    pipeline.check_rows(sheet)
    result = sheet.result
    assert result.frame["ticket_id"].tolist() == ["T-1", "T-3"]
    assert result.rows_rejected == 2
    found = {(f.code, f.row) for f in result.findings if f.code in ("resolved-before-opened", "duplicate-row")}
    assert found == {("resolved-before-opened", 3), ("duplicate-row", 5)}
    assert result.blocks is None  # tickets are stored as rows


def test_check_rows_builds_a_block_per_probe_and_day_for_samples():
    rows = [["Time", "Probe", "OK"],
            *[[f"2026-03-0{d} {h:02d}:00", probe, "yes"] for d in (2, 3) for probe in ("lon", "nyc") for h in (1, 2)]]
    sheet = sheet_before(pipeline.check_rows, rows, RecordKind.SAMPLES)
    pipeline.check_rows(sheet)
    result = sheet.result
    assert result.accepted == 8 and result.rows_rejected == 0
    blocks = sorted((probe, first, last, count) for probe, _day, first, last, count, _payload in result.blocks)
    assert blocks == [("lon", utc(2026, 3, 2, 1), utc(2026, 3, 2, 2), 2), ("lon", utc(2026, 3, 3, 1),
                                                                          utc(2026, 3, 3, 2), 2),
                      ("nyc", utc(2026, 3, 2, 1), utc(2026, 3, 2, 2), 2), ("nyc", utc(2026, 3, 3, 1),
                                                                          utc(2026, 3, 3, 2), 2)]
    assert len(result.frame) == 8  # under PREVIEW_ROWS: every row kept for the preview


def test_check_rows_names_a_clock_change_behind_a_series_that_runs_backwards():
    rows = [["Time", "Probe", "OK"], ["2026-10-25 00:50", "lon", "yes"], ["2026-10-25 01:50", "lon", "yes"],
            ["2026-10-25 01:10", "lon", "yes"]]  # the clocks went back at 02:00 BST: 01:10 is the second one
    sheet = sheet_before(pipeline.check_rows, rows, RecordKind.SAMPLES, timezone="Europe/London")
    pipeline.check_rows(sheet)
    backwards = next(f for f in sheet.findings if f.code == "series-backwards")
    assert backwards.row == 4
    assert backwards.message == ("probe lon: a clock change, not a wrong clock — 25.10.2026 01:50 occurs twice in "
                                 "Europe/London (clocks went back); read as the first, 01:50 BST")


# --- event reduction, percent rescaling, the end --------------------------------------------------------

def test_reduce_events_keeps_the_updates_and_makes_one_ticket_of_each_id():
    rows = [["Ticket", "Priority", "State", "Changed"],
            ["T-1", "P1", "New", "2026-03-02 09:00"], ["T-1", "P1", "Resolved", "2026-03-02 11:00"],
            ["T-2", "P3", "New", "2026-03-02 10:00"], ["T-2", "P3", "Closed", "2026-03-03 10:00"]]
    sheet = sheet_before(pipeline.reduce_events, rows)
    pipeline.reduce_events(sheet)
    events, frame = sheet.result.events, sheet.result.frame
    assert events["state"].tolist() == ["New", "Resolved", "New", "Closed"]  # plain text, not categories
    assert frame["ticket_id"].tolist() == ["T-1", "T-2"]
    assert frame["opened_at"].tolist() == [utc(2026, 3, 2, 9), utc(2026, 3, 2, 10)]
    assert frame["resolved_at"].tolist() == [utc(2026, 3, 2, 11), utc(2026, 3, 3, 10)]
    assert frame["closed_at"].tolist() == [NA_TIME, utc(2026, 3, 3, 10)]


def test_rescale_percents_reads_fractions_as_percentages_and_leaves_percentages_alone():
    fractions = [["Service level", "Target", "Achieved"], ["Availability", 0.9995, 0.999], ["Response", 0.95, 1]]
    sheet = sheet_before(pipeline.rescale_percents, fractions, RecordKind.VENDOR_REPORT)
    pipeline.rescale_percents(sheet)
    assert sheet.result.frame["target_value"].tolist() == [99.95, 95.0]
    assert sheet.result.frame["achieved"].tolist() == [99.9, 100.0]
    assert codes(sheet)[-1] == "fractions-as-percent"
    percents = [["Service level", "Target", "Achieved"], ["Availability", 99.95, 99.9]]
    sheet = sheet_before(pipeline.rescale_percents, percents, RecordKind.VENDOR_REPORT)
    pipeline.rescale_percents(sheet)
    assert sheet.result.frame["achieved"].tolist() == [99.9]
    assert "fractions-as-percent" not in codes(sheet)


def test_finish_caps_each_code_at_500_findings_and_keeps_the_cells_of_the_rows_they_name():
    rows = tickets(*[[f"T-{i}", "P1", "2026-03-02 09:00", None] for i in range(1, 31)])
    sheet = sheet_before(pipeline.finish, rows)
    for row in range(2, 503):  # 501 of one code
        sheet.note(Severity.WARNING, "odd", f"row {row} is odd", row=row)
    pipeline.finish(sheet)
    odd = [f for f in sheet.result.findings if f.code == "odd"]
    assert len(odd) == 501
    assert odd[-1].message == "… and 1 more like this" and odd[-1].row is None
    assert sorted(sheet.result.source_rows) == list(range(2, 32))  # the 30 rows: each is named or among the first
    assert sheet.result.source_rows[31][0] == "T-30"


def test_parse_sheet_runs_the_stages_in_the_order_the_issue_names():
    names = [stage.__name__ for stage in pipeline.STAGES]
    assert names == ["check_text", "choose_preset", "map_columns", "take_constants", "read_rows", "convert",
                     "check_rows", "reduce_events", "rescale_percents", "finish"]
    rows = tickets(["T-1", "P1", "2026-03-02 09:00", "2026-03-02 11:00"])
    result = pipeline.parse_sheet(RawSheet(name="S", rows=rows), ImportOptions(kind=RecordKind.TICKETS),
                                  file_name="f.xlsx", sha256="")
    assert not result.fatal and result.rows_accepted == 1
    assert np.asarray(result.frame["resolved_at"]).tolist() == [utc(2026, 3, 2, 11)]
