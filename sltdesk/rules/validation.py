"""Field-level validation of register records; messages are shown next to the field."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sltdesk.domain.measurement import MeasurementRule
from sltdesk.domain.money import CURRENCY_DIGITS
from sltdesk.domain.register import (
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
from sltdesk.rules.measurement_rules import rule_field_errors

FieldErrors = dict[str, str]
_HOURS = re.compile(r"^([01]\d|2[0-4]):([0-5]\d)-([01]\d|2[0-4]):([0-5]\d)$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def validate_record(record: object) -> FieldErrors:
    """Every problem with a record (a register record, or any other: its name only), by field name; empty
    when the record may be stored."""
    errors: FieldErrors = {}
    for name in ("name", "title", "ref"):
        if hasattr(record, name) and not str(getattr(record, name)).strip():
            errors[name] = f"Enter a {name}."
    checker = _CHECKS.get(type(record))
    if checker:
        checker(record, errors)
    return errors


def _contract(c: Contract, errors: FieldErrors) -> None:
    if c.end_date <= c.start_date:
        errors["end_date"] = "The end date must be after the start date."
    if c.currency not in CURRENCY_DIGITS:
        errors["currency"] = f"Choose one of {', '.join(sorted(CURRENCY_DIGITS))}."
    if c.charges < 0:
        errors["charges"] = "Charges cannot be negative."
    if not 0 <= c.notice_days <= 3650:
        errors["notice_days"] = "The notice period is a number of days between 0 and 3650."
    elif c.notice_days > (c.end_date - c.start_date).days:
        errors["notice_days"] = "The notice period is longer than the contract itself."


def _target(t: ContractTarget, errors: FieldErrors) -> None:
    if t.unit == "%" and not Decimal(0) <= t.threshold <= Decimal(100):
        errors["threshold"] = "A percentage threshold lies between 0 and 100."
    elif t.threshold < 0:
        errors["threshold"] = "The threshold cannot be negative."
    if t.metric in (MetricKind.AVAILABILITY, MetricKind.ERROR_RATE) and t.unit != "%":
        errors["unit"] = f"{t.metric.value.capitalize()} is measured in %."


def _calendar(c: ServiceCalendar, errors: FieldErrors) -> None:
    try:
        ZoneInfo(c.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        errors["timezone"] = f"'{c.timezone}' is not an IANA time zone such as Europe/London."
    for day, span in c.hours:
        if span and not _valid_span(span):
            errors["hours"] = f"{day.capitalize()}: write hours as 08:00-18:00, or leave empty when closed."
            break


def _valid_span(span: str) -> bool:
    for part in span.split(","):
        match = _HOURS.match(part.strip())
        if not match or (int(match[1]), int(match[2])) >= (int(match[3]), int(match[4])):
            return False
        if (match[1] == "24" and match[2] != "00") or (match[3] == "24" and match[4] != "00"):
            return False
    return True


def _contact(c: SupplierContact, errors: FieldErrors) -> None:
    if c.email and not _EMAIL.match(c.email):
        errors["email"] = f"'{c.email}' is not an e-mail address."


def _plan(p: ContingencyPlan, errors: FieldErrors) -> None:
    if p.test_interval_days <= 0:
        errors["test_interval_days"] = "Test the plan at least every few days: enter a positive number."


def _none(_: object, __: FieldErrors) -> None:
    return None


_CHECKS: dict[type, Callable[[Any, FieldErrors], None]] = {  # record type -> its checks
    Contract: _contract,
    ContractTarget: _target,
    ServiceCalendar: _calendar,
    SupplierContact: _contact,
    ContingencyPlan: _plan,
    Supplier: _none,
    Service: _none,
    BusinessUnit: _none,
    MeasurementRule: lambda rule, errors: errors.update(rule_field_errors(rule)),
}
