"""Did a finished improvement action move its target? Before against after, with a stated test.

The months that ended before the action was opened are compared with the months that began after it was
done (the months in between are the action at work and belong to neither). Only months with a verdict
count, at most WINDOW on each side (the nearest to the action). With at least MIN_PERIODS on each side the
figures are compared by the exact two-sided Mann–Whitney U test (sltdesk/rules/rank_tests.py): "effective"
when p < 0.05 and the figures after are better (higher for an at-least target, lower for an at-most one),
"worse" when p < 0.05 and they are worse, otherwise "not significant (p = …, n = …)". The shift in the
median and in the miss rate is shown either way.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from statistics import median

from sltdesk.domain.period import Period
from sltdesk.domain.register import Comparison
from sltdesk.rules.rank_tests import MannWhitney, mann_whitney_exact

MIN_PERIODS = 4
WINDOW = 12
ALPHA = 0.05


@dataclass(frozen=True)
class Figure:
    """A target's figure in one period, with its verdict."""

    period: str
    achieved: Decimal
    met: bool


@dataclass(frozen=True)
class ActionEffect:
    before: tuple[Figure, ...]
    after: tuple[Figure, ...]
    higher_is_better: bool
    test: MannWhitney | None  # None: not enough periods
    # "effective" | "worse" | "not significant (p = 0.21, n = 9)" | "not enough periods (3 before, 5 after)"
    verdict: str

    @property
    def n(self) -> int:
        return len(self.before) + len(self.after)

    @property
    def median_before(self) -> Decimal | None:
        return _median(self.before)

    @property
    def median_after(self) -> Decimal | None:
        return _median(self.after)

    @property
    def median_shift(self) -> Decimal | None:
        a, b = self.median_after, self.median_before
        return None if a is None or b is None else a - b

    @property
    def miss_rate_before(self) -> Decimal | None:
        return _miss_rate(self.before)

    @property
    def miss_rate_after(self) -> Decimal | None:
        return _miss_rate(self.after)

    @property
    def summary(self) -> str:
        """One line: the verdict, then the shifts it rests on."""
        if self.test is None:
            return self.verdict
        return (f"{self.verdict}: median {_num(self.median_before)} → {_num(self.median_after)}, missed "
                f"{_pct(self.miss_rate_before)} → {_pct(self.miss_rate_after)} of months "
                f"(Mann–Whitney exact, p = {self.test.p:.4f}, n = {len(self.before)} + {len(self.after)})")


def split_periods(figures: Sequence[Figure], *, opened_on: date, closed_on: date) -> tuple[list[Figure], list[Figure]]:
    """The figures of periods over before the action was opened, and of periods begun after it was done."""
    before = [f for f in figures if Period.parse(f.period).end <= opened_on]
    after = [f for f in figures if Period.parse(f.period).start > closed_on]
    before.sort(key=lambda f: Period.parse(f.period))
    after.sort(key=lambda f: Period.parse(f.period))
    return before[-WINDOW:], after[:WINDOW]


def assess_effect(figures: Sequence[Figure], *, comparison: Comparison, opened_on: date,
                  closed_on: date) -> ActionEffect:
    """Before against after an action, as the module docstring says."""
    before, after = split_periods(figures, opened_on=opened_on, closed_on=closed_on)
    higher = comparison in (Comparison.AT_LEAST, Comparison.MORE_THAN)
    if len(before) < MIN_PERIODS or len(after) < MIN_PERIODS:
        return ActionEffect(tuple(before), tuple(after), higher, None,
                            f"not enough periods ({len(before)} before, {len(after)} after)")
    test = mann_whitney_exact([float(f.achieved) for f in before], [float(f.achieved) for f in after])
    better = test.y_tends_higher if higher else test.u_y < test.u_x
    if test.p < ALPHA and test.u_x != test.u_y:
        verdict = "effective" if better else "worse"
    else:
        verdict = f"not significant (p = {test.p:.3g}, n = {test.n})"
    return ActionEffect(tuple(before), tuple(after), higher, test, verdict)


def _median(figures: Sequence[Figure]) -> Decimal | None:
    return median(f.achieved for f in figures) if figures else None


def _miss_rate(figures: Sequence[Figure]) -> Decimal | None:
    if not figures:
        return None
    return (Decimal(sum(not f.met for f in figures)) / len(figures) * 100).quantize(Decimal("0.1"))


def _num(value: Decimal | None) -> str:
    """At most three decimals (the figures themselves carry more), trailing zeros kept off."""
    if value is None:
        return "—"
    text = f"{value.quantize(Decimal('0.001')):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _pct(value: Decimal | None) -> str:
    return "—" if value is None else f"{value} %"
