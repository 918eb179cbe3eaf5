"""Coverage of an end-to-end target's chain by contract targets: gap, partial, overlap, covered.

- gap: no mapped contract target measures the component for the end-to-end metric;
- partial: covered, but weaker — the contract targets together leave some of the required service
  hours uncovered (or close on holidays the target counts), measure per longer period (quarter vs
  month), or state the metric differently (a share of intervals vs a time in ms, "at most" vs "at least");
- overlap: two or more of them claim the component and metric for the same required hours;
- covered: otherwise.

A component's committed figure is the *weakest* of its usable contract targets: each is all that is
promised for the hours it covers, and an overlap is not counted on to be won in a dispute.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import combinations

from sltdesk.domain.mapping import CompositionRule, CoverageStatus
from sltdesk.domain.register import ChargesPeriod, Comparison, MetricKind, ServiceCalendar
from sltdesk.rules import composition as comp
from sltdesk.rules import hours

PERIOD_LENGTH = {ChargesPeriod.MONTH: 1, ChargesPeriod.QUARTER: 3, ChargesPeriod.YEAR: 12}
SEVERITY = {CoverageStatus.COVERED: 0, CoverageStatus.PARTIAL: 1, CoverageStatus.OVERLAP: 2, CoverageStatus.GAP: 3}


@dataclass(frozen=True)
class Requirement:
    """What the end-to-end target asks of every component."""

    metric: MetricKind
    comparison: Comparison
    threshold: Decimal
    unit: str
    period: ChargesPeriod
    calendar: ServiceCalendar | None


@dataclass(frozen=True)
class Commitment:
    """A contract target as coverage sees it."""

    contract_target_id: int
    label: str  # "NW-2025-014 'SL1 Availability' (Northwind Networks)"
    metric: MetricKind
    comparison: Comparison
    threshold: Decimal
    unit: str
    period: ChargesPeriod
    calendar: ServiceCalendar | None


@dataclass(frozen=True)
class CommitmentCheck:
    commitment: Commitment
    counts: bool  # measures this metric with this definition: its figure enters the composition
    notes: tuple[str, ...]
    figure: Decimal | None  # in the end-to-end target's unit


@dataclass(frozen=True)
class ComponentAssessment:
    status: CoverageStatus
    findings: tuple[str, ...]
    checks: tuple[CommitmentCheck, ...]
    committed: Decimal | None


@dataclass(frozen=True)
class ChainComponent:
    name: str
    stage: int
    weight: Decimal
    commitments: tuple[Commitment, ...]


@dataclass(frozen=True)
class ChainAssessment:
    components: tuple[ComponentAssessment, ...]
    required: tuple[Decimal, ...]  # per component, in the order given
    composed: Decimal | None
    shortfall: Decimal | None
    note: str


def assess_component(requirement: Requirement, name: str, commitments: Sequence[Commitment]) -> ComponentAssessment:
    """The coverage status of one component, with a sentence for every weakness found."""
    matching = [c for c in commitments if c.metric is requirement.metric]
    findings = [f"{c.label} measures {c.metric.value}, not {requirement.metric.value}"
                for c in commitments if c.metric is not requirement.metric]
    others = tuple(CommitmentCheck(c, False, (f"measures {c.metric.value}",), None)
                   for c in commitments if c.metric is not requirement.metric)
    if not matching:
        findings.insert(0, f"{name}: no contract target covers {requirement.metric.value}")
        return ComponentAssessment(CoverageStatus.GAP, tuple(findings), others, None)
    checks = tuple(_check(requirement, c) for c in matching)
    weak = [f"{check.commitment.label} {note}" for check in checks for note in check.notes]
    weak += _hours_findings(requirement, matching)
    overlaps = _overlaps(requirement, matching)
    status = CoverageStatus.OVERLAP if overlaps else CoverageStatus.PARTIAL if weak else CoverageStatus.COVERED
    usable = [check.figure for check in checks if check.counts and check.figure is not None]
    committed = comp.weakest(usable, requirement.comparison) if usable else None
    return ComponentAssessment(status, tuple(overlaps + weak + findings), checks + others, committed)


def _check(requirement: Requirement, c: Commitment) -> CommitmentCheck:
    notes: list[str] = []
    figure = comp.convert(c.threshold, c.unit, requirement.unit)
    same_direction = comp.higher_is_better(c.comparison) == comp.higher_is_better(requirement.comparison)
    if figure is None or not same_direction:
        notes.append(f"states {c.metric.value} as {c.comparison.value} {c.threshold:f} {c.unit}, the end-to-end "
                     f"target as {requirement.comparison.value} {requirement.threshold:f} {requirement.unit}: "
                     "a different metric definition")
    if PERIOD_LENGTH[c.period] > PERIOD_LENGTH[requirement.period]:
        notes.append(f"is measured per {c.period.value}, the end-to-end target per {requirement.period.value}")
    counts = figure is not None and same_direction
    return CommitmentCheck(c, counts, tuple(notes), figure if counts else None)


def _hours_findings(requirement: Requirement, matching: Sequence[Commitment]) -> list[str]:
    found: list[str] = []
    calendars = [c.calendar for c in matching]
    missing = hours.uncovered_minutes(requirement.calendar, calendars)
    if missing:
        offered = " and ".join(sorted({hours.describe(c) for c in calendars}))
        found.append(f"service hours {offered} leave {_hours(missing)} a week of "
                     f"{hours.describe(requirement.calendar)} uncovered")
    closures = [hours.excludes_more_days(c.calendar, requirement.calendar) for c in matching]
    if all(closures):
        found.append(f"{matching[0].label} {closures[0]}, which the end-to-end target counts")
    return found


def _overlaps(requirement: Requirement, matching: Sequence[Commitment]) -> list[str]:
    found = []
    for first, second in combinations(matching, 2):
        shared = hours.shared_minutes(requirement.calendar, first.calendar, second.calendar)
        if shared:
            found.append(f"{first.label} and {second.label} both claim it for {_hours(shared)} a week")
    return found


def _hours(minutes: int) -> str:
    whole, rest = divmod(minutes, 60)
    return f"{whole} h" if not rest else f"{whole} h {rest:02d} min"


def worst(statuses: Sequence[CoverageStatus]) -> CoverageStatus:
    return max(statuses, key=SEVERITY.__getitem__, default=CoverageStatus.GAP)


def assess_chain(requirement: Requirement, rule: CompositionRule,
                 components: Sequence[ChainComponent]) -> ChainAssessment:
    """Every component's coverage, the composed commitment, its shortfall and the allocation needed."""
    assessed = tuple(assess_component(requirement, c.name, c.commitments) for c in components)
    stages = sorted({c.stage for c in components})
    figures = [[a.committed for c, a in zip(components, assessed, strict=True) if c.stage == s] for s in stages]
    weights = [[c.weight for c in components if c.stage == s] for s in stages]
    sizes = [len(stage) for stage in figures]
    per_stage = comp.required_allocation(rule, threshold=requirement.threshold,
                                         comparison=requirement.comparison, stage_sizes=sizes)
    required = tuple(per_stage[stages.index(c.stage)] for c in components)
    exact = comp.compose(rule, figures, weights)
    if exact is None:
        missing = [c.name for c, a in zip(components, assessed, strict=True) if a.committed is None]
        note = ("no components yet" if not components else
                f"cannot be composed: no usable commitment for {', '.join(missing)}")
        return ChainAssessment(assessed, required, None, None, note)
    composed = comp.guaranteed(exact, requirement.comparison)
    short = comp.shortfall(requirement.comparison, requirement.threshold, composed)
    note = "meets the target" if short == 0 else \
        f"falls short by {short} {requirement.unit}".replace(" %", " percentage points")
    return ChainAssessment(assessed, required, composed, short, note)
