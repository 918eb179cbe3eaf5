"""One mapped column's cells -> one typed column and the cells it could not read.

A column is converted on its own (two at a time for a big CSV, in threads): everything a conversion
needs is in a frozen `Reading` shared by every column of the sheet and in the `Column` itself, and
what it has to say comes back as findings, never through a shared list.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from importers import columnar
from importers.dates import DateColumn
from importers.nulls import blank_nulls, null_markers
from importers.reading import RawSheet
from importers.values import NA_TIME, Problem, relabel, to_bool, to_money, to_number, to_period, to_priority, to_text
from sltdesk.domain.raw import FieldSpec, FieldType, Finding, ImportOptions, Severity


@dataclass(frozen=True, eq=False)
class Reading:
    """How the cells of one sheet are read: the same for each of its columns."""

    sheet: str  # the sheet's name, for the findings
    rows: np.ndarray  # the sheet row of each position
    timezone: str
    dayfirst: bool | None
    date1904: bool
    decimal_comma: bool
    value_map: Mapping[str, dict[str, str]]  # field -> label -> the user's value
    markers: Any  # the null markers, as null_markers() gives them

    @classmethod
    def of(cls, raw: RawSheet, options: ImportOptions, rows: np.ndarray) -> Reading:
        """The reading of a RawSheet's body under the user's options."""
        value_map: dict[str, dict[str, str]] = {}
        for field_name, label, value in options.value_map:
            value_map.setdefault(field_name, {})[label] = value
        return cls(sheet=raw.name, rows=rows, timezone=options.timezone, dayfirst=options.dayfirst,
                   date1904=raw.date1904, decimal_comma=raw.decimal_comma, value_map=value_map,
                   markers=null_markers(options.null_markers))

    def dates(self) -> DateColumn:
        return DateColumn(timezone=self.timezone, dayfirst=self.dayfirst, date1904=self.date1904)


@dataclass(frozen=True, eq=False)
class Column:
    """The cells of one mapped field, and where they are ("C 'Opened'", "title row 2")."""

    spec: FieldSpec
    cells: Any
    where: str


def typed(column: Column, reading: Reading) -> tuple[Any, list[Problem], list[Finding]]:
    """The column's values, its unreadable cells as (position, code, message), and what is worth saying."""
    notes: list[Finding] = []
    plain = _plain(column, reading, notes)
    if plain is not None:  # a CSV column of plain dates or numbers: read in one go, no null marker in it
        return plain, [], notes
    cells, nulls, seen = blank_nulls(column.cells, reading.markers)
    if nulls:
        notes.append(Finding(Severity.INFO, "null-marker", f"{nulls:,} cell{'s' if nulls > 1 else ''} holding a "
                             f"null marker ({', '.join(sorted(seen))}) read as empty", reading.sheet, None,
                             column.where))
    kind = column.spec.type
    values: Any  # times as an array, numbers as an array, money as a list, labels as a list or a categorical
    if kind is FieldType.DATETIME:
        values, problems = _dates(cells, column.where, reading, notes)
    elif kind is FieldType.NUMBER:
        values, problems = (columnar.numbers(cells, decimal_comma=reading.decimal_comma) if columnar.is_series(cells)
                            else to_number(cells, decimal_comma=reading.decimal_comma))
    elif kind is FieldType.MONEY:
        values, problems = to_money(cells.to_list() if columnar.is_series(cells) else cells,
                                    decimal_comma=reading.decimal_comma)
    else:
        values, problems = by_distinct_value(kind, column.spec.name, cells, reading.value_map)
    return values, problems, notes


def _plain(column: Column, reading: Reading, notes: list[Finding]) -> np.ndarray | None:
    """A CSV column of dates or numbers whose every cell reads in one go, read so; None for any other column."""
    cells, kind = column.cells, column.spec.type
    if not columnar.is_series(cells) or kind not in (FieldType.DATETIME, FieldType.NUMBER):
        return None
    if kind is FieldType.NUMBER:
        return columnar.plain_numbers(cells, decimal_comma=reading.decimal_comma, markers=reading.markers)
    converter = reading.dates()
    values = converter.plain_series(cells, reading.markers)
    if values is not None:
        _date_notes(converter, column.where, reading, notes)
    return values


def _dates(cells: Any, where: str, reading: Reading, notes: list[Finding]) -> tuple[np.ndarray, list[Problem]]:
    """Epoch seconds UTC; the day order chosen, or found ambiguous, and local times moved at a clock change are
    noted."""
    converter = reading.dates()
    values, problems = converter.convert(cells)
    _date_notes(converter, where, reading, notes)
    return values, problems


