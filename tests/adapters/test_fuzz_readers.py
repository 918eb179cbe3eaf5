"""Fuzzed files through the readers: CSV, XLSX and ICS. Whatever the bytes, the reader answers with a parsed
import or the project's own error in one sentence (never a traceback), and a refused file leaves the workspace
byte-identical. `make test` draws a few examples of each; `make fuzz` (SLTDESK_FUZZ=1) draws many more."""

from __future__ import annotations

import hashlib
import io
import os
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from importers.pipeline import parse_file
from models.workspace import open_workspace
from sltdesk.domain.raw import ParsedImport, RecordKind, Severity
from sltdesk.domain.register import Contract, Supplier
from sltdesk.errors import SltDeskError
from sltdesk.services import imports
from sltdesk.services.audit import audit_head
from sltdesk.services.register import create_record
from sltdesk.wiring import parse_isolated
from tests.budget import examples

FUZZ = bool(os.environ.get("SLTDESK_FUZZ"))


def budget(n: int) -> int:
    return n * 40 if FUZZ else examples(n)


def fuzz(n: int):
    return settings(max_examples=budget(n), deadline=None, derandomize=not FUZZ,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    path = tmp_path_factory.mktemp("fuzz") / "w.sltdesk"
    ws = open_workspace(path, create=True)
    supplier = create_record(ws, Supplier(name="Vendor"))
    contract = create_record(ws, Contract(ref="C-1", supplier_id=supplier.id, title="x",
                                          start_date=date(2025, 1, 1), end_date=date(2027, 1, 1), currency="GBP",
                                          charges=Decimal("1000.00")))
    options = {kind: imports.build_options(ws, kind=kind, contract=contract)
               for kind in (RecordKind.TICKETS, RecordKind.SAMPLES, RecordKind.OUTAGES, RecordKind.MAINTENANCE)}
    yield ws, path, contract, options
    ws.close()


def one_sentence(text: str) -> None:
    assert text and "Traceback" not in text and "\n" not in text.strip(), text


def check(parse) -> ParsedImport | None:
    """Call a reader: a ParsedImport (a refused one says why in a sentence) or an SltDeskError's sentence."""
    try:
        parsed = parse()
    except SltDeskError as error:
        one_sentence(str(error))
        return None
    assert isinstance(parsed, ParsedImport)
    if parsed.fatal:
        errors = [f.message for f in parsed.findings if f.severity is Severity.ERROR]
        assert errors, parsed.findings
        one_sentence(errors[0])
    return parsed


TICKET_HEAD = ["Ticket #", "Sev", "Opened", "First Response", "Resolved", "Status"]
SAMPLE_HEAD = ["timestamp", "probe", "requests", "errors"]
cells = st.one_of(st.text(max_size=30), st.integers(-10**12, 10**12).map(str),
                  st.sampled_from(["2026-03-02 09:00", "02.03.2026 9:00", "3/2/26", "", "NULL", "P1", "Closed",
                                   "=1+1", "1e400", "NaN", "-0", "24:00", "2026-02-30T25:61:00Z"]))
rows = st.lists(st.lists(cells, min_size=0, max_size=8), max_size=12)


def _csv(head: list[str], body: list[list[str]], delimiter: str) -> str:
    def quoted(cell: str) -> str:
        return '"' + cell.replace('"', '""') + '"' if any(c in cell for c in f'"\n\r{delimiter}') else cell
    return "\n".join(delimiter.join(quoted(c) for c in row) for row in [head, *body]) + "\n"


@fuzz(30)
@given(head=st.sampled_from([TICKET_HEAD, SAMPLE_HEAD]), body=rows, delimiter=st.sampled_from([",", ";", "\t"]),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]),
       cut=st.one_of(st.none(), st.integers(0, 400)), noise=st.binary(max_size=40))
def test_fuzzed_csv_never_raises_a_traceback(setup, tmp_path_factory, head, body, delimiter, encoding, cut, noise):
    _ws, _path, _contract, options = setup
    data = _csv(head, body, delimiter).encode(encoding, errors="replace")
    if cut is not None:
        data = data[:cut] + noise
    file = tmp_path_factory.mktemp("csv") / "fuzz.csv"
    file.write_bytes(data)
    kind = RecordKind.TICKETS if head is TICKET_HEAD else RecordKind.SAMPLES
    check(lambda: parse_file(file, options[kind]))


def _xlsx(body: list[list[str]]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(TICKET_HEAD)
    for row in body:  # what openpyxl may write at all (Excel refuses control characters in cells too)
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", cell) for cell in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@fuzz(3)
@given(body=rows, flips=st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), min_size=1, max_size=6),
       member=st.sampled_from(["xl/worksheets/sheet1.xml", "xl/workbook.xml", "xl/styles.xml", "[Content_Types].xml",
                               None]), junk=st.binary(max_size=200))
