"""Write the contract-register workbook: the documented, versioned template, or a workspace's register.

Layout (sheets, columns, enumerations) comes from sltdesk.domain.register_book, the same layout the
importer reads. Enumerated columns get strict dropdowns fed from a hidden "Lists" sheet; columns that
name another record get a suggestion dropdown (the record may already be in the workspace instead).
No text cell can become a formula: text starting with = + - @ tab CR LF (or ') gets a leading '.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from sltdesk import __version__
from sltdesk.domain.register_book import (
    KEY_FIELDS,
    SHEET_BY_NAME,
    SHEETS,
    TEMPLATE_TITLE,
    TEMPLATE_VERSION,
    BookColumn,
    BookSheet,
    RegisterBook,
)
from sltdesk.rules.register_book import row_values

DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r", "\n", "'")
EXACT_DIGITS = 15  # a spreadsheet number keeps 15 significant digits; longer Decimals are written as text
VALIDATED_ROWS = 1000
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F4E8C")
REQUIRED_FILL = PatternFill("solid", fgColor="B3261E")
WRAP = Alignment(wrap_text=True, vertical="top")


def write_contract_register(path: str | Path, book: RegisterBook | None = None) -> Path:
    """The template (no book) or the register of a workspace, at `path` (.xlsx)."""
    path = Path(path)
    workbook = Workbook()
    first = workbook.active
    if not isinstance(first, Worksheet):  # never: a new workbook opens on its one worksheet
        raise TypeError("a new workbook has no worksheet")
    _instructions(first)
    lists = workbook.create_sheet("Lists")
    enum_ranges = _lists(lists)
    for sheet in SHEETS:
        ws = workbook.create_sheet(sheet.name)
        entries = book.of(sheet.entity) if book else []
        _header(ws, sheet)
        for row, entry in enumerate(entries, start=2):
            for index, (column, value) in enumerate(zip(sheet.columns, row_values(sheet, entry), strict=True)):
                _write(ws.cell(row=row, column=index + 1), column, value)
        _validations(ws, sheet, enum_ranges, max(VALIDATED_ROWS, len(entries) + 200))
    lists.sheet_state = "hidden"
    workbook.move_sheet(lists, offset=len(workbook.sheetnames))
    workbook.properties.title = TEMPLATE_TITLE
    workbook.properties.keywords = f"sltdesk-contract-register-v{TEMPLATE_VERSION}"
    workbook.save(path)
    return path


def safe_text(text: str) -> str:
    """Text that stays text in Excel: a leading ' before anything that could start a formula."""
    return f"'{text}" if text.startswith(DANGEROUS_START) else text


def _write(cell: Any, column: BookColumn, value: Any) -> None:
    if value is None:
        return
    if isinstance(value, list):
        value = "\n".join(v.isoformat() if isinstance(v, date) else str(v) for v in value)
        cell.alignment = WRAP
    if isinstance(value, bool):
        value = ("yes" if value else "no") if column.kind == "bool" else str(value)
    if isinstance(value, Decimal):
        if len(value.as_tuple().digits) > EXACT_DIGITS:
            cell.value = f"{value:f}"
            return
        cell.number_format = "#,##0.00" if column.field == "charges" else "General"
        cell.value = value
    elif isinstance(value, date):
        cell.value = value
        cell.number_format = "yyyy-mm-dd"
    elif isinstance(value, int):
        cell.value = value
    else:
        cell.value = safe_text(str(value))
        if "\n" in str(value):
            cell.alignment = WRAP


def _header(ws: Worksheet, sheet: BookSheet) -> None:
    for index, column in enumerate(sheet.columns, start=1):
        cell = ws.cell(row=1, column=index, value=safe_text(column.header + (" *" if column.required else "")))
        cell.font = HEADER_FONT
        cell.fill = REQUIRED_FILL if column.required else HEADER_FILL
        cell.comment = Comment(_describe(column), "SLT Desk", width=320, height=120)
        ws.column_dimensions[get_column_letter(index)].width = column.width
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(sheet.columns))}1"


