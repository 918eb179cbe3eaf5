"""Seasonal thresholds and core-hours tiers of one service level, as written in a measurement rule.

A season is a span of the year — whole months ("Dec", "Nov-Jan") or dates ("15 Nov-15 Jan", wrapping the year
end) — with its own met/missed threshold: `"15 Nov-15 Jan: 99.95; Jul-Aug: 99.9"`. A season changes the
threshold only; credit bands stay as the clause writes them.

A measurement period straddling a season boundary is judged by one stated rule: **the season's threshold applies
to the whole period when any day of the period lies in the season** (peak 15 Nov-15 Jan: November, December and
January are judged at the peak threshold; 14 Nov is outside, 15 Nov and 15 Jan inside, 16 Jan outside). Where
two seasons reach one period, the stricter threshold applies. A period no season reaches keeps the target's own.

A core-hours tier is a second threshold measured on a second calendar (e.g. ">= 99.95 % in core hours Mon-Fri
08-18" beside the target's ">= 99.5 % 24x7"); each tier has its own verdict, and `TIER_PRICING` says how the
clause prices their misses: each tier separately, or the worse of the two (the credit clause's `tier_pricing`;
where the clause says nothing, the measurement rule's).

A tiered credit clause may have its own bands by season, in the same span syntax: `"15 Nov-15 Jan: 99.95=10%,
99.5=25%; Jul-Aug: 99.9=5%"` (a band is `BOUND=PERCENT%` of the charges or `BOUND=AMOUNT`). The same boundary rule
picks them: a season's bands price the whole period when any day of it is in the season. Where two of the clause's
seasons reach one period, **the first written applies** (two band tables have no "stricter" of the two); a period
no season reaches is priced by the clause's own bands.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from sltdesk.domain.measurement import MeasurementRule
from sltdesk.domain.penalties import CREDIT_KINDS, Band, ClauseRecord, Step, TieredCredit
from sltdesk.domain.penalties import TIER_PRICING as TIER_PRICING  # each | worse: how the clause prices the tiers
from sltdesk.domain.period import Period
from sltdesk.domain.register import Comparison, ServiceCalendar
from sltdesk.rules.penalty_steps import ZERO, number, pct

MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
MONTH_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
CREDIT_KIND_NAMES = {k.value for k in CREDIT_KINDS}
_DAY = re.compile(r"^(?:(\d{1,2})\s+)?([a-z]{3})[a-z]*\.?$")


@dataclass(frozen=True)
class Span:
    """A span of the year, first and last day inclusive, as (month, day)."""

    first: tuple[int, int]
    last: tuple[int, int]

    @property
    def label(self) -> str:
        """'15 Nov–15 Jan'."""
        return f"{_day_text(self.first)}–{_day_text(self.last)}"

    def holds(self, day: date) -> bool:
        """Whether the day lies in the season (a season from November to January wraps the year end)."""
        key = (day.month, day.day)
        if self.first <= self.last:
            return self.first <= key <= self.last
        return key >= self.first or key <= self.last

    def reaches(self, first: date, last: date) -> bool:
        """Whether any day of first..last (inclusive) lies in the season."""
        return any(self.holds(first + timedelta(days=n)) for n in range((last - first).days + 1))


@dataclass(frozen=True)
class Season(Span):
    """A span of the year with its met/missed threshold."""

    threshold: Decimal = Decimal(0)


@dataclass(frozen=True)
class SeasonBands(Span):
    """A span of the year with a credit clause's bands for it."""

    bands: tuple[Band, ...] = ()


def parse_seasons(text: str) -> tuple[Season, ...]:
    """The seasons a text writes, in order; ValueError with a sentence that says what is wrong."""
    out: list[Season] = []
    for part in (p.strip() for p in (text or "").split(";")):
        if not part:
            continue
        span, sep, value = part.rpartition(":")
        if not sep:
            raise ValueError(f"'{part}' is not 'SPAN: THRESHOLD' (e.g. '15 Nov-15 Jan: 99.95' or 'Dec: 99.95')")
        try:
            threshold = Decimal(value.strip())
        except InvalidOperation:
            raise ValueError(f"'{value.strip()}' in '{part}' is not a number") from None
        if not threshold.is_finite():
            raise ValueError(f"'{value.strip()}' in '{part}' is not a number")
        first, last = _span(span)
        out.append(Season(first, last, threshold))
    return tuple(out)


def parse_seasonal_bands(text: str) -> tuple[SeasonBands, ...]:
    """A clause's seasonal bands, in the order written: '15 Nov-15 Jan: 99.95=10%, 99.5=25%; Jul-Aug: 99.9=500'
    (BOUND=PERCENT% of the charges, or BOUND=AMOUNT); ValueError with a sentence that says what is wrong."""
    out: list[SeasonBands] = []
    for part in (p.strip() for p in (text or "").split(";")):
        if not part:
            continue
        span, sep, written = part.partition(":")
        if not sep or not written.strip():
            raise ValueError(f"'{part}' is not 'SPAN: BOUND=PERCENT%, …' (e.g. '15 Nov-15 Jan: 99.95=10%, 99.5=25%')")
        bands = tuple(_band(b.strip(), part) for b in written.split(",") if b.strip())
        first, last = _span(span)
        out.append(SeasonBands(first, last, bands))
    return tuple(out)


def seasonal_bands_text(seasons: tuple[SeasonBands, ...]) -> str:
    """The seasonal bands written back in the form `parse_seasonal_bands` reads."""
    return "; ".join(f"{s.label.replace('–', '-')}: " + ", ".join(
        f"{b.bound}={b.percent}%" if b.percent is not None else f"{b.bound}={b.amount}" for b in s.bands)
        for s in seasons)


