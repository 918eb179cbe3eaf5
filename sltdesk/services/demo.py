"""Build the demo portfolio deterministically from a seed, through the same services a user calls."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

from sltdesk.domain.money import Rounding
from sltdesk.domain.register import (
    WEEKDAYS,
    BusinessUnit,
    ChargesPeriod,
    Comparison,
    ContingencyPlan,
    Contract,
    ContractTarget,
    Criticality,
    MetricKind,
    RenewalType,
    Service,
    ServiceCalendar,
    Supplier,
    SupplierCategory,
    SupplierContact,
)
from sltdesk.errors import WorkspaceError
from sltdesk.services import demo_portfolio as cast
from sltdesk.services.demo_mapping import build_mapping
from sltdesk.services.demo_measurement import build_rules
from sltdesk.services.demo_penalties import build_penalties
from sltdesk.services.demo_questionnaires import build_questionnaires
from sltdesk.services.demo_reviews import build_reviews
from sltdesk.services.demo_verification import build_verification
from sltdesk.services.gc_pause import fewer_collections
from sltdesk.services.ports import Workspace
from sltdesk.services.reference_date import store_reference_date
from sltdesk.services.register import create_record
from sltdesk.services.result_cache import after_write, held

Progress = Callable[[int, str], None]
DEFAULT_SEED = 7
# The contracts whose excerpts ship with the sample files keep their published charges.
_FIXED_CHARGES = {"NW-2025-014", "ST-2024-003", "PF-2025-007"}
DATA_END = date(2026, 11, 1)  # the day after the demo's 18 months of data (May 2025 – October 2026)
REFERENCE_DATE = DATA_END + timedelta(weeks=5)  # 6 Dec 2026: the day the demo's story is told on


def build_demo(ws: Workspace, *, seed: int = DEFAULT_SEED, progress: Progress | None = None,
               raw_importer: Callable[[Workspace, object], int] | None = None) -> dict[str, int]:
    """Fill an empty workspace with the demo portfolio; returns how many records of each kind.

    With `raw_importer` (see sltdesk.wiring.demo_raw_importer) the 18 months of raw vendor data are
    written as files and imported through the same path a user's files take.
    """
    report = progress or (lambda _pct, _msg: None)
    with ws.unit_of_work() as uow:
        if uow.records.count(Supplier) or uow.records.count(Contract):
            raise WorkspaceError("The demo portfolio goes into an empty workspace; create a new one for it.")
    rng = random.Random(seed)
    counts: dict[str, int] = {}
    steps: list[tuple[str, Callable[[Workspace, random.Random, dict], int]]] = [
        ("business units and services", _organisation),
        ("service calendars", _calendars),
        ("suppliers and contacts", _suppliers),
        ("contracts", _contracts),
        ("contract targets", _targets),
        ("contingency plans", _plans),
        ("measurement rules", build_rules),
        ("end-to-end targets and mapping", build_mapping),
        ("questionnaires and target history", build_questionnaires),
    ]
    if raw_importer is not None:
        steps.append(("raw vendor data (18 months)", lambda w, _r, _i: _raw_data(w, seed, raw_importer, inner)))
        steps.append(("maintenance, exceptions and vendor reports",
                      lambda w, _r, _i: build_verification(w, seed, raw_importer)))
    steps.append(("credit clauses and credit notes", lambda w, r, i: build_penalties(w, r, i, raw_importer)))
    steps.append(("joint service reviews", build_reviews))
    steps.append(("reference date", _reference))
    ids: dict = {}
    with fewer_collections(), ws.batch(), held(ws):  # one transaction, committed once (each commit waits for the
        # disk); the stored results are refreshed once, at the end, inside it
        for index, (label, step) in enumerate(steps):
            report(int(100 * index / len(steps)), f"Creating {label}…")
            span = (int(100 * index / len(steps)), int(100 * (index + 1) / len(steps)))

            def inner(fraction: float, message: str, span=span) -> None:
                report(span[0] + int((span[1] - span[0]) * fraction), message)

            counts[label] = step(ws, rng, ids)
        report(99, "Storing the results of every target and month…")
        after_write(ws, None)
    report(100, "Demo portfolio ready.")
    return counts


def _reference(ws: Workspace, _rng: random.Random, _ids: dict) -> int:
    """The demo's reference date: the Dashboard and `sltdesk attention` read the demo as of this day."""
    store_reference_date(ws, REFERENCE_DATE)
    return 1


