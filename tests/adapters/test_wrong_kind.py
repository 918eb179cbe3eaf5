"""The wrong kind of file says so: an event log offered as tickets, samples without a measure, a data row that
looks like a header, and a local-time export across the spring clock change."""

from __future__ import annotations

from importers.pipeline import parse_file
from sltdesk.domain.raw import ImportOptions, RecordKind
from tests.importfiles import write_csv


def parse(path, kind, **options):
    return parse_file(path, ImportOptions(kind=kind, timezone=options.pop("timezone", "UTC"), **options))


def test_an_event_log_offered_as_tickets_is_refused_with_the_kind_to_use(tmp_path):
    lines = ["number,incident_state,sys_updated_on,priority"]
    for n in range(1, 21):
        for k, state in enumerate(("New", "Active", "Resolved")):
            lines.append(f"INC{n:04d},{state},2026-06-{n:02d} 0{9 + k // 2}:{10 * k:02d}:00,2 - High")
    result = parse(write_csv(tmp_path / "log.csv", "\n".join(lines) + "\n"), RecordKind.TICKETS)
    assert result.fatal
    [error] = [f for f in result.findings if f.code == "event-log-as-tickets"]
    assert error.message.startswith("Ticket ids repeat (INC0001 appears 3 times; 20 of 20 ids repeat) and the file "
                                    "has a state column ('incident_state') and an update-time column "
                                    "('sys_updated_on'): it is an event log")
    assert "Import it as ticket-events" in error.message


def test_a_few_repeated_ids_in_a_ticket_export_are_duplicates_not_an_event_log(tmp_path):
    lines = ["number,status,updated,opened,resolved"]
    lines += [f"INC{n:04d},Closed,2026-06-20 10:00,2026-06-{n:02d} 09:00,2026-06-{n:02d} 10:00" for n in range(1, 21)]
    lines.append("INC0001,Closed,2026-06-20 10:00,2026-06-01 09:00,2026-06-01 10:00")
    result = parse(write_csv(tmp_path / "t.csv", "\n".join(lines) + "\n"), RecordKind.TICKETS)
    assert not any(f.code == "event-log-as-tickets" for f in result.findings)


def test_samples_with_only_a_timestamp_are_refused(tmp_path):
    text = "timestamp,probe,comment\n" + "".join(f"2026-03-01 00:{5 * i:02d},eu,ok\n" for i in range(10))
    result = parse(write_csv(tmp_path / "s.csv", text), RecordKind.SAMPLES)
    assert result.fatal and len(result.frame) == 0
    [error] = [f for f in result.findings if f.code == "no-measure"]
    assert error.message.startswith("No measure column found: a sample needs at least one of requests, errors, ok "
                                    "or latency_ms")


def test_a_data_row_is_never_taken_as_the_header(tmp_path):
    text = ("Ticket,Priority,Opened,Resolved\n"
            "REF,P1,2026-03-02 09:00,2026-03-02 10:00\n"
            "T-2,P2,2026-03-02 09:05,2026-03-02 11:00\n")
    result = parse(write_csv(tmp_path / "t.csv", text), RecordKind.TICKETS)
    assert result.header_row == 1 and result.frame["ticket_id"].tolist() == ["REF", "T-2"]


def test_a_spring_forward_hour_in_a_local_time_export_is_named_as_the_clock_change(tmp_path):
    # 29 March 2026 in Berlin: 02:00–02:59 does not exist. The export writes it anyway, then 03:00 again.
    stamps = [f"2026-03-29 {h:02d}:{m:02d}" for h in (1, 2, 3) for m in range(0, 60, 5)]
    text = "timestamp,probe,requests,errors\n" + "".join(f"{s},eu,100,0\n" for s in stamps)
    result = parse(write_csv(tmp_path / "s.csv", text), RecordKind.SAMPLES, timezone="Europe/Berlin")
    repeats = [f for f in result.findings if f.code == "series-backwards"]
    assert repeats, [f.code for f in result.findings]
    assert all("a clock change, not a wrong clock" in f.message and "Europe/Berlin" in f.message
               and "does not exist" in f.message for f in repeats)
    assert not any("the probe's clock was wrong" in f.message for f in result.findings)


def test_a_table_pasted_from_excel_still_finds_its_header_under_the_title_rows(tmp_path):
    """tests/fixtures/real/pasted_from_excel.csv: three title rows, the header (Year, 2000 … 2007) on row 4. It
    is no kind of vendor data, so nothing is stored, and the message lists the header's columns."""
    import shutil
    from pathlib import Path

    real = Path(__file__).resolve().parents[1] / "fixtures" / "real" / "pasted_from_excel.csv"
    path = shutil.copy(real, tmp_path / "pasted.csv")
    result = parse(Path(path), RecordKind.OUTAGES)
    assert result.header_row == 4 and result.fatal
    assert result.headers[:3] == ["Year", "2000", "2001"]
    assert result.findings[-1].message.startswith("No column found for start, end; the columns in row 4 "
                                                  "are: A 'Year', B '2000'")
