"""One rule for the colour of a target's period, on screen and in print.

Red: missed. Grey: no verdict (no data, incomplete, in progress). Amber: met, and either less than a
quarter of the error budget left, or an early warning from the target's control chart over the twelve
months up to that period (worse three times in a row, a trend that projects a miss, drift on the wrong
side). Green: met otherwise. A vendor figure that differs materially from ours is its own marker, never
amber: it says nothing about how close the target is to a miss.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal
from enum import StrEnum

from sltdesk.domain.attainment import AttainmentResult
from sltdesk.domain.register import Comparison
from sltdesk.domain.results import Status
from sltdesk.rules.control_charts import early_warnings, xmr

AMBER_BUDGET_LEFT = Decimal("0.25")  # met, but less than a quarter of the error budget left
MATERIAL = Decimal("0.1")  # the vendor's figure differs from ours by more than 0.1 points
WINDOW = 12  # months of history behind a period's early warnings (the review pack's trend window)


class Rag(StrEnum):
    RED = "red"
    AMBER = "amber"
    GREEN = "green"
    GREY = "grey"


def budget_left(comparison: Comparison, threshold: Decimal, achieved: Decimal | None, unit: str) -> Decimal | None:
    """Share of the error budget still unused (1 = untouched, 0 = all used); None where it has no meaning.

    At least X %: the budget runs from X to 100. At most X: from X down to 0. Other units at least X (a share
    of nothing): no budget."""
    if achieved is None:
        return None
    if comparison in (Comparison.AT_LEAST, Comparison.MORE_THAN):
        budget = Decimal(100) - threshold if unit.strip() == "%" else None
        return None if not budget or budget <= 0 else (achieved - threshold) / budget
    return None if threshold <= 0 else (threshold - achieved) / threshold


def rag(result: AttainmentResult | None, warnings: Sequence[str] | None = None) -> Rag:
    """The colour of one target-period, given its early warnings (default: those the result carries)."""
    warnings = result.warnings if warnings is None and result is not None else (warnings or ())
    if result is None or result.met is None or result.achieved is None:
        return Rag.GREY
    if result.level_met is False:  # a service level with a core-hours tier is one term: red if either tier missed
        return Rag.RED
    left = budget_left(result.comparison, result.threshold, result.achieved, result.unit)
    tight = left is not None and left < AMBER_BUDGET_LEFT
    return Rag.AMBER if tight or warnings else Rag.GREEN


def status(result: AttainmentResult | None, warnings: Sequence[str] | None = None) -> Status:
    """The one status of a target-period: incomplete or in progress before any colour; then red missed,
    amber at risk, green met; grey without a figure."""
    if result is not None and result.completeness in (Status.INCOMPLETE.value, Status.IN_PROGRESS.value):
        return Status(result.completeness)
    return {Rag.RED: Status.MISSED, Rag.AMBER: Status.AT_RISK, Rag.GREEN: Status.MET,
            Rag.GREY: Status.NO_DATA}[rag(result, warnings)]


def warnings_at(labels: Sequence[str], results: Sequence[AttainmentResult | None]) -> list[str]:
    """The early warnings for the last of `results`, from the control chart over all of them."""
    last = results[-1] if results else None
    if last is None:
        return []
    chart = xmr(list(labels), [r.achieved if r else None for r in results])
    return early_warnings(chart, threshold=last.threshold, comparison=last.comparison, met_latest=last.met)


def with_warnings(labels: Sequence[str], results: Sequence[AttainmentResult], *,
                  window: int = WINDOW, start: int = 0) -> list[AttainmentResult]:
    """Each result from index `start` on with its early warnings, drawn from the `window` periods up to it (fewer
    at the start); the results before `start` are only the history the first ones look back on."""
    out = []
    for i in range(start, len(results)):
        lo = max(0, i - window + 1)
        out.append(replace(results[i], warnings=tuple(warnings_at(labels[lo:i + 1], results[lo:i + 1]))))
    return out


def materially_different(result: AttainmentResult) -> bool:
    """The vendor's figure and ours differ by more than MATERIAL points (a marker of its own)."""
    return result.difference is not None and result.difference.copy_abs() > MATERIAL
