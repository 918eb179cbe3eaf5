"""Column conversions, vectorised where the volume is: dates/times, numbers, booleans, priorities.

Each converter takes a list of raw cell values and returns (values, problems) where problems is a
list of (index, code, message) for cells that could not be read.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

import numpy as np
import pandas as pd

from importers.mapping import normalise

NA_TIME = np.iinfo(np.int64).min  # "no value" in an int64 epoch-seconds column
Problem = tuple[int, str, str]
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
    if set(map(type, values)) == {str}:  # the common case, done in one comprehension
        return [v.strip() or None for v in values], []
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


def relabel(texts: list[str | None], labels: dict[str, str] | None) -> list[str | None]:
    """Text labels renamed by the user's mapping (--value state:Waiting on customer=Awaiting Customer);
    a label matches as written, or else ignoring case and surrounding spaces."""
    if not labels:
        return texts
    folded = {key.strip().casefold(): value for key, value in labels.items()}
    return [None if t is None else labels.get(t, folded.get(t.strip().casefold(), t)) for t in texts]


def to_number(values: list[Any], *, decimal_comma: bool = False) -> tuple[np.ndarray, list[Problem]]:
    """Floats (NaN when empty); text with decimal commas, thousands separators and % signs is read."""
    if isinstance(values, np.ndarray) and values.dtype.kind in "fiu":  # parsed already (CSV)
        return values.astype(float), []
    series = pd.Series(values, dtype=object)
    numeric = pd.to_numeric(series.where(series.map(lambda v: isinstance(v, int | float) and not isinstance(v, bool))),
                            errors="coerce")
    texts = series.map(lambda v: v.strip() if isinstance(v, str) else None)
    has_text = texts.notna() & (texts != "")
    if has_text.any():
        cleaned = texts[has_text].str.replace(r"[%\s\u00a0']", "", regex=True)
        # The shape of a number can settle which separator is the decimal one, whatever the file's habit:
        # 1.234,5 and 1,234.5 are both a thousand and a bit; 25,5 cannot be thousands, 1,234 can.
        american = cleaned.str.fullmatch(r"[-+]?\d{1,3}(,\d{3})+\.\d+")
        european = cleaned.str.fullmatch(r"[-+]?\d{1,3}(\.\d{3})+,\d+")
        lone_comma = cleaned.str.fullmatch(r"[-+]?\d*,\d+") & ~cleaned.str.fullmatch(r"[-+]?\d{1,3},\d{3}")
        comma_decimal = (european | lone_comma | decimal_comma) & ~american
        cleaned = cleaned.where(~comma_decimal, cleaned.str.replace(".", "", regex=False).str.replace(
            ",", ".", regex=False))
        cleaned = cleaned.where(comma_decimal, cleaned.str.replace(",", "", regex=False))
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
