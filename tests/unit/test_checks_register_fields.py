"""Field checks on register records: each problem is a sentence shown next to the field it concerns."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from sltdesk.domain.register import (
    WEEKDAYS,
    BusinessUnit,
    ContingencyPlan,
    Contract,
    ContractTarget,
    MetricKind,
    Service,
    ServiceCalendar,
    Supplier,
    SupplierContact,
)
from sltdesk.rules.validation import validate_record

D = Decimal
CURRENCIES = "Choose one of AUD, CAD, CHF, DKK, EUR, GBP, INR, JPY, NOK, PLN, SEK, USD."


def contract(**changes) -> Contract:
    values = dict(ref="NW-2025-014", supplier_id=1, title="Managed WAN", start_date=date(2025, 1, 1),
                  end_date=date(2027, 12, 31), currency="GBP", charges=D("48000.00"), notice_days=180)
    values.update(changes)
    return Contract(**values)


def target(**changes) -> ContractTarget:
    values = dict(contract_id=1, name="SL1 Availability", metric=MetricKind.AVAILABILITY, threshold=D("99.95"))
    values.update(changes)
    return ContractTarget(**values)


def calendar(hours: tuple[tuple[str, str], ...], timezone: str = "Europe/London") -> ServiceCalendar:
    return ServiceCalendar(name="UK office", timezone=timezone, hours=hours)


def test_well_formed_records_of_every_kind_pass():
    assert validate_record(contract()) == {}
    assert validate_record(target()) == {}
    assert validate_record(Supplier(name="Northwind Networks")) == {}
    assert validate_record(Service(name="Checkout", business_unit_id=1)) == {}
    assert validate_record(BusinessUnit(name="Retail")) == {}
    assert validate_record(SupplierContact(supplier_id=1, name="Ann Lee", email="ann.lee@northwind.example")) == {}
    assert validate_record(ContingencyPlan(supplier_id=1, title="WAN failover", test_interval_days=1)) == {}
    assert validate_record(calendar(tuple((d, "08:00-18:00") for d in WEEKDAYS))) == {}


def test_a_blank_name_title_or_reference_asks_for_one():
    assert validate_record(Supplier(name="   ")) == {"name": "Enter a name."}
    assert validate_record(BusinessUnit(name="")) == {"name": "Enter a name."}
    assert validate_record(contract(ref=" ", title="")) == {"ref": "Enter a ref.", "title": "Enter a title."}
    assert validate_record(ContingencyPlan(supplier_id=1, title="\t")) == {"title": "Enter a title."}


def test_a_contract_ending_on_its_start_day_is_refused_and_one_a_day_longer_is_not():
    one_day = contract(start_date=date(2026, 1, 1), end_date=date(2026, 1, 1), notice_days=0)
    assert validate_record(one_day) == {"end_date": "The end date must be after the start date."}
    assert validate_record(contract(start_date=date(2026, 1, 1), end_date=date(2026, 1, 2), notice_days=1)) == {}


def test_an_unknown_currency_lists_the_ones_to_choose_from():
    assert validate_record(contract(currency="XXX")) == {"currency": CURRENCIES}


def test_charges_may_be_nil_but_not_negative():
    assert validate_record(contract(charges=D("0"))) == {}
    assert validate_record(contract(charges=D("-0.01"))) == {"charges": "Charges cannot be negative."}


@pytest.mark.parametrize(("days", "error"), [
    (-1, "The notice period is a number of days between 0 and 3650."),
    (0, None),
    (3650, None),
    (3651, "The notice period is a number of days between 0 and 3650."),
])
def test_the_notice_period_is_between_0_and_3650_days(days, error):
    long = contract(start_date=date(2020, 1, 1), end_date=date(2035, 1, 1), notice_days=days)
    assert validate_record(long) == ({"notice_days": error} if error else {})


def test_a_notice_period_may_be_as_long_as_the_contract_but_not_longer():
    year = dict(start_date=date(2026, 1, 1), end_date=date(2027, 1, 1))  # 365 days
    assert validate_record(contract(**year, notice_days=365)) == {}
    assert validate_record(contract(**year, notice_days=366)) == {
        "notice_days": "The notice period is longer than the contract itself."}


@pytest.mark.parametrize(("threshold", "error"), [
    ("-0.01", "A percentage threshold lies between 0 and 100."),
    ("0", None),
    ("100", None),
    ("100.01", "A percentage threshold lies between 0 and 100."),
])
def test_a_percentage_threshold_lies_between_0_and_100(threshold, error):
    assert validate_record(target(threshold=D(threshold))) == ({"threshold": error} if error else {})


def test_a_time_threshold_may_exceed_100_but_not_be_negative():
    hours = dict(metric=MetricKind.RESOLUTION_TIME, unit="h")
    assert validate_record(target(**hours, threshold=D("240"))) == {}
    assert validate_record(target(**hours, threshold=D("0"))) == {}
    assert validate_record(target(**hours, threshold=D("-1"))) == {"threshold": "The threshold cannot be negative."}


def test_availability_and_error_rates_are_measured_in_percent():
    assert validate_record(target(unit="h", threshold=D("-1"))) == {
        "threshold": "The threshold cannot be negative.", "unit": "Availability is measured in %."}
    assert validate_record(target(metric=MetricKind.ERROR_RATE, unit="ms", threshold=D("1"))) == {
        "unit": "Error rate is measured in %."}
    assert validate_record(target(metric=MetricKind.RESPONSE_TIME, unit="min", threshold=D("30"))) == {}


@pytest.mark.parametrize("zone", ["Mars/Olympus", ""])
def test_a_calendar_zone_must_be_an_iana_name(zone):
    assert validate_record(calendar((("mon", "08:00-18:00"),), zone)) == {
        "timezone": f"'{zone}' is not an IANA time zone such as Europe/London."}


@pytest.mark.parametrize("span", [
    "08:00-18:00", "00:00-24:00", "08:00-24:00", "08:00-12:00,13:00-18:00", "08:00-12:00, 13:00-18:00",
    "09:29-09:30", "08:30-17:00", "08:24-17:00", "08:00-17:24", "08:00-17:30", "18:00-18:01",
])
def test_hours_written_as_from_to_pass(span):
    assert validate_record(calendar((("mon", "07:00-08:00"), ("tue", ""), ("wed", span)))) == {}


@pytest.mark.parametrize("span", [
    "18:00-08:00", "08:00-08:00", "09:30-09:10", "08:00-24:30", "24:30-24:45", "8-18", "08:00-12:00,13:00",
    "08:00 to 18:00", "25:00-26:00",
])
def test_hours_that_are_not_a_forward_span_within_the_day_are_refused(span):
    assert validate_record(calendar((("mon", "07:00-08:00"), ("tue", ""), ("wed", span)))) == {
        "hours": "Wed: write hours as 08:00-18:00, or leave empty when closed."}


def test_only_the_first_bad_day_is_named():
    hours = (("mon", "08:00-18:00"), ("thu", "9-5"), ("fri", "18:00-08:00"))
    assert validate_record(calendar(hours)) == {"hours": "Thu: write hours as 08:00-18:00, or leave empty when closed."}


def test_a_contact_email_is_checked_only_when_given():
    assert validate_record(SupplierContact(supplier_id=1, name="Ann Lee")) == {}
    assert validate_record(SupplierContact(supplier_id=1, name="Ann Lee", email="ann.lee@northwind")) == {
        "email": "'ann.lee@northwind' is not an e-mail address."}


@pytest.mark.parametrize(("days", "errors"), [
    (0, {"test_interval_days": "Test the plan at least every few days: enter a positive number."}),
    (-30, {"test_interval_days": "Test the plan at least every few days: enter a positive number."}),
    (1, {}),
])
def test_a_contingency_plan_is_tested_every_positive_number_of_days(days, errors):
    assert validate_record(ContingencyPlan(supplier_id=1, title="WAN failover", test_interval_days=days)) == errors
