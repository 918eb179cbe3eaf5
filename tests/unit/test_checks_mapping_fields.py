"""Field checks on end-to-end targets, their components and escalation levels: each problem is a sentence
shown next to the field it concerns; register records are checked as the register checks them."""

from __future__ import annotations

from decimal import Decimal

import pytest

from sltdesk.domain.mapping import Component, ComponentMapping, CompositionRule, EndToEndTarget, EscalationLevel
from sltdesk.domain.register import Comparison, MetricKind, Supplier
from sltdesk.rules.mapping_validation import validate_mapping_record

D = Decimal
PRODUCT = "An availability product composes percentages stated as >=; use an additive budget for times."
ERROR = "An error combination composes percentages stated as <=, such as an error rate."
BUDGET = "An additive budget composes times stated as <= in ms, s, min, h or d."


def end_to_end(**changes) -> EndToEndTarget:
    values = dict(service_id=1, business_unit_id=1, name="Checkout available", metric=MetricKind.AVAILABILITY,
                  threshold=D("99.9"))
    values.update(changes)
    return EndToEndTarget(**values)


def response(**changes) -> EndToEndTarget:
    values = dict(metric=MetricKind.RESPONSE_TIME, comparison=Comparison.AT_MOST, unit="ms",
                  composition=CompositionRule.BUDGET, threshold=D("800"))
    values.update(changes)
    return end_to_end(**values)


def test_a_sound_target_component_level_and_mapping_pass():
    assert validate_mapping_record(end_to_end()) == {}
    assert validate_mapping_record(end_to_end(comparison=Comparison.MORE_THAN)) == {}
    assert validate_mapping_record(response()) == {}
    assert validate_mapping_record(response(comparison=Comparison.LESS_THAN, unit="d", threshold=D("0"))) == {}
    assert validate_mapping_record(Component(target_id=1, name="Carrier", stage=1, weight=D("0.01"))) == {}
    assert validate_mapping_record(EscalationLevel(target_id=1, level=1, role="Service manager")) == {}
    assert validate_mapping_record(ComponentMapping(component_id=1, contract_target_id=2)) == {}


def test_register_records_are_checked_by_the_register_rules():
    assert validate_mapping_record(Supplier(name=" ")) == {"name": "Enter a name."}


def test_a_target_needs_a_name_and_a_known_unit():
    assert validate_mapping_record(end_to_end(name="  ")) == {"name": "Enter a name."}
    assert validate_mapping_record(response(unit="days")) == {"unit": "Choose one of %, ms, s, min, h, d."}


@pytest.mark.parametrize(("threshold", "errors"), [
    ("-0.01", {"threshold": "A percentage threshold lies between 0 and 100."}),
    ("0", {}),
    ("100", {}),
    ("100.01", {"threshold": "A percentage threshold lies between 0 and 100."}),
])
def test_a_percentage_target_lies_between_0_and_100(threshold, errors):
    assert validate_mapping_record(end_to_end(threshold=D(threshold))) == errors


def test_a_time_target_may_be_large_but_not_negative():
    assert validate_mapping_record(response(threshold=D("250"))) == {}
    assert validate_mapping_record(response(threshold=D("-1"))) == {"threshold": "The threshold cannot be negative."}


def test_an_availability_in_hours_is_refused_on_its_unit_and_not_again_on_its_composition():
    assert validate_mapping_record(end_to_end(unit="h", threshold=D("4"))) == {
        "unit": "Availability is measured in %."}
    assert validate_mapping_record(end_to_end(metric=MetricKind.ERROR_RATE, unit="s", comparison=Comparison.AT_MOST,
                                              composition=CompositionRule.ERROR, threshold=D("1"))) == {
        "unit": "Error rate is measured in %."}


def test_an_unknown_unit_on_an_availability_target_says_it_is_measured_in_percent():
    assert validate_mapping_record(end_to_end(unit="days", threshold=D("4"))) == {
        "unit": "Availability is measured in %."}


def test_the_composition_must_fit_how_the_target_is_stated():
    assert validate_mapping_record(end_to_end(comparison=Comparison.AT_MOST)) == {"composition": PRODUCT}
    assert validate_mapping_record(response(composition=CompositionRule.PRODUCT)) == {"composition": PRODUCT}
    error_rate = dict(metric=MetricKind.ERROR_RATE, threshold=D("0.5"), composition=CompositionRule.ERROR)
    assert validate_mapping_record(end_to_end(**error_rate, comparison=Comparison.AT_MOST)) == {}
    assert validate_mapping_record(end_to_end(**error_rate, comparison=Comparison.LESS_THAN)) == {}
    assert validate_mapping_record(end_to_end(**error_rate, comparison=Comparison.AT_LEAST)) == {"composition": ERROR}
    assert validate_mapping_record(response(composition=CompositionRule.ERROR)) == {"composition": ERROR}
    assert validate_mapping_record(response(comparison=Comparison.AT_LEAST)) == {"composition": BUDGET}
    assert validate_mapping_record(end_to_end(composition=CompositionRule.BUDGET)) == {"composition": BUDGET}
    assert validate_mapping_record(end_to_end(composition=CompositionRule.BUDGET, comparison=Comparison.AT_MOST)) == {
        "composition": BUDGET}


def test_a_weighted_average_says_why_the_weights_are_what_they_are():
    weighted = dict(composition=CompositionRule.WEIGHTED, comparison=Comparison.AT_MOST)
    assert validate_mapping_record(end_to_end(**weighted, weights_rationale=" ")) == {
        "weights_rationale": "Say why the components carry these weights (e.g. share of ticket volume)."}
    assert validate_mapping_record(end_to_end(**weighted, weights_rationale="share of ticket volume")) == {}
    assert validate_mapping_record(response(composition=CompositionRule.WEIGHTED, weights_rationale="orders")) == {}


@pytest.mark.parametrize(("volume", "errors"), [
    (None, {}), (D("0"), {}), (D("-1"), {"expected_volume": "The expected volume cannot be negative."}),
])
def test_an_expected_volume_cannot_be_negative(volume, errors):
    assert validate_mapping_record(end_to_end(expected_volume=volume)) == errors


def test_a_component_has_a_name_a_stage_from_1_and_a_positive_weight():
    assert validate_mapping_record(Component(target_id=1, name=" ", stage=0, weight=D("0"))) == {
        "name": "Enter a name.", "stage": "Stages are numbered from 1 along the chain.",
        "weight": "A weight is a positive number."}
    assert validate_mapping_record(Component(target_id=1, name="Hosting", stage=2, weight=D("-1"))) == {
        "weight": "A weight is a positive number."}


def test_an_escalation_level_is_numbered_from_1_names_a_role_and_cannot_escalate_in_negative_time():
    assert validate_mapping_record(EscalationLevel(target_id=1, level=0, role="", minutes_to_escalate=-1)) == {
        "level": "Levels are numbered from 1.", "role": "Enter the role (or person) this level escalates to.",
        "minutes_to_escalate": "The time to escalate cannot be negative."}
    assert validate_mapping_record(EscalationLevel(target_id=1, level=2, role="Head of IT",
                                                   minutes_to_escalate=0)) == {}
