"""Gap, partial, overlap and covered: the coverage rules with service hours, periods and definitions."""

from decimal import Decimal as D

from sltdesk.domain.mapping import CompositionRule, CoverageStatus
from sltdesk.domain.register import WEEKDAYS, ChargesPeriod, Comparison, MetricKind, ServiceCalendar
from sltdesk.rules.coverage import ChainComponent, Commitment, Requirement, assess_chain, assess_component
from sltdesk.rules.hours import shared_minutes, uncovered_minutes

AVAILABILITY, LATENCY = MetricKind.AVAILABILITY, MetricKind.LATENCY_PERCENTILE
MONTH, QUARTER = ChargesPeriod.MONTH, ChargesPeriod.QUARTER


def calendar(name: str, zone: str, weekdays: str, weekend: str = "", country: str = "") -> ServiceCalendar:
    return ServiceCalendar(name=name, timezone=zone, hours=tuple(zip(WEEKDAYS, (weekdays,) * 5 + (weekend,) * 2,
                                                                     strict=True)), holiday_country=country)


LONDON_24x7 = calendar("24x7 London", "Europe/London", "00:00-24:00", "00:00-24:00")
FRANKFURT_24x7 = calendar("24x7 Frankfurt", "Europe/Berlin", "00:00-24:00", "00:00-24:00")
UK_OFFICE = calendar("UK business hours", "Europe/London", "08:00-18:00", country="GB")
UK_OUT_OF_HOURS = calendar("UK out of hours", "Europe/London", "00:00-08:00,18:00-24:00", "00:00-24:00")
GERMAN_OFFICE = calendar("German business hours", "Europe/Berlin", "08:00-17:00", country="GB")
NEW_YORK_OFFICE = calendar("US Eastern business hours", "America/New_York", "08:00-20:00", country="US")


def requirement(calendar=LONDON_24x7, *, period=MONTH, metric=AVAILABILITY, comparison=Comparison.AT_LEAST,
                threshold="99.9", unit="%") -> Requirement:
    return Requirement(metric, comparison, D(threshold), unit, period, calendar)


def commitment(n: int, calendar=LONDON_24x7, *, threshold="99.9", period=MONTH, metric=AVAILABILITY,
               comparison=Comparison.AT_LEAST, unit="%") -> Commitment:
    return Commitment(n, f"C{n}", metric, comparison, D(threshold), unit, period, calendar)


def test_hours_are_compared_in_utc_across_time_zones_in_winter_and_summer():
    assert uncovered_minutes(LONDON_24x7, [FRANKFURT_24x7]) == 0
    assert uncovered_minutes(LONDON_24x7, [UK_OFFICE]) == (168 - 50) * 60
    # 08:00-17:00 Berlin is 07:00-16:00 London: 16:00-18:00 uncovered, five days
    assert uncovered_minutes(UK_OFFICE, [GERMAN_OFFICE]) == 10 * 60
    # 08:00 New York is 13:00 London in January and in July: 08:00-13:00 uncovered, five days
    assert uncovered_minutes(UK_OFFICE, [NEW_YORK_OFFICE]) == 25 * 60
    assert uncovered_minutes(LONDON_24x7, [UK_OFFICE, UK_OUT_OF_HOURS]) == 0
    assert shared_minutes(LONDON_24x7, UK_OFFICE, UK_OUT_OF_HOURS) == 0


def test_hours_in_a_zone_without_summer_time_fall_short_only_in_summer_and_the_worse_week_counts():
    """09:00-17:00 UTC covers 09:00-17:00 London in January, but in July London's 09:00 is 08:00 UTC: an hour
    a day, five hours a week, is uncovered; shared hours are the larger week's (8 h a day in winter)."""
    utc_office = calendar("UTC office", "UTC", "09:00-17:00")
    london_office = calendar("London office", "Europe/London", "09:00-17:00")
    assert uncovered_minutes(london_office, [utc_office]) == 5 * 60
    assert uncovered_minutes(utc_office, [london_office]) == 5 * 60
    assert shared_minutes(LONDON_24x7, london_office, utc_office) == 5 * 8 * 60
    status = assess_component(requirement(london_office), "Hosting", [commitment(1, utc_office)])
    assert status.status is CoverageStatus.PARTIAL


def test_a_component_without_a_contract_target_for_the_metric_is_a_gap():
    assert assess_component(requirement(), "Warehouse", []).status is CoverageStatus.GAP
    other = assess_component(requirement(), "Hosting", [commitment(1, metric=MetricKind.RESPONSE_TIME)])
    assert other.status is CoverageStatus.GAP and other.committed is None
    assert other.findings == ("Hosting: no contract target covers availability",
                              "C1 measures response time, not availability")


