"""The coverage report: every end-to-end target, its chain, the contract targets behind each component,
the composed commitment, the shortfall and the allocation each component would need."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import TypeVar

from sltdesk.domain.mapping import Component, ComponentMapping, CoverageStatus, EndToEndTarget, EscalationLevel
from sltdesk.domain.measurement import MeasurementRule
from sltdesk.domain.register import BusinessUnit, Contract, ContractTarget, Service, ServiceCalendar, Supplier
from sltdesk.domain.stored import StoredRecord, stored_id
from sltdesk.rules import coverage as rules
from sltdesk.rules.hours import describe
from sltdesk.rules.seasons import Season, parse_seasons, tier_calendar
from sltdesk.services.ports import Workspace

R = TypeVar("R", bound=StoredRecord)


@dataclass(frozen=True)
class ContractTargetView:
    mapping_id: int
    contract_target_id: int
    contract: str
    supplier: str
    supplier_id: int
    name: str
    target: str  # "availability >= 99.95 %"
    measurement_period: str
    service_hours: str
    counts: bool  # its figure enters the composition
    notes: tuple[str, ...]


@dataclass(frozen=True)
class ComponentCoverage:
    component_id: int
    name: str
    stage: int
    parallel: bool
    weight: Decimal
    status: CoverageStatus
    findings: tuple[str, ...]
    contract_targets: tuple[ContractTargetView, ...]
    committed: Decimal | None
    required: Decimal


@dataclass(frozen=True)
class TargetCoverage:
    target_id: int
    business_unit: str
    service: str
    service_id: int
    name: str
    kind: str
    target: str
    unit: str
    comparison: str
    threshold: Decimal
    measurement_period: str
    service_hours: str
    tier: str
    composition_rule: str
    composition_formula: str
    weights_rationale: str
    status: CoverageStatus
    components: tuple[ComponentCoverage, ...]
    composed: Decimal | None
    shortfall: Decimal | None
    met: bool | None
    composition_note: str
    required_allocation: tuple[dict, ...]
    findings: tuple[str, ...]
    record: EndToEndTarget
    escalation: tuple[EscalationLevel, ...]
    seasons: tuple[SeasonCoverage, ...] = ()  # the chain composed again in each season of its contract targets
    tiers: tuple[TierCoverage, ...] = ()  # with a core-hours tier behind it: the chain per tier (24x7, core hours)


@dataclass(frozen=True)
class SeasonCoverage:
    """The chain in one season: each contract target at the threshold it holds on the season's first day."""

    season: str  # "15 Nov–15 Jan"
    composed: Decimal | None
    shortfall: Decimal | None
    met: bool | None
    note: str


@dataclass(frozen=True)
class TierCoverage:
    """The chain in one tier: in the core hours of a contract target's core-hours tier (at its tier threshold,
    on its tier calendar, the end-to-end target asked of those hours), or 24x7 (every target's own threshold)."""

    tier: str  # "24x7" | "core hours (UK business hours)"
    composed: Decimal | None
    shortfall: Decimal | None
    met: bool | None
    note: str


@dataclass(frozen=True)
class _Register:
    """Everything coverage reads, loaded in one unit of work."""

    units: dict[int, BusinessUnit]
    services: dict[int, Service]
    calendars: dict[int, ServiceCalendar]
    suppliers: dict[int, Supplier]
    contracts: dict[int, Contract]
    contract_targets: dict[int, ContractTarget]
    targets: list[EndToEndTarget]
    components: list[Component]
    mappings: list[ComponentMapping]
    levels: list[EscalationLevel]
    seasons: dict[int, tuple[Season, ...]]  # contract target id -> its seasonal thresholds (from its rule)
    tiers: dict[int, tuple[str, Decimal]]  # contract target id -> its core-hours tier: (calendar name, threshold)


def _load(ws: Workspace) -> _Register:
    with ws.unit_of_work() as uow:
        def by_id(kind: type[R]) -> dict[int, R]:
            return {stored_id(r): r for r in uow.records.list(kind)}

        rules = uow.records.list(MeasurementRule)
        return _Register(by_id(BusinessUnit), by_id(Service), by_id(ServiceCalendar), by_id(Supplier),
                         by_id(Contract), by_id(ContractTarget), uow.records.list(EndToEndTarget),
                         uow.records.list(Component), uow.records.list(ComponentMapping),
                         uow.records.list(EscalationLevel),
                         {r.target_id: parse_seasons(r.seasons) for r in rules if r.seasons},
                         {r.target_id: (r.tier_calendar, r.tier_threshold) for r in rules
                          if r.tier_calendar and r.tier_threshold is not None})


