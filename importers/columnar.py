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


def factorised(series: pl.Series, *, most: int) -> tuple[list[Any], np.ndarray] | None:
    """The distinct cells ("" for empty) in order of appearance and each row's index into them; None when
    there are more than `most` (ticket ids: converting them one by one is as quick)."""
    filled = series.fill_null("")
    distinct = filled.unique(maintain_order=True)
    if len(distinct) > most:
        return None
    labels = distinct.to_list()
    return labels, filled.cast(pl.Enum(labels)).to_physical().to_numpy().astype(np.int64)

