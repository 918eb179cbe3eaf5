"""CSV bodies are read as text columns and converted column-wise; each shape a cell can take still reads
exactly as the cell-by-cell readers read it, with findings on the right rows."""

from __future__ import annotations

import math
from datetime import UTC, datetime

import pytest

from importers.pipeline import parse_file
from importers.safety import UnsafeFileError
from sltdesk.domain.raw import ImportOptions, RecordKind
from tests.importfiles import write_csv


def parse(path, kind, timezone="UTC", **options):
    return parse_file(path, ImportOptions(kind=kind, timezone=timezone, **options))


def utc(*args) -> int:
    return int(datetime(*args, tzinfo=UTC).timestamp())


def test_blank_lines_and_quoted_line_breaks_keep_the_row_numbers_of_the_file(tmp_path):
    text = ("Ticket,Priority,Opened,Resolved,Note\n"
            "007,P1,2026-03-02 09:00,2026-03-02 10:00,plain\n"
            "\n"
            "008,P2,2026-03-02 09:05,2026-03-02 11:00,\"two\nlines\"\n"
            " , , , , \n"
            "009,P3,2026-03-02 09:10,2026-03-02 12:00,last\n")
    result = parse(write_csv(tmp_path / "t.csv", text), RecordKind.TICKETS, timezone="Europe/London",
                   mapping=(("category", "Note"),))
    frame = result.frame
    assert frame["ticket_id"].tolist() == ["007", "008", "009"]  # ids keep their leading zeros
    assert frame["source_row"].tolist() == [2, 4, 6]  # the blank line and the blank row are skipped, not renumbered
    assert frame["category"].tolist() == ["plain", "two\nlines", "last"]
    assert frame["opened_at"].tolist() == [utc(2026, 3, 2, 9, 0), utc(2026, 3, 2, 9, 5), utc(2026, 3, 2, 9, 10)]
    assert result.rows_rejected == 0


def test_numbers_with_signs_separators_and_words_read_like_the_cell_reader(tmp_path):
    lines = ["timestamp,probe,requests,errors,p95_ms"]
    cells = ["100", " 2,400 ", "12 %", "", "NaN", "n/a", "1e3"]
    for i, cell in enumerate(cells):
        lines.append(f"2026-03-01T00:{5 * i:02d}:00Z,eu,\"{cell}\",0,200")
    result = parse(write_csv(tmp_path / "s.csv", "\n".join(lines)), RecordKind.SAMPLES)
    # requests is optional: 'NaN' leaves it empty with one warning for the column, 'n/a' is a null marker
    assert [f for f in result.findings if f.code == "not-a-number"] == [] and result.rows_rejected == 0
    [warning] = [f for f in result.findings if f.code == "optional-unreadable"]
    assert warning.message == ("1 value of the optional field requests could not be read and was left empty "
                               "(rows 6); the first: 'NaN' is not a number")
    [note] = [f for f in result.findings if f.code == "null-marker"]
    assert note.message == "1 cell holding a null marker (n/a) read as empty"
    requests = result.frame["requests"].tolist()
    assert requests[:3] == [100.0, 2400.0, 12.0] and requests[6] == 1000.0
    assert all(math.isnan(r) for r in requests[3:6])


def test_decimal_commas_and_thousands_points_in_a_semicolon_file(tmp_path):
    text = ("Zeit;Sonde;Anfragen;Fehler;Latenz\n"
            "2026-03-01T00:00:00Z;fra;1.234;0;250,5\n"
            "2026-03-01T00:05:00Z;fra;1.000,5;2;99\n")
    result = parse(write_csv(tmp_path / "s.csv", text), RecordKind.SAMPLES,
                   mapping=(("timestamp", "Zeit"), ("probe", "Sonde"), ("requests", "Anfragen"), ("errors", "Fehler"),
                            ("latency_ms", "Latenz")))
    assert result.frame["requests"].tolist() == [1234.0, 1000.5]
    assert result.frame["latency_ms"].tolist() == [250.5, 99.0]


def test_a_date_column_mixing_iso_and_other_shapes_reads_every_cell(tmp_path):
    text = ("Ticket,Priority,Opened\n"
            "A,P1,2026-03-02T09:00:00Z\n"
            "B,P1, 2026-03-02T09:30:00Z \n"
            "C,P1,2026-03-02T10:00:00+01:00\n"
            "D,P1,2026-03-02T10:15:30.250Z\n"
            "E,P1,yesterday\n")
    result = parse(write_csv(tmp_path / "t.csv", text), RecordKind.TICKETS, timezone="Europe/Berlin")
    opened = dict(zip(result.frame["ticket_id"], result.frame["opened_at"], strict=True))
    assert opened == {"A": utc(2026, 3, 2, 9, 0), "B": utc(2026, 3, 2, 9, 30), "C": utc(2026, 3, 2, 9, 0),
                      "D": utc(2026, 3, 2, 10, 15, 30)}
    assert [(f.code, f.row) for f in result.findings if f.code == "bad-date"] == [("bad-date", 6)]


