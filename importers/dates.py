"""Date/time columns to UTC epoch seconds — vectorised for the shapes exports really have.

Workbook date cells, Excel serials (1900 and 1904 systems), ISO 8601 text (with or without a zone)
and fixed-width day/month text (31.03.2026 14:05) are converted column-wise; anything else falls back
to a cell-by-cell reading. Day-first vs month-first is decided from the whole column.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Any

import numpy as np
import pandas as pd
import polars as pl

NA_TIME = np.iinfo(np.int64).min
Problem = tuple[int, str, str]
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$")
_DMY = re.compile(r"^(\d{1,2})[./-](\d{1,2})[./-](\d{4}|\d{2})"
                  r"(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?)?$")
_YEAR_FIRST = re.compile(r"^\d{4}[-/.]?\d{1,2}")
_DIGIT_POSITIONS = {10: (0, 1, 3, 4, 6, 7, 8, 9), 16: (0, 1, 3, 4, 6, 7, 8, 9, 11, 12, 14, 15),
                    19: (0, 1, 3, 4, 6, 7, 8, 9, 11, 12, 14, 15, 17, 18)}


_HALVES_FROM = 200_000  # cells: a column this long is read in two halves at once


def _to_datetime(values: pl.Series, layout: str) -> pl.Series:
    """polars' reading of text in one layout (null where a cell is not in it); a long column's two halves on two
    threads (polars lets go of the GIL while it reads: a million times take half the time)."""
    def read(part: pl.Series) -> pl.Series:
        return part.str.to_datetime(layout, strict=False, time_unit="us", cache=False)

    if len(values) < _HALVES_FROM:
        return read(values)
    from concurrent.futures import ThreadPoolExecutor

    half = len(values) // 2
    with ThreadPoolExecutor(max_workers=2) as pool:
        first, second = pool.map(read, (values.slice(0, half), values.slice(half)))
    return first.append(second)


class DateColumn:
    """Converts one column of date/time cells to UTC epoch seconds, noting what it had to decide."""

    def __init__(self, *, timezone: str, dayfirst: bool | None, date1904: bool):
        self.timezone = timezone
        self.dayfirst = dayfirst
        self.date1904 = date1904
        self.decision = ""  # e.g. "text dates read day-first (a day above 12 stands first)"
        self.ambiguous_order = False
        self.shifted: list[tuple[int, str]] = []  # DST: (index, sentence)

    def convert(self, values: list[Any]) -> tuple[np.ndarray, list[Problem]]:
        if isinstance(values, pl.Series):
            return self._series(values)
        n = len(values)
        local = np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")
        utc = np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")
        problems: list[Problem] = []
        present = set(map(type, values))
        if present <= {datetime, date, pd.Timestamp}:  # every cell a workbook date: one conversion
            local[:] = pd.to_datetime(pd.Series(values, dtype=object)).to_numpy(dtype="datetime64[ns]")
            return self._localise(local), problems
        if present == {str}:  # every cell text (CSV): no per-cell bookkeeping
            self._all_text(values, local, utc, problems)
            return self._finish(local, utc), problems
        kinds = [type(v) for v in values]
        stamps = [i for i, k in enumerate(kinds) if k is datetime or k is date or k is pd.Timestamp]
        if stamps:
            local[stamps] = pd.to_datetime(pd.Series([values[i] for i in stamps], dtype=object)).to_numpy(
                dtype="datetime64[ns]")
        serials = [i for i, k in enumerate(kinds) if k is float or k is int] if present & {float, int} else []
        if serials:
            base = np.datetime64("1904-01-01" if self.date1904 else "1899-12-30", "s")
            days = np.asarray([values[i] for i in serials], dtype=float)
            good = ~np.isnan(days)
            seconds = np.round(days[good] * 86400).astype(np.int64)
            local[np.asarray(serials)[good]] = (base + seconds.astype("timedelta64[s]")).astype("datetime64[ns]")
        if time in present:
            problems += [(i, "time-without-date", f"'{values[i]}' is a time without a date")
                         for i, k in enumerate(kinds) if k is time]
        if str in present:
            index = np.asarray([i for i, k in enumerate(kinds) if k is str], dtype=np.int64)
            texts = np.asarray([values[i] for i in index], dtype=object)
            texts = np.asarray([t.strip() for t in texts], dtype=object)
            filled = texts != ""
            self._texts(index[filled], texts[filled], local, utc, problems)
        return self._finish(local, utc), problems

    def _all_text(self, values: list[str], local: np.ndarray, utc: np.ndarray, problems: list[Problem]) -> None:
        """A column whose every cell is text: the empty ones left out, the rest read into local or utc."""
        n = len(values)
        texts = [v.strip() for v in values]  # every cell: one of spaces alone is empty, as in a CSV's series
        filled = [i for i, t in enumerate(texts) if not t] if "" in texts else None
        index = np.arange(n, dtype=np.int64)
        if not filled:
            self._texts(index, texts, local, utc, problems)
            return
        keep = np.ones(n, dtype=bool)
        keep[filled] = False
        self._texts(index[keep], np.asarray(texts, dtype=object)[keep], local, utc, problems)

    def plain_series(self, values: pl.Series, markers: frozenset[str]) -> np.ndarray | None:
        """A column of CSV text whose every cell is filled and has the one ISO 8601 layout polars reads: what
        `convert` gives for it, without looking for null markers first (no cell of that layout holds one unless
        a marker reads in the layout itself, as written or in capitals: case-folding changes only its 'T' and
        'Z'). None for any other column (an empty or unreadable cell): `convert` then reads it after the markers.
        """
        n = len(values)
        if not n or values.dtype != pl.String or values.null_count():
            return None
        shape = _polars_format(values.gather_every(max(1, n // 200)).to_list())  # `_series`'s very sample
        if shape is None:
            return None
        layout, aware = shape
        texts = sorted({*markers, *(m.upper() for m in markers)})
        if texts and pl.Series(texts, dtype=pl.String).str.to_datetime(layout, strict=False, time_unit="us",
                                                                       cache=False).is_not_null().any():
            return None
        parsed = _to_datetime(values, layout)
        if parsed.null_count():  # an empty cell ("") or one of another shape
            return None
        if aware:  # UTC already: epoch seconds straight from polars
            return parsed.dt.epoch("s").to_numpy().astype(np.int64, copy=True)
        return self._localise(parsed.to_numpy().astype("datetime64[ns]"))

    def _series(self, values: pl.Series) -> tuple[np.ndarray, list[Problem]]:
        """A column of CSV text: ISO 8601 read by polars in one go, every other cell as a list of text."""
        n = len(values)
        local = np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")
        utc = np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")
        problems: list[Problem] = []
        rest = values.is_not_null() & (values != "")
        filled = values.filter(rest)
        shape = _polars_format(filled.gather_every(max(1, len(filled) // 200)).to_list()) if len(filled) else None
        done = None
        if shape is not None:
            layout, aware = shape
            parsed = _to_datetime(values, layout)
            read = parsed.is_not_null()
            done = read.to_numpy()
            if aware:  # UTC already: epoch seconds straight from polars
                seconds = parsed.dt.epoch("s").to_numpy()
            else:
                local[done] = parsed.to_numpy()[done].astype("datetime64[ns]")
            rest = rest & ~read
        index = np.flatnonzero(rest.to_numpy())
        if len(index):  # cells in another shape (or with spaces around them)
            cells = (values if len(index) == n else values.gather(index)).str.strip_chars()
            nonempty = (cells != "").to_numpy()
            index, cells = index[nonempty], cells.filter(nonempty)
            by_bytes = self._fixed_width_series(index, cells, local)  # from their bytes: no Python text per cell
            if by_bytes is None:
                self._texts(index, np.asarray(cells.to_list(), dtype=object), local, utc, problems)
            else:  # where `_texts` would go after `_fixed_width`
                rest_cells = ~by_bytes
                self._cell_by_cell(index[rest_cells], np.asarray(cells.filter(rest_cells).to_list(), dtype=object),
                                   local, utc, problems)
        out = self._finish(local, utc)
        if shape is not None and shape[1]:
            out[done] = seconds[done]
        return out, problems

    def _finish(self, local: np.ndarray, utc: np.ndarray) -> np.ndarray:
        out = self._localise(local)
        aware = ~np.isnat(utc)
        out[aware] = utc[aware].astype("datetime64[s]").astype(np.int64)
        return out

    def _texts(self, index: np.ndarray, texts: np.ndarray | list[str], local: np.ndarray, utc: np.ndarray,
               problems: list[Problem]) -> None:
        for reader in (self._iso, self._fixed_width):
            if not len(texts):
                return
            done = reader(index, texts, local, utc)
            if done.any():
                index, texts = index[~done], np.asarray(texts, dtype=object)[~done]
        self._cell_by_cell(index, texts, local, utc, problems)

    def _iso(self, index, texts, local, utc) -> np.ndarray:
        """ISO 8601 text (2026-03-01T00:05:00Z) in one go; returns which cells were read."""
        done = np.zeros(len(texts), dtype=bool)
        aware = _iso_sample(texts[:: max(1, len(texts) // 200)])
        if aware is None:
            return done
        parsed = pd.to_datetime(pd.Series(texts), format="ISO8601", errors="coerce", utc=aware)
        if aware:
            parsed = parsed.dt.tz_convert("UTC").dt.tz_localize(None)
        values = parsed.to_numpy(dtype="datetime64[ns]")
        done = ~np.isnat(values)
        (utc if aware else local)[index[done]] = values[done]
        return done

    def _fixed_width(self, index, texts, local, utc) -> np.ndarray:
        """dd.mm.yyyy[ HH:MM[:SS]] or mm/dd/yyyy…, all cells the same width: read as a digit matrix."""
        done = np.zeros(len(texts), dtype=bool)
        width = len(texts[0])
        if width not in _DIGIT_POSITIONS:
            return done
        try:
            joined = "".join(texts).encode("ascii")
        except UnicodeEncodeError:
            return done
        if any(len(t) != width for t in texts):  # not every cell has the same width (the total alone would let
            return done  # a short cell and a long one misalign every row between them)
        return self._digit_matrix(index, np.frombuffer(joined, dtype=np.uint8).reshape(len(texts), width), local)

    def _fixed_width_series(self, index: np.ndarray, cells: pl.Series, local: np.ndarray) -> np.ndarray | None:
        """What `_texts` reads of polars text cells (stripped, none empty) with `_fixed_width`, read from the
        column's joined bytes: a Python string per cell, and the memory they take (about 100 MB for 300,000 wall
        times), is never made. None where `_texts` would read otherwise: `_iso` first (its sample is ISO 8601),
        or `_fixed_width` reading nothing (cells of other widths, or not ASCII), so the cells go there instead."""
        if not len(cells) or _iso_sample(cells.gather_every(max(1, len(cells) // 200)).to_list()) is not None:
            return None
        lengths = cells.str.len_bytes()
        width = lengths.min()
        if not isinstance(width, int) or width != lengths.max() or width not in _DIGIT_POSITIONS:
            return None
        joined = cells.str.join("").item()
        if not joined.isascii():
            return None
        return self._digit_matrix(index, np.frombuffer(joined.encode("ascii"), dtype=np.uint8).reshape(
            len(cells), width), local)

    def _digit_matrix(self, index: np.ndarray, chars: np.ndarray, local: np.ndarray) -> np.ndarray:
        """The cells as rows of bytes (one uint8 matrix, all the same width): those in a day/month layout read into
        `local`; returns which were read. Digits are taken as small integers column by column, not as a matrix of
        int64s (300,000 wall times: 4 MB instead of 34)."""
        n, width = chars.shape
        done = np.zeros(n, dtype=bool)
        digits = chars[:, list(_DIGIT_POSITIONS[width])] - np.uint8(48)  # a byte below '0' wraps round above 9
        shaped = (digits <= 9).all(axis=1) & (chars[:, 2] == chars[:, 5])
        shaped &= np.isin(chars[:, 2], [ord("."), ord("/"), ord("-")])
        if width > 10:
            shaped &= np.isin(chars[:, 10], [ord(" "), ord("T")]) & (chars[:, 13] == ord(":"))
        if not shaped.any():
            return done
        d = digits[shaped]

        def number(*positions: int) -> np.ndarray:
            out = np.zeros(len(d), dtype=np.int64)
            for k in positions:
                out = out * 10 + d[:, k]
            return out

        first, second, year = number(0, 1), number(2, 3), number(4, 5, 6, 7)
        dayfirst = self._decide(first, second, chars[np.flatnonzero(shaped)[0]].tobytes().decode("ascii"))
        day, month = (first, second) if dayfirst else (second, first)
        seconds = np.zeros(len(d), dtype=np.int64)
        if width >= 16:
            seconds += number(8, 9) * 3600 + number(10, 11) * 60
        if width == 19:
            seconds += number(12, 13)
        valid = (month >= 1) & (month <= 12) & (day >= 1) & (day <= 31) & (seconds < 86400)
        months = ((year - 1970) * 12 + month - 1).astype("datetime64[M]")
        days = months.astype("datetime64[D]") + (day - 1).astype("timedelta64[D]")
        valid &= days.astype("datetime64[M]") == months  # 31.02. rolls into March: not a date
        stamps = (days.astype("datetime64[s]") + seconds.astype("timedelta64[s]")).astype("datetime64[ns]")
        rows = np.flatnonzero(shaped)[valid]
        local[index[rows]] = stamps[valid]
        done[rows] = True
        return done

    def _decide(self, first: np.ndarray, second: np.ndarray, example: str) -> bool:
        """Day-first or month-first, from the whole column (or as the user chose)."""
        if self.dayfirst is not None:
            order = "day" if self.dayfirst else "month"
            self.decision = f"text dates read {order}-first, as chosen (--dayfirst, the profile or the preset)"
            return self.dayfirst
        first_big, second_big = bool((first > 12).any()), bool((second > 12).any())
        if first_big and not second_big:
            self.decision = "text dates read day-first (a day above 12 stands first)"
            return True
        if second_big and not first_big:
            self.decision = "text dates read month-first (a day above 12 stands second)"
            return False
        if not first_big and not second_big and "." in example[:6]:
            self.decision = f"text dates such as '{example}' read day-first (dotted dates are written day-first)"
            return True
        self.ambiguous_order = True
        return True

    def _cell_by_cell(self, index, texts, local, utc, problems: list[Problem]) -> None:
        matches = [_DMY.match(t) for t in texts]
        dmy = [(i, t, m) for i, t, m in zip(index, texts, matches, strict=True) if m]
        if dmy:
            first = np.asarray([int(m[1]) for _, _, m in dmy])
            second = np.asarray([int(m[2]) for _, _, m in dmy])
            dayfirst = self._decide(first, second, dmy[0][1])
            for i, t, m in dmy:
                stamp = _dmy(m, dayfirst)
                if stamp is None:
                    problems.append((int(i), "bad-date", f"'{t}' is not a valid date"))
                else:
                    local[i] = np.datetime64(stamp, "ns")
        for i, t, matched in zip(index, texts, matches, strict=True):
            if matched:
                continue
            # day-first is for day/month text only: given it, pandas reads year-first text (2026-12-04) as
            # year-day-month (12 April), a layout no export writes
            stamp = pd.to_datetime(t, errors="coerce", dayfirst=bool(self.dayfirst) and not _YEAR_FIRST.match(t),
                                   format="mixed")
            if pd.isna(stamp):
                problems.append((int(i), "bad-date", f"'{t}' is not a date and time"))
            elif stamp.tzinfo is not None:
                utc[i] = stamp.tz_convert("UTC").tz_localize(None).to_datetime64()
            else:
                local[i] = stamp.to_datetime64()

    def _localise(self, local: np.ndarray) -> np.ndarray:
        """Wall times in the contract's zone to UTC; DST gaps and repeats are flagged, never guessed silently."""
        out = np.full(len(local), NA_TIME, dtype=np.int64)
        present = ~np.isnat(local)
        if not present.any():
            return out
        index = pd.DatetimeIndex(local[present])
        strict = index.tz_localize(self.timezone, ambiguous="NaT", nonexistent="NaT")
        unsure = np.flatnonzero(strict.isna())
        if len(unsure):
            # A wall time inside the spring-forward gap moves on by the usual hour (01:30 → 02:30 BST).
            resolved = index.tz_localize(self.timezone, ambiguous=np.ones(len(index), dtype=bool),
                                         nonexistent=pd.Timedelta(hours=1))
            gaps = index[unsure].tz_localize(self.timezone, ambiguous=True, nonexistent="NaT").isna()
            positions = np.flatnonzero(present)
            for k, is_gap in zip(unsure, gaps, strict=True):
                when = index[int(k)].strftime("%d.%m.%Y %H:%M")
                read = resolved[int(k)].strftime("%H:%M %Z")
                self.shifted.append((int(positions[k]), (
                    f"{when} does not exist in {self.timezone} (clocks went forward); read as {read}" if is_gap else
                    f"{when} occurs twice in {self.timezone} (clocks went back); read as the first, {read}")))
            strict = resolved
        out[present] = strict.tz_convert("UTC").asi8 // 1_000_000_000
        return out


