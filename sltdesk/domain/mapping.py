"""End-to-end targets, their chain of components and the contract targets mapped onto each component.

A chain is a sequence of stages (`Component.stage` 1, 2, 3…); components that share a stage are
parallel, redundant branches of that stage. This "series of parallel groups" covers the chains
vendor managers draw (carrier → hosting → payment gateway, two redundant uplinks in one stage)
without arbitrary nesting.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from sltdesk.domain.register import ENTITY_NAMES, ENTITY_TYPES, ChargesPeriod, Comparison, MetricKind


class TargetKind(StrEnum):
    CUSTOMER_SLA = "customer-facing SLA"
    OPERATIONAL = "internal operational target"
    UNDERPINNING = "underpinning contract"


class CompositionRule(StrEnum):
    """How the components' committed figures combine into the end-to-end figure."""

    PRODUCT = "availability product"  # serial Π aᵢ, parallel 1 − Π(1 − aᵢ)
    BUDGET = "additive budget"  # serial Σ tᵢ, parallel max tᵢ
    ERROR = "error combination"  # serial 1 − Π(1 − eᵢ), parallel Π eᵢ
    WEIGHTED = "weighted average"  # Σ wᵢxᵢ / Σ wᵢ over every component

    @property
    def formula(self) -> str:
        return {
            CompositionRule.PRODUCT: "serial Π aᵢ; parallel 1 − Π(1 − aᵢ)",
            CompositionRule.BUDGET: "serial Σ tᵢ; parallel max tᵢ (the slowest branch)",
            CompositionRule.ERROR: "serial 1 − Π(1 − eᵢ); parallel Π eᵢ",
            CompositionRule.WEIGHTED: "Σ wᵢxᵢ / Σ wᵢ",
        }[self]


class CoverageStatus(StrEnum):
    COVERED = "covered"
    PARTIAL = "partial"
    OVERLAP = "overlap"
    GAP = "gap"


# Time units a budget may be stated in, in seconds.
TIME_UNITS: dict[str, Decimal] = {
    "ms": Decimal("0.001"), "s": Decimal(1), "min": Decimal(60), "h": Decimal(3600), "d": Decimal(86400),
}
TARGET_UNITS = ("%", *TIME_UNITS)


def default_rule(metric: MetricKind, unit: str) -> CompositionRule:
    """The composition a metric stated in this unit usually follows."""
    if unit in TIME_UNITS:
        return CompositionRule.BUDGET
    if metric is MetricKind.ERROR_RATE:
        return CompositionRule.ERROR
    return CompositionRule.PRODUCT


@dataclass(frozen=True)
class EndToEndTarget:
    """A target a service owes its business unit, with its assumptions spelled out."""

    service_id: int
    business_unit_id: int
    name: str
    metric: MetricKind
    threshold: Decimal
    comparison: Comparison = Comparison.AT_LEAST
    unit: str = "%"
    measurement_period: ChargesPeriod = ChargesPeriod.MONTH
    calendar_id: int | None = None  # the service hours; None = 24x7 UTC
    tier: str = ""  # e.g. "core hours" when the same service has a looser 24x7 target too
    kind: TargetKind = TargetKind.CUSTOMER_SLA
    composition: CompositionRule = CompositionRule.PRODUCT
    weights_rationale: str = ""
    product_line: str = ""
    data_owner: str = ""
    source_system: str = ""
    expected_volume: Decimal | None = None
    volume_unit: str = ""
    third_party_dependencies: tuple[str, ...] = ()
    assumptions: str = ""
    description: str = ""
    id: int | None = None
    version: int = 1  # raised by every stored change; a save from an older one is refused

    @property
    def statement(self) -> str:
        """'availability >= 99.9 %'."""
        return f"{self.metric.value} {self.comparison.value} {self.threshold:f} {self.unit}"


@dataclass(frozen=True)
class EscalationLevel:
    """One rung of an end-to-end target's escalation path (level 1 first)."""

    target_id: int
    level: int
    role: str
    person: str = ""
    decision_authority: str = ""
    channel: str = ""
    minutes_to_escalate: int = 0
    remediation_steps: tuple[str, ...] = ()
    id: int | None = None
    version: int = 1  # raised by every stored change; a save from an older one is refused


@dataclass(frozen=True)
class Component:
    """A responsibility boundary in the chain; components sharing a stage are redundant branches."""

    target_id: int
    name: str
    stage: int = 1
    weight: Decimal = Decimal(1)  # only the weighted-average composition uses it
    description: str = ""
    id: int | None = None
    version: int = 1  # raised by every stored change; a save from an older one is refused


@dataclass(frozen=True)
class ComponentMapping:
    """A contract target claimed to cover a component."""

    component_id: int
    contract_target_id: int
    note: str = ""
    id: int | None = None
    version: int = 1  # raised by every stored change; a save from an older one is refused


MAPPING_RECORDS = (EndToEndTarget, EscalationLevel, Component, ComponentMapping)

# The register's entity names (audit trail, undo labels) learn the mapping records.
for _kind, _name in ((EndToEndTarget, "end_to_end_target"), (EscalationLevel, "escalation_level"),
                     (Component, "component"), (ComponentMapping, "component_mapping")):
    ENTITY_NAMES[_kind] = _name
    ENTITY_TYPES[_name] = _kind
