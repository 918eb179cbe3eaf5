"""Coverage of a component, findings word for word, each check's verdict, and chains of every outcome."""

from __future__ import annotations

from decimal import Decimal as D

from sltdesk.domain.mapping import CompositionRule, CoverageStatus
from sltdesk.domain.register import WEEKDAYS, ChargesPeriod, Comparison, MetricKind, ServiceCalendar
from sltdesk.rules.coverage import (
    ChainAssessment,
    ChainComponent,
    Commitment,
    CommitmentCheck,
    ComponentAssessment,
    Requirement,
    assess_chain,
    assess_component,
    worst,
)

AVAILABILITY, LATENCY, RESPONSE = MetricKind.AVAILABILITY, MetricKind.LATENCY_PERCENTILE, MetricKind.RESPONSE_TIME
COVERED, PARTIAL = CoverageStatus.COVERED, CoverageStatus.PARTIAL
OVERLAP, GAP = CoverageStatus.OVERLAP, CoverageStatus.GAP
AT_LEAST, AT_MOST = Comparison.AT_LEAST, Comparison.AT_MOST


def calendar(name: str, weekdays: str, weekend: str = "", country: str = "") -> ServiceCalendar:
    return ServiceCalendar(name=name, timezone="Europe/London", holiday_country=country,
                           hours=tuple(zip(WEEKDAYS, (weekdays,) * 5 + (weekend,) * 2, strict=True)))


LONDON_24x7 = calendar("24x7 London", "00:00-24:00", "00:00-24:00")
UK_OFFICE = calendar("UK business hours", "08:00-18:00", country="GB")


def requirement(calendar=LONDON_24x7, *, metric=AVAILABILITY, comparison=AT_LEAST, threshold="99.9",
                unit="%") -> Requirement:
    return Requirement(metric, comparison, D(threshold), unit, ChargesPeriod.MONTH, calendar)


def commitment(n: int, calendar=LONDON_24x7, *, threshold="99.9", metric=AVAILABILITY, comparison=AT_LEAST,
               unit="%") -> Commitment:
    return Commitment(n, f"C{n}", metric, comparison, D(threshold), unit, ChargesPeriod.MONTH, calendar)


def test_the_worst_status_of_a_chain_is_the_most_severe_and_no_status_at_all_is_a_gap():
    assert worst([COVERED]) is COVERED
    assert worst([COVERED, PARTIAL, COVERED]) is PARTIAL
    assert worst([PARTIAL, OVERLAP, COVERED]) is OVERLAP
    assert worst([OVERLAP, GAP, COVERED]) is GAP
    assert worst([]) is GAP


def test_a_target_for_another_metric_is_checked_and_set_aside_with_the_metric_it_measures():
    other = commitment(1, metric=RESPONSE)
    assert assess_component(requirement(), "Hosting", [other]) == ComponentAssessment(
        GAP, ("Hosting: no contract target covers availability", "C1 measures response time, not availability"),
        (CommitmentCheck(other, False, ("measures response time",), None),), None)


def test_office_hours_beside_a_target_for_another_metric_are_partial_with_every_check_kept():
    office, other = commitment(1, UK_OFFICE), commitment(2, metric=RESPONSE)
    result = assess_component(requirement(), "Network", [office, other])
    assert result == ComponentAssessment(PARTIAL, (
        "service hours UK business hours (Mon–Fri 08:00-18:00, Europe/London) leave 118 h a week of "
        "24x7 London (Mon–Sun 00:00-24:00, Europe/London) uncovered",
        "C1 excludes GB public holidays, which the end-to-end target counts",
        "C2 measures response time, not availability",
    ), (CommitmentCheck(office, True, (), D("99.9")), CommitmentCheck(other, False, ("measures response time",), None)),
        D("99.9"))


NEED_2S = requirement(metric=LATENCY, comparison=AT_MOST, threshold="2000", unit="ms")


def test_a_percentage_cannot_be_read_as_milliseconds_even_in_the_same_direction():
    share = commitment(1, metric=LATENCY, comparison=AT_MOST, threshold="99")
    note = ("states latency percentile as <= 99 %, the end-to-end target as <= 2000 ms: "
            "a different metric definition")
    assert assess_component(NEED_2S, "Gateway", [share]) == ComponentAssessment(
        PARTIAL, (f"C1 {note}",), (CommitmentCheck(share, False, (note,), None),), None)


