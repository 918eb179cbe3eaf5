"""XmR control charts over per-period attainment, the Western Electric rules, and early warnings.

- Individuals (X): centre line = mean of the values; moving range mRᵢ = |xᵢ − xᵢ₋₁|; MR̄ = mean of the
  moving ranges; UCL / LCL = mean ± 2.66 × MR̄ (2.66 = 3 / d₂ with d₂ = 1.128, so the limits sit at 3σ);
  the moving-range chart's upper limit is 3.267 × MR̄.
- Western Electric rules on the X chart (σ = MR̄ / 1.128), each flagged on the points that make it up:
  1. one point beyond 3σ (outside the limits);
  2. two of three consecutive points beyond 2σ on the same side;
  3. four of five consecutive points beyond 1σ on the same side;
  4. eight consecutive points on the same side of the centre line.
- A miss on a point flagged on the unfavourable side is special-cause (systemic: something changed); a miss
  on an unflagged point is within the normal variation of the process as it runs.
- Early warnings while the target is still met: a run of worsening periods, a linear trend that projects a
  breach next period, and a rule 2–4 signal on the unfavourable side at the latest period.
- Natural bounds: a percentage lies within 0–100 and every other measure (a duration) is never negative, so a
  control limit beyond the bound is clipped to it and the chart remembers the limit as computed. The rules
  above use σ, not the limits, so clipping changes what is drawn and said, never what is flagged.

Periods without a figure (None) keep their place on the axis but take no part in the statistics.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from sltdesk.domain.register import Comparison

E2 = 2.66  # 3 / d2 for moving ranges of two
D4 = 3.267
D2 = 1.128
RULE_TEXT = {
    1: "one point beyond the 3σ control limits",
    2: "two of three points beyond 2σ on one side",
    3: "four of five points beyond 1σ on one side",
    4: "eight points in a row on one side of the centre line",
}


@dataclass(frozen=True)
class RuleFlag:
    index: int  # position in the chart's periods
    rule: int  # Western Electric rule 1-4
    side: str  # "above" | "below" the centre line


@dataclass(frozen=True)
class XmRChart:
    labels: tuple[str, ...]
    values: tuple[float | None, ...]
    moving_ranges: tuple[float | None, ...]  # None for the first point and around gaps
    centre: float | None
    mr_mean: float | None
    ucl: float | None
    lcl: float | None
    mr_ucl: float | None
    flags: tuple[RuleFlag, ...]
    ucl_computed: float | None = None  # the upper limit before it was clipped at the natural bound; None: not clipped
    lcl_computed: float | None = None  # likewise for the lower limit

    @property
    def sigma(self) -> float | None:
        return None if self.mr_mean is None else self.mr_mean / D2

    def rules_at(self, index: int) -> tuple[int, ...]:
        return tuple(sorted({f.rule for f in self.flags if f.index == index}))

    def flagged_sides(self, index: int) -> set[str]:
        return {f.side for f in self.flags if f.index == index}


def natural_bounds(unit: str) -> tuple[float, float | None]:
    """The values a measure can take: 0–100 for a percentage, at least 0 for anything else (a duration)."""
    return (0.0, 100.0) if unit == "%" else (0.0, None)


def xmr(labels: Sequence[str], values: Sequence[float | Decimal | None], *,
        bounds: tuple[float | None, float | None] = (None, None)) -> XmRChart:
    """The XmR chart of the values (None: no figure that period) with every rule flag; control limits beyond
    `bounds` (low, high; None: unbounded) are clipped to them."""
    chart = _xmr(labels, values)
    return clipped(chart, bounds) if chart.ucl is not None else chart


def clipped(chart: XmRChart, bounds: tuple[float | None, float | None]) -> XmRChart:
    """The chart with its control limits clipped at the bounds; a limit exactly on a bound is not clipped."""
    low, high = bounds
    over = high is not None and chart.ucl is not None and chart.ucl > high
    under = low is not None and chart.lcl is not None and chart.lcl < low
    return replace(chart, ucl=high if over else chart.ucl, lcl=low if under else chart.lcl,
                   ucl_computed=chart.ucl if over else None, lcl_computed=chart.lcl if under else None)


def _xmr(labels: Sequence[str], values: Sequence[float | Decimal | None]) -> XmRChart:
    xs = tuple(None if v is None else float(v) for v in values)
    known = [x for x in xs if x is not None]
    ranges: list[float | None] = [None]
    for previous, current in zip(xs, xs[1:], strict=False):
        ranges.append(None if previous is None or current is None else abs(current - previous))
    known_ranges = [r for r in ranges if r is not None]
    if len(known) < 2 or not known_ranges:
        return XmRChart(tuple(labels), xs, tuple(ranges), _mean(known), None, None, None, None, ())
    centre, mr_mean = _average(known), _average(known_ranges)
    flags = western_electric(xs, centre, mr_mean / D2)
    return XmRChart(tuple(labels), xs, tuple(ranges), centre, mr_mean, centre + E2 * mr_mean, centre - E2 * mr_mean,
                    D4 * mr_mean, tuple(flags))


def western_electric(values: Sequence[float | None], centre: float, sigma: float) -> list[RuleFlag]:
    """Every point that takes part in a rule 1-4 pattern, with the rule and the side."""
    points = [(i, v) for i, v in enumerate(values) if v is not None]
    flags: set[RuleFlag] = set()
    for i, v in points:
        if sigma > 0 and abs(v - centre) > 3 * sigma:
            flags.add(RuleFlag(i, 1, _side(v, centre)))
    for rule, window, needed, zone in ((2, 3, 2, 2.0), (3, 5, 4, 1.0)):
        for start in range(len(points) - window + 1):
            chunk = points[start:start + window]
            for side in ("above", "below"):
                beyond = [i for i, v in chunk if sigma > 0 and _side(v, centre) == side
                          and abs(v - centre) > zone * sigma]
                if len(beyond) >= needed:
                    flags.update(RuleFlag(i, rule, side) for i in beyond)
    for start in range(len(points) - 7):
        chunk = points[start:start + 8]
        sides = {_side(v, centre) for _, v in chunk}
        if len(sides) == 1 and "on" not in sides:
            side = next(iter(sides))
            flags.update(RuleFlag(i, 4, side) for i, _ in chunk)
    return sorted(flags, key=lambda f: (f.index, f.rule, f.side))


def worse_side(comparison: Comparison) -> str:
    """Which side of the centre line is bad news: below for "at least" targets, above for "at most"."""
    return "below" if comparison in (Comparison.AT_LEAST, Comparison.MORE_THAN) else "above"


def special_cause(chart: XmRChart, index: int, comparison: Comparison) -> bool:
    """Whether the point at `index` is part of a signal on the unfavourable side."""
    return worse_side(comparison) in chart.flagged_sides(index)


def early_warnings(chart: XmRChart, *, threshold: Decimal, comparison: Comparison, met_latest: bool | None,
                   run: int = 3, window: int = 6) -> list[str]:
    """Sentences warning that the latest met period is heading towards a breach (none when it is missed)."""
    if met_latest is not True:
        return []
    known = [(label, v) for label, v in zip(chart.labels, chart.values, strict=True) if v is not None]
    if len(known) < 2:
        return []
    limit = float(threshold)
    sign = 1.0 if worse_side(comparison) == "below" else -1.0  # +1: higher is better
    out = []
    tail = known[-(run + 1):]
    if len(tail) == run + 1 and all(sign * (b[1] - a[1]) < 0 for a, b in zip(tail, tail[1:], strict=False)):
        path = " → ".join(_fmt(v) for _, v in tail)
        out.append(f"worse in each of the last {run} periods ({path}); "
                   f"{_fmt(abs(tail[-1][1] - limit))} from the target {comparison.value} {_fmt(limit)}")
    recent = known[-window:]
    if len(recent) >= 4:
        projected = _projection(recent)
        holds = comparison.holds(Decimal(repr(round(projected, 6))), threshold)
        if not holds:
            out.append(f"the trend of the last {len(recent)} periods projects {_fmt(projected)} next period, "
                       f"which would miss {comparison.value} {_fmt(limit)}")
    latest = len(chart.values) - 1
    drift = [f.rule for f in chart.flags if f.index == latest and f.rule > 1 and f.side == worse_side(comparison)]
    if drift:
        out.append("drifting: " + "; ".join(RULE_TEXT[r] for r in sorted(set(drift))) + " on the unfavourable side")
    return out


def _projection(points: Sequence[tuple[str, float]]) -> float:
    """Least-squares line through the points, evaluated one period after the last."""
    n = len(points)
    xs = range(n)
    ys = [v for _, v in points]
    mean_x, mean_y = (n - 1) / 2, sum(ys) / n
    slope_den = sum((x - mean_x) ** 2 for x in xs)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / slope_den
    return mean_y + slope * (n - mean_x)


def _side(value: float, centre: float) -> str:
    return "above" if value > centre else "below" if value < centre else "on"


def _mean(values: Sequence[float]) -> float | None:
    return _average(values) if values else None


def _average(values: Sequence[float]) -> float:
    return sum(values) / len(values)


def _fmt(value: float) -> str:
    return f"{value:.4f}".rstrip("0").rstrip(".")