def test_a_damaged_xlsx_through_the_sandbox_is_one_sentence(setup, tmp_path_factory, body, flips, member, junk):
    """Bytes flipped anywhere in a workbook (its zip directory, a compressed stream), or one of its parts replaced
    by junk: the app reads workbooks in the isolated child, whose refusal is one sentence naming the file."""
    _ws, _path, _contract, options = setup
    file = tmp_path_factory.mktemp("xlsx") / "fuzz.xlsx"
    if member is None:
        data = bytearray(_xlsx(body))
        for position, value in flips:
            data[position % len(data)] = value
        file.write_bytes(bytes(data))
    else:
        with zipfile.ZipFile(io.BytesIO(_xlsx(body))) as source, zipfile.ZipFile(file, "w") as target:
            for info in source.infolist():
                target.writestr(info, junk if info.filename == member else source.read(info))
    check(lambda: parse_isolated(file, options[RecordKind.TICKETS]))


ICS_LINES = ["BEGIN:VCALENDAR", "VERSION:2.0", "BEGIN:VEVENT", "UID:x@y", "DTSTART:20260301T020000Z",
             "DTEND:20260301T040000Z", "SUMMARY:Maintenance", "RRULE:FREQ=WEEKLY;COUNT=3",
             "DTSTART;TZID=Europe/London:20260329T010000", "EXDATE:20260308T020000Z", "END:VEVENT",
             "BEGIN:VTIMEZONE", "TZID:Nowhere/Else", "END:VTIMEZONE", "END:VCALENDAR", "RRULE:FREQ=SECONDLY",
             "DTEND:99991231T235959Z", "DURATION:-P1D"]


@fuzz(25)
@given(lines=st.lists(st.one_of(st.sampled_from(ICS_LINES), st.text(max_size=40)), max_size=30),
       tail=st.binary(max_size=30))
def test_fuzzed_ics_never_raises_a_traceback(setup, tmp_path_factory, lines, tail):
    _ws, _path, _contract, options = setup
    file = tmp_path_factory.mktemp("ics") / "fuzz.ics"
    file.write_bytes("\r\n".join(lines).encode("utf-8", errors="replace") + tail)
    check(lambda: parse_file(file, options[RecordKind.MAINTENANCE]))


@pytest.mark.parametrize("lines", [
    ["BEGIN:VCALENDAR", "TZID:Nowhere/Else", "END:VTIMEZONE"],  # icalendar raised AttributeError (found by make fuzz)
    ["BEGIN:VCALENDAR", "BEGIN:VCALENDAR"]])  # its message quoted the file's lines: now one line
def test_calendars_the_fuzzer_found_are_refused_in_one_sentence(setup, tmp_path, lines):
    _ws, _path, _contract, options = setup
    file = tmp_path / "found.ics"
    file.write_bytes("\r\n".join(lines).encode())
    parsed = check(lambda: parse_file(file, options[RecordKind.MAINTENANCE]))
    assert parsed is not None and parsed.fatal
    assert parsed.findings[0].message.startswith("the calendar cannot be read: ")


def _state(ws, path: Path) -> tuple:
    """The batches, the audit head, and the file with its write-ahead log, byte for byte."""
    head = audit_head(ws)
    files = [Path(f"{path}{end}") for end in ("", "-wal")]
    return ([b.id for b in imports.list_batches(ws)], head.entries, head.head,
            [hashlib.sha256(f.read_bytes()).hexdigest() for f in files if f.exists()])


@fuzz(4)
@given(body=rows, kind=st.sampled_from([RecordKind.TICKETS, RecordKind.OUTAGES]), suffix=st.sampled_from([".csv",
                                                                                                           ".xlsx"]))
def test_a_fuzzed_file_through_the_sandbox_is_stored_whole_or_leaves_the_workspace_byte_identical(
        setup, tmp_path_factory, body, kind, suffix):
    """The CLI's and the wizard's path: parse in the isolated child, then store all or nothing."""
    ws, path, contract, options = setup
    file = tmp_path_factory.mktemp("iso") / f"fuzz{suffix}"
    file.write_bytes(_xlsx(body) if suffix == ".xlsx" else _csv(TICKET_HEAD, body, ",").encode())
    before = _state(ws, path)
    parsed = check(lambda: parse_isolated(file, options[kind]))
    if parsed is None:
        assert _state(ws, path) == before
        return
    try:
        report = imports.store_import(ws, parsed, contract=contract, options=options[kind])
    except SltDeskError as error:
        one_sentence(str(error))
        assert _state(ws, path) == before
        return
    assert report.batch_id in [b.id for b in imports.list_batches(ws)]
    assert report.stored + report.skipped + report.replaced >= 1  # a re-export can bring only known records


def test_a_header_without_usable_rows_is_refused_and_nothing_is_stored(setup, tmp_path):
    ws, path, contract, options = setup
    before = _state(ws, path)
    for name, text in (("empty.csv", ",".join(TICKET_HEAD) + "\n"),
                       ("unreadable.csv", ",".join(TICKET_HEAD) + "\n,,,,,\n;;;\n")):
        file = tmp_path / name
        file.write_text(text, encoding="utf-8")
        parsed = parse_isolated(file, options[RecordKind.TICKETS])
        with pytest.raises(imports.ImportRefused) as refused:
            imports.store_import(ws, parsed, contract=contract, options=options[RecordKind.TICKETS])
        assert str(refused.value) == (
            f"{name} has a header but no rows that could be read; nothing was stored. If the period truly had "
            "none, mark it complete instead (sltdesk periods mark-complete --contract REF --period P --reason '…', "
            "or on the Verification page).")
        assert _state(ws, path) == before
