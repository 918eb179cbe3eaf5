"""Contracts, clauses and attainment histories for the penalty tests, written out by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sltdesk.domain.attainment import AttainmentResult
from sltdesk.domain.money import Rounding
from sltdesk.domain.penalties import (
    Allocation,
    AtRiskPool,
    Band,
    Cap,
    CapScope,
    ClaimWindow,
    Clause,
    EarnBack,
    Multiplier,
    TerminationTrigger,
    TieredCredit,
)
from sltdesk.domain.register import Comparison, Contract, MetricKind

D = Decimal
NORTHWIND_TARGETS = {1: ("SL1 Availability", "99.95"), 2: ("SL2 P1 response", "95"),
                     3: ("SL3 P1 resolution", "90"), 4: ("SL4 P2 resolution", "90")}


def contract(charges: str = "48000.00", currency: str = "GBP", rounding: Rounding = Rounding.HALF_UP,
             ref: str = "NW-2025-014") -> Contract:
    return Contract(ref=ref, supplier_id=1, title="Managed WAN", start_date=date(2025, 1, 1),
                    end_date=date(2027, 12, 31), currency=currency, charges=D(charges), rounding=rounding, id=1)


def result(target_id: int, period: str, achieved: str | None, *, name: str = "", threshold: str = "99.95",
           metric: MetricKind = MetricKind.AVAILABILITY, comparison: Comparison = Comparison.AT_LEAST,
           unit: str = "%", counts: dict | None = None) -> AttainmentResult:
    value = None if achieved is None else D(achieved)
    met = None if value is None else comparison.holds(value, D(threshold))
    return AttainmentResult(contract_id=1, contract_ref="NW-2025-014", target_id=target_id,
                            target=name or f"target {target_id}", metric=metric, period=period,
                            threshold=D(threshold), comparison=comparison, unit=unit, achieved=value, met=met,
                            counts=counts or {})


def northwind_clauses() -> list[Clause]:
    """The Northwind excerpt: 12 % at risk, allocations 40/20/25/15, doubling, earn-back 3, 3-in-6, 60 days."""
    clauses = [Clause(1, AtRiskPool(D(12))), Clause(1, Multiplier(((2, D(2)),))), Clause(1, EarnBack(3)),
               Clause(1, TerminationTrigger(3, 6), target_id=1), Clause(1, ClaimWindow(days=60))]
    for tid, share in ((1, "40"), (2, "20"), (3, "25"), (4, "15")):
        clauses.append(Clause(1, Allocation(D(share)), target_id=tid))
    return clauses


def northwind_history(misses: dict[str, dict[int, str]], periods: list[str]) -> dict[int, list[AttainmentResult]]:
    """Every target met (at its threshold + a margin) except the figures given per period."""
    history: dict[int, list[AttainmentResult]] = {tid: [] for tid in NORTHWIND_TARGETS}
    for period in periods:
        for tid, (name, threshold) in NORTHWIND_TARGETS.items():
            achieved = misses.get(period, {}).get(tid, "99.99" if tid == 1 else "97")
            history[tid].append(result(tid, period, achieved, name=name, threshold=threshold))
    return history


def cloud_clauses() -> list[Clause]:
    """A published region-level compute table: < 99.99 → 10 %, < 99.0 → 30 %, < 95.0 → 100 %."""
    bands = (Band(D("99.99"), percent=D(10)), Band(D("99.0"), percent=D(30)), Band(D("95.0"), percent=D(100)))
    return [Clause(1, TieredCredit(bands), target_id=1)]


def stratus_clauses() -> list[Clause]:
    bands = (Band(D("99.9"), percent=D(5)), Band(D("99.5"), percent=D(10)), Band(D("99.0"), percent=D(25)))
    return [Clause(1, TieredCredit(bands), target_id=1), Clause(1, Cap(CapScope.PERIOD, percent=D(25))),
            Clause(1, Cap(CapScope.YEAR, percent=D(10)))]