def test_naive_iso_times_at_the_dst_change_are_flagged_on_their_rows(tmp_path):
    lines = ["Ticket,Priority,Opened"] + [f"T{i},P2,2026-03-29 0{h}:30" for i, h in enumerate((0, 1, 2))]
    result = parse(write_csv(tmp_path / "t.csv", "\n".join(lines)), RecordKind.TICKETS, timezone="Europe/London")
    shifted = [f for f in result.findings if f.code == "dst-local-time"]
    assert [f.row for f in shifted] == [3] and "does not exist in Europe/London" in shifted[0].message
    assert result.frame["opened_at"].tolist()[1] == utc(2026, 3, 29, 1, 30)  # read as 02:30 BST


def test_labels_of_a_long_column_are_read_once_and_found_on_every_row(tmp_path):
    labels = ["Sev 1", "P2", "high", "bogus"]
    lines = ["Ticket,Priority,Opened"] + [f"T{i},{labels[i % 4]},2026-03-02 09:00" for i in range(6000)]
    result = parse(write_csv(tmp_path / "t.csv", "\n".join(lines)), RecordKind.TICKETS, timezone="UTC")
    unknown = [f for f in result.findings if f.code == "unknown-label"]
    assert [f.row for f in unknown[:3]] == [5, 9, 13]  # every fourth row, counting the header as row 1
    assert "'bogus' is not a known priority" in unknown[0].message
    assert len(unknown) == 501 and unknown[-1].message == "… and 1,000 more like this"
    assert not [f for f in result.findings if f.code == "missing-value"]  # an unread label is not also "empty"
    assert result.rows_rejected == 1500
    assert result.frame["priority"].value_counts().to_dict() == {"P1": 1500, "P2": 3000}


def test_repeated_samples_are_found_whatever_the_order_of_the_file(tmp_path):
    lines = ["timestamp,probe,requests,errors,p95_ms",
             "2026-03-01T00:05:00Z,us,100,0,200",
             "2026-03-01T00:00:00Z,eu,100,0,200",
             "2026-03-01T00:05:00Z,eu,100,0,200",
             "2026-03-01T00:00:00Z,eu,100,0,200",   # an exact copy of row 3
             "2026-03-01T00:05:00Z,us,120,0,200",   # us 00:05 again, with other figures
             "2026-03-01T00:10:00Z,eu,100,0,200"]
    result = parse(write_csv(tmp_path / "s.csv", "\n".join(lines)), RecordKind.SAMPLES)
    found = {(f.code, f.row) for f in result.findings if f.code.startswith("duplicate")}
    assert found == {("duplicate-row", 5), ("duplicate-key", 6)}
    in_order = parse(write_csv(tmp_path / "o.csv", "\n".join([lines[0], lines[2], lines[3], lines[6]])),
                     RecordKind.SAMPLES)
    assert not [f for f in in_order.findings if f.code.startswith("duplicate")] and in_order.rows_accepted == 3


SAMPLE_HEAD = "timestamp,probe,requests,errors\n"


def test_a_stray_quote_in_the_title_or_in_a_cell_is_a_character_not_a_quoted_field(tmp_path):
    title = 'Report for 27" screens\n' + SAMPLE_HEAD + "".join(
        f"2026-03-01T00:{m:02d}:00Z,a,10,0\n" for m in (0, 5, 10))
    result = parse(write_csv(tmp_path / "t.csv", title), RecordKind.SAMPLES)
    assert result.rows_accepted == 3 and result.frame["source_row"].tolist() == [3, 4, 5]
    cell = SAMPLE_HEAD + '2026-03-01T00:00:00Z,27" screen,10,1\n2026-03-01T00:05:00Z,"a"x,10,0\n'
    result = parse(write_csv(tmp_path / "c.csv", cell), RecordKind.SAMPLES)
    assert result.frame["probe"].tolist() == ['27" screen', "ax"] and result.rows_accepted == 2


