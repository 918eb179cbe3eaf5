"""Statistics for negotiating a threshold: the distribution of a target's monthly figures, its trend, an
achievable threshold and the rolling baseline. Pure and exact where a figure is compared with a threshold.

- Percentiles use the linear method (numpy's default): sort the n figures, take position h = (n − 1) × q / 100
  and interpolate between the figures either side of it. Computed in Decimal, so a percentile equals
  `numpy.percentile` to float precision and a figure equal to it compares as equal.
- "Worse" and "better" follow the target's comparison: for "≥" / ">" a lower figure is worse, for "≤" / "<" a
  higher one. The 10th percentile on the worse side (`worse_percentile`) is then the level the target reached
  in nine months of ten: P10 when higher is better, P90 when lower is better.
- Trend: an ordinary least-squares line through (month number, figure), month 0 the first. Its slope (change a
  month) has a 95 % interval slope ± t(0.975; n − 2) × standard error; an interval that includes zero means the
  months show no clear trend.
- Suggestion (`suggest`): allow the target to miss in one month of ten (MISS_SHARE): k = ⌊n / 10⌋ misses over
  n months. The suggested threshold is the (k + 1)-th worst figure, moved to the worse side to 2 decimals
  (a figure a contract can state): it would have been met in at least n − k of the n months.
- Rolling baseline (`rolling_baseline`): the worse-side 10th percentile of the BASELINE_MONTHS months before a
  period, as a suggestion beside the contractual threshold; it never changes a contract.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from sltdesk.domain.attainment import AttainmentResult
from sltdesk.domain.figures import EXACT, shown
from sltdesk.domain.register import Comparison

MIN_MONTHS = 12  # complete periods needed before the figures say anything about a threshold
BASELINE_MONTHS = 12
MISS_SHARE = Decimal("0.10")  # the suggestion allows a miss in one month of ten
TAIL = 10  # the worse-side percentile of the baseline: the level reached in nine months of ten
SUGGESTION_PLACES = 2
# Student's t, two-sided 95 % (0.975 quantile), by degrees of freedom; beyond the table the normal 1.96.
T975 = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306, 9: 2.262, 10: 2.228,
        11: 2.201, 12: 2.179, 13: 2.160, 14: 2.145, 15: 2.131, 16: 2.120, 17: 2.110, 18: 2.101, 19: 2.093,
        20: 2.086, 21: 2.080, 22: 2.074, 23: 2.069, 24: 2.064, 25: 2.060, 26: 2.056, 27: 2.052, 28: 2.048,
        29: 2.045, 30: 2.042, 40: 2.021, 60: 2.000, 120: 1.980}


@dataclass(frozen=True)
class Trend:
    """A least-squares line through the monthly figures, with the 95 % interval of its slope."""

    slope: float  # change a month, in the figure's unit
    low: float
    high: float
    first: float  # the line at the first and the last month
    last: float
    text: str  # the trend in one or two sentences


@dataclass(frozen=True)
class Distribution:
    months: tuple[str, ...]
    figures: tuple[Decimal, ...]
    median: Decimal
    p10: Decimal
    p90: Decimal
    worst: Decimal
    worst_month: str
    trend: Trend


@dataclass(frozen=True)
class Suggestion:
    threshold: Decimal
    met: int  # months it would have been met in
    months: int
    percentile: int  # the worse-side percentile the threshold sits at, rounded
    rule: str  # the rule in words


def higher_is_better(comparison: Comparison) -> bool:
    return comparison in (Comparison.AT_LEAST, Comparison.MORE_THAN)


def percentile(values: Sequence[Decimal], q: Decimal | int) -> Decimal:
    """The q-th percentile (0–100) by linear interpolation, numpy's default method, exactly."""
    if not values:
        raise ValueError("no figures to take a percentile of")
    ordered = sorted(values)
    h = EXACT.multiply(Decimal(len(ordered) - 1), EXACT.divide(Decimal(q), Decimal(100)))
    lo = int(h.to_integral_value(rounding=ROUND_FLOOR))
    if lo >= len(ordered) - 1:
        return ordered[-1]
    part = EXACT.subtract(h, Decimal(lo))
    return EXACT.add(ordered[lo], EXACT.multiply(part, EXACT.subtract(ordered[lo + 1], ordered[lo])))


def worse_percentile(values: Sequence[Decimal], comparison: Comparison, tail: int = TAIL) -> Decimal:
    """The level reached in all but `tail` % of the months: P`tail` when higher is better, else P(100 − tail)."""
    return percentile(values, tail if higher_is_better(comparison) else 100 - tail)


