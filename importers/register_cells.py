"""Typed values from the cells of a hand-filled contract register; each problem as one sentence.

Excel hands over numbers as int/float, date cells as datetime, everything else as text. Dates may
also come as text (2025-01-31, 31.01.2025, 31/01/2025, 31 Jan 2025) or as bare serial numbers.
"""

from __future__ import annotations

import difflib
import re
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sltdesk.domain.money import parse_decimal
from sltdesk.domain.register_book import BookColumn

EXCEL_EPOCH = date(1899, 12, 30)  # serial 1 = 1900-01-01 (with Excel's phantom 29 Feb 1900 before 61)
DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r", "\n")
_ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]00:00(?::00)?)?$")
_DMY = re.compile(r"^(\d{1,2})([./-])(\d{1,2})\2(\d{4})$")
_SERIAL = re.compile(r"^\d{4,6}(?:\.0+)?$")
_ALIASES = {"≥": ">=", "≤": "<=", "=>": ">=", "=<": "<="}


class CellError(ValueError):
    """The cell cannot be read as its column needs; the message says what to write instead."""


def cell_value(column: BookColumn, raw: Any, *, dayfirst: bool | None = None) -> Any:
    """The typed value of one cell, None when empty; raises CellError."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        if column.required:
            raise CellError(f"{column.header} is required; fill it in.")
        return None
    if column.kind == "int":
        return _integer(raw)
    if column.kind == "decimal":
        return _decimal(raw)
    if column.kind == "date":
        return parse_date(raw, dayfirst=dayfirst)
    if column.kind == "enum":
        return _choice(column, raw)
    if column.kind == "bool":
        return _yes_no(column, raw)
    if column.kind == "lines":
        return split_lines(text_of(raw))
    if column.kind == "dates":
        return [parse_date(part, dayfirst=dayfirst) for part in split_lines(text_of(raw))]
    return text_of(raw)


def text_of(raw: Any) -> str:
    """Text as the user meant it: integral numbers without '.0', a leading escaping apostrophe removed."""
    if isinstance(raw, bool):
        return "TRUE" if raw else "FALSE"
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, datetime):
        return raw.date().isoformat() if raw.time() == datetime.min.time() else raw.isoformat(sep=" ")
    if isinstance(raw, date):
        return raw.isoformat()
    text = str(raw).strip()
    if text.startswith("'") and len(text) > 1 and text[1] in (*DANGEROUS_START, "'"):
        text = text[1:]  # written by our export so the cell could not become a formula
    return text


def split_lines(text: str) -> list[str]:
    """Items one per line, or separated by semicolons when the cell has no line breaks."""
    parts = text.splitlines() if "\n" in text or "\r" in text else text.split(";")
    return [p.strip() for p in parts if p.strip()]


def _integer(raw: Any) -> int:
    if isinstance(raw, bool):
        raise CellError(f"'{raw}' is not a whole number.")
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float) and raw.is_integer():
        return int(raw)
    text = text_of(raw).replace(",", "")
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    raise CellError(f"'{text_of(raw)}' is not a whole number.")


def _decimal(raw: Any) -> Decimal:
    if isinstance(raw, bool):
        raise CellError(f"'{raw}' is not a number.")
    if isinstance(raw, int):
        return Decimal(raw)
    if isinstance(raw, float):
        return Decimal(int(raw)) if raw.is_integer() else Decimal(repr(raw))
    text = text_of(raw).rstrip("%").strip()
    try:
        return parse_decimal(text)
    except ValueError:
        raise CellError(f"'{text_of(raw)}' is not a number; write it like 48000.00 or 99.95.") from None


def _yes_no(column: BookColumn, raw: Any) -> bool:
    """yes / no (also true / false, 1 / 0, and a TRUE / FALSE cell)."""
    if isinstance(raw, bool):
        return raw
    text = text_of(raw).strip().casefold()
    if text in ("yes", "y", "true", "1"):
        return True
    if text in ("no", "n", "false", "0"):
        return False
    raise CellError(f"'{text_of(raw)}' is not yes or no.")


def _choice(column: BookColumn, raw: Any) -> str:
    text = " ".join(text_of(raw).split())
    text = _ALIASES.get(text, text)
    for choice in column.choices:
        if choice.casefold() == text.casefold():
            return choice
    close = difflib.get_close_matches(text, column.choices, n=1, cutoff=0.6) or \
        difflib.get_close_matches(text.casefold(), [c.casefold() for c in column.choices], n=1, cutoff=0.6)
    hint = ""
    if close:
        match = next(c for c in column.choices if c.casefold() == close[0].casefold())
        hint = f"; did you mean '{match}'?"
    raise CellError(f"'{text_of(raw)}' is not one of {', '.join(column.choices)}{hint or '.'}")


def parse_date(raw: Any, *, dayfirst: bool | None = None) -> date:
    """A date cell, an Excel serial number, or text in an unambiguous (or --dayfirst) form."""
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        return _serial(raw)
    text = text_of(raw)
    if _SERIAL.match(text):
        return _serial(float(text))
    found = _text_date(text, dayfirst)
    if found is None:
        raise CellError(f"'{text}' is not a date; enter a date cell or write it as 2025-01-31.")
    return found


def _serial(number: float) -> date:
    if not 1 <= number < 2958466:
        raise CellError(f"{number:g} is not an Excel date serial number (1 to 2958465).")
    return EXCEL_EPOCH + timedelta(days=int(number))


def _text_date(text: str, dayfirst: bool | None) -> date | None:
    iso = _ISO.match(text)
    if iso:
        return _make(int(iso[1]), int(iso[2]), int(iso[3]), text)
    dmy = _DMY.match(text)
    if dmy:
        first, second, year = int(dmy[1]), int(dmy[3]), int(dmy[4])
        if dmy[2] == "." or first > 12 or dayfirst is True:
            return _make(year, second, first, text)
        if second > 12 or dayfirst is False:
            return _make(year, first, second, text)
        if first == second:
            return _make(year, first, second, text)
        raise CellError(f"'{text}' could be {first} {_MONTHS[second - 1]} or {second} {_MONTHS[first - 1]}; "
                        "write it as YYYY-MM-DD, or import with --dayfirst / --no-dayfirst.")
    for pattern in ("%d %b %Y", "%d %B %Y", "%b %d %Y", "%B %d %Y", "%d-%b-%Y"):
        try:
            return datetime.strptime(text.replace(",", ""), pattern).date()  # noqa: DTZ007 (a date, no time)
        except ValueError:
            continue
    return None


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")


def _make(year: int, month: int, day: int, text: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise CellError(f"'{text}' is not a date that exists; check the day and month.") from None
