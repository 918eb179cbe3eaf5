"""Read a filled contract-register workbook into register entries and findings (no database here).

Every problem becomes a Finding with its sheet, row and column; the caller stores nothing unless
there is no error among them. References between rows are checked by the storing service, which
also knows the records already in the workspace.
"""

from __future__ import annotations

import dataclasses
import hashlib
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from importers.register_cells import CellError, cell_value
from importers.safety import UnsafeFileError, check_xlsx_container
from sltdesk.domain.money import CURRENCY_DIGITS
from sltdesk.domain.register_book import (
    READABLE_VERSIONS,
    SHEETS,
    TEMPLATE_TITLE,
    TEMPLATE_VERSION,
    BookColumn,
    BookEntry,
    BookSheet,
    Finding,
    RegisterBook,
)
from sltdesk.rules.mapping_validation import validate_mapping_record
from sltdesk.rules.register_book import entry_from_row, natural_key

MAX_ROWS = 50_000
V2_SHEETS = ("Measurement rules", "Contacts", "Contingency plans")  # added in template version 2


@dataclass(frozen=True)
class RegisterReading:
    """What a workbook holds, what is wrong with it, and the file's SHA-256."""

    book: RegisterBook
    findings: tuple[Finding, ...]
    sha256: str
    file_name: str

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]