def test_utf16_without_a_byte_order_mark_and_lines_ended_by_cr_alone_are_read(tmp_path):
    text = SAMPLE_HEAD + "2026-03-01T00:00:00Z,a,10,1\n2026-03-01T00:05:00Z,a,12,0\n"
    plain = parse(write_csv(tmp_path / "u.csv", text, encoding="utf-16-le"), RecordKind.SAMPLES)
    assert plain.rows_accepted == 2 and plain.frame["requests"].tolist() == [10.0, 12.0]
    old_mac = parse(write_csv(tmp_path / "r.csv", text.replace("\n", "\r")), RecordKind.SAMPLES)
    assert old_mac.rows_accepted == 2 and old_mac.frame["source_row"].tolist() == [2, 3]


def test_a_short_first_row_does_not_cut_the_columns_of_the_rows_after_it(tmp_path):
    text = SAMPLE_HEAD + "2026-03-01T00:00:00Z,a\n2026-03-01T00:05:00Z,a,10,0\n2026-03-01T00:10:00Z,a,11,1\n"
    result = parse(write_csv(tmp_path / "s.csv", text), RecordKind.SAMPLES)
    requests = result.frame["requests"].tolist()
    assert math.isnan(requests[0]) and requests[1:] == [10.0, 11.0] and result.rows_accepted == 3


def test_the_shape_of_a_number_settles_its_decimal_separator_in_any_file(tmp_path):
    cells = ["1.234,5", "1,234.5", "25,5", "1,234"]
    comma = SAMPLE_HEAD + "".join(f'2026-03-01T00:{5 * i:02d}:00Z,a,"{c}",0\n' for i, c in enumerate(cells))
    result = parse(write_csv(tmp_path / "c.csv", comma), RecordKind.SAMPLES)
    assert result.frame["requests"].tolist() == [1234.5, 1234.5, 25.5, 1234.0]
    lines = ["timestamp;probe;requests;errors"] + [f"2026-03-01T00:{5 * i:02d}:00Z;a;{c};0"
                                                   for i, c in enumerate(["1.234,5", "1,234.5", "25,5", "1.234"])]
    result = parse(write_csv(tmp_path / "s.csv", "\n".join(lines)), RecordKind.SAMPLES)
    assert result.frame["requests"].tolist() == [1234.5, 1234.5, 25.5, 1234.0]


def test_empty_and_binary_files_say_what_they_are(tmp_path):
    only_header = parse(write_csv(tmp_path / "h.csv", SAMPLE_HEAD), RecordKind.SAMPLES)
    assert [(f.code, f.row) for f in only_header.findings] == [("no-rows", 1)] and only_header.rows_read == 0
    blank = parse(write_csv(tmp_path / "b.csv", "\ufeff\n \n\n"), RecordKind.SAMPLES)
    assert blank.fatal and blank.findings[0].message == "b.csv holds no text: there is nothing to import."
    big_endian = parse(write_csv(tmp_path / "u.csv", SAMPLE_HEAD + "2026-03-01T00:00:00Z,a,10,1\n",
                                 encoding="utf-16-be"), RecordKind.SAMPLES)
    assert big_endian.rows_accepted == 1 and big_endian.frame["probe"].tolist() == ["a"]
    binary = tmp_path / "x.csv"
    binary.write_bytes(bytes(range(256)) * 20)
    with pytest.raises(UnsafeFileError, match="x.csv is not a text file"):
        parse(binary, RecordKind.SAMPLES)


def test_a_quote_that_is_never_closed_is_named_on_its_row(tmp_path):
    lines = [SAMPLE_HEAD.strip(), "2026-03-01T00:00:00Z,a,10,1", '2026-03-01T00:05:00Z,"27 screen,10,0'] + [
        f"2026-03-01T00:{10 + i:02d}:00Z,a,10,0" for i in range(30)]
    result = parse(write_csv(tmp_path / "q.csv", "\n".join(lines) + "\n"), RecordKind.SAMPLES)
    unclosed = [f for f in result.findings if f.code == "unclosed-quote"]
    assert result.rows_read == 2 and [f.row for f in unclosed] == [3]
    assert "runs over 32 lines of the file: a quote that is never closed" in unclosed[0].message


def test_columns_left_out_of_the_import_are_named(tmp_path):
    text = "Outage,Service,Start,End,Impact %,Planned\nO-1,VM,2026-03-02 10:00,2026-03-02 10:30,100,no\n"
    as_maintenance = parse(write_csv(tmp_path / "o.csv", text), RecordKind.MAINTENANCE)
    note = next(f for f in as_maintenance.findings if f.code == "unused-columns")
    assert note.message == "columns not imported: A 'Outage', E 'Impact %', F 'Planned'" and note.row == 1
    as_outages = parse(write_csv(tmp_path / "p.csv", text), RecordKind.OUTAGES)
    assert "unused-columns" not in {f.code for f in as_outages.findings}
