"""The data rows under the header, held column by column (one list per sheet column).

Workbook rows are transposed once; CSV bodies are read by polars' parser as text columns (so ticket
'007' keeps its zeros), and converted column-wise. A column mapped to a number field whose sampled cells
are all plain numbers is read as numbers by the parser itself (see `_csv_body`).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeAlias

import numpy as np

from importers.reading import RawSheet, column_letter

if TYPE_CHECKING:  # polars loads with the first CSV body
    import polars as pl

Cells: TypeAlias = "Sequence[Any] | pl.Series"  # a column's cells: a workbook's values, or a CSV's text Series

_TOTAL = re.compile(r"^\s*(grand\s+)?(total|totals|sum|summe|gesamt|gesamtsumme|totaal|totale|insgesamt)\b",
                    re.IGNORECASE)


@dataclass
class Body:
    columns: list[Cells]
    rows: np.ndarray  # int64: the sheet row of each data row
    preview: list[list[Any]]
    total_row: int | None = None  # the sheet row of a trailing total row that was left out
    warnings: list[tuple[int, str]] = field(default_factory=list)  # (sheet row, sentence) about the reading
    emptied: dict[str, list[int]] = field(default_factory=dict)  # optional field -> positions left empty (unreadable)
    texts: dict[int, list[Any]] = field(default_factory=dict)  # sheet row -> its cells as text, where the columns
    # hold numbers the CSV parser read (the rows the header detection read: the first few dozen)

    def __len__(self) -> int:
        return len(self.rows)

    def shown(self, position: int) -> list[Any]:
        """The cells of the row at `position` as the file has them: a number the CSV parser read shows its text
        (from the rows read as text at the start, else written plainly: 1200, not 1200.0)."""
        row = int(self.rows[position])
        texts = self.texts.get(row)
        out = []
        for index, column in enumerate(self.columns):
            value = column[position]
            if isinstance(value, np.generic):
                value = value.item()
            if _numbers_read(column):
                value = (texts[index] if index < len(texts) else "") if texts is not None else cell_text(value)
                value = None if value == "" else value  # an empty cell, as a text column reads it
            out.append(value)
        return out

    def column(self, index: int) -> Cells:
        if 0 <= index < len(self.columns):
            return self.columns[index]
        return [None] * len(self.rows)


def read_body(raw: RawSheet, header: int, *, numbers: frozenset[int] = frozenset()) -> Body:
    """The body; a CSV's columns `numbers` (indexes) read as numbers when every cell is a plain one."""
    if raw.csv_path is not None:
        return _csv_body(raw, header, numbers)
    return _rows_body(raw.rows[header + 1:], raw.first_row + header + 1)


def _rows_body(body: list[list], first_row: int) -> Body:
    end, total = _trim_end(body, first_row)
    body = body[:end]
    # A blank row starts with a blank cell: only those few rows are looked at closely.
    blank = [i for i, r in enumerate(body) if (r[0] == "" or r[0] is None) and _blank(r)] if body else []
    if blank:
        gone = set(blank)
        rows = [first_row + i for i in range(end) if i not in gone]
        body = [r for i, r in enumerate(body) if i not in gone]
    else:
        rows = list(range(first_row, first_row + end))
    widths = set(map(len, body))
    if len(widths) > 1:
        width = max(widths)
        body = [list(r) + [None] * (width - len(r)) for r in body]
    columns: list[Cells] = list(zip(*body, strict=True)) if body else []  # tuples: the converters only read them
    return Body(columns, np.asarray(rows, dtype=np.int64), [list(r) for r in body[:20]], total)


def _trim_end(body, first_row: int) -> tuple[int, int | None]:
    """Where the data ends: trailing blank rows and one total row (with blanks around it) left out."""
    end = len(body)
    while end and _blank(list(body[end - 1])):
        end -= 1
    total = None
    if end and _is_total(list(body[end - 1])):
        total = first_row + end - 1
        end -= 1
        while end and _blank(list(body[end - 1])):
            end -= 1
    return end, total


def _csv_body(raw: RawSheet, header: int, numbers: frozenset[int]) -> Body:
    """The body of a CSV file read by polars' multi-threaded parser, every cell as text but the `numbers`.

    The text columns stay polars string Series: the converters read them column-wise (importers/columnar.py),
    so a million rows never become a million Python objects unless a column really is free text. A column of
    `numbers` is read as Float64 by the parser when every cell is empty or a plain finite number: what the text
    column's conversion would give (columnar.plain_numbers), without a million texts made and cast. One cell that
    is not (a null marker, 1,5, NaN) and the whole body is read as text instead.
    """

    skip = header + 1
    width = max((len(r) for r in raw.rows[:skip + 50]), default=0)
    frame = None
    if numbers:
        frame = _read_csv(raw, skip, width, numbers)
        if frame is not None and not _plain_numbers(frame, numbers):
            frame = None
    if frame is None:
        frame = _read_csv(raw, skip, width, frozenset())
    if frame is None:  # a stray quote inside a cell: read as Python's csv module reads it
        frame = _csv_rows(raw, skip, width)
    first_row = raw.first_row + skip
    tail = max(0, frame.height - 50)
    last_rows = [list(r) for r in frame.slice(tail).rows()]
    warnings = _swallowed(last_rows, first_row + tail)
    end, total = _trim_end(last_rows, first_row + tail)
    frame = frame.head(tail + end)
    rows = np.arange(frame.height, dtype=np.int64) + first_row
    if frame.width and frame.height:
        blank = _blank_rows(frame)
        if blank is not None:
            frame, rows = frame.filter(~blank), rows[~blank.to_numpy()]
    columns: list[Cells] = list(frame.get_columns())
    texts = {}
    if any(_numbers_read(c) for c in columns):
        texts = {raw.first_row + skip + i: row for i, row in enumerate(raw.rows[skip:])}  # whole rows only
    body = Body(columns, rows, [], total, warnings, texts=texts)
    body.preview = [["" if v is None else v for v in body.shown(p)] for p in range(min(20, len(rows)))]
    return body


