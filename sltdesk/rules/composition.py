"""Composing supplier commitments along a chain, the shortfall, and the allocation each component needs.

Figures are Decimals in the end-to-end target's unit (percent for availability and error rates, a
time unit for budgets). Arithmetic runs in a 34-digit context; results are quantized to six decimal
places and always rounded *against* the supplier: a composed guarantee is rounded down (up for a
"at most" figure), a required allocation up (down for a budget), so a rounded figure never promises
more than the exact one.

Choices documented here because the issue leaves them open:
- parallel branches of a budget take the slowest branch (max): either branch may serve a request,
  so only the slower bound is guaranteed;
- parallel error rates multiply (Π eᵢ): a request fails only when every redundant branch fails,
  i.e. the branches fail over to each other, like availability;
- a parallel branch without a commitment adds nothing to an availability or error stage (it counts
  as 0 % available / 100 % failing), but a stage without any commitment — or a budget branch without
  one — leaves the composition open (None): a meaningless "0 %" would hide which component is missing.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_EVEN, Context, Decimal

from sltdesk.domain.mapping import TIME_UNITS, CompositionRule
from sltdesk.domain.register import Comparison

CONTEXT = Context(prec=34, rounding=ROUND_HALF_EVEN)
PLACES = Decimal("0.000001")
HUNDRED = Decimal(100)
ONE = Decimal(1)

Figure = Decimal | None


def higher_is_better(comparison: Comparison) -> bool:
    return comparison in (Comparison.AT_LEAST, Comparison.MORE_THAN)


def convert(value: Decimal, unit_from: str, unit_to: str) -> Decimal | None:
    """A figure in another unit: ms ↔ s ↔ min ↔ h ↔ d, % only to %; None when not convertible."""
    if unit_from == unit_to:
        return value
    if unit_from in TIME_UNITS and unit_to in TIME_UNITS:
        return CONTEXT.divide(CONTEXT.multiply(value, TIME_UNITS[unit_from]), TIME_UNITS[unit_to])
    return None


def compose(rule: CompositionRule, stages: Sequence[Sequence[Figure]],
            weights: Sequence[Sequence[Decimal]] | None = None) -> Decimal | None:
    """The exact composed figure of a chain of stages (each a list of parallel branch figures)."""
    if not stages or any(not stage for stage in stages):
        return None
    if rule is CompositionRule.WEIGHTED:
        return _weighted(stages, weights)
    if rule is CompositionRule.BUDGET:
        known = [[f for f in stage if f is not None] for stage in stages]
        if any(len(figures) != len(stage) for figures, stage in zip(known, stages, strict=True)):
            return None
        return sum((max(figures) for figures in known), Decimal(0))
    if rule is CompositionRule.ERROR:
        successes = [[None if e is None else HUNDRED - e for e in stage] for stage in stages]
        chain = _product_chain(successes)
        return None if chain is None else HUNDRED - chain
    return _product_chain(stages)


def _product_chain(stages: Sequence[Sequence[Figure]]) -> Decimal | None:
    """Availability in percent: parallel 1 − Π(1 − aᵢ), then the stages multiplied."""
    chain = ONE
    for stage in stages:
        if all(a is None for a in stage):
            return None
        down = ONE
        for a in stage:
            down = CONTEXT.multiply(down, ONE if a is None else ONE - CONTEXT.divide(a, HUNDRED))
        chain = CONTEXT.multiply(chain, ONE - down)
    return CONTEXT.multiply(chain, HUNDRED)


def _weighted(stages: Sequence[Sequence[Figure]], weights: Sequence[Sequence[Decimal]] | None) -> Decimal | None:
    figures = [f for stage in stages for f in stage if f is not None]
    if len(figures) != sum(len(stage) for stage in stages):  # a figure is missing
        return None
    flat = [w for stage in weights for w in stage] if weights else [ONE] * len(figures)
    if len(flat) != len(figures) or sum(flat) <= 0:
        return None
    total = sum((CONTEXT.multiply(f, w) for f, w in zip(figures, flat, strict=True)), Decimal(0))
    return CONTEXT.divide(total, sum(flat, Decimal(0)))


def guaranteed(value: Decimal, comparison: Comparison) -> Decimal:
    """A composed figure rounded to six places against the supplier."""
    return tidy(value.quantize(PLACES, rounding=ROUND_FLOOR if higher_is_better(comparison) else ROUND_CEILING))


def shortfall(comparison: Comparison, threshold: Decimal, composed: Decimal) -> Decimal:
    """How far the composed figure misses the target (0 when it meets it), in the target's unit."""
    missing = threshold - composed if higher_is_better(comparison) else composed - threshold
    return tidy(max(missing, Decimal(0)))


def required_allocation(rule: CompositionRule, *, threshold: Decimal, comparison: Comparison,
                        stage_sizes: Sequence[int]) -> list[Decimal]:
    """Per stage, what each branch must commit to so that equal shares compose to the threshold.

    Three serial components at equal share need T^(1/3) each (99.9 % → 99.966656 %); a stage of k
    redundant branches that must reach s needs 1 − (1 − s)^(1/k) per branch.
    """
    n = len(stage_sizes)
    if n == 0:
        return []
    if rule is CompositionRule.WEIGHTED:
        exact = [threshold] * n
    elif rule is CompositionRule.BUDGET:
        exact = [CONTEXT.divide(threshold, Decimal(n))] * n
    elif rule is CompositionRule.ERROR:
        stage_error = ONE - _root(ONE - CONTEXT.divide(threshold, HUNDRED), n)
        exact = [CONTEXT.multiply(_root(stage_error, k), HUNDRED) for k in stage_sizes]
    else:
        stage = _root(CONTEXT.divide(threshold, HUNDRED), n)
        exact = [CONTEXT.multiply(ONE - _root(ONE - stage, k), HUNDRED) for k in stage_sizes]
    rounding = ROUND_CEILING if higher_is_better(comparison) else ROUND_FLOOR
    return [tidy(x.quantize(PLACES, rounding=rounding)) for x in exact]


def _root(value: Decimal, n: int) -> Decimal:
    if n == 1 or value in (Decimal(0), ONE):
        return value
    return CONTEXT.power(value, CONTEXT.divide(ONE, Decimal(n)))


def weakest(figures: Sequence[Decimal], comparison: Comparison) -> Decimal:
    """The least demanding of several commitments (lowest for "at least", highest for "at most")."""
    return min(figures) if higher_is_better(comparison) else max(figures)


def tidy(value: Decimal) -> Decimal:
    """Without trailing zeros and never in exponent notation: 99.850050 → 99.85005, 100.000 → 100."""
    if value == value.to_integral_value():
        return value.quantize(ONE)
    return value.normalize()
