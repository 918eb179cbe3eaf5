"""Attainment: what a contract target achieved in a period, computed from raw data, with its evidence."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from sltdesk.domain.figures import EXACT, figure_text
from sltdesk.domain.register import Comparison, MetricKind


@dataclass(frozen=True)
class Exclusion:
    """Something left out of the computation, and why (maintenance, force majeure, pause, no data)."""

    reason: str  # e.g. "planned maintenance CHG-42 (notified 7 days ahead)", "approved force majeure FM-3"
    kind: str  # "maintenance" | "force-majeure" | "pause" | "no-data" | "outside-hours"
    minutes: Decimal = Decimal(0)
    tickets: int = 0
    reference: str = ""


@dataclass(frozen=True)
class AttainmentResult:
    """One contract target in one period: our figure, the vendor's, the numbers behind both."""

    contract_id: int
    contract_ref: str
    target_id: int
    target: str
    metric: MetricKind
    period: str  # "2026-03", "2026-Q1", "2026"
    threshold: Decimal
    comparison: Comparison
    unit: str
    achieved: Decimal | None  # None: no data to compute from
    met: bool | None
    counts: dict[str, Decimal | int] = field(default_factory=dict)
    exclusions: tuple[Exclusion, ...] = ()
    reported: Decimal | None = None  # the vendor's self-reported figure
    reported_met: bool | None = None
    explanation: str = ""  # one sentence on how the figure was computed
    error_budget: str = ""  # "41 min of downtime left" / "3 tickets may still miss"
    unrounded: Decimal | None = None  # the exact figure, when the contract itself rounds before comparing
    rounding_rule: str = ""  # "rounded half-up to 2 decimals before comparison, as the contract says"
    completeness: str = ""  # "complete" | "incomplete" | "in progress" ("": not measured: no rule, not in term)
    coverage: str = ""  # "data covers 1 Nov 00:00 – 1 Nov 01:00 of 2026-11"
    warnings: tuple[str, ...] = ()  # early warnings of a breach (sltdesk/rules/at_risk.py), where computed
    threshold_note: str = ""  # which threshold applied, when a season changed it (sltdesk/rules/seasons.py)
    tier: AttainmentResult | None = None  # the service level's core-hours tier: its own figure and verdict
    tier_pricing: str = ""  # how the clause prices the tiers' misses: "each" | "worse" ("" without a tier)

    @property
    def level_met(self) -> bool | None:
        """The service level's verdict over its tiers: missed if any tier is missed, met if every tier is met."""
        verdicts = [self.met] + ([self.tier.met] if self.tier is not None else [])
        if False in verdicts:
            return False
        return None if None in verdicts else True

    @property
    def achieved_text(self) -> str:
        """The figure as written: enough decimals never to contradict the verdict or a credit band's edge
        (99.98997, not 99.9900)."""
        return figure_text(self.achieved, self.threshold, self.unit)

    @property
    def difference(self) -> Decimal | None:
        """Vendor-reported minus ours (positive: the vendor claims more than we measured)."""
        if self.reported is None or self.achieved is None:
            return None
        return EXACT.subtract(self.reported, self.achieved)

    @property
    def met_flips(self) -> bool:
        """The vendor says met where we say missed, or the other way round."""
        return self.reported_met is not None and self.met is not None and self.reported_met != self.met

    @property
    def shortfall(self) -> Decimal:
        """How far the achieved figure falls short of the threshold (0 when met or unknown)."""
        if self.achieved is None or self.met is not False:
            return Decimal(0)
        return EXACT.subtract(self.threshold, self.achieved).copy_abs()


@dataclass(frozen=True)
class Breach:
    """A missed target in a period, ready for penalties and the review's breach log."""

    target_id: int
    target: str
    period: str
    shortfall: Decimal
    duration_minutes: Decimal  # downtime minutes or total overrun minutes of missed tickets
    incidents: int  # outages or missed tickets that make up the breach
