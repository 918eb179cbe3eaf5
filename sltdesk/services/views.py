"""Read-only views of the register for tables, the dashboard and the CLI (plain frozen rows)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sltdesk.domain.register import (
    BusinessUnit,
    ContingencyPlan,
    Contract,
    ContractTarget,
    Service,
    ServiceCalendar,
    Supplier,
)
from sltdesk.domain.stored import stored_id
from sltdesk.rules.renewals import RenewalAlert, notice_deadline, renewal_alerts
from sltdesk.services.ports import Workspace


@dataclass(frozen=True)
class SupplierRow:
    id: int
    name: str
    category: str
    criticality: str
    contracts: int
    notes: str


@dataclass(frozen=True)
class ContractRowView:
    id: int
    ref: str
    title: str
    supplier: str
    supplier_id: int
    start: date
    end: date
    currency: str
    charges: Decimal
    charges_period: str
    renewal_type: str
    notice_days: int
    notice_deadline: date
    owner: str
    targets: int


@dataclass(frozen=True)
class TargetRowView:
    id: int
    contract: str
    contract_id: int
    name: str
    metric: str
    comparison: str
    threshold: Decimal
    unit: str
    measurement_period: str
    calendar: str


@dataclass(frozen=True)
class DashboardView:
    counts: dict[str, int]
    alerts: list[RenewalAlert]
    today: date


def supplier_rows(ws: Workspace) -> list[SupplierRow]:
    read = ws.read_records(Supplier, Contract)
    suppliers, contracts = read[Supplier], read[Contract]
    per_supplier: dict[int, int] = {}
    for c in contracts:
        per_supplier[c.supplier_id] = per_supplier.get(c.supplier_id, 0) + 1
    return [SupplierRow(stored_id(s), s.name, s.category.value, s.criticality.value, per_supplier.get(stored_id(s), 0),
                        s.notes)
            for s in suppliers]


def contract_rows(ws: Workspace) -> list[ContractRowView]:
    read = ws.read_records(Supplier, Contract, ContractTarget)
    names = {s.id: s.name for s in read[Supplier]}
    contracts, targets = read[Contract], read[ContractTarget]
    per_contract: dict[int, int] = {}
    for t in targets:
        per_contract[t.contract_id] = per_contract.get(t.contract_id, 0) + 1
    return [ContractRowView(
        stored_id(c), c.ref, c.title, names.get(c.supplier_id, "?"), c.supplier_id, c.start_date, c.end_date,
        c.currency, c.charges, c.charges_period.value, c.renewal_type.value, c.notice_days,
        notice_deadline(c), c.owner, per_contract.get(stored_id(c), 0)) for c in contracts]


def target_rows(ws: Workspace) -> list[TargetRowView]:
    read = ws.read_records(Contract, ServiceCalendar, ContractTarget)
    refs = {c.id: c.ref for c in read[Contract]}
    calendars = {c.id: c.name for c in read[ServiceCalendar]}
    targets = read[ContractTarget]
    return [TargetRowView(
        stored_id(t), refs.get(t.contract_id, "?"), t.contract_id, t.name, t.metric.value, t.comparison.value,
        t.threshold, t.unit, t.measurement_period.value, calendars.get(t.calendar_id, "") if t.calendar_id else "")
        for t in targets]


def dashboard_view(ws: Workspace, *, today: date, horizon_days: int = 90) -> DashboardView:
    """Counts of the register and the renewal / notice alerts within the horizon."""
    with ws.unit_of_work() as uow:
        counts = {
            "business units": uow.records.count(BusinessUnit),
            "services": uow.records.count(Service),
            "suppliers": uow.records.count(Supplier),
            "contracts": uow.records.count(Contract),
            "contract targets": uow.records.count(ContractTarget),
            "contingency plans": uow.records.count(ContingencyPlan),
            "imported records": sum(uow.raw.record_counts().values()),
        }
        contracts = uow.records.list(Contract)
    return DashboardView(counts, renewal_alerts(contracts, today=today, horizon_days=horizon_days), today)