def _describe(column: BookColumn) -> str:
    parts = ["Required." if column.required else "Optional."]
    if column.choices:
        parts.append(f"One of: {', '.join(column.choices)}.")
    if column.ref_sheet:
        parts.append(f"A name from the {column.ref_sheet} sheet (or already in the workspace).")
    if column.note:
        parts.append(column.note[0].upper() + column.note[1:] + ".")
    return " ".join(parts)


def _lists(ws: Worksheet) -> dict[tuple[str, ...], str]:
    """Each distinct enumeration in its own column of the hidden Lists sheet; returns its range."""
    ranges: dict[tuple[str, ...], str] = {}
    for sheet in SHEETS:
        for column in sheet.columns:
            if column.choices and column.choices not in ranges:
                col = len(ranges) + 1
                ws.cell(row=1, column=col, value=safe_text(column.header))
                for row, choice in enumerate(column.choices, start=2):
                    ws.cell(row=row, column=col, value=safe_text(choice)).data_type = "s"
                letter = get_column_letter(col)
                ranges[column.choices] = f"Lists!${letter}$2:${letter}${len(column.choices) + 1}"
    return ranges


def _validations(ws: Worksheet, sheet: BookSheet, enum_ranges: dict[tuple[str, ...], str], rows: int) -> None:
    for index, column in enumerate(sheet.columns, start=1):
        letter = get_column_letter(index)
        area = f"{letter}2:{letter}{rows + 1}"
        if column.choices:
            rule = DataValidation(type="list", formula1=enum_ranges[column.choices], allow_blank=True,
                                  showErrorMessage=True, errorStyle="stop", errorTitle=column.header,
                                  error=f"Choose one of: {', '.join(column.choices)}"[:255])
        elif column.ref_sheet:
            source = f"{quote_sheetname(column.ref_sheet)}!${_name_column(column.ref_sheet)}$2:" \
                     f"${_name_column(column.ref_sheet)}${rows + 1}"
            rule = DataValidation(type="list", formula1=source, allow_blank=True, showErrorMessage=False)
        else:
            continue
        ws.add_data_validation(rule)
        rule.add(area)


def _name_column(sheet_name: str) -> str:
    """The letter of the column holding the names other sheets refer to (Name, Ref, Component…)."""
    sheet = SHEET_BY_NAME[sheet_name]
    own = KEY_FIELDS[sheet.entity][1][0]
    return get_column_letter(next(i for i, c in enumerate(sheet.columns, start=1) if c.field == own))


def _instructions(ws: Worksheet) -> None:
    ws.title = "Instructions"
    rows: list[Sequence[Any]] = [
        (TEMPLATE_TITLE,),
        ("Template version", TEMPLATE_VERSION),
        ("Written by", f"SLT Desk {__version__}"),
        (),
        ("How to fill it in",),
        ("", "One row per record, under the header row of each sheet; columns marked * are required."),
        ("", "Pick enumerated values from the dropdowns; names must match the sheet they come from "
             "(or a record already in the workspace)."),
        ("", "Dates: date cells, or text written 2025-01-31. Lists: one item per line (Alt+Enter)."),
        ("", "Import: sltdesk import contracts FILE.xlsx -w WORKSPACE (all rows or none; --dry-run checks only). "
             "Rows whose names already exist update those records."),
        (),
    ]
    for sheet in SHEETS:
        rows.append((sheet.name, sheet.purpose))
        for column in sheet.columns:
            rows.append(("", f"{column.header}{' *' if column.required else ''}: {_describe(column)}"))
        rows.append(())
    for number, values in enumerate(rows, start=1):
        for index, value in enumerate(values, start=1):
            ws.cell(row=number, column=index, value=safe_text(str(value)))
        if values and values[0] and number > 4:
            ws.cell(row=number, column=1).font = Font(bold=True)
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"].font = Font(bold=True)
    ws.column_dimensions["A"].width = 26
    ws.column_dimensions["B"].width = 120
