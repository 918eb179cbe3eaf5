"""Any table of the app as CSV or XLSX (the table's "Export…"): the columns as shown, the rows in view order.

Text is data, as in every other export: text starting with = + - @, tab, CR, LF or ' gets a leading ' so a
spreadsheet never evaluates it (reports.pack_xlsx.safe_text). Numbers and dates stay numbers and dates in XLSX.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from reports.pack_xlsx import safe_text

Cell = str | int | float | Decimal | date | None
MAX_WIDTH = 60


def write_table(path: str | Path, headers: Sequence[str], rows: Sequence[Sequence[Cell]], *, title: str = "Table"
                ) -> Path:
    """Write to `path`; .csv gives UTF-8 CSV (with a BOM, so Excel reads the accents), anything else XLSX."""
    target = Path(path)
    if target.suffix.lower() == ".csv":
        with target.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow([safe_text(h) for h in headers])
            writer.writerows([[_csv_cell(v) for v in row] for row in rows])
        return target
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_sheet_name(title))
    widths = [len(h) for h in headers]
    for row in rows[:200]:
        for i, value in enumerate(row[:len(widths)]):
            widths[i] = max(widths[i], len(_csv_cell(value)))
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = min(width + 2, MAX_WIDTH)
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header_cells = []
    for text in headers:
        cell = WriteOnlyCell(sheet, value=safe_text(text))
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        sheet.append([_xlsx_cell(v) for v in row])
    if headers:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{len(rows) + 1}"
    book.save(target)
    return target


def _csv_cell(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float | Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return safe_text(str(value))


def _xlsx_cell(value: Cell) -> Cell:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)  # Excel has no time zones; the app's tables show local or UTC already
    if value is None or isinstance(value, int | float | Decimal | date):
        return value
    return safe_text(str(value))


def _sheet_name(title: str) -> str:
    cleaned = "".join(" " if c in '[]:*?/\\' else c for c in title).strip() or "Table"
    return cleaned[:31]
