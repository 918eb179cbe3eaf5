"""The shared XLSX data set of a review pack: one sheet per table, frozen header, autofilter, widths and
number formats.

Text is data: a cell whose text starts with = + - @, tab, CR or LF (or ') gets a leading ' so that no
spreadsheet ever evaluates it as a formula (OWASP CSV-injection guidance); numbers stay numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from sltdesk.domain.figures import decimals_for_any_edge
from sltdesk.services.pack_data import Sheet

DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r", "\n", "'")
DATE_TIME = "yyyy-mm-dd hh:mm:ss"
FIGURE = "0.0000"  # attainment figures: four decimals, more where four would land on an edge (99.98997)
FORMATS = {"achieved": FIGURE, "threshold": "0.####", "amount": "#,##0.00", "impact": "#,##0.00",
           "minutes": "#,##0.00", "value": "#,##0.00", "shortfall": FIGURE, "vendor": FIGURE}
SAMPLE_ROWS = 200
MAX_WIDTH = 60


def safe_text(value: str) -> str:
    """Text that stays text in a spreadsheet."""
    return f"'{value}" if value.startswith(DANGEROUS_START) else value


def write_dataset(path: str | Path, sheets: Sequence[Sheet], *, title: str = "") -> Path:
    """Write every sheet (write-only mode: the data set can hold tens of thousands of rows)."""
    book = Workbook(write_only=True)
    for sheet in sheets:
        _write_sheet(book, sheet)
    book.properties.title = title
    book.properties.creator = "SLT Desk"
    book.save(path)
    return Path(path)


def _write_sheet(book: Workbook, sheet: Sheet) -> None:
    ws = book.create_sheet(sheet.name[:31])
    ws.freeze_panes = "A2"
    last = get_column_letter(len(sheet.columns))
    ws.auto_filter.ref = f"A1:{last}{len(sheet.rows) + 1}"
    for index, width in enumerate(_widths(sheet), start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="EEF2F6")
    header = []
    for name in sheet.columns:
        cell = WriteOnlyCell(ws, value=safe_text(name))
        cell.font, cell.fill, cell.alignment = bold, fill, Alignment(vertical="top")
        header.append(cell)
    ws.append(header)
    formats = [_format(name) for name in sheet.columns]
    for row in sheet.rows:
        ws.append([_cell(ws, value, fmt) for value, fmt in zip(row, formats, strict=True)])


def _cell(ws, value, fmt: str | None):
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str):
        return safe_text(value)
    if isinstance(value, datetime):
        cell = WriteOnlyCell(ws, value=value.replace(tzinfo=None))  # UTC, as the column header says
        cell.number_format = DATE_TIME
        return cell
    if isinstance(value, date):
        cell = WriteOnlyCell(ws)
        cell.value = value  # the stubs' WriteOnlyCell(value=) leaves out dates and Decimals; Cell.value takes them
        cell.number_format = "yyyy-mm-dd"
        return cell
    if isinstance(value, Decimal | float) and fmt:
        cell = WriteOnlyCell(ws)
        cell.value = value
        cell.number_format = _figure_format(value) if fmt == FIGURE else fmt
        return cell
    if isinstance(value, int | float | Decimal):
        return value
    return safe_text(str(value))


def _figure_format(value: Decimal | float) -> str:
    """A figure's cell shows what the pack shows: never 99.9900 for 99.98997 (the cell holds the figure)."""
    exact = value if isinstance(value, Decimal) else Decimal(repr(value))
    return "0." + "0" * min(decimals_for_any_edge(exact), 15)


def _format(column: str) -> str | None:
    return next((fmt for key, fmt in FORMATS.items() if key in column), None)


def _widths(sheet: Sheet) -> list[float]:
    widths: list[float] = [len(name) + 4 for name in sheet.columns]
    for row in sheet.rows[:SAMPLE_ROWS]:
        for i, value in enumerate(row):
            size = 19 if isinstance(value, datetime) else len(str(value)) if value is not None else 0
            widths[i] = max(widths[i], min(size + 2, MAX_WIDTH))
    return widths