def _iso_sample(sample: list[str] | np.ndarray) -> bool | None:
    """Whether sampled text cells are ISO 8601 with a zone (True) or without one (False), or None when a sampled
    cell is not ISO 8601 or some have a zone and some not: then `_iso` reads none of the column."""
    matches = [_ISO.match(t) for t in sample]
    aware = [bool(m.group(1)) for m in matches if m is not None]
    if len(aware) != len(matches) or not aware or (any(aware) and not all(aware)):
        return None
    return aware[0]


_POLARS_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}(?:([T ])\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z?)$")


def _polars_format(sample: list[str]) -> tuple[str, bool] | None:
    """The strftime layout every sampled cell has (2026-03-01T00:05:00Z…) and whether it is UTC; else None."""
    shapes = {(m[1], bool(m[2]), bool(m[3]), m[4]) if m else None for m in map(_POLARS_ISO.match, sample)}
    shape = shapes.pop() if len(shapes) == 1 else None
    if shape is None:
        return None
    separator, seconds, fraction, zulu = shape
    layout = "%Y-%m-%d"
    if separator:
        layout += f"{separator}%H:%M" + (":%S" if seconds else "") + ("%.f" if fraction else "")
    return layout + zulu, bool(zulu)


def _dmy(m: re.Match, dayfirst: bool) -> datetime | None:
    a, b, year = int(m[1]), int(m[2]), int(m[3])
    day, month = (a, b) if dayfirst else (b, a)
    year = year + 2000 if year < 100 else year
    hour = int(m[4] or 0)
    if m[7]:
        hour = hour % 12 + (12 if m[7].lower() == "pm" else 0)
    try:
        return datetime(year, month, day, hour, int(m[5] or 0), int(m[6] or 0))  # noqa: DTZ001 - wall time
    except ValueError:
        return None