def distribution(months: Sequence[str], figures: Sequence[Decimal], *, comparison: Comparison,
                 unit: str) -> Distribution:
    """Median, 10th and 90th percentiles, the worst month and the trend of the monthly figures."""
    if len(figures) != len(months) or not figures:
        raise ValueError("one figure per month is needed")
    pick = min if higher_is_better(comparison) else max
    worst = pick(figures)
    return Distribution(tuple(months), tuple(figures), percentile(figures, 50), percentile(figures, 10),
                        percentile(figures, 90), worst, months[list(figures).index(worst)],
                        trend(figures, comparison=comparison, unit=unit))


def trend(figures: Sequence[Decimal], *, comparison: Comparison, unit: str) -> Trend:
    """The fitted line, its slope's 95 % interval, and what they say."""
    y = [float(v) for v in figures]
    n = len(y)
    if n < 3:
        raise ValueError("a trend needs at least three months")
    mean_x, mean_y = (n - 1) / 2, sum(y) / n
    sxx = sum((i - mean_x) ** 2 for i in range(n))
    slope = sum((i - mean_x) * (v - mean_y) for i, v in enumerate(y)) / sxx
    intercept = mean_y - slope * mean_x
    residual = sum((v - intercept - slope * i) ** 2 for i, v in enumerate(y))
    spread = t975(n - 2) * math.sqrt(residual / (n - 2) / sxx)
    low, high = slope - spread, slope + spread
    return Trend(slope, low, high, intercept, intercept + slope * (n - 1),
                 _trend_text(slope, low, high, n, comparison=comparison, unit=unit))


def t975(df: int) -> float:
    """Student's t 0.975 quantile: the table's value, or the next smaller degrees of freedom's (wider)."""
    return T975[max(k for k in T975 if k <= df)] if df < 1000 else 1.96


def _trend_text(slope: float, low: float, high: float, n: int, *, comparison: Comparison, unit: str) -> str:
    what = "points" if unit.strip() == "%" else unit.strip() or "units"
    head = (f"A straight line fitted to the {n} months moves {slope:+.4f} {what} a month "
            f"(95 % interval {low:+.4f} to {high:+.4f}).")
    if low <= 0 <= high:
        return head + " The interval includes zero: the months show no clear trend."
    better = (slope > 0) == higher_is_better(comparison)
    return head + (" The interval excludes zero: the figures are getting " + ("better" if better else "worse")
                   + " month by month.")


def suggest(figures: Sequence[Decimal], *, comparison: Comparison) -> Suggestion:
    """An achievable threshold: met in all but one month of ten (see the module's docstring)."""
    n = len(figures)
    allowed = int((Decimal(n) * MISS_SHARE).to_integral_value(rounding=ROUND_FLOOR))
    higher = higher_is_better(comparison)
    worse_first = sorted(figures, reverse=not higher)
    level = worse_first[allowed]
    step = Decimal(1).scaleb(-SUGGESTION_PLACES)
    threshold = level.quantize(step, rounding=ROUND_FLOOR if higher else ROUND_CEILING)
    met = sum(1 for v in figures if comparison.holds(v, threshold))
    share = round(100 * allowed / n)
    order = {1: "worst", 2: "second-worst", 3: "third-worst"}.get(allowed + 1, f"{allowed + 1}th-worst")
    rule = (f"met in {met} of {n} months at the {_ordinal(share)} percentile: the {order} month's figure "
            f"{shown(level, (threshold,), places=4, pad=False)}, {'rounded down' if higher else 'rounded up'} "
            f"to {SUGGESTION_PLACES} decimals; the rule allows a miss in one month of ten ({allowed} of {n})")
    return Suggestion(threshold, met, n, share, rule)


def rolling_baseline(figures: Sequence[Decimal | None], *, comparison: Comparison) -> Decimal | None:
    """The worse-side 10th percentile of the preceding BASELINE_MONTHS figures; None without all of them."""
    known = [v for v in figures if v is not None]
    if len(figures) < BASELINE_MONTHS or len(known) < BASELINE_MONTHS:
        return None
    return worse_percentile(known[-BASELINE_MONTHS:], comparison)


def missed_months(figures: Sequence[Decimal], threshold: Decimal, *, comparison: Comparison) -> int:
    return sum(1 for v in figures if not comparison.holds(v, threshold))


def with_threshold(result: AttainmentResult, threshold: Decimal) -> AttainmentResult:
    """The same result judged against another threshold (a what-if): met follows it."""
    met = None if result.achieved is None or result.met is None else result.comparison.holds(result.achieved,
                                                                                               threshold)
    return replace(result, threshold=threshold, met=met)


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"
