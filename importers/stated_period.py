"""The period a vendor's file says it covers, read from its title rows or its sheet name.

Formats read (English month names, any case, in a title cell or as the whole sheet name):

    March 2026, Mar 2026, Mar. 2026, Sept 2026   a month
    2026-03                                      a month (not a date such as 2026-03-15)
    Q1 2026, 2026-Q1                             a quarter

A title cell is one of the rows above the header, and within the sheet's first five rows. Two different
periods in the title rows say nothing for sure, so none is taken.
"""

from __future__ import annotations

import re
from typing import Any

MONTHS = {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "oct": 10,
          "nov": 11, "dec": 12}
_NAME = r"(?P<name>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|" \
        r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
_FORMS = re.compile(
    rf"\b{_NAME}\.?\s+(?P<year>(?:19|20)\d\d)\b"
    r"|(?<![\d./-])(?P<iso_year>(?:19|20)\d\d)-(?P<iso_month>0[1-9]|1[0-2])(?![\d]|[-./]\d)"
    r"|\bQ(?P<q>[1-4])\s+(?P<q_year>(?:19|20)\d\d)\b"
    r"|(?<![\d./-])(?P<yq_year>(?:19|20)\d\d)-Q(?P<yq>[1-4])\b", re.IGNORECASE)
TITLE_ROWS = 5


def period_in(text: str, *, whole: bool = False) -> str | None:
    """The period label (2026-03, 2026-Q1) a text names, or None; `whole`: the text must be only that."""
    match = (_FORMS.fullmatch if whole else _FORMS.search)(text.strip())
    if not match:
        return None
    if match.group("name"):
        return f"{match.group('year')}-{MONTHS[match.group('name')[:3].lower()]:02d}"
    if match.group("iso_year"):
        return f"{match.group('iso_year')}-{match.group('iso_month')}"
    if match.group("q"):
        return f"{match.group('q_year')}-Q{match.group('q')}"
    return f"{match.group('yq_year')}-Q{match.group('yq')}"


def stated_period(rows: list[list[Any]], header: int, sheet_name: str, *, first_row: int = 1) -> tuple[str, str]:
    """(period label, where it was read) from the title rows above the header, else from the sheet's name;
    ("", "") when the file states none (or two different ones)."""
    found: dict[str, str] = {}
    for offset, row in enumerate(rows[:min(header, TITLE_ROWS)]):
        for cell in row:
            label = period_in(cell) if isinstance(cell, str) else None
            if label and label not in found:
                found[label] = f"row {first_row + offset} '{cell.strip()}'"
    if len(found) == 1:
        label, where = next(iter(found.items()))
        return label, where
    if not found:
        label = period_in(sheet_name, whole=True)
        if label:
            return label, f"sheet name '{sheet_name}'"
    return "", ""