def read_contract_register(path: str | Path, *, dayfirst: bool | None = None) -> RegisterReading:
    """Read every sheet of the register; findings say what to fix, sheet by sheet, row by row."""
    path = Path(path)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    findings: list[Finding] = []
    try:
        check_xlsx_container(path)
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (UnsafeFileError, InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as error:
        message = str(error) if isinstance(error, UnsafeFileError) else \
            f"cannot be read as an XLSX workbook ({error.__class__.__name__}); save it from Excel as .xlsx."
        return RegisterReading(RegisterBook(), (Finding(path.name, 0, "", "", message),), digest, path.name)
    try:
        version, problems = _check_version(workbook)
        findings.extend(problems)
        entries: list[BookEntry] = []
        letters: dict[str, dict[str, str]] = {}
        for sheet in SHEETS:
            if sheet.name not in workbook.sheetnames:
                if not (version == "1" and sheet.name in V2_SHEETS):  # a version-1 workbook has none of these
                    findings.append(Finding(sheet.name, 0, "", "", "the sheet is missing; nothing is read from it.",
                                            "warning"))
                continue
            found, problems, letters[sheet.name] = _read_sheet(sheet, workbook[sheet.name], dayfirst)
            entries.extend(found)
            findings.extend(problems)
    finally:
        workbook.close()
    return RegisterReading(RegisterBook(tuple(entries), letters), tuple(findings), digest, path.name)


def _check_version(workbook: Any) -> tuple[str, list[Finding]]:
    """The template version the workbook says it is (version 1 and 2 are read), and what is wrong with it."""
    if "Instructions" not in workbook.sheetnames:
        return TEMPLATE_VERSION, [Finding("Instructions", 0, "", "", f"the sheet is missing; reading the workbook "
                                          f"as {TEMPLATE_TITLE} version {TEMPLATE_VERSION}.", "warning")]
    for row in workbook["Instructions"].iter_rows(min_row=1, max_row=20, max_col=2, values_only=True):
        if row and row[0] == "Template version":
            version = str(row[1]).strip() if len(row) > 1 and row[1] is not None else ""
            version = version[:-2] if version.endswith(".0") else version
            if version not in READABLE_VERSIONS:
                return version, [Finding("Instructions", 0, "B", "Template version", f"this workbook is template "
                                         f"version '{version}'; this SLT Desk reads versions "
                                         f"{' and '.join(READABLE_VERSIONS)}: write a new template with `sltdesk "
                                         "template contracts` and copy the rows over.")]
            return version, []
    return TEMPLATE_VERSION, [Finding("Instructions", 0, "", "", "no 'Template version' line; is this an SLT Desk "
                                      f"contract register? Reading it as version {TEMPLATE_VERSION}.", "warning")]


def _read_sheet(sheet: BookSheet, ws: Any,
                dayfirst: bool | None) -> tuple[list[BookEntry], list[Finding], dict[str, str]]:
    rows = ws.iter_rows(values_only=True)
    header = next(rows, ())
    positions, findings = _columns(sheet, header)
    letters = {name: get_column_letter(index + 1) for name, index in positions.items()}
    if any(f.severity == "error" for f in findings):
        return [], findings, letters
    entries: list[BookEntry] = []
    seen: dict[tuple, int] = {}
    for number, cells in enumerate(rows, start=2):
        if number > MAX_ROWS:
            findings.append(Finding(sheet.name, number, "", "", f"more than {MAX_ROWS:,} rows; split the register."))
            break
        if not any(c is not None and str(c).strip() for c in cells):
            continue
        entry, problems = _read_row(sheet, positions, cells, number, dayfirst)
        findings.extend(problems)
        if entry is None:
            continue
        key = tuple(str(k).casefold() for k in natural_key(entry))
        if key in seen:
            findings.append(Finding(sheet.name, number, "", "", f"repeats row {seen[key]} "
                                    f"({' / '.join(map(str, natural_key(entry)))}); keep one of the two."))
            continue
        seen[key] = number
        entries.append(entry)
    return entries, findings, letters


def _columns(sheet: BookSheet, header: tuple) -> tuple[dict[str, int], list[Finding]]:
    """Where each column of the layout is, found by its header text (order and a trailing * do not matter)."""
    where = {_label(value): i for i, value in enumerate(header) if value is not None and str(value).strip()}
    positions: dict[str, int] = {}
    findings: list[Finding] = []
    for column in sheet.columns:
        index = where.pop(_label(column.header), None)
        if index is not None:
            positions[column.field] = index
        elif column.required:
            findings.append(Finding(sheet.name, 1, "", column.header, f"the required column '{column.header}' "
                                    "is missing from the header row; write the template again to get it."))
    for index in where.values():
        findings.append(Finding(sheet.name, 1, get_column_letter(index + 1), str(header[index]),
                                f"unknown column '{header[index]}' is ignored.", "warning"))
    return positions, findings


def _label(value: Any) -> str:
    return " ".join(str(value).replace("*", " ").split()).casefold()


def _read_row(sheet: BookSheet, positions: dict[str, int], cells: tuple, number: int,
              dayfirst: bool | None) -> tuple[BookEntry | None, list[Finding]]:
    values: dict[str, Any] = {}
    findings: list[Finding] = []
    for column in sheet.columns:
        index = positions.get(column.field)
        raw = cells[index] if index is not None and index < len(cells) else None
        try:
            values[column.field] = cell_value(column, raw, dayfirst=dayfirst)
        except CellError as error:
            findings.append(_at(sheet, column, positions, number, str(error)))
    if findings:
        return None, findings
    try:
        entry = entry_from_row(sheet, values, number)
    except ValueError as error:  # e.g. a time zone the record itself refuses
        return None, [Finding(sheet.name, number, "", "", str(error))]
    entry, money = _exact_charges(sheet, entry, positions)
    errors = validate_mapping_record(entry.record)
    for field, message in errors.items():
        at = _column_for(sheet, field, message)
        findings.append(_at(sheet, at, positions, number, message) if at else
                        Finding(sheet.name, number, "", "", message))
    return (None if findings or money else entry), findings + money


def _exact_charges(sheet: BookSheet, entry: BookEntry, positions: dict[str, int]) -> tuple[BookEntry, list[Finding]]:
    """Charges carry the currency's minor unit (48000 → 48000.00), and never more decimals than it has."""
    if sheet.entity != "contract" or entry.record.currency not in CURRENCY_DIGITS:
        return entry, []
    places = CURRENCY_DIGITS[entry.record.currency]
    unit = Decimal(1).scaleb(-places)
    charges: Decimal = entry.record.charges
    if charges != charges.quantize(unit):
        column = next(c for c in sheet.columns if c.field == "charges")
        return entry, [_at(sheet, column, positions, entry.row, f"{charges} has more decimals than "
                           f"{entry.record.currency} allows; round it to {places} places.")]
    record = dataclasses.replace(entry.record, charges=charges.quantize(unit))
    return dataclasses.replace(entry, record=record), []


def _column_for(sheet: BookSheet, field: str, message: str) -> BookColumn | None:
    if field == "hours":
        day = message.split(":", 1)[0].strip().casefold()
        return next((c for c in sheet.columns if c.field == f"hours:{day}"), None)
    return next((c for c in sheet.columns if c.field == field or c.field == f"@{field}"), None)


def _at(sheet: BookSheet, column: BookColumn, positions: dict[str, int], row: int, message: str) -> Finding:
    index = positions.get(column.field)
    letter = get_column_letter(index + 1) if index is not None else ""
    return Finding(sheet.name, row, letter, column.header, message)
