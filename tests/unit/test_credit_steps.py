"""The arithmetic behind the credit traces (sltdesk/rules/penalty_steps.py), worked out by hand."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from penalty_cases import contract, result

from sltdesk.domain.money import Rounding
from sltdesk.domain.penalties import Step, Unit
from sltdesk.domain.period import PeriodKind, shift, span
from sltdesk.domain.register import ChargesPeriod, Comparison, MetricKind
from sltdesk.rules.penalty_steps import (
    Money,
    annual_charges,
    better_than,
    count,
    exact_minutes,
    minutes_text,
    number,
    period_charges,
    period_of,
    sign,
    split_cap,
    units,
    with_achieved,
    worse_than,
)

D = Decimal
GBP = Money("GBP", Rounding.HALF_UP)


def with_counts(counts: dict, **kwargs):
    return result(1, "2026-03", "99.5", threshold="99.9", counts=counts, **kwargs)


# --- numbers and money in words ----------------------------------------------------------------------------------


def test_a_number_is_written_in_full_never_in_exponent_form():
    assert number(D("1E+2")) == "100"
    assert number(D("1E-7")) == "0.0000001"


def test_a_number_keeps_up_to_four_written_decimals_and_loses_trailing_zeros_beyond():
    assert number(D("99.0")) == "99.0"
    assert number(D("1.2300")) == "1.2300"  # four decimals: as written
    assert number(D("1.23400")) == "1.234"  # five: trailing zeros go
    assert number(D("2.00000")) == "2"  # and the point with them
    assert number(D("0.500000")) == "0.5"


def test_money_has_two_decimals_for_pounds_none_for_yen_and_two_for_an_unknown_currency():
    yen = Money("JPY", Rounding.HALF_UP)
    assert (yen.digits, yen.text(D("123456")), yen.round(D("1234.5"))) == (0, "123,456", D("1235"))
    unknown = Money("XTS", Rounding.HALF_UP)
    assert (unknown.digits, unknown.text(D("5")), unknown.round(D("1.005"))) == (2, "5.00", D("1.01"))
    assert GBP.text(D("48000")) == "48,000.00"


def test_a_money_step_that_needs_no_rounding_carries_its_value():
    value, step = GBP.step("charges 100.00 × 10 %", D("10.000"))
    assert value == D("10.00") and str(value) == "10.00"
    assert step == Step("charges 100.00 × 10 % = 10.00", D("10.00"), None)


def test_a_money_step_that_rounds_shows_the_exact_figure_the_mode_and_the_rounded_value():
    value, step = Money("GBP", Rounding.HALF_EVEN).step("x", D("1234.525"))
    assert value == D("1234.52")
    assert step == Step("x = 1234.525 → 1,234.52 (rounded half-even)", D("1234.52"), D("1234.525"))


def test_a_tie_is_exactly_half_a_minor_unit_either_side_of_zero():
    assert GBP.is_tie(D("0.015")) and GBP.is_tie(D("0.025")) and GBP.is_tie(D("-0.015"))
    assert not GBP.is_tie(D("0.01")) and not GBP.is_tie(D("0.014")) and not GBP.is_tie(D("-0.016"))


# --- charges --------------------------------------------------------------------------------------------------------


def test_monthly_charges_are_the_month_charges_as_they_are():
    charges, trace = period_charges(contract("48000.00"), "2026-03", GBP)
    assert charges == D("48000.00")
    assert trace == (Step("charges 48,000.00 a month → 48,000.00 for 2026-03", D("48000.00")),)


def test_yearly_charges_give_a_quarter_three_twelfths():
    yearly = replace(contract("120000.00"), charges_period=ChargesPeriod.YEAR)
    charges, trace = period_charges(yearly, "2026-Q2", GBP)
    assert charges == D("30000.00")
    assert trace == (Step("charges 120,000.00 a year × 3/12 for 2026-Q2 = 30,000.00", D("30000.00")),)


def test_quarterly_charges_give_a_month_a_third_rounded():
    quarterly = replace(contract("1000.00"), charges_period=ChargesPeriod.QUARTER)
    charges, trace = period_charges(quarterly, "2026-03", GBP)
    assert charges == D("333.33")
    assert trace[0].text == "charges 1,000.00 a quarter × 1/3 for 2026-03 = 333.3333333333333333333333333 → 333.33 " \
                            "(rounded half-up)"


def test_annual_charges_of_a_yearly_contract_are_its_charges():
    yearly = replace(contract("378000.00"), charges_period=ChargesPeriod.YEAR)
    assert annual_charges(yearly, GBP) == (D("378000.00"), Step("annual charges 378,000.00", D("378000.00")))


def test_annual_charges_of_a_monthly_contract_are_twelve_months():
    assert annual_charges(contract("31500.00"), GBP) == (
        D("378000.00"), Step("annual charges 31,500.00 a month × 12 = 378,000.00", D("378000.00")))
    quarterly = replace(contract("54000.00"), charges_period=ChargesPeriod.QUARTER)
    assert annual_charges(quarterly, GBP)[1].text == "annual charges 54,000.00 a quarter × 4 = 216,000.00"


# --- splitting a cap --------------------------------------------------------------------------------------------------


def test_a_cap_that_is_not_reached_leaves_the_amounts_alone():
    assert split_cap([D("1.00"), D("2.00")], D("3.00"), D("0.01")) == [D("1.00"), D("2.00")]
    assert split_cap([], D("0.00"), D("0.01")) == []


def test_the_cents_left_after_a_proportional_cut_go_to_lines_that_lost_a_fraction():
    # 3 + 1 + 2 = 6 cut to 4: exact shares 2.00, 0.666…, 1.333… → 2.00, 0.66, 1.33 = 3.99; the cent goes to the
    # first line that lost a fraction (the second), not to the first, whose share was exact
    assert split_cap([D("3.00"), D("1.00"), D("2.00")], D("4.00"), D("0.01")) == [D("2.00"), D("0.67"), D("1.33")]


# --- comparing with band edges ------------------------------------------------------------------------------------


def test_worse_than_an_edge_depends_on_direction_and_whether_the_edge_itself_counts():
    edge = D("99.9")
    assert worse_than(D("99.9"), edge, higher_better=True, inclusive=True)
    assert not worse_than(D("99.9"), edge, higher_better=True, inclusive=False)
    assert worse_than(D("99.89"), edge, higher_better=True, inclusive=False)
    assert worse_than(D("35"), D("35"), higher_better=False, inclusive=True)
    assert not worse_than(D("35"), D("35"), higher_better=False, inclusive=False)
    assert worse_than(D("36"), D("35"), higher_better=False, inclusive=False)


def test_better_than_an_edge_depends_on_direction_and_whether_the_edge_itself_counts():
    edge = D("99.99")
    assert better_than(edge, edge, higher_better=True, inclusive=True)
    assert not better_than(edge, edge, higher_better=True, inclusive=False)
    assert better_than(D("99.991"), edge, higher_better=True, inclusive=False)
    assert not better_than(D("99.98"), edge, higher_better=True, inclusive=True)
    assert better_than(D("20"), D("20"), higher_better=False, inclusive=True)
    assert not better_than(D("20"), D("20"), higher_better=False, inclusive=False)
    assert better_than(D("19"), D("20"), higher_better=False, inclusive=False)
    assert not better_than(D("21"), D("20"), higher_better=False, inclusive=True)


def test_the_sign_is_written_as_the_band_reads():
    assert [sign(worse=True, higher_better=True, inclusive=i) for i in (True, False)] == ["≤", "<"]
    assert [sign(worse=False, higher_better=True, inclusive=i) for i in (True, False)] == ["≥", ">"]
    assert [sign(worse=True, higher_better=False, inclusive=i) for i in (True, False)] == ["≥", ">"]
    assert [sign(worse=False, higher_better=False, inclusive=i) for i in (True, False)] == ["≤", "<"]


# --- counts behind a figure ---------------------------------------------------------------------------------------


def test_count_names_are_matched_whatever_their_case_spaces_or_hyphens():
    assert count(with_counts({"Tickets Missed": 4}), "missed") == D(4)
    assert count(with_counts({"downtime-minutes": "12.5"}), "downtime_minutes") == D("12.5")
    assert count(with_counts({"Bad Intervals": 2, "missed": None}), "missed") is None


def test_exact_minutes_come_from_the_seconds_when_the_measurement_gives_them():
    found = exact_minutes(with_counts({"downtime_seconds": 100, "downtime_minutes": D("1.67")}), "downtime_minutes")
    assert found.quantize(D("0.0000000001")) == D("1.6666666667")  # 100 s / 60, not the 1.67 written beside it
    assert exact_minutes(with_counts({"downtime_minutes": D("1.67")}), "downtime_minutes") == D("1.67")
    assert exact_minutes(with_counts({"service_seconds": 120}), "service_minutes") == D(2)


def test_minutes_are_written_as_given_or_to_two_decimals_when_longer():
    assert minutes_text(D("106.8")) == "106.8"
    assert minutes_text(D("43.20")) == "43.20"
    assert minutes_text(D(100) / D(60)) == "1.67"


def test_downtime_minutes_as_units():
    assert units(with_counts({"downtime_minutes": D("223.2")}), Unit.DOWNTIME_MINUTE) == (
        D("223.2"), "223.2 minutes of downtime")
    assert units(with_counts({}), Unit.DOWNTIME_MINUTE) == (None, "")


def test_started_hours_of_downtime_round_every_begun_hour_up():
    assert units(with_counts({"downtime_minutes": 61}), Unit.STARTED_HOUR_DOWNTIME) == (
        D(2), "61 minutes of downtime = 2 started hours")
    assert units(with_counts({"downtime_minutes": 120}), Unit.STARTED_HOUR_DOWNTIME)[0] == D(2)
    assert units(with_counts({"downtime_minutes": 121}), Unit.STARTED_HOUR_DOWNTIME)[0] == D(3)
    assert units(with_counts({"service_minutes": 100}), Unit.STARTED_HOUR_DOWNTIME) == (None, "")


def test_started_hours_below_target_count_only_the_minutes_beyond_the_allowance():
    # 43,200 service minutes at 99.9 % allow 43.2; 104.2 down → 61 beyond → 2 started hours
    counts = {"service_minutes": 43200, "downtime_minutes": D("104.2")}
    assert units(with_counts(counts), Unit.STARTED_HOUR_BELOW_TARGET) == (
        D(2), "104.2 minutes of downtime − 43.2 allowed by 99.9 % of 43200 service minutes = 61.0 minutes below "
              "target = 2 started hours")
    assert units(with_counts({"downtime_minutes": 50}), Unit.STARTED_HOUR_BELOW_TARGET) == (None, "")
    assert units(with_counts({"service_minutes": 50}), Unit.STARTED_HOUR_BELOW_TARGET) == (None, "")


def test_tickets_shipments_and_bad_intervals_as_units():
    assert units(with_counts({"missed": 7}), Unit.MISSED_TICKET) == (D(7), "7 missed tickets")
    assert units(with_counts({"late_shipments": 2}), Unit.LATE_SHIPMENT) == (D(2), "2 late shipments")
    assert units(with_counts({"bad_intervals": 3, "missed": 9}), Unit.BAD_INTERVAL) == (D(3), "3 bad intervals")
    assert units(with_counts({}), Unit.MISSED_TICKET) == (None, "")


# --- what-if figures ----------------------------------------------------------------------------------------------


def test_a_what_if_availability_recomputes_the_downtime_from_the_service_minutes():
    before = with_counts({"service_minutes": 43200, "Downtime Minutes": 216, "unavailable_minutes": 216,
                          "downtime_seconds": 12960, "service_seconds": 2592000, "outages": 3})
    after = with_achieved(before, D("99.95"))
    # 43,200 × 0.05 % = 21.6 minutes
    assert after.achieved == D("99.95") and after.met is True
    assert after.counts == {"outages": 3, "downtime_minutes": D("21.6"), "service_minutes": D("43200")}
    assert before.met is False and before.counts["Downtime Minutes"] == 216  # the original is left alone


def test_a_what_if_share_of_tickets_recounts_the_missed_tickets_rounding_up():
    tickets = dict(metric=MetricKind.RESOLUTION_TIME)
    before = result(1, "2026-03", "82.5", threshold="90", counts={"tickets": 40, "Missed Tickets": 7}, **tickets)
    after = with_achieved(before, D("86"))
    # 40 × 14 % = 5.6 → 6 tickets missed
    assert (after.achieved, after.met) == (D("86"), False)
    assert after.counts == {"tickets": 40, "missed": D(6)}
    assert with_achieved(before, D("90")).counts == {"tickets": 40, "missed": D(4)}
    assert with_achieved(before, D("90")).met is True


def test_a_what_if_figure_in_another_unit_keeps_the_counts():
    latency = dict(metric=MetricKind.LATENCY_PERCENTILE, comparison=Comparison.AT_MOST, unit="ms")
    before = result(1, "2026-03", "41", threshold="35", counts={"counted": 1000, "missed": 12}, **latency)
    after = with_achieved(before, D("30"))
    assert (after.achieved, after.met, after.counts) == (D("30"), True, {"counted": 1000, "missed": 12})


# --- periods --------------------------------------------------------------------------------------------------------


def test_shifting_quarters_and_years():
    assert [shift("2026-Q1", n) for n in (-1, 0, 1, 2, 3, 4)] == [
        "2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4", "2027-Q1"]
    assert shift("2026", -1) == "2025" and shift("2026", 2) == "2028"
    assert shift("2026-12", 1) == "2027-01" and shift("2026-01", -1) == "2025-12"


def test_the_period_a_day_falls_in():
    assert [period_of(date(2026, m, 15), PeriodKind.QUARTER) for m in (1, 3, 4, 6, 7, 9, 10, 12)] == [
        "2026-Q1", "2026-Q1", "2026-Q2", "2026-Q2", "2026-Q3", "2026-Q3", "2026-Q4", "2026-Q4"]
    assert period_of(date(2026, 5, 1), PeriodKind.YEAR) == "2026"
    assert period_of(date(2026, 5, 1), PeriodKind.MONTH) == "2026-05"


def test_a_span_stops_at_a_hundred_years_of_months():
    assert span("2026-Q3", "2027-Q1") == ["2026-Q3", "2026-Q4", "2027-Q1"]
    months = span("1900-01", "2100-12")
    assert len(months) == 1200 and months[-1] == "1999-12"