def test_a_floor_in_milliseconds_does_not_answer_a_ceiling_in_milliseconds():
    floor = commitment(1, metric=LATENCY, comparison=AT_LEAST, threshold="800", unit="ms")
    note = ("states latency percentile as >= 800 ms, the end-to-end target as <= 2000 ms: "
            "a different metric definition")
    assert assess_component(NEED_2S, "Gateway", [floor]) == ComponentAssessment(
        PARTIAL, (f"C1 {note}",), (CommitmentCheck(floor, False, (note,), None),), None)


def test_two_targets_that_leave_half_an_hour_a_day_uncovered_are_named_together():
    need = requirement(UK_OFFICE)
    early = commitment(1, calendar("Early", "08:30-13:00", country="GB"))
    late = commitment(2, calendar("Late", "13:00-18:00", country="GB"), threshold="99.95")
    result = assess_component(need, "Desk", [early, late])
    # 08:00-08:30 on five weekdays = 150 min; both close on GB holidays like the target, so no holiday finding
    assert result.status is PARTIAL and result.committed == D("99.9")
    assert result.findings == (
        "service hours Early (Mon–Fri 08:30-13:00, Europe/London) and Late (Mon–Fri 13:00-18:00, Europe/London) "
        "leave 2 h 30 min a week of UK business hours (Mon–Fri 08:00-18:00, Europe/London) uncovered",)


def test_a_target_with_the_same_hours_and_holidays_covers_the_component():
    result = assess_component(requirement(UK_OFFICE), "Desk", [commitment(1, UK_OFFICE)])
    assert (result.status, result.findings, result.committed) == (COVERED, (), D("99.9"))


def test_a_chain_without_components_says_so():
    assert assess_chain(requirement(), CompositionRule.PRODUCT, []) == ChainAssessment((), (), None, None,
                                                                                       "no components yet")


def test_a_chain_names_every_component_without_a_usable_commitment():
    chain = [ChainComponent("Courier", 1, D(1), ()), ChainComponent("Warehouse", 2, D(1), ())]
    result = assess_chain(requirement(), CompositionRule.PRODUCT, chain)
    assert result.note == "cannot be composed: no usable commitment for Courier, Warehouse"
    assert [a.findings[0] for a in result.components] == ["Courier: no contract target covers availability",
                                                          "Warehouse: no contract target covers availability"]
    assert (result.composed, result.shortfall) == (None, None)


def test_a_weighted_chain_averages_with_each_stages_own_weight():
    # service desk 90 weighted 0.7, field service 85 weighted 0.3: 63 + 25.5 = 88.5, 1.5 short of 90;
    # a weighted average needs 90 from every component
    chain = [ChainComponent("Service desk", 1, D("0.7"), (commitment(1, threshold="90"),)),
             ChainComponent("Field service", 2, D("0.3"), (commitment(2, threshold="85"),))]
    result = assess_chain(requirement(threshold="90"), CompositionRule.WEIGHTED, chain)
    assert (result.required, result.composed, result.shortfall) == ((D(90), D(90)), D("88.5"), D("1.5"))
    assert result.note == "falls short by 1.5 percentage points"
    assert [(a.status, a.committed) for a in result.components] == [(COVERED, D(90)), (COVERED, D(85))]


def test_a_composed_availability_is_rounded_down_before_the_shortfall_is_taken():
    # 0.999³ = 0.997002999 → 99.700299 % (down, against the supplier), 0.199701 short of 99.9
    chain = [ChainComponent(name, stage, D(1), (commitment(stage),))
             for stage, name in enumerate(["Carrier", "Hosting", "Payments"], start=1)]
    result = assess_chain(requirement(), CompositionRule.PRODUCT, chain)
    assert (result.composed, result.shortfall) == (D("99.700299"), D("0.199701"))
    assert result.note == "falls short by 0.199701 percentage points"
    assert result.required == (D("99.966656"),) * 3