def bands_for(seasons: tuple[SeasonBands, ...], first: date, last: date) -> SeasonBands | None:
    """The seasonal bands that price the days first..last: the first written season reaching any of its days."""
    return next((s for s in seasons if s.reaches(first, last)), None)


def seasons_text(seasons: tuple[Season, ...]) -> str:
    """The seasons written back in the form `parse_seasons` reads ('15 Nov-15 Jan: 99.95')."""
    return "; ".join(f"{s.label.replace('–', '-')}: {s.threshold}" for s in seasons)


def season_for(seasons: tuple[Season, ...], first: date, last: date, comparison: Comparison) -> Season | None:
    """The season whose threshold judges the days first..last (inclusive): one that reaches any of its days,
    the stricter when two do; None when no season reaches the period."""
    reaching = [s for s in seasons if s.reaches(first, last)]
    if not reaching:
        return None
    stricter = max if comparison in (Comparison.AT_LEAST, Comparison.MORE_THAN) else min
    return stricter(reaching, key=lambda s: s.threshold)


def season_words(season: Season, comparison: Comparison, unit: str, base: Decimal) -> str:
    """How the trace names the threshold that applied: 'season 15 Nov–15 Jan: ≥ 99.95 % (otherwise 99.9 %)'."""
    mark = {">=": "≥", "<=": "≤"}.get(comparison.value, comparison.value)
    return (f"seasonal threshold {season.label}: {mark} {season.threshold} {unit} applies (a day of the period "
            f"is in the season; otherwise {base} {unit})")


def tier_calendar(calendars: Iterable[ServiceCalendar], name: str) -> ServiceCalendar | None:
    """The calendar a tier names (case and spaces aside); None without a tier or with no such calendar."""
    wanted = " ".join(name.split()).casefold()
    return next((c for c in calendars if wanted and " ".join(c.name.split()).casefold() == wanted), None)


def _span(text: str) -> tuple[tuple[int, int], tuple[int, int]]:
    ends = [e.strip() for e in re.split(r"\s*[-–]\s*", text.strip().lower())]
    if len(ends) not in (1, 2) or not all(ends):
        raise ValueError(f"'{text.strip()}' is not a span such as 'Dec', 'Nov-Jan' or '15 Nov-15 Jan'")
    return _end(ends[0], start=True), _end(ends[-1], start=False)


def _band(text: str, part: str) -> Band:
    bound, sep, value = (t.strip() for t in text.replace("→", "=").partition("="))
    percent = value.endswith("%")
    try:
        edge, given = Decimal(bound), Decimal(value.rstrip("%").strip())
    except InvalidOperation:
        edge = given = Decimal("NaN")
    if not sep or not edge.is_finite() or not given.is_finite():
        raise ValueError(f"'{text}' in '{part}' is not a band such as '99.95=10%' (a share of the charges) or "
                         "'99.95=500' (an amount)")
    return Band(bound=edge, percent=given, amount=None) if percent else Band(bound=edge, amount=given)


def _end(text: str, *, start: bool) -> tuple[int, int]:
    match = _DAY.match(text)
    if match is None or match.group(2) not in MONTHS:
        raise ValueError(f"'{text}' is not a day such as '15 Nov' or a month such as 'Nov'")
    month = MONTHS.index(match.group(2)) + 1
    if match.group(1) is None:
        return (month, 1) if start else (month, MONTH_DAYS[month - 1])
    day = int(match.group(1))
    if not 1 <= day <= MONTH_DAYS[month - 1]:
        raise ValueError(f"'{text}': {MONTHS[month - 1].capitalize()} has no day {day}")
    return month, day


def _day_text(key: tuple[int, int]) -> str:
    return f"{key[1]} {MONTHS[key[0] - 1].capitalize()}"


def seasonal_terms(terms: TieredCredit, period: str) -> tuple[TieredCredit, tuple[Step, ...]]:
    """The clause with the bands that price the period — its own seasonal bands where a season of them reaches
    any day of the period (the first written, where two do), else its bands as written — and a step naming them."""
    term = Period.parse(period)
    chosen = bands_for(parse_seasonal_bands(terms.seasonal_bands or ""), term.start, term.end - timedelta(days=1))
    if chosen is None:
        return terms, (Step(f"the clause's bands apply (no season of its seasonal bands reaches {period})"),)
    return replace(terms, bands=chosen.bands), (Step(
        f"the clause's seasonal bands {chosen.label} apply (a day of {period} is in the season): "
        + "; ".join(f"{number(b.bound)} → {pct(b.percent) if b.percent is not None else number(b.amount or ZERO)}"
                    for b in chosen.bands)),)


def priced_by_clauses(rules: Mapping[int, MeasurementRule],
                      clauses: Iterable[ClauseRecord]) -> dict[int, MeasurementRule]:
    """The rules with the tier pricing that prices them: the target's credit clause's `tier_pricing` (the first
    that says one), else the rule's own (the fallback for workspaces and workbooks that keep it on the rule)."""
    said: dict[int, str] = {}
    for record in sorted(clauses, key=lambda r: (r.position, r.id or 0)):
        pricing = record.parameters.get("tier_pricing")
        if record.target_id is not None and record.kind in CREDIT_KIND_NAMES and pricing in TIER_PRICING:
            said.setdefault(record.target_id, pricing)
    return {tid: replace(rule, tier_pricing=said[tid]) if tid in said and rule.tier_pricing != said[tid] else rule
            for tid, rule in rules.items()}
