"""Leading indicators: which series of a contract move a few periods before a target's figures do.

Each candidate series (error rate, latency p95, backlog, reopen rate) is paired with the target's figures
`lag` periods later and Pearson's r is computed over the periods where both have a value. Its p-value comes
from Student's t with n − 2 degrees of freedom, written as a regularized incomplete beta function
(p = I_{df/(df+t²)}(df/2, 1/2)), evaluated by its continued fraction (Lentz's method) — no scipy at run time.
Many candidates × lags are tried, so each p is multiplied by the number of tests made (Bonferroni). A series
is listed only when |r| ≥ 0.5, n ≥ 12 and the adjusted p < 0.05; a listed indicator still says nothing
about cause. An indicator that passed can warn early when its latest value leaves its usual range (the
mean ± 2 standard deviations of its earlier values).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sltdesk.rules.prediction import beta_cdf

LAGS = (1, 2, 3)
MIN_R, MIN_N, ALPHA = 0.5, 12, 0.05
NONE_STANDS_OUT = "no indicator stands out"
CAUTION = ("Correlation is not cause: an indicator that moved before the target did may share a cause with it, "
           "or the pattern may be chance; use it to look closer, not as proof.")


@dataclass(frozen=True)
class Correlation:
    r: float
    p: float  # two-sided, from t with n − 2 degrees of freedom
    n: int


@dataclass(frozen=True)
class Indicator:
    """One candidate series at one lag, tested against a target's figures."""

    candidate: str  # "error rate", "latency p95", …
    lag: int  # periods the candidate runs ahead of the target
    r: float
    n: int
    p: float
    p_adjusted: float  # p × the number of tests (Bonferroni), at most 1
    listed: bool  # |r| ≥ 0.5, n ≥ 12 and adjusted p < 0.05

    @property
    def text(self) -> str:
        direction = "rises" if self.r > 0 else "falls"
        p = "< 0.0001" if self.p_adjusted < 0.0001 else f"= {self.p_adjusted:.4f}"
        return (f"{self.candidate}, {self.lag} month{'s' if self.lag > 1 else ''} ahead: when it is high the target "
                f"{direction} (r = {self.r:+.2f}, n = {self.n}, adjusted p {p})")


def betainc(a: float, b: float, x: float) -> float:
    """The regularized incomplete beta function I_x(a, b), for a, b > 0 and 0 ≤ x ≤ 1 (scipy's argument order;
    the one implementation is the prediction's)."""
    return beta_cdf(x, a, b)


def pearson(x: Sequence[float], y: Sequence[float]) -> Correlation:
    """Pearson's r of paired values and its two-sided p (1 where r is undefined: fewer than 3 pairs, or flat)."""
    n = len(x)
    if n != len(y):
        raise ValueError("pearson needs pairs: x and y of the same length")
    if n < 3:
        return Correlation(0.0, 1.0, n)
    mx, my = math.fsum(x) / n, math.fsum(y) / n
    sxy = math.fsum((a - mx) * (b - my) for a, b in zip(x, y, strict=True))
    sxx, syy = math.fsum((a - mx) ** 2 for a in x), math.fsum((b - my) ** 2 for b in y)
    if sxx == 0 or syy == 0:
        return Correlation(0.0, 1.0, n)
    r = max(-1.0, min(1.0, sxy / math.sqrt(sxx * syy)))
    df = n - 2
    if abs(r) == 1.0:
        return Correlation(r, 0.0, n)
    t2 = r * r * df / (1 - r * r)
    return Correlation(r, betainc(df / 2, 0.5, df / (df + t2)), n)


def lagged_pairs(lead: Sequence[float | None], follow: Sequence[float | None], lag: int) -> tuple[list[float],
                                                                                                    list[float]]:
    """(lead[t − lag], follow[t]) for every period t where both have a value."""
    xs, ys = [], []
    for t in range(lag, len(follow)):
        a, b = lead[t - lag] if t - lag < len(lead) else None, follow[t]
        if a is not None and b is not None:
            xs.append(float(a))
            ys.append(float(b))
    return xs, ys


def leading_indicators(candidates: Mapping[str, Sequence[float | None]], target: Sequence[float | None], *,
                       lags: Sequence[int] = LAGS) -> list[Indicator]:
    """Every candidate at every lag, tested against the target (all series over the same periods, oldest first);
    the listed ones first, strongest first."""
    tested = []
    for name, series in candidates.items():
        for lag in lags:
            xs, ys = lagged_pairs(series, target, lag)
            if len(xs) >= 3:
                tested.append((name, lag, pearson(xs, ys)))
    m = len(tested)
    out = [Indicator(name, lag, c.r, c.n, c.p, min(1.0, c.p * m),
                     abs(c.r) >= MIN_R and c.n >= MIN_N and c.p * m < ALPHA) for name, lag, c in tested]
    return sorted(out, key=lambda i: (not i.listed, i.p_adjusted, i.lag))


def listed(indicators: Sequence[Indicator]) -> list[Indicator]:
    """The indicators that stand out: the best lag of each candidate that passed."""
    best: dict[str, Indicator] = {}
    for i in indicators:
        if i.listed and (i.candidate not in best or i.p_adjusted < best[i.candidate].p_adjusted):
            best[i.candidate] = i
    return sorted(best.values(), key=lambda i: i.p_adjusted)


def out_of_range(series: Sequence[float | None], *, spread: float = 2.0) -> bool:
    """The latest value (the last one there is) lies outside the mean ± `spread` standard deviations of the values
    before it; False with fewer than MIN_N values."""
    values = [float(v) for v in series if v is not None]
    if len(values) < MIN_N:
        return False
    earlier, last = values[:-1], values[-1]
    mean = math.fsum(earlier) / len(earlier)
    sd = math.sqrt(math.fsum((v - mean) ** 2 for v in earlier) / (len(earlier) - 1))
    return abs(last - mean) > spread * sd if sd > 0 else last != mean
