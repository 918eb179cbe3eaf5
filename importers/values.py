"""Column conversions, vectorised where the volume is: dates/times, numbers, booleans, priorities.

Each converter takes a list of raw cell values and returns (values, problems) where problems is a
list of (index, code, message) for cells that could not be read.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any

import numpy as np
import pandas as pd

from importers.mapping import normalise

NA_TIME = np.iinfo(np.int64).min  # "no value" in an int64 epoch-seconds column
Problem = tuple[int, str, str]
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$")
_DMY = re.compile(r"^(\d{1,2})[./-](\d{1,2})[./-](\d{4}|\d{2})"
                  r"(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?)?$")
_TRUE = {"yes", "y", "ja", "j", "true", "wahr", "x", "1", "oui", "si", "sí", "planned", "geplant", "ok", "up",
         "met", "erfullt", "pass", "passed", "achieved", "compliant"}
_FALSE = {"no", "n", "nein", "false", "falsch", "0", "non", "unplanned", "ungeplant", "not met", "down", "fail",
          "failed", "missed", "nicht erfullt", "breached", "breach", "not achieved"}
_PRIORITY_WORDS = {"critical": "P1", "kritisch": "P1", "urgent": "P1", "high": "P2", "hoch": "P2",
                   "medium": "P3", "mittel": "P3", "normal": "P3", "low": "P4", "niedrig": "P4", "planning": "P5"}


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def to_text(values: list[Any]) -> tuple[list[str | None], list[Problem]]:
    """Cells as text; whole numbers from a workbook lose their '.0' (ticket 260001, not 260001.0)."""
    out: list[str | None] = []
    for value in values:
        if is_blank(value):
            out.append(None)
        elif isinstance(value, float) and value.is_integer():
            out.append(str(int(value)))
        elif isinstance(value, datetime | date):
            out.append(value.isoformat())
        else:
            out.append(str(value).strip())
    return out, []


def to_number(values: list[Any], *, decimal_comma: bool = False) -> tuple[np.ndarray, list[Problem]]:
    """Floats (NaN when empty); text with decimal commas, thousands separators and % signs is read."""
    series = pd.Series(values, dtype=object)
    numeric = pd.to_numeric(series.where(series.map(lambda v: isinstance(v, int | float) and not isinstance(v, bool))),
                            errors="coerce")
    texts = series.map(lambda v: v.strip() if isinstance(v, str) else None)
    has_text = texts.notna() & (texts != "")
    if has_text.any():
        cleaned = texts[has_text].str.replace(r"[%\s\u00a0']", "", regex=True)
        if decimal_comma:
            cleaned = cleaned.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
        else:
            cleaned = cleaned.str.replace(",", "", regex=False)
        numeric[has_text] = pd.to_numeric(cleaned, errors="coerce")
    problems = [(int(i), "not-a-number", f"'{texts[i]}' is not a number")
                for i in np.flatnonzero((has_text & numeric.isna()).to_numpy())]
    return numeric.to_numpy(dtype=float), problems


def to_money(values: list[Any], *, decimal_comma: bool = False) -> tuple[list[Decimal | None], list[Problem]]:
    """Exact Decimals: text as written, workbook numbers through their shortest repr (1250.1, never 1250.0999…)."""
    out: list[Decimal | None] = []
    problems: list[Problem] = []
    for index, value in enumerate(values):
        if is_blank(value):
            out.append(None)
            continue
        text = repr(value) if isinstance(value, float) else str(value).strip()
        text = re.sub(r"[\s\u00a0'£€$]|[A-Z]{3}", "", text)
        if decimal_comma and isinstance(value, str):
            text = text.replace(".", "").replace(",", ".")
        elif isinstance(value, str):
            text = text.replace(",", "")
        if text.startswith("(") and text.endswith(")"):
            text = "-" + text[1:-1]
        try:
            out.append(Decimal(text))
        except InvalidOperation:
            out.append(None)
            problems.append((index, "not-an-amount", f"'{value}' is not an amount of money"))
    return out, problems


def to_bool(values: list[Any], labels: dict[str, bool] | None = None) -> tuple[list[bool | None], list[Problem]]:
    """Yes/no in several languages, 1/0, x; unknown labels are problems unless mapped."""
    mapped = {normalise(k): v for k, v in (labels or {}).items()}
    out: list[bool | None] = []
    problems: list[Problem] = []
    for index, value in enumerate(values):
        if is_blank(value):
            out.append(None)
            continue
        if isinstance(value, bool):
            out.append(value)
            continue
        key = normalise(int(value) if isinstance(value, float) and value.is_integer() else value)
        if key in mapped:
            out.append(mapped[key])
        elif key in _TRUE:
            out.append(True)
        elif key in _FALSE:
            out.append(False)
        else:
            out.append(None)
            problems.append((index, "unknown-label", f"'{value}' is neither yes nor no"))
    return out, problems


def to_priority(values: list[Any], labels: dict[str, str] | None = None) -> tuple[list[str | None], list[Problem]]:
    """'P2', 'Sev 2', 'Priority 2', '2 - High', 'High' -> 'P2'; user labels first."""
    mapped = {normalise(k): v for k, v in (labels or {}).items()}
    cache: dict[Any, tuple[str | None, str | None]] = {}
    out: list[str | None] = []
    problems: list[Problem] = []
    for index, value in enumerate(values):
        if value not in cache:
            cache[value] = _priority(value, mapped)
        result, problem = cache[value]
        out.append(result)
        if problem:
            problems.append((index, "unknown-label", problem))
    return out, problems


def _priority(value: Any, mapped: dict[str, str]) -> tuple[str | None, str | None]:
    if is_blank(value):
        return None, None
    key = normalise(int(value) if isinstance(value, float) and value.is_integer() else value)
    if key in mapped:
        return mapped[key], None
    digit = re.fullmatch(r"(?:p|prio|priority|sev|severity|s|level|stufe)?\s*([1-5])(?:\s.*)?", key)
    if digit:
        return f"P{digit.group(1)}", None
    for word, priority in _PRIORITY_WORDS.items():
        if word in key.split():
            return priority, None
    return None, f"'{value}' is not a known priority; map it with --value priority:{value}=P1"


def to_period(values: list[Any]) -> tuple[list[str | None], list[Problem]]:
    """'March 2026', '2026-03', '03/2026', a date in the month -> '2026-03'; 'Q1 2026' -> '2026-Q1'."""
    out: list[str | None] = []
    problems: list[Problem] = []
    for index, value in enumerate(values):
        label = _period(value)
        out.append(label)
        if label is None and not is_blank(value):
            problems.append((index, "not-a-period", f"'{value}' is not a period such as 2026-03"))
    return out, problems


def _period(value: Any) -> str | None:
    if is_blank(value):
        return None
    if isinstance(value, datetime | date):
        return f"{value.year}-{value.month:02d}"
    text = str(value).strip()
    if m := re.fullmatch(r"(\d{4})-?(0[1-9]|1[0-2])", text):
        return f"{m[1]}-{m[2]}"
    if m := re.fullmatch(r"(0?[1-9]|1[0-2])[/.-](\d{4})", text):
        return f"{m[2]}-{int(m[1]):02d}"
    if m := re.fullmatch(r"(?:(\d{4})[- ]?Q([1-4])|Q([1-4])[- ]?(\d{4}))", text, re.IGNORECASE):
        return f"{m[1] or m[4]}-Q{m[2] or m[3]}"
    parsed = pd.to_datetime("1 " + text, errors="coerce", dayfirst=True, format="mixed")
    if pd.notna(parsed):
        return f"{parsed.year}-{parsed.month:02d}"
    return None


class DateColumn:
    """Converts one column of date/time cells to UTC epoch seconds, noting what it had to decide."""

    def __init__(self, *, timezone: str, dayfirst: bool | None, date1904: bool):
        self.timezone = timezone
        self.dayfirst = dayfirst
        self.date1904 = date1904
        self.decision = ""  # e.g. "text dates read day-first (31.03.2026)"
        self.ambiguous_order = False
        self.shifted: list[tuple[int, str]] = []  # DST: (index, sentence)

    def convert(self, values: list[Any]) -> tuple[np.ndarray, list[Problem]]:
        n = len(values)
        local = np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")
        utc = np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")
        problems: list[Problem] = []
        kinds = set(map(type, values))
        if kinds <= {datetime, str, type(None)} and all(isinstance(v, datetime) or is_blank(v) for v in values):
            index = [i for i, v in enumerate(values) if isinstance(v, datetime)]
            if index:
                local[index] = pd.to_datetime([values[i] for i in index]).to_numpy(dtype="datetime64[ns]")
        else:
            self._mixed(values, local, utc, problems)
        out = self._localise(local, values)
        aware = ~np.isnat(utc)
        out[aware] = utc[aware].astype("datetime64[s]").astype(np.int64)
        return out, problems

    def _mixed(self, values: list[Any], local: np.ndarray, utc: np.ndarray, problems: list[Problem]) -> None:
        texts: dict[int, str] = {}
        for i, value in enumerate(values):
            if isinstance(value, datetime):
                local[i] = np.datetime64(value, "ns")
            elif isinstance(value, date):
                local[i] = np.datetime64(datetime.combine(value, time()), "ns")
            elif isinstance(value, int | float) and not isinstance(value, bool):
                local[i] = self._serial(float(value))
            elif isinstance(value, time):
                problems.append((i, "time-without-date", f"'{value}' is a time without a date"))
            elif not is_blank(value):
                texts[i] = str(value).strip()
        if texts:
            self._texts(texts, local, utc, problems)

    def _serial(self, serial: float) -> np.datetime64:
        base = np.datetime64("1904-01-01") if self.date1904 else np.datetime64("1899-12-30")
        return base.astype("datetime64[ns]") + np.timedelta64(int(round(serial * 86400)), "s")

    def _texts(self, texts: dict[int, str], local: np.ndarray, utc: np.ndarray, problems: list[Problem]) -> None:
        iso = {i: t for i, t in texts.items() if _ISO.match(t)}
        for i, t in iso.items():
            stamp = pd.Timestamp(t.replace(" ", "T", 1) if "T" not in t and len(t) > 10 else t)
            if stamp.tzinfo is not None:
                utc[i] = stamp.tz_convert("UTC").tz_localize(None).to_datetime64()
            else:
                local[i] = stamp.to_datetime64()
        rest = {i: t for i, t in texts.items() if i not in iso}
        matches = {i: _DMY.match(t) for i, t in rest.items()}
        dmy = {i: m for i, m in matches.items() if m}
        if dmy:
            dayfirst = self._order(dmy, rest)
            for i, m in dmy.items():
                a, b, year = int(m[1]), int(m[2]), int(m[3])
                day, month = (a, b) if dayfirst else (b, a)
                year = year + 2000 if year < 100 else year
                hour = int(m[4] or 0) % 12 + (12 if (m[7] or "").lower() == "pm" else 0) if m[7] else int(m[4] or 0)
                try:
                    naive = datetime(year, month, day, hour, int(m[5] or 0), int(m[6] or 0))  # noqa: DTZ001 - wall time
                    local[i] = np.datetime64(naive, "ns")
                except ValueError:
                    problems.append((i, "bad-date", f"'{rest[i]}' is not a valid date"))
        for i, t in rest.items():
            if i in dmy:
                continue
            stamp = pd.to_datetime(t, errors="coerce", dayfirst=bool(self.dayfirst), format="mixed")
            if pd.isna(stamp):
                problems.append((i, "bad-date", f"'{t}' is not a date and time"))
            elif stamp.tzinfo is not None:
                utc[i] = stamp.tz_convert("UTC").tz_localize(None).to_datetime64()
            else:
                local[i] = stamp.to_datetime64()

    def _order(self, dmy: dict[int, re.Match], texts: dict[int, str]) -> bool:
        """Day-first or month-first, decided from the whole column."""
        first_big = any(int(m[1]) > 12 for m in dmy.values())
        second_big = any(int(m[2]) > 12 for m in dmy.values())
        if self.dayfirst is not None:
            self.decision = f"text dates read {'day' if self.dayfirst else 'month'}-first as you chose"
            return self.dayfirst
        if first_big and not second_big:
            self.decision = "text dates read day-first (a day above 12 stands first)"
            return True
        if second_big and not first_big:
            self.decision = "text dates read month-first (a day above 12 stands second)"
            return False
        sample = next(iter(texts.values()))
        if not first_big and not second_big and "." in sample:
            self.decision = f"text dates such as '{sample}' read day-first (dotted dates are written day-first)"
            return True
        self.ambiguous_order = True
        return True

    def _localise(self, local: np.ndarray, values: list[Any]) -> np.ndarray:
        out = np.full(len(local), NA_TIME, dtype=np.int64)
        present = ~np.isnat(local)
        if not present.any():
            return out
        index = pd.DatetimeIndex(local[present])
        strict = index.tz_localize(self.timezone, ambiguous="NaT", nonexistent="NaT")
        if strict.isna().any():
            forward = index.tz_localize(self.timezone, ambiguous=np.ones(len(index), dtype=bool),
                                        nonexistent="shift_forward")
            positions = np.flatnonzero(present)
            for k in np.flatnonzero(strict.isna()):
                is_gap = pd.isna(index[k:k + 1].tz_localize(self.timezone, ambiguous=True, nonexistent="NaT")[0])
                when = index[k].strftime("%d.%m.%Y %H:%M")
                sentence = (f"{when} does not exist in {self.timezone} (clocks went forward); read as "
                            f"{forward[k].strftime('%H:%M %Z')}" if is_gap else
                            f"{when} occurs twice in {self.timezone} (clocks went back); read as the first, "
                            f"{forward[k].strftime('%H:%M %Z')}")
                self.shifted.append((int(positions[k]), sentence))
            strict = forward
        out[present] = strict.tz_convert("UTC").asi8 // 1_000_000_000
        return out
