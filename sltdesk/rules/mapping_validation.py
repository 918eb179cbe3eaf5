"""Field-level validation of end-to-end targets, components, escalation levels and mappings."""

from __future__ import annotations

from decimal import Decimal

from sltdesk.domain.mapping import (
    TARGET_UNITS,
    TIME_UNITS,
    Component,
    ComponentMapping,
    CompositionRule,
    EndToEndTarget,
    EscalationLevel,
)
from sltdesk.domain.measurement import MeasurementRule
from sltdesk.domain.register import MetricKind
from sltdesk.rules.composition import higher_is_better
from sltdesk.rules.measurement_rules import rule_field_errors
from sltdesk.rules.validation import FieldErrors, validate_record


def validate_mapping_record(record: object) -> FieldErrors:
    """Every problem with a mapping record by field name (register records go to validate_record)."""
    if isinstance(record, EndToEndTarget):
        return _target(record)
    if isinstance(record, Component):
        return _component(record)
    if isinstance(record, EscalationLevel):
        return _level(record)
    if isinstance(record, ComponentMapping):
        return {}
    if isinstance(record, MeasurementRule):
        return rule_field_errors(record)
    return validate_record(record)


def _target(t: EndToEndTarget) -> FieldErrors:
    errors: FieldErrors = {}
    if not t.name.strip():
        errors["name"] = "Enter a name."
    if t.unit not in TARGET_UNITS:
        errors["unit"] = f"Choose one of {', '.join(TARGET_UNITS)}."
    elif t.unit == "%" and not Decimal(0) <= t.threshold <= Decimal(100):
        errors["threshold"] = "A percentage threshold lies between 0 and 100."
    elif t.threshold < 0:
        errors["threshold"] = "The threshold cannot be negative."
    if t.metric in (MetricKind.AVAILABILITY, MetricKind.ERROR_RATE) and t.unit != "%":
        errors["unit"] = f"{t.metric.value.capitalize()} is measured in %."
    rule_error = _rule_fits(t)
    if rule_error and "unit" not in errors:
        errors["composition"] = rule_error
    if t.composition is CompositionRule.WEIGHTED and not t.weights_rationale.strip():
        errors["weights_rationale"] = "Say why the components carry these weights (e.g. share of ticket volume)."
    if t.expected_volume is not None and t.expected_volume < 0:
        errors["expected_volume"] = "The expected volume cannot be negative."
    return errors


def _rule_fits(t: EndToEndTarget) -> str:
    higher = higher_is_better(t.comparison)
    if t.composition is CompositionRule.PRODUCT and not (t.unit == "%" and higher):
        return "An availability product composes percentages stated as >=; use an additive budget for times."
    if t.composition is CompositionRule.ERROR and not (t.unit == "%" and not higher):
        return "An error combination composes percentages stated as <=, such as an error rate."
    if t.composition is CompositionRule.BUDGET and not (t.unit in TIME_UNITS and not higher):
        return "An additive budget composes times stated as <= in ms, s, min, h or d."
    return ""


def _component(c: Component) -> FieldErrors:
    errors: FieldErrors = {}
    if not c.name.strip():
        errors["name"] = "Enter a name."
    if c.stage < 1:
        errors["stage"] = "Stages are numbered from 1 along the chain."
    if c.weight <= 0:
        errors["weight"] = "A weight is a positive number."
    return errors


def _level(level: EscalationLevel) -> FieldErrors:
    errors: FieldErrors = {}
    if level.level < 1:
        errors["level"] = "Levels are numbered from 1."
    if not level.role.strip():
        errors["role"] = "Enter the role (or person) this level escalates to."
    if level.minutes_to_escalate < 0:
        errors["minutes_to_escalate"] = "The time to escalate cannot be negative."
    return errors
