"""The data rows under the header, held column by column (one list per sheet column).

Workbook rows are transposed once; CSV bodies are read by pandas' C parser, with the columns the
mapping treats as text read as text (so ticket '007' keeps its zeros) and numbers parsed on the way.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from importers.reading import RawSheet

_TOTAL = re.compile(r"^\s*(grand\s+)?(total|totals|sum|summe|gesamt|gesamtsumme|totaal|totale|insgesamt)\b",
                    re.IGNORECASE)


@dataclass
class Body:
    columns: list[Sequence[Any]]
    rows: list[int]
    preview: list[list[Any]]
    total_row: int | None = None  # the sheet row of a trailing total row that was left out

    def __len__(self) -> int:
        return len(self.rows)

    def column(self, index: int) -> Sequence[Any]:
        if 0 <= index < len(self.columns):
            return self.columns[index]
        return [None] * len(self.rows)


def read_body(raw: RawSheet, header: int, *, text_columns: set[int]) -> Body:
    if raw.csv_text is not None:
        return _csv_body(raw, header, text_columns)
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
    columns = list(zip(*body, strict=True)) if body else []  # tuples: the converters only read them
    return Body(columns, rows, [list(r) for r in body[:20]], total)


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


def _csv_body(raw: RawSheet, header: int, text_columns: set[int]) -> Body:
    skip = header + 1
    source = raw.csv_path if raw.csv_path is not None and raw.csv_codec != "utf-16" else io.StringIO(raw.csv_text)
    frame = pd.read_csv(source, encoding=raw.csv_codec, sep=raw.csv_delimiter, header=None, skiprows=skip,
                        dtype={i: str for i in text_columns}, keep_default_na=False, na_values={},
                        skip_blank_lines=False, decimal="," if raw.decimal_comma else ".",
                        thousands="." if raw.decimal_comma else None, quoting=csv.QUOTE_MINIMAL, engine="c",
                        on_bad_lines="skip", low_memory=False, encoding_errors="replace")
    first_row = raw.first_row + skip
    tail = max(0, len(frame) - 50)
    end, total = _trim_end(frame.iloc[tail:].astype(object).values.tolist(), first_row + tail)
    frame = frame.iloc[:tail + end]
    blank = (frame.isna() | (frame.astype(str).apply(lambda c: c.str.strip()) == "")).all(axis=1).to_numpy() \
        if frame.shape[1] and _might_have_blank_lines(raw.csv_text) else np.zeros(len(frame), dtype=bool)
    rows = (np.arange(len(frame)) + first_row)[~blank].tolist()
    frame = frame[~blank]
    columns: list[Sequence[Any]] = []
    for index in range(frame.shape[1]):
        series = frame[index]
        if series.dtype.kind in "fiu":
            columns.append(series.to_numpy(dtype=float))
        else:
            columns.append(series.tolist())
    preview = frame.iloc[:20].astype(object).where(frame.iloc[:20].notna(), "").values.tolist()
    return Body(columns, rows, preview, total)


def _might_have_blank_lines(text: str) -> bool:
    """Blank or separator-only lines inside the data (a cheap test that spares the full check)."""
    return bool(re.search(r"\n[ \t;,|]*\r?\n(?=.)", text))


def _blank(row: list) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) or (isinstance(v, float) and np.isnan(v))
               for v in row)


def _is_total(row: list) -> bool:
    texts = [v for v in row if isinstance(v, str) and v.strip()]
    return bool(texts) and bool(_TOTAL.match(texts[0])) and (row.index(texts[0]) < 3 or len(texts) == 1)
