"""Reliability prediction: how likely a target is met next period, from maturity and met/missed history.

A beta-binomial model. The maturity score s (0..1) sets the prior mean 0.55 + 0.40 s (maturity 0 -> 0.55,
5 -> 0.95), worth PRIOR_STRENGTH periods of history: Beta(m n0, (1 - m) n0). Each period met adds one to
alpha, each missed one to beta. The prediction is the posterior mean alpha / (alpha + beta) — the
probability of meeting the next period — with the equal-tailed interval of the posterior Beta for the
target's underlying rate. Without an assessment the prior is uniform, Beta(1, 1): the history-only
baseline ((met + 1) / (periods + 2), Laplace's rule).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

PRIOR_STRENGTH = 6.0
PRIOR_FLOOR = 0.55
PRIOR_SPAN = 0.40
INTERVAL = 0.90


@dataclass(frozen=True)
class Prediction:
    probability: float  # of meeting the target next period
    low: float
    high: float
    interval: float  # e.g. 0.90
    prior_mean: float
    prior_strength: float
    maturity_index: float | None  # the score on the 0-5 scale, None without an assessment
    met: int
    periods: int
    explanation: str


def prior_mean(score: Decimal | float) -> float:
    """The prior probability of meeting a target for an overall maturity score in 0..1."""
    return PRIOR_FLOOR + PRIOR_SPAN * min(max(float(score), 0.0), 1.0)


def predict(history: Sequence[bool], *, prior_score: Decimal | float | None,
            strength: float = PRIOR_STRENGTH, interval: float = INTERVAL) -> Prediction:
    """Combine the maturity prior (None: uniform prior) with the met/missed history, oldest first."""
    met, periods = sum(1 for h in history if h), len(history)
    if prior_score is None:
        mean, weight, index = 0.5, 2.0, None
    else:
        mean, weight, index = prior_mean(prior_score), strength, round(5 * float(prior_score), 1)
    alpha = mean * weight + met
    beta = (1 - mean) * weight + periods - met
    probability = alpha / (alpha + beta)
    tail = (1 - interval) / 2
    low, high = beta_quantile(tail, alpha, beta), beta_quantile(1 - tail, alpha, beta)
    text = _explain(met, periods, index, mean, probability, low, high, interval)
    return Prediction(probability, low, high, interval, mean, weight, index, met, periods, text)


def brier_score(pairs: Sequence[tuple[float, bool]]) -> float:
    """Mean squared difference between predicted probabilities and what happened (0 is perfect)."""
    if not pairs:
        raise ValueError("a Brier score needs at least one prediction")
    return sum((p - (1.0 if outcome else 0.0)) ** 2 for p, outcome in pairs) / len(pairs)


def _explain(met: int, periods: int, index: float | None, mean: float, probability: float,
             low: float, high: float, interval: float) -> str:
    history = f"history {met} of {periods} periods met" if periods else "no history yet"
    prior = (f"maturity {index:.1f} → prior {mean:.2f}" if index is not None
             else "no maturity assessment → uniform prior 0.50")
    return (f"{history}; {prior}; predicted {probability:.2f}, "
            f"{interval * 100:.0f} % interval {low:.2f}–{high:.2f}")


def beta_cdf(x: float, a: float, b: float) -> float:
    """The regularised incomplete beta function I_x(a, b)."""
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    log_front = math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    if x < (a + 1) / (a + b + 2):
        return math.exp(log_front) * _continued_fraction(x, a, b) / a
    return 1.0 - math.exp(log_front) * _continued_fraction(1 - x, b, a) / b


def beta_quantile(p: float, a: float, b: float) -> float:
    """The x with I_x(a, b) = p, by bisection (monotone, 60 halvings: far below display precision)."""
    low, high = 0.0, 1.0
    for _ in range(60):
        middle = (low + high) / 2
        if beta_cdf(middle, a, b) < p:
            low = middle
        else:
            high = middle
    return (low + high) / 2


def _continued_fraction(x: float, a: float, b: float) -> float:
    """Lentz's evaluation of the incomplete beta continued fraction (Numerical Recipes, betacf)."""
    tiny, qab, qap, qam = 1e-300, a + b, a + 1, a - 1
    c, d = 1.0, 1 - qab * x / qap
    d = 1 / (d if abs(d) > tiny else tiny)
    result = d
    for m in range(1, 300):
        m2 = 2 * m
        for numerator in (m * (b - m) * x / ((qam + m2) * (a + m2)),
                          -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))):
            d = 1 + numerator * d
            d = 1 / (d if abs(d) > tiny else tiny)
            c = 1 + numerator / c
            c = c if abs(c) > tiny else tiny
            result *= d * c
        if abs(d * c - 1) < 1e-15:
            break
    return result
