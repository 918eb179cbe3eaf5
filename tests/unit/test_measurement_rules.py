"""Measurement rules as plain data: every field's edges, one unit either side, and the round trip."""

from __future__ import annotations

from decimal import Decimal

import pytest

from sltdesk.domain.measurement import Budgeting, MeasurementRule, MissingData, Source
from sltdesk.domain.money import Rounding
from sltdesk.rules.measurement_rules import FIELDS, rule_from_plain, rule_to_plain


def parse(**fields):
    return rule_from_plain({"target": "SL1", "source": "samples", **fields}, 7)


def problem(**fields) -> str:
    rule, problems = parse(**fields)
    assert rule is None and len(problems) == 1, problems
    return problems[0]


def test_a_rule_round_trips_through_its_plain_form():
    rule = MeasurementRule(target_id=7, source=Source.TICKETS, priority="P2", stop="responded", start="assigned",
                           limit_minutes=Decimal("480.5"), percentile=90, business_clock=True,
                           pause_states=("Awaiting Customer", "On Hold"), initial_states=("New", "Triage"),
                           response_on="assignment", weighted_by_impact=False, error_limit_percent=Decimal("2.5"),
                           missing_data=MissingData.EXCLUDED, budgeting=Budgeting.OCCURRENCE, interval_seconds=60,
                           probe="fra", service="WAN", maintenance_notice_days=7, report_name="P2 within 8 h",
                           compare_places=2, compare_rounding=Rounding.HALF_EVEN)
    plain = rule_to_plain(rule, "SL1")
    assert list(plain) == ["target", *FIELDS]
    assert plain["limit_minutes"] == "480.5" and plain["pause_states"] == ["Awaiting Customer", "On Hold"]
    assert (plain["source"], plain["missing_data"], plain["compare_rounding"]) == ("tickets", "excluded", "half-even")
    assert rule_from_plain(plain, 7) == (rule, [])


def test_fields_left_out_take_their_defaults():
    assert parse() == (MeasurementRule(target_id=7, source=Source.SAMPLES), [])


@pytest.mark.parametrize(("field", "ok", "bad", "words"), [
    ("percentile", (1, 100), (0, 101), "is a whole number from 1 to 100"),
    ("interval_seconds", (1, 86_400), (0, 86_401), "is a whole number from 1 to 86400"),
    ("maintenance_notice_days", (0, 3650), (-1, 3651), "is a whole number from 0 to 3650"),
    ("compare_places", (0, 10), (-1, 11), "is a whole number from 0 to 10"),
    ("error_limit_percent", ("0", "100"), ("-0.01", "100.01"), "is a number from 0 to 100"),
    ("limit_minutes", ("0", "1E+6"), ("-0.001", "NaN"), "is a number from 0 up"),
])
def test_each_number_is_accepted_at_its_edges_and_refused_one_unit_beyond(field, ok, bad, words):
    for value in ok:
        rule, problems = parse(**{field: value})
        assert problems == [] and rule is not None, (field, value)
    for value in bad:
        assert problem(**{field: value}) == f"SL1: {field} {words} (got {value!r}).", (field, value)


def test_whole_numbers_refuse_fractions_and_booleans():
    assert problem(percentile="95.5") == "SL1: percentile is a whole number (got '95.5')."
    assert problem(interval_seconds=True) == "SL1: interval_seconds is a whole number (got True)."
    assert parse(percentile="95.0")[0].percentile == 95 and parse(interval_seconds=" 60 ")[0].interval_seconds == 60


def test_choices_and_words():
    assert parse(stop="Responded")[0].stop == "responded"
    assert problem(start="created") == "SL1: start is one of opened, assigned (got 'created')."
    assert problem(response_on=3) == "SL1: response_on is text (got 3)."
    assert problem(missing_data="zero") == "SL1: missing_data is one of unavailable, excluded, ignored (got 'zero')."
    assert parse(compare_places="")[0].compare_places is None and parse(compare_places=None)[0].compare_places is None


@pytest.mark.parametrize(("text", "value"), [("yes", True), ("TRUE", True), ("1", True), ("no", False),
                                              ("false", False), ("0", False), (True, True), (False, False)])
def test_booleans(text, value):
    assert parse(weighted_by_impact=text)[0].weighted_by_impact is value


def test_states_come_as_a_list_or_a_text_separated_by_semicolons():
    assert parse(pause_states="Awaiting Customer; On Hold;;On Hold")[0].pause_states == ("Awaiting Customer",
                                                                                         "On Hold")
    assert parse(initial_states=[" New ", "Triage"])[0].initial_states == ("New", "Triage")
    assert problem(pause_states=[1, 2]).startswith("SL1: pause_states is a list of state names")
    assert problem(weighted_by_impact="maybe") == "SL1: weighted_by_impact is true or false (got 'maybe')."


def test_unknown_fields_a_missing_source_and_combinations():
    rule, problems = rule_from_plain({"target": "SL2", "priority": "P1", "colour": "red"}, 7)
    assert rule is None and problems[0].startswith("SL2: 'colour' is not a field of a measurement rule")
    assert problems[1] == "SL2: source is missing; it is one of outages, samples, tickets."
    assert rule_from_plain({"target": "SL2", "source": "tickets"}, 7)[1] == [
        "SL2: limit_minutes is missing; a ticket target needs its time limit in minutes."]
    assert rule_from_plain({"target": "SL2", "source": "tickets", "limit_minutes": "0.01"}, 7)[1] == []
    assert rule_from_plain({"target": "SL2", "source": "tickets"}, 7, cycle_time=True)[1] == []
    assert problem(business_clock=True) == "SL1: business_clock applies to tickets only; this rule measures samples."
    assert rule_from_plain({"source": "outages", "nope": 1}, 7)[1][0].startswith("(no target): 'nope'")


def test_a_rule_built_elsewhere_is_checked_field_by_field():
    from sltdesk.rules.measurement_rules import rule_field_errors

    assert rule_field_errors(MeasurementRule(target_id=1, source=Source.TICKETS, business_clock=True)) == {}
    assert rule_field_errors(MeasurementRule(target_id=1, source="samples", business_clock=True)) == {
        "business_clock": "Business clock applies to tickets only; this rule measures samples."}
    assert rule_field_errors(MeasurementRule(target_id=1, source=Source.SAMPLES, percentile=0)) == {
        "percentile": "Percentile is a whole number from 1 to 100 (got 0)."}
    assert list(rule_field_errors(MeasurementRule(target_id=1, source="radio"))) == ["source"]
