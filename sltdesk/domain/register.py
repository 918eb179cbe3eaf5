"""The supplier register: frozen records the services hand out and take in.

`id` is None for a record that has not been stored yet.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

from sltdesk.domain.money import Rounding


class SupplierCategory(StrEnum):
    CLOUD_HOSTING = "cloud hosting"
    NETWORK_CARRIER = "network carrier"
    PAYMENT_GATEWAY = "payment gateway"
    COURIER = "courier"
    SERVICE_DESK = "service desk"
    SAAS = "SaaS"
    DATA_CENTRE = "data centre"
    SOFTWARE_MAINTENANCE = "software maintenance"
    OTHER = "other"


class Criticality(StrEnum):
    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class RenewalType(StrEnum):
    NEVER = "never"
    TACIT = "tacit"
    EXPRESS = "express"


class ChargesPeriod(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


class MetricKind(StrEnum):
    AVAILABILITY = "availability"
    RESPONSE_TIME = "response time"
    RESOLUTION_TIME = "resolution time"
    LATENCY_PERCENTILE = "latency percentile"
    ERROR_RATE = "error rate"
    CYCLE_TIME_PERCENTILE = "cycle time percentile"


class Comparison(StrEnum):
    AT_LEAST = ">="
    AT_MOST = "<="
    MORE_THAN = ">"
    LESS_THAN = "<"

    def holds(self, achieved: Decimal, threshold: Decimal) -> bool:
        return {
            Comparison.AT_LEAST: achieved >= threshold,
            Comparison.AT_MOST: achieved <= threshold,
            Comparison.MORE_THAN: achieved > threshold,
            Comparison.LESS_THAN: achieved < threshold,
        }[self]


WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class BusinessUnit:
    name: str
    description: str = ""
    id: int | None = None
    version: int = 1  # raised by every stored change; a save from an older one is refused


@dataclass(frozen=True)
class Service:
    name: str
    business_unit_id: int
    description: str = ""
    owner: str = ""
    id: int | None = None
    version: int = 1  # raised by every stored change; a save from an older one is refused


@dataclass(frozen=True)
class Supplier:
    name: str
    category: SupplierCategory = SupplierCategory.OTHER
    criticality: Criticality = Criticality.MEDIUM
    notes: str = ""
    id: int | None = None
    version: int = 1  # raised by every stored change; a save from an older one is refused


@dataclass(frozen=True)
class SupplierContact:
    supplier_id: int
    name: str
    role: str = ""
    email: str = ""
    phone: str = ""
    id: int | None = None
    version: int = 1  # raised by every stored change; a save from an older one is refused


@dataclass(frozen=True)
class ServiceCalendar:
    """Business hours per weekday ("08:00-18:00", "" for closed) in an IANA time zone."""

    name: str
    timezone: str = "UTC"
    hours: tuple[tuple[str, str], ...] = field(
        default=tuple((day, "00:00-24:00") for day in WEEKDAYS)
    )
    holiday_country: str = ""
    holiday_subdivision: str = ""
    closure_days: tuple[date, ...] = ()
    id: int | None = None
    version: int = 1  # raised by every stored change; a save from an older one is refused


@dataclass(frozen=True)
class Contract:
    ref: str
    supplier_id: int
    title: str
    start_date: date
    end_date: date
    currency: str
    charges: Decimal
    charges_period: ChargesPeriod = ChargesPeriod.MONTH
    renewal_type: RenewalType = RenewalType.NEVER
    notice_days: int = 90
    owner: str = ""
    rounding: Rounding = Rounding.HALF_UP
    id: int | None = None
    version: int = 1  # raised by every stored change; a save from an older one is refused


@dataclass(frozen=True)
class ContractTarget:
    contract_id: int
    name: str
    metric: MetricKind
    threshold: Decimal
    comparison: Comparison = Comparison.AT_LEAST
    unit: str = "%"
    measurement_period: ChargesPeriod = ChargesPeriod.MONTH
    calendar_id: int | None = None
    description: str = ""
    # The target's review cycle (sltdesk/rules/target_reviews.py): the date its relevance must be reviewed by,
    # the day it was last reviewed, and the volume it assumes with the margin that brings the review forward.
    review_by: date | None = None
    reviewed_on: date | None = None
    expected_volume: Decimal | None = None  # per measurement period: tickets, or requests for sampled targets
    volume_margin: Decimal | None = None  # percent over expected_volume; None: any excess
    id: int | None = None
    version: int = 1  # raised by every stored change; a save from an older one is refused


@dataclass(frozen=True)
class ContingencyPlan:
    supplier_id: int
    title: str
    trigger: str = ""
    failover_procedure: str = ""
    manual_workaround: str = ""
    owner: str = ""
    last_tested: date | None = None
    test_interval_days: int = 365
    id: int | None = None
    version: int = 1  # raised by every stored change; a save from an older one is refused


Record = (
    BusinessUnit | Service | Supplier | SupplierContact | ServiceCalendar | Contract | ContractTarget | ContingencyPlan
)

# The name each record kind has in the audit trail and on the command line.
ENTITY_NAMES: dict[type, str] = {
    BusinessUnit: "business_unit",
    Service: "service",
    Supplier: "supplier",
    SupplierContact: "supplier_contact",
    ServiceCalendar: "service_calendar",
    Contract: "contract",
    ContractTarget: "contract_target",
    ContingencyPlan: "contingency_plan",
}
ENTITY_TYPES: dict[str, type] = {name: kind for kind, name in ENTITY_NAMES.items()}


def entity_name(record_or_type: object) -> str:
    kind = record_or_type if isinstance(record_or_type, type) else type(record_or_type)
    return ENTITY_NAMES[kind]
