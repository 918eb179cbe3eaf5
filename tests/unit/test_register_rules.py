from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sltdesk.domain.money import Rounding, format_money, parse_decimal, quantize_money
from sltdesk.domain.period import Period, PeriodKind
from sltdesk.domain.register import (
    WEEKDAYS,
    Contract,
    ContractTarget,
    MetricKind,
    RenewalType,
    ServiceCalendar,
)
from sltdesk.domain.serial import from_plain, to_plain
from sltdesk.rules.renewals import notice_deadline, renewal_alerts
from sltdesk.rules.validation import validate_record


def _contract(**changes) -> Contract:
    values = dict(ref="NW-2025-014", supplier_id=1, title="Managed WAN", start_date=date(2025, 1, 1),
                  end_date=date(2027, 12, 31), currency="GBP", charges=Decimal("48000.00"),
                  renewal_type=RenewalType.TACIT, notice_days=180, id=1)
    values.update(changes)
    return Contract(**values)


def test_periods_parse_months_quarters_and_years():
    assert Period.parse("2026-03") == Period(date(2026, 3, 1), date(2026, 4, 1), PeriodKind.MONTH)
    assert Period.parse("2026-Q4") == Period(date(2026, 10, 1), date(2027, 1, 1), PeriodKind.QUARTER)
    assert Period.parse("2026").end == date(2027, 1, 1)
    assert Period.parse("2026-q1").label == "2026-Q1"


@pytest.mark.parametrize("text", ["2026-13", "26-03", "2026-Q5", "March"])
def test_a_bad_period_says_how_to_write_one(text):
    with pytest.raises(ValueError, match="2026-Q1"):
        Period.parse(text)


def test_money_rounds_with_the_contracts_mode():
    assert quantize_money(Decimal("2.345"), currency="GBP", rounding=Rounding.HALF_UP) == Decimal("2.35")
    assert quantize_money(Decimal("2.345"), currency="GBP", rounding=Rounding.HALF_EVEN) == Decimal("2.34")
    assert quantize_money(Decimal("1234.5"), currency="JPY", rounding=Rounding.HALF_EVEN) == Decimal("1234")
    assert format_money(Decimal("48000"), "GBP") == "GBP 48,000.00"


def test_user_text_becomes_an_exact_decimal_and_floats_are_refused():
    assert parse_decimal(" 48,000.10 ") == Decimal("48000.10")
    with pytest.raises(ValueError):
        parse_decimal(0.1)
    with pytest.raises(ValueError, match="not a number"):
        parse_decimal("12a")


@given(st.decimals(allow_nan=False, allow_infinity=False, places=3, min_value=-10**12, max_value=10**12))
def test_a_contract_round_trips_through_its_plain_form(charges):
    contract = _contract(charges=charges)
    assert from_plain(Contract, to_plain(contract)) == contract


def test_a_calendar_round_trips_with_its_hours_and_closure_days():
    calendar = ServiceCalendar(name="UK", timezone="Europe/London",
                               hours=tuple((d, "08:00-18:00") for d in WEEKDAYS), closure_days=(date(2026, 12, 24),))
    assert from_plain(ServiceCalendar, to_plain(calendar)) == calendar


def test_the_notice_deadline_is_the_end_date_less_the_notice_period():
    assert notice_deadline(_contract()) == date(2027, 7, 4)


def test_alerts_list_notice_deadlines_and_ends_within_the_horizon_soonest_first():
    ending = _contract(ref="A", end_date=date(2027, 1, 31), notice_days=60, id=2)
    never = _contract(ref="B", end_date=date(2026, 12, 31), renewal_type=RenewalType.NEVER, notice_days=90, id=3)
    far = _contract(ref="C", id=4)
    alerts = renewal_alerts([far, ending, never], today=date(2026, 11, 27), horizon_days=90)
    assert [(a.contract_ref, a.kind, a.days_left) for a in alerts] == [
        ("A", "notice deadline", 5), ("B", "contract end", 34)]  # A renews by itself: it does not end
    assert alerts[0].sentence == ("A: renews by itself on 01 Feb 2027 unless notice is given by 02 Dec 2026 "
                                  "(5 days left).")


def test_a_contract_that_ends_before_it_starts_is_refused_on_the_end_date_field():
    errors = validate_record(_contract(end_date=date(2024, 12, 31), currency="XXX"))
    assert errors["end_date"] == "The end date must be after the start date."
    assert "currency" in errors


def test_a_percentage_target_above_100_is_refused():
    target = ContractTarget(contract_id=1, name="SL1", metric=MetricKind.AVAILABILITY, threshold=Decimal("199.95"))
    assert validate_record(target) == {"threshold": "A percentage threshold lies between 0 and 100."}


def test_calendar_hours_and_time_zone_are_checked():
    calendar = ServiceCalendar(name="X", timezone="Mars/Olympus", hours=(("mon", "18:00-08:00"),))
    errors = validate_record(calendar)
    assert set(errors) == {"timezone", "hours"}