def _date_notes(converter: DateColumn, where: str, reading: Reading, notes: list[Finding]) -> None:
    if converter.decision:
        notes.append(Finding(Severity.INFO, "date-order", converter.decision, reading.sheet, None, where))
    if converter.ambiguous_order:
        notes.append(Finding(Severity.ERROR, "ambiguous-dates", "every text date could be day-first or "
                             "month-first (e.g. 03/04/2026); choose with --dayfirst or --no-dayfirst",
                             reading.sheet, None, where))
    for pos, sentence in converter.shifted:
        notes.append(Finding(Severity.WARNING, "dst-local-time", sentence, reading.sheet, int(reading.rows[pos]),
                             where))


def by_distinct_value(kind: FieldType, name: str, cells: Any, value_map: Mapping[str, dict[str, str]]):
    """Columns that repeat a few labels (priority, service, status, probe) are converted once per label."""
    if columnar.is_series(cells):
        found = columnar.factorised(cells, most=len(cells) // 4) if len(cells) > 5000 else None
        if found is None:
            return _labels(kind, name, cells.to_list(), value_map)
        uniques, codes = found
        return _expand(kind, *_labels(kind, name, uniques, value_map), codes)
    if len(cells) > 5000 and len(set(cells[:2000])) < 500:  # ticket ids are all different: no gain there
        codes, distinct = pd.factorize(pd.Series(cells, dtype=object), use_na_sentinel=False)
        if len(distinct) * 4 < len(cells):  # factorize makes an empty cell (None) NaN: it stays empty
            labels = [None if isinstance(u, float) and u != u else u for u in distinct]
            return _expand(kind, *_labels(kind, name, labels, value_map), codes)
    return _labels(kind, name, cells, value_map)


def _expand(kind: FieldType, values: list, problems: list, codes: np.ndarray) -> tuple[Any, list]:
    """Per-label results back to one per row: text labels as a categorical column (a code per row)."""
    expanded = []
    if problems:  # the rows of each troublesome label, found with one sort (there may be many such labels)
        order = np.argsort(codes, kind="stable")
        ordered = codes[order]
        for index, code, message in problems:
            start, end = np.searchsorted(ordered, [index, index + 1])
            expanded += [(int(pos), code, message) for pos in order[start:end]]
    if kind is FieldType.BOOL:
        return np.asarray(values, dtype=object)[codes].tolist(), sorted(expanded)
    labels = sorted({v for v in values if v is not None})
    where = {label: i for i, label in enumerate(labels)}
    recode = np.asarray([where.get(v, -1) if v is not None else -1 for v in values], dtype=np.int64)
    return pd.Categorical.from_codes(recode[codes], categories=pd.Index(labels)), sorted(expanded)


def _labels(kind: FieldType, name: str, cells: Any,
            value_map: Mapping[str, dict[str, str]]) -> tuple[list[bool | None] | list[str | None], list[Problem]]:
    if kind is FieldType.BOOL:
        labels = {k: v.lower() in ("true", "yes", "1") for k, v in value_map.get(name, {}).items()}
        return to_bool(cells, labels)
    if kind is FieldType.PRIORITY:
        return to_priority(cells, value_map.get(name))
    if kind is FieldType.PERIOD:
        return to_period(cells)
    texts, problems = to_text(cells)
    return relabel(texts, value_map.get(name)), problems


def emptied(values: Any, positions: list[int]) -> Any:
    """The column with the cells at `positions` empty (no time, NaN, no label)."""
    if isinstance(values, np.ndarray):
        array = values.copy()
        array[positions] = NA_TIME if array.dtype == np.int64 else (np.nan if array.dtype.kind == "f" else None)
        return array
    if isinstance(values, pd.Categorical):
        codes = values.codes.copy()
        codes[positions] = -1
        return pd.Categorical.from_codes(codes, categories=values.categories)
    out = list(values)
    for pos in positions:
        out[pos] = None
    return out


def has_blank(values: Any) -> bool:
    """Whether a converted column has an empty value (an unreadable cell reads as one too)."""
    if isinstance(values, np.ndarray):
        if values.dtype == np.int64:
            return bool((values == NA_TIME).any())
        if values.dtype.kind == "f":
            return bool(np.isnan(values).any())
    if isinstance(values, pd.Categorical):
        return bool((values.codes < 0).any())
    return any(v is None for v in values)