def _raw_data(ws: Workspace, seed: int, importer: Callable[[Workspace, object], int],
              report: Callable[[float, str], None]) -> int:
    from sltdesk.services.demo_raw import demo_files

    files = demo_files(seed)
    stored = 0
    for index, demo_file in enumerate(files):
        report(index / len(files), f"Importing {demo_file.name}…")
        stored += importer(ws, demo_file)
    return stored


def _organisation(ws: Workspace, _rng: random.Random, ids: dict) -> int:
    for name, description in cast.BUSINESS_UNITS:
        ids[("bu", name)] = create_record(ws, BusinessUnit(name=name, description=description)).id
    for name, unit, owner, description in cast.SERVICES:
        ids[("service", name)] = create_record(ws, Service(
            name=name, business_unit_id=ids[("bu", unit)], owner=owner, description=description)).id
    return len(cast.BUSINESS_UNITS) + len(cast.SERVICES)


def _calendars(ws: Workspace, _rng: random.Random, ids: dict) -> int:
    for name, zone, hours, country, subdivision in cast.CALENDARS:
        ids[("calendar", name)] = create_record(ws, ServiceCalendar(
            name=name, timezone=zone, hours=tuple(zip(WEEKDAYS, hours, strict=True)),
            holiday_country=country, holiday_subdivision=subdivision)).id
    return len(cast.CALENDARS)


def _suppliers(ws: Workspace, _rng: random.Random, ids: dict) -> int:
    for name, category, criticality, notes in cast.SUPPLIERS:
        ids[("supplier", name)] = create_record(ws, Supplier(
            name=name, category=SupplierCategory(category), criticality=Criticality(criticality), notes=notes)).id
    for supplier, name, role, email in cast.CONTACTS:
        create_record(ws, SupplierContact(supplier_id=ids[("supplier", supplier)], name=name, role=role, email=email))
    return len(cast.SUPPLIERS) + len(cast.CONTACTS)


def _contracts(ws: Workspace, rng: random.Random, ids: dict) -> int:
    for ref, supplier, title, start, end, currency, base, period, renewal, notice, owner in cast.CONTRACTS:
        charges = Decimal(base)
        if ref not in _FIXED_CHARGES:  # other charges vary with the seed, in whole hundreds
            charges = (charges * Decimal(rng.randint(90, 110)) / 100).quantize(Decimal("100"))
            charges = charges.quantize(Decimal("0.01"))
        ids[("contract", ref)] = create_record(ws, Contract(
            ref=ref, supplier_id=ids[("supplier", supplier)], title=title, start_date=date.fromisoformat(start),
            end_date=date.fromisoformat(end), currency=currency, charges=charges,
            charges_period=ChargesPeriod(period), renewal_type=RenewalType(renewal), notice_days=notice,
            owner=owner, rounding=Rounding.HALF_EVEN if currency == "EUR" else Rounding.HALF_UP)).id
    return len(cast.CONTRACTS)


def _targets(ws: Workspace, _rng: random.Random, ids: dict) -> int:
    for ref, name, metric, comparison, threshold, unit, period, calendar, description in cast.TARGETS:
        create_record(ws, ContractTarget(
            contract_id=ids[("contract", ref)], name=name, metric=MetricKind(metric),
            comparison=Comparison(comparison), threshold=Decimal(threshold), unit=unit,
            measurement_period=ChargesPeriod(period), calendar_id=ids[("calendar", calendar)],
            description=description, **cast.REVIEW_CYCLES.get((ref, name), {})))
    return len(cast.TARGETS)


def _plans(ws: Workspace, _rng: random.Random, ids: dict) -> int:
    for supplier, title, trigger, failover, workaround, owner, tested, interval in cast.CONTINGENCY_PLANS:
        create_record(ws, ContingencyPlan(
            supplier_id=ids[("supplier", supplier)], title=title, trigger=trigger, failover_procedure=failover,
            manual_workaround=workaround, owner=owner,
            last_tested=date.fromisoformat(tested) if tested else None, test_interval_days=interval))
    return len(cast.CONTINGENCY_PLANS)