def _numbers_read(column: Cells) -> bool:
    return not isinstance(column, Sequence) and column.dtype.is_numeric()


def _read_csv(raw: RawSheet, skip: int, width: int, numbers: frozenset[int]):
    """The body as polars reads it: text, or Float64 in the columns `numbers`; None when the parser cannot read
    it so (a cell of a number column that is no number, or a stray quote)."""
    import polars as pl

    if raw.csv_text is None:
        source: Any = raw.csv_path
    else:  # UTF-16 and Windows-1252 files were decoded already; polars reads UTF-8
        source = io.BytesIO(raw.csv_text.encode("utf-8"))
    # Title rows are skipped by line when they hold quotes: a lone inch mark (27" screen) above the header
    # must not open a quoted field that swallows the data.
    quoted = any('"' in str(cell) for r in raw.rows[:skip] for cell in r) and len(raw.csv_line_ends) >= skip
    try:
        return pl.read_csv(source, has_header=False, separator=raw.csv_delimiter, quote_char='"',
                           schema={f"c{i}": pl.Float64 if i in numbers else pl.String for i in range(width)},
                           missing_columns="insert", encoding="utf8-lossy", truncate_ragged_lines=True,
                           raise_if_empty=False, skip_lines=raw.csv_line_ends[skip - 1] if quoted else 0,
                           skip_rows=0 if quoted else skip)
    except pl.exceptions.NoDataError:
        return pl.DataFrame()
    except pl.exceptions.ComputeError:
        return None


def _plain_numbers(frame, numbers: frozenset[int]) -> bool:
    """Whether every number column read holds finite numbers only (NaN or inf written out is for the careful
    reading to judge)."""
    from importers.columnar import finite

    return all(finite(frame.to_series(index)) for index in numbers if index < frame.width)


def cell_text(value: Any) -> Any:
    """A cell as the file showed it: a number read by the parser as its plain text (1200, not 1200.0)."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value) if isinstance(value, float) else value


def _swallowed(rows: list[list], first_row: int) -> list[tuple[int, str]]:
    """Cells near the end holding many lines: a quote opened and never closed reads the rest of the file
    into one cell (the csv rules say so; it is nearly always a damaged export)."""
    found = []
    for offset, row in enumerate(rows):
        for index, cell in enumerate(row):
            lines = cell.count("\n") + 1 if isinstance(cell, str) else 1
            if lines > 20:
                found.append((first_row + offset, f"a cell in column {column_letter(index)} runs over {lines:,} lines "
                                                  "of the file: a quote that is never closed takes the rest of the "
                                                  "file into one cell — check the quotes in this row"))
    return found


def _csv_rows(raw: RawSheet, skip: int, width: int):
    """The body read row by row with the csv module (quotes count only at the start of a cell)."""
    import polars as pl

    if raw.csv_text is not None:
        text = raw.csv_text
    elif raw.csv_path is not None:
        text = raw.csv_path.read_text(raw.csv_codec, errors="replace")
    else:
        raise ValueError(f"sheet '{raw.name}' is no CSV file: it has neither a CSV path nor a CSV text")
    rows = list(csv.reader(io.StringIO(text), delimiter=raw.csv_delimiter))[skip:]
    width = max([width, *map(len, rows)])
    cells = [[(r[i] if i < len(r) else None) for r in rows] for i in range(width)]
    return pl.DataFrame({f"c{i}": pl.Series(values, dtype=pl.String) for i, values in enumerate(cells)})


def _blank_rows(frame):
    """Rows whose every cell is empty or blank (None when there are none, the common case)."""
    import polars as pl

    def empty(name: str):
        return pl.col(name).is_null() | (pl.col(name).str.strip_chars() == "")

    if any(c.dtype != pl.String and not c.null_count() for c in frame.get_columns()):
        return None  # a number read in every row (a blank cell of a number column reads as null)
    first = frame.to_series(0)
    if first.dtype == pl.String and not first.null_count() and not first.str.contains(r"^\s*$").any():
        return None
    return frame.select(pl.all_horizontal([empty(c) if frame[c].dtype == pl.String else pl.col(c).is_null()
                                           for c in frame.columns])).to_series()


def _blank(row: list) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) or (isinstance(v, float) and np.isnan(v))
               for v in row)


def _is_total(row: list) -> bool:
    texts = [v for v in row if isinstance(v, str) and v.strip()]
    return bool(texts) and bool(_TOTAL.match(texts[0])) and (row.index(texts[0]) < 3 or len(texts) == 1)
