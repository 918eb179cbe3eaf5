"""Measurement periods written 2026-03 (month), 2026-Q1 (quarter) or 2026 (year), and spans of them
written 2025-05..2026-10."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class PeriodKind(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


_PATTERNS = (
    (re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$"), PeriodKind.MONTH),
    (re.compile(r"^(\d{4})-Q([1-4])$", re.IGNORECASE), PeriodKind.QUARTER),
    (re.compile(r"^(\d{4})$"), PeriodKind.YEAR),
)


@dataclass(frozen=True, order=True)
class Period:
    """A calendar period; `start` inclusive, `end` exclusive."""

    start: date
    end: date
    kind: PeriodKind

    @classmethod
    def parse(cls, text: str) -> Period:
        for pattern, kind in _PATTERNS:
            match = pattern.match(text.strip())
            if not match:
                continue
            year = int(match.group(1))
            if kind is PeriodKind.MONTH:
                return cls.month(year, int(match.group(2)))
            if kind is PeriodKind.QUARTER:
                q = int(match.group(2))
                return cls(date(year, 3 * q - 2, 1), _add_months(date(year, 3 * q - 2, 1), 3), kind)
            return cls(date(year, 1, 1), date(year + 1, 1, 1), kind)
        raise ValueError(f"'{text}' is not a period; write 2026-03 (month), 2026-Q1 (quarter) or 2026 (year)")

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        first = date(year, month, 1)
        return cls(first, _add_months(first, 1), PeriodKind.MONTH)

    @property
    def label(self) -> str:
        if self.kind is PeriodKind.MONTH:
            return f"{self.start.year}-{self.start.month:02d}"
        if self.kind is PeriodKind.QUARTER:
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        return str(self.start.year)

    def __str__(self) -> str:
        return self.label


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


MONTHS_IN_KIND = {PeriodKind.MONTH: 1, PeriodKind.QUARTER: 3, PeriodKind.YEAR: 12}


def shift(label: str, steps: int) -> str:
    """The period `steps` periods after (negative: before) `label`, of the same kind: the one home of month
    arithmetic on labels ('2026-01', -1 → '2025-12'; '2026-Q1', 1 → '2026-Q2'; '2026', -2 → '2024')."""
    period = Period.parse(label)
    start = _add_months(period.start, MONTHS_IN_KIND[period.kind] * steps)
    if period.kind is PeriodKind.MONTH:
        return f"{start.year:04d}-{start.month:02d}"
    if period.kind is PeriodKind.QUARTER:
        return f"{start.year:04d}-Q{(start.month - 1) // 3 + 1}"
    return f"{start.year:04d}"


def span(first: str, last: str) -> list[str]:
    """Every period from `first` to `last` inclusive, of `first`'s kind (at most 1,200)."""
    out: list[str] = []
    current, end = first, Period.parse(last)
    while Period.parse(current) <= end and len(out) < 1200:
        out.append(current)
        current = shift(current, 1)
    return out


def quarter_of(label: str) -> str:
    """The quarter a period starts in ('2026-05' → '2026-Q2')."""
    start = Period.parse(label).start
    return f"{start.year:04d}-Q{(start.month - 1) // 3 + 1}"


def months_between(first: str, last: str) -> list[str]:
    """The month labels from the month `first` starts in to the month `last` starts in ('2025-05'…'2026-10')."""
    a, b = Period.parse(first).start, Period.parse(last).start
    return span(f"{a.year:04d}-{a.month:02d}", f"{b.year:04d}-{b.month:02d}") if b >= a else []


@dataclass(frozen=True)
class Span:
    """From the start of one period to the end of another (2025-05..2026-10); a single period is a span too."""

    first: Period
    last: Period

    @classmethod
    def parse(cls, text: str) -> Span:
        head, dots, tail = text.strip().partition("..")
        first = Period.parse(head)
        last = Period.parse(tail) if dots else first
        if last.end <= first.start:
            raise ValueError(f"'{text}' ends before it starts; write the earlier period first, e.g. 2025-05..2026-10")
        return cls(first, last)

    @property
    def start(self) -> date:
        return self.first.start

    @property
    def end(self) -> date:
        return self.last.end

    @property
    def label(self) -> str:
        return self.first.label if self.first == self.last else f"{self.first.label}..{self.last.label}"

    def __str__(self) -> str:
        return self.label
