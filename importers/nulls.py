"""Null markers: the words tools write for "no value" (ServiceNow's `?`, NULL, N/A, -, —, (blank), None …).

A cell holding one (after trimming, ignoring case) is read as empty in every column, so an optional field is
simply left empty rather than failing to parse. `--null TEXT` (repeatable) and a mapping profile add more.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import polars as pl

DEFAULT_MARKERS = ("?", "null", "n/a", "#n/a", "-", "—", "–", "(blank)", "(empty)", "none", "nil")


def null_markers(extra: Iterable[str] = ()) -> frozenset[str]:
    """The markers to blank: the usual ones and the user's, trimmed and case-folded."""
    return frozenset(m.strip().casefold() for m in (*DEFAULT_MARKERS, *extra) if m.strip())


def blank_nulls(cells: Any, markers: frozenset[str]) -> tuple[Any, int, set[str]]:
    """The cells with every null marker replaced by None (a polars text column stays one), how many there were,
    and the markers found, as written."""
    if isinstance(cells, pl.Series):
        if cells.dtype == pl.Categorical:  # repetitive labels (columnar.compact): its few labels are looked at
            if _marker_cells(cells.unique().cast(pl.String), markers).is_empty():
                return cells, 0, set()
            cells = cells.cast(pl.String)
        if cells.dtype != pl.String:
            return cells, 0, set()
        found = _marker_cells(cells, markers)
        if found.is_empty():
            return cells, 0, set()
        hit = cells.is_in(found.implode()).fill_null(False)
        seen = set(found.str.strip_chars().to_list())
        return pl.select(pl.when(hit).then(None).otherwise(cells).alias(cells.name)).to_series(), int(hit.sum()), seen
    hits = _marker_texts(cells, markers)
    if not hits:  # the common case: the cells as they are
        return cells, 0, set()
    out = [None if type(cell) is str and cell in hits else cell for cell in cells]
    count = sum(1 for cell in cells if type(cell) is str and cell in hits)
    return out, count, {text.strip() for text in hits}


def _marker_texts(cells: Any, markers: frozenset[str]) -> set[str]:
    """The distinct text cells of a workbook column that hold a null marker, as written. A column that repeats a
    few cells (priorities) is looked at once per distinct cell, any other (ids, times) cell by cell; a text is
    trimmed and case-folded only when it is short enough to be a marker or has spaces around it
    (case-folding never shortens a text)."""
    if not markers:
        return set()
    longest = max(map(len, markers))
    texts = cells
    try:
        if len(set(cells[:1000])) * 4 <= min(len(cells), 1000):
            texts = set(cells)
    except TypeError:  # an unhashable cell: every cell is looked at
        pass
    return {cell for cell in texts if type(cell) is str and (len(cell) <= longest or cell.strip() != cell)
            and cell.strip().casefold() in markers}


def _marker_cells(cells: pl.Series, markers: frozenset[str]) -> pl.Series:
    """The distinct cells of a text column that hold a null marker (trimmed, lower-cased), as written.

    A column that repeats a few values (numbers, labels, probes) is tested on its distinct cells only: a
    million of them are settled in a few thousandths of a second instead of trimming and lower-casing every
    cell (that took a fifth of a million-sample import). In columns of mostly different cells (times, ids) only
    the cells no longer than the longest marker once trimmed are tested: lower-casing never shortens a text."""
    sample = cells.head(10_000)
    if sample.n_unique() * 4 <= len(sample):
        pool = cells.unique()
    else:
        pool = cells.filter(cells.str.strip_chars().str.len_chars() <= max(map(len, markers), default=0))
    hit = pool.str.strip_chars().str.to_lowercase().is_in(list(markers)).fill_null(False)
    return pool.filter(hit).unique()