def test_a_target_with_the_same_hours_period_and_definition_covers_the_component():
    result = assess_component(requirement(), "Hosting", [commitment(1, FRANKFURT_24x7, threshold="99.95")])
    assert result.status is CoverageStatus.COVERED and result.findings == ()
    assert result.committed == D("99.95")


def test_office_hours_against_a_24x7_target_are_partial_and_say_how_many_hours_are_missing():
    result = assess_component(requirement(), "Network", [commitment(1, UK_OFFICE)])
    assert result.status is CoverageStatus.PARTIAL
    assert "leave 118 h a week of 24x7 London" in result.findings[0]
    assert result.committed == D("99.9")  # still the figure promised for the hours it covers


def test_a_supplier_calendar_with_other_public_holidays_is_partial():
    every_weekday = calendar("US Eastern weekdays", "America/New_York", "08:00-20:00")
    result = assess_component(requirement(every_weekday), "CRM", [commitment(1, NEW_YORK_OFFICE)])
    assert result.status is CoverageStatus.PARTIAL
    assert result.findings == ("C1 excludes US public holidays, which the end-to-end target counts",)


def test_a_quarterly_measurement_against_a_monthly_target_is_partial():
    result = assess_component(requirement(), "WMS", [commitment(1, period=QUARTER)])
    assert result.status is CoverageStatus.PARTIAL
    assert result.findings == ("C1 is measured per quarter, the end-to-end target per month",)
    assert assess_component(requirement(period=QUARTER), "WMS", [commitment(1)]).status is CoverageStatus.COVERED


def test_a_different_metric_definition_is_partial_and_its_figure_is_not_composed():
    need = requirement(metric=LATENCY, comparison=Comparison.AT_MOST, threshold="2000", unit="ms")
    result = assess_component(need, "Gateway", [commitment(1, metric=LATENCY, threshold="99")])
    assert result.status is CoverageStatus.PARTIAL and result.committed is None
    assert "a different metric definition" in result.findings[0]
    seconds = assess_component(need, "Gateway", [commitment(2, metric=LATENCY, threshold="0.8", unit="s",
                                                            comparison=Comparison.AT_MOST)])
    assert seconds.status is CoverageStatus.COVERED and seconds.committed == D(800)


def test_two_targets_claiming_the_same_hours_overlap_and_the_weaker_figure_counts():
    result = assess_component(requirement(), "P1 response",
                              [commitment(1, LONDON_24x7, threshold="99.95"), commitment(2, UK_OFFICE)])
    assert result.status is CoverageStatus.OVERLAP
    assert result.findings[0] == "C1 and C2 both claim it for 50 h a week"
    assert result.committed == D("99.9")


def test_targets_that_split_the_hours_between_them_cover_without_overlap():
    result = assess_component(requirement(), "Desk", [commitment(1, UK_OFFICE), commitment(2, UK_OUT_OF_HOURS)])
    assert result.status is CoverageStatus.COVERED


def test_overlap_counts_only_the_hours_the_end_to_end_target_needs():
    # both cover office hours, but the target only needs the night
    night = calendar("Nights", "Europe/London", "00:00-06:00", "00:00-06:00")
    result = assess_component(requirement(night), "Desk", [commitment(1, LONDON_24x7), commitment(2, UK_OFFICE)])
    assert result.status is CoverageStatus.COVERED


def test_a_chain_reports_each_component_the_composition_and_the_allocation():
    chain = [ChainComponent("Carrier", 1, D(1), (commitment(1, threshold="99.95"),)),
             ChainComponent("Hosting", 2, D(1), (commitment(2, FRANKFURT_24x7),)),
             ChainComponent("Warehouse", 3, D(1), ())]
    result = assess_chain(requirement(), CompositionRule.PRODUCT, chain)
    assert [a.status for a in result.components] == [CoverageStatus.COVERED, CoverageStatus.COVERED,
                                                    CoverageStatus.GAP]
    assert result.composed is None and result.shortfall is None
    assert result.note == "cannot be composed: no usable commitment for Warehouse"
    assert result.required == (D("99.966656"),) * 3
    met = assess_chain(requirement(threshold="99.8"), CompositionRule.PRODUCT, chain[:2])
    assert (met.composed, met.shortfall, met.note) == (D("99.85005"), 0, "meets the target")
    short = assess_chain(requirement(threshold="99.9"), CompositionRule.PRODUCT, chain[:2])
    assert short.shortfall == D("0.04995") and short.note == "falls short by 0.04995 percentage points"
