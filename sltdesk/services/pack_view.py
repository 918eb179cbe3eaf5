"""The frozen view of a joint-review pack: every number the PDF, the XLSX data set and the screen show.

Built once by sltdesk.services.pack; the renderers only lay it out, so the screen and the paper agree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from sltdesk.domain.figures import figure_text, places_for, signed
from sltdesk.domain.penalties import PeriodCredits
from sltdesk.domain.register import Comparison
from sltdesk.domain.reviews import AgendaItem, Attendee, Decision, RootCause
from sltdesk.rules.breach_log import BreachLog, RootCauseDue
from sltdesk.rules.control_charts import XmRChart
from sltdesk.rules.target_reviews import ReviewDue
from sltdesk.services.reviews import BacklogItem

if TYPE_CHECKING:  # the leading indicators load numpy and pandas: not for a page that only needs a pack's parts
    from sltdesk.services.indicators import ContractIndicators


@dataclass(frozen=True)
class PackOptions:
    supplier: str
    period: str  # "2026-09" (or a quarter)
    months: int = 12  # the trend and control-chart window, ending with the period
    as_of: date | None = None  # the day deadlines and overdue tests are judged on (default: the period's end)
    paper: str = "a4"  # "a4" | "letter"


@dataclass(frozen=True)
class ContractLine:
    ref: str
    title: str
    currency: str
    charges: Decimal
    charges_period: str
    owner: str


@dataclass(frozen=True)
class AttainmentRow:
    contract: str
    target_id: int
    target: str
    metric: str
    comparison: Comparison
    threshold: Decimal
    unit: str
    achieved: Decimal | None
    met: bool | None
    reported: Decimal | None
    reported_met: bool | None
    difference: Decimal | None  # vendor-reported minus ours
    flips: bool
    rag: str  # "red" | "amber" | "green" | "grey"
    explanation: str
    budget: str
    completeness: str = ""  # "complete" | "incomplete" | "in progress" | "" (not measured)
    baseline: Decimal | None = None  # rolling baseline (sltdesk/rules/negotiation.py): a suggestion, not a term
    tier: AttainmentRow | None = None  # the service level's core-hours tier, shown in the same row (one term)
    season: str = ""  # "in season": a seasonal threshold judged this period

    @property
    def target_text(self) -> str:
        own = f"{self.comparison.value} {self.threshold:f} {self.unit}" + (f" ({self.season})" if self.season else "")
        return own + (f"; core {self.tier.target_text}" if self.tier is not None else "")

    @property
    def baseline_text(self) -> str:
        """The rolling baseline written like the figures; "—" without twelve complete months before."""
        return figure_text(self.baseline, self.threshold, self.unit)

    @property
    def achieved_text(self) -> str:
        """Ours as written: decimals enough never to contradict the verdict (99.98997, not 99.9900)."""
        own = figure_text(self.achieved, self.threshold, self.unit)
        return own + (f"; core {self.tier.achieved_text} ({self.tier.verdict})" if self.tier is not None else "")

    @property
    def difference_text(self) -> str:
        return signed(self.difference, places=places_for(self.unit))

    @property
    def verdict(self) -> str:
        """met / missed; without a verdict, why: the data is incomplete, the period is in progress, or no data."""
        if self.met is None:
            return self.completeness if self.completeness in ("incomplete", "in progress") else "no data"
        return "met" if self.met else "missed"


@dataclass(frozen=True)
class TargetTrend:
    """One target over the window: the series, its XmR chart, which misses are special-cause, and warnings."""

    contract: str
    target_id: int
    target: str
    comparison: Comparison
    threshold: Decimal
    unit: str
    chart: XmRChart
    met: tuple[bool | None, ...]
    reported: tuple[float | None, ...]
    special_misses: tuple[str, ...]  # missed periods flagged by the control chart (systemic)
    common_misses: tuple[str, ...]  # missed periods within normal variation
    warnings: tuple[str, ...]
    capability: str  # one sentence: can the process as it runs meet the target?
    thresholds: tuple[Decimal, ...] = ()  # the threshold that judged each period (a season steps it); () = one


@dataclass(frozen=True)
class Discrepancy:
    contract: str
    target: str
    period: str
    ours: Decimal | None
    reported: Decimal | None
    difference: Decimal | None
    flips: bool
    unit: str
    ours_text: str = ""  # ours as written (decimals enough not to contradict the verdict)

    @property
    def difference_text(self) -> str:
        return signed(self.difference, places=places_for(self.unit))


@dataclass(frozen=True)
class FlagLine:
    """False positives flagged on one target (or every target of a contract) and monitor in one month: how many
    were approved and how many are pending, so that a noisy monitor stands out."""

    period: str
    contract: str
    target: str  # "every target" for a contract-wide flag
    monitor: str  # the probe that raised them, or what was flagged (outages, tickets, spans)
    approved: int
    pending: int
    flags: str  # "FP-3, FP-4"


@dataclass(frozen=True)
class QualityLine:
    contract: str
    file: str
    kind: str
    imported_at: str
    rows_read: int
    rows_rejected: int
    severity: str
    code: str
    message: str
    row: int | None


@dataclass(frozen=True)
class ContractCredits:
    contract: str
    currency: str
    credits: PeriodCredits | None
    computed: Decimal | None  # reconciliation: what the clauses give
    issued: Decimal | None
    variance: Decimal | None
    status: str
    claim_deadline: date | None
    warnings: tuple[str, ...]
    note: str = ""  # why there is nothing (no clauses…)


@dataclass(frozen=True)
class MaturityView:
    assessed_on: date
    template: str
    overall: Decimal | None
    level: int | None
    level_name: str
    previous_overall: Decimal | None
    sections: tuple[tuple[str, Decimal | None], ...]
    previous_sections: tuple[tuple[str, Decimal | None], ...]
    previous_on: date | None
    red_flags: tuple[str, ...]
    outlook: tuple[tuple[str, str, float, float, float, str], ...]  # contract, target, p, low, high, explanation


@dataclass(frozen=True)
class CoverageLine:
    service: str
    end_to_end_target: str
    component: str
    status: str
    finding: str


@dataclass(frozen=True)
class PlanLine:
    title: str
    trigger: str
    failover: str
    workaround: str
    owner: str
    last_tested: date | None
    next_test_due: date | None
    overdue: bool
    status: str  # "tested 2026-05-14, next test due 2026-11-10" / "never tested" / "overdue by 83 days"


@dataclass(frozen=True)
class Totals:
    currency: str
    owed: Decimal
    issued: Decimal
    outstanding: Decimal


@dataclass(frozen=True)
class Summary:
    targets: int
    met: int
    missed: int
    no_data: int
    amber: int
    totals: tuple[Totals, ...]
    top_issues: tuple[str, ...]  # at most three


@dataclass(frozen=True)
class PackView:
    supplier: str
    category: str
    criticality: str
    period: str
    months: tuple[str, ...]
    as_of: date
    paper: str
    audit_entries: int
    audit_head: str
    contracts: tuple[ContractLine, ...]
    review_id: int | None
    review_title: str
    held_on: date | None
    attendees: tuple[Attendee, ...]
    contacts: tuple[str, ...]  # the supplier's contacts from the register (when no review lists attendees)
    summary: Summary
    attainment: tuple[AttainmentRow, ...]
    trends: tuple[TargetTrend, ...]
    breaches: BreachLog
    root_causes_due: tuple[RootCauseDue, ...]
    root_causes: tuple[RootCause, ...]
    discrepancies: tuple[Discrepancy, ...]
    quality: tuple[QualityLine, ...]
    credits: tuple[ContractCredits, ...]
    maturity: MaturityView | None
    coverage: tuple[CoverageLine, ...]
    backlog: tuple[BacklogItem, ...]
    plans: tuple[PlanLine, ...]
    decisions: tuple[Decision, ...]
    notes: tuple[tuple[AgendaItem, str], ...] = field(default_factory=tuple)
    false_positives: tuple[FlagLine, ...] = ()  # approved and pending, per month, contract, target and monitor
    # every done action of the supplier linked to a target, with whether it worked (figures up to the period):
    # an effect shows months after the action left the backlog
    effects: tuple[BacklogItem, ...] = ()
    indicators: tuple[ContractIndicators, ...] = ()  # leading indicators of each contract's targets
    target_reviews: tuple[ReviewDue, ...] = ()  # targets whose relevance review is due (rules/target_reviews.py)

    def note(self, item: AgendaItem) -> str:
        return next((text for i, text in self.notes if i is item), "")

    def target_label(self, target_id: int) -> str:
        row = next((r for r in self.attainment if r.target_id == target_id), None)
        return f"{row.contract} {row.target}" if row else ""