def coverage_report(ws: Workspace) -> list[TargetCoverage]:
    """Every end-to-end target, ordered by business unit, service and name."""
    reg = _load(ws)
    report = [_target(reg, t) for t in reg.targets]
    return sorted(report, key=lambda r: (r.business_unit.casefold(), r.service.casefold(), r.name.casefold()))


def _calendar(reg: _Register, calendar_id: int | None) -> ServiceCalendar | None:
    return reg.calendars.get(calendar_id) if calendar_id else None


def _commitment(reg: _Register, ct: ContractTarget) -> rules.Commitment:
    contract = reg.contracts[ct.contract_id]
    supplier = reg.suppliers[contract.supplier_id].name
    return rules.Commitment(stored_id(ct), f"{contract.ref} '{ct.name}' ({supplier})", ct.metric, ct.comparison,
                            ct.threshold, ct.unit, ct.measurement_period, _calendar(reg, ct.calendar_id))


def _target(reg: _Register, t: EndToEndTarget) -> TargetCoverage:
    requirement = rules.Requirement(t.metric, t.comparison, t.threshold, t.unit, t.measurement_period,
                                    _calendar(reg, t.calendar_id))
    components = sorted((c for c in reg.components if c.target_id == t.id), key=lambda c: (c.stage, c.id))
    mapped = {c.id: [m for m in reg.mappings if m.component_id == c.id] for c in components}
    chain = [rules.ChainComponent(c.name, c.stage, c.weight,
                                  tuple(_commitment(reg, reg.contract_targets[m.contract_target_id])
                                        for m in mapped[c.id])) for c in components]
    result = rules.assess_chain(requirement, t.composition, chain)
    stage_sizes = {s: sum(1 for c in components if c.stage == s) for s in {c.stage for c in components}}
    views = tuple(_component(reg, c, mapped[c.id], a, req, stage_sizes[c.stage] > 1)
                  for c, a, req in zip(components, result.components, result.required, strict=True))
    service = reg.services[t.service_id]
    findings = [f"{v.status.value}: {f}" for v in views if v.status is not CoverageStatus.COVERED for f in v.findings]
    if result.shortfall:
        findings.append(f"shortfall: the contracts compose to {result.composed} {t.unit} against "
                        f"{t.comparison.value} {t.threshold:f} {t.unit}; {result.note}")
    seasonal = _seasons(reg, requirement, t, chain)
    findings += [f"shortfall in season {x.season}: the contracts compose to {x.composed} {t.unit} against "
                 f"{t.comparison.value} {t.threshold:f} {t.unit}; {x.note}" for x in seasonal if x.shortfall]
    tiered = _tiers(reg, requirement, t, chain, result)
    findings += [f"shortfall in {x.tier}: the contracts compose to {x.composed} {t.unit} against "
                 f"{t.comparison.value} {t.threshold:f} {t.unit}; {x.note}" for x in tiered[1:] if x.shortfall]
    return TargetCoverage(
        seasons=seasonal, tiers=tiered, target_id=stored_id(t), business_unit=reg.units[t.business_unit_id].name,
        service=service.name,
        service_id=stored_id(service), name=t.name, kind=t.kind.value, target=t.statement, unit=t.unit,
        comparison=t.comparison.value, threshold=t.threshold, measurement_period=t.measurement_period.value,
        service_hours=describe(requirement.calendar), tier=t.tier, composition_rule=t.composition.value,
        composition_formula=t.composition.formula, weights_rationale=t.weights_rationale,
        status=rules.worst([v.status for v in views]), components=views, composed=result.composed,
        shortfall=result.shortfall, met=None if result.shortfall is None else result.shortfall == 0,
        composition_note=result.note,
        required_allocation=tuple({"component": v.name, "stage": v.stage, "required": v.required} for v in views),
        findings=tuple(findings), record=t,
        escalation=tuple(sorted((lv for lv in reg.levels if lv.target_id == t.id), key=lambda lv: lv.level)))


