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
        if cells.dtype != pl.String:
            return cells, 0, set()
        stripped = cells.str.strip_chars()
        hit = stripped.str.to_lowercase().is_in(list(markers)).fill_null(False)
        count = int(hit.sum())
        if not count:
            return cells, 0, set()
        seen = set(stripped.filter(hit).unique().to_list())
        return pl.select(pl.when(hit).then(None).otherwise(cells).alias(cells.name)).to_series(), count, seen
    count, seen = 0, set()
    out: list[Any] = []
    for cell in cells:
        if isinstance(cell, str) and cell.strip().casefold() in markers:
            out.append(None)
            count += 1
            seen.add(cell.strip())
        else:
            out.append(cell)
    return (out, count, seen) if count else (cells, 0, set())
