"""Converting polars string columns (a CSV body) column-wise, with the cell-by-cell readers for the rest.

Every converter here gives exactly what its list counterpart in importers/values.py gives; it only
spares the Python objects for the cells a vectorised reading settles. Cells it cannot settle go to
the list converter, so messages and edge cases stay in one place.
"""

from __future__ import annotations

from typing import Any, TypeGuard

import numpy as np
import polars as pl

from importers.values import Problem, to_number


def is_series(cells: Any) -> TypeGuard[pl.Series]:
    return isinstance(cells, pl.Series)


def numbers(series: pl.Series, *, decimal_comma: bool) -> tuple[np.ndarray, list[Problem]]:
    """Floats (NaN when empty); cells a plain cast cannot read go through to_number (decimal commas, %…)."""
    plain = series
    if decimal_comma:  # 1.234,5 is a thousand and a bit
        plain = series.str.replace_all(".", "", literal=True).str.replace_all(",", ".", literal=True)
    direct = plain.cast(pl.Float64, strict=False)
    stuck = direct.is_null() & series.is_not_null()
    if decimal_comma:  # both separators (1,234.5): the careful reading decides which is the decimal one
        stuck = stuck | (series.str.contains(".", literal=True) & series.str.contains(",", literal=True))
    if direct.is_nan().any():  # "NaN" or "inf" written out: not a number either
        stuck = stuck | direct.is_nan()
    out = direct.to_numpy().astype(float, copy=True)  # missing -> NaN
    positions = np.flatnonzero(stuck.to_numpy())
    if not len(positions):
        return out, []
    values, problems = to_number(series.gather(positions).to_list(), decimal_comma=decimal_comma)
    out[positions] = values
    return out, [(int(positions[i]), code, message) for i, code, message in problems]


def plain_numbers(series: pl.Series, *, decimal_comma: bool, markers: frozenset[str]) -> np.ndarray | None:
    """Floats (NaN when empty) when every filled cell is a plain finite number that a cast reads, and no null
    marker reads as a number; None otherwise (then `numbers`, after the null markers, decides cell by cell).

    What `numbers` gives then too, without looking for null markers first: a cell a cast reads as a finite number
    cannot hold one, unless a marker reads as a number itself (written as it is, or in capitals: a number's text
    changes under case-folding only in its exponent's 'E')."""
    if series.dtype == pl.Float64 and not decimal_comma:  # read as numbers by the CSV parser (body._csv_body)
        return series.to_numpy()  # missing -> NaN; without one, polars' own buffer (read-only): not a second copy
    if decimal_comma or series.dtype != pl.String or read_as_numbers(markers):
        return None
    direct = series.cast(pl.Float64, strict=False)
    if direct.null_count() != series.null_count() or not finite(direct):
        return None  # a filled cell that is no plain number (or is NaN or inf written out): the careful reading
    return direct.to_numpy().astype(float, copy=True)  # missing -> NaN


def finite(numbers: pl.Series) -> bool:
    """Whether no number read is NaN or infinite (written out as such: for the careful reading to judge)."""
    return not numbers.is_nan().any() and not numbers.is_infinite().any()


def read_as_numbers(markers: frozenset[str]) -> bool:
    """Whether a null marker, as written or in capitals, reads as a number itself."""
    texts = sorted({*markers, *(m.upper() for m in markers)})
    return bool(texts) and pl.Series(texts, dtype=pl.String).cast(pl.Float64, strict=False).is_not_null().any()


def all_plain_numbers(cells: list[Any]) -> bool:
    """Whether every filled cell of a sample (a CSV's text) is a plain finite number a cast reads, as
    `plain_numbers` judges a column (the caller has checked the decimal comma and the null markers)."""
    texts = [c for c in cells if c is not None and c != ""]
    return bool(texts) and plain_numbers(pl.Series(texts, dtype=pl.String), decimal_comma=False,
                                         markers=frozenset()) is not None


def factorised(series: pl.Series, *, most: int) -> tuple[list[Any], np.ndarray] | None:
    """The distinct cells ("" for empty) in order of appearance and each row's index into them; None when
    there are more than `most` (ticket ids: converting them one by one is as quick)."""
    if series.dtype == pl.Categorical:
        return _factorised_categories(series, most=most)
    filled = series.fill_null("")
    distinct = filled.unique(maintain_order=True)
    if len(distinct) > most:
        return None
    labels = distinct.to_list()
    return labels, filled.cast(pl.Enum(labels)).to_physical().to_numpy().astype(np.int64)


def _factorised_categories(series: pl.Series, *, most: int) -> tuple[list[Any], np.ndarray] | None:
    """`factorised` for a categorical column (see `compact`): its rows' category ids, renumbered."""
    distinct = series.unique(maintain_order=True)
    if len(distinct) > most:
        return None
    texts = distinct.cast(pl.String).fill_null("").to_list()
    position = {text: i for i, text in enumerate(dict.fromkeys(texts))}  # empty and "" are one label, as in a text
    labels = list(position)  # column; looked up by text (labels.index was a scan per label: 36,000 ids took 4 s)
    ids = distinct.to_physical().to_numpy()  # float with NaN where a row is empty
    known = ids[~np.isnan(ids)] if ids.dtype.kind == "f" else ids
    empty = int(known.max()) + 1 if len(known) else 0  # an id no category has
    keys = np.where(np.isnan(ids), empty, ids).astype(np.int64) if ids.dtype.kind == "f" else ids.astype(np.int64)
    order = np.argsort(keys)
    codes = np.asarray([position[text] for text in texts], dtype=np.int64)[order]
    return labels, codes[np.searchsorted(keys[order], series.to_physical().fill_null(empty).to_numpy())]


def compact(cells: Any) -> Any:
    """A text column that repeats a few cells (a quarter or fewer of its first 10,000 distinct) as a categorical:
    the same cells, read back as the same text, in a quarter of the memory (a million samples' numbers and probes
    are 45 MB less). Any other column as it is."""
    if not is_series(cells) or cells.dtype != pl.String:
        return cells
    sample = cells.head(10_000)
    if sample.n_unique() * 4 > len(sample):
        return cells
    return cells.cast(pl.Categorical)