def _seasons(reg: _Register, requirement: rules.Requirement, t: EndToEndTarget,
             chain: list[rules.ChainComponent]) -> tuple[SeasonCoverage, ...]:
    """The chain composed again in each season any of its contract targets has (a season is judged by the
    thresholds that hold on its first day), so a peak-season commitment is compared on its own."""
    ids = {c.contract_target_id for component in chain for c in component.commitments}
    found = {s.label: s for i in sorted(ids) for s in reg.seasons.get(i, ())}
    out = []
    for label, season in found.items():
        day = date(2024, *season.first)  # a leap year: 29 Feb is a day
        again = [replace(c, commitments=tuple(_held(reg, x, day) for x in c.commitments)) for c in chain]
        result = rules.assess_chain(requirement, t.composition, again)
        out.append(SeasonCoverage(label, result.composed, result.shortfall,
                                  None if result.shortfall is None else result.shortfall == 0, result.note))
    return tuple(out)


def _tiers(reg: _Register, requirement: rules.Requirement, t: EndToEndTarget, chain: list[rules.ChainComponent],
           whole: rules.ChainAssessment) -> tuple[TierCoverage, ...]:
    """With a core-hours tier behind the chain: the chain 24x7 (as composed above, each target at its own
    threshold) and again in each tier's core hours — the tiered targets at their tier threshold on the tier's
    calendar, the others as they are, the end-to-end target asked of those hours. Empty without a tier."""
    ids = {c.contract_target_id for component in chain for c in component.commitments}
    names = sorted({reg.tiers[i][0] for i in ids if i in reg.tiers}, key=str.casefold)
    if not names:
        return ()
    out = [TierCoverage("24x7", whole.composed, whole.shortfall,
                        None if whole.shortfall is None else whole.shortfall == 0, whole.note)]
    for name in names:
        calendar = tier_calendar(reg.calendars.values(), name)
        again = [replace(c, commitments=tuple(_in_tier(reg, x, name, calendar) for x in c.commitments))
                 for c in chain]
        result = rules.assess_chain(replace(requirement, calendar=calendar or requirement.calendar), t.composition,
                                    again)
        out.append(TierCoverage(f"core hours ({name})", result.composed, result.shortfall,
                                None if result.shortfall is None else result.shortfall == 0, result.note))
    return tuple(out)


def _in_tier(reg: _Register, c: rules.Commitment, name: str, calendar: ServiceCalendar | None) -> rules.Commitment:
    """The commitment in a tier's core hours: its tier threshold (and calendar) where it has that tier."""
    tier = reg.tiers.get(c.contract_target_id)
    if tier is None or tier[0] != name:
        return c
    return replace(c, threshold=tier[1], calendar=calendar or c.calendar)


def _held(reg: _Register, c: rules.Commitment, day: date) -> rules.Commitment:
    """The commitment at the threshold it holds on the day (the stricter of its seasons there, else its own)."""
    own = [s for s in reg.seasons.get(c.contract_target_id, ()) if s.holds(day)]
    if not own:
        return c
    stricter = max if c.comparison.value in (">=", ">") else min
    return replace(c, threshold=stricter(own, key=lambda s: s.threshold).threshold)


def _component(reg: _Register, c: Component, mappings: list[ComponentMapping], a: rules.ComponentAssessment,
               required: Decimal, parallel: bool) -> ComponentCoverage:
    checks = {check.commitment.contract_target_id: check for check in a.checks}
    views = []
    for m in mappings:
        ct = reg.contract_targets[m.contract_target_id]
        contract = reg.contracts[ct.contract_id]
        check = checks[stored_id(ct)]
        views.append(ContractTargetView(
            stored_id(m), stored_id(ct), contract.ref, reg.suppliers[contract.supplier_id].name, contract.supplier_id,
            ct.name,
            f"{ct.metric.value} {ct.comparison.value} {ct.threshold:f} {ct.unit}", ct.measurement_period.value,
            describe(_calendar(reg, ct.calendar_id)), check.counts, check.notes))
    return ComponentCoverage(stored_id(c), c.name, c.stage, parallel, c.weight, a.status, a.findings, tuple(views),
                             a.committed, required)


def summary(report: list[TargetCoverage]) -> dict[str, int]:
    """How many components of each status, and how many targets the contracts cannot deliver."""
    counts = {s.value: 0 for s in CoverageStatus}
    for target in report:
        for component in target.components:
            counts[component.status.value] += 1
    counts["targets"] = len(report)
    counts["shortfalls"] = sum(1 for t in report if t.shortfall)
    counts["not composable"] = sum(1 for t in report if t.composed is None)
    return counts
