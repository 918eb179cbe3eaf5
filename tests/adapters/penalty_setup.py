"""A Northwind-like contract with four targets, its clauses, a fake attainment history and credit-note files."""

from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal

from sltdesk.domain.attainment import AttainmentResult
from sltdesk.domain.register import Comparison, Contract, ContractTarget, MetricKind, Supplier
from sltdesk.services.register import create_record

TARGETS = (("SL1 Availability", MetricKind.AVAILABILITY, "99.95"), ("SL2 P1 response", MetricKind.RESPONSE_TIME, "95"),
           ("SL3 P1 resolution", MetricKind.RESOLUTION_TIME, "90"),
           ("SL4 P2 resolution", MetricKind.RESOLUTION_TIME, "90"))
NORTHWIND_FILE = {"clauses": [
    {"kind": "at-risk pool", "parameters": {"percent": "12"}, "source": "Schedule 4 §4.1"},
    {"kind": "at-risk allocation", "target": "SL1 Availability", "parameters": {"percent": "40"}},
    {"kind": "at-risk allocation", "target": "SL2 P1 response", "parameters": {"percent": "20"}},
    {"kind": "at-risk allocation", "target": "SL3 P1 resolution", "parameters": {"percent": "25"}},
    {"kind": "at-risk allocation", "target": "SL4 P2 resolution", "parameters": {"percent": "15"}},
    {"kind": "consecutive-miss multiplier", "parameters": {"steps": [[2, "2"]]}},
    {"kind": "earn-back", "parameters": {"periods": 3}},
    {"kind": "termination trigger", "target": "SL1 Availability", "parameters": {"misses": 3, "window": 6}},
    {"kind": "claim window", "parameters": {"days": 60}},
]}
# Misses per period (target name → achieved); every other figure meets its target.
MISSES = {"2026-02": {"SL1 Availability": "99.90"}, "2026-03": {"SL1 Availability": "99.93",
                                                               "SL3 P1 resolution": "85"}}


def northwind(ws) -> tuple[Contract, dict[str, int]]:
    supplier = create_record(ws, Supplier("Northwind Networks"))
    contract = create_record(ws, Contract("NW-2025-014", supplier.id, "Managed WAN", date(2025, 1, 1),
                                          date(2027, 12, 31), "GBP", Decimal("48000.00")))
    ids = {}
    for name, metric, threshold in TARGETS:
        ids[name] = create_record(ws, ContractTarget(contract.id, name, metric, Decimal(threshold),
                                                     Comparison.AT_LEAST)).id
    return contract, ids


def fake_history(misses: dict[str, dict[str, str]] | None = None):
    """An attainment_history stand-in: met by a margin everywhere except the figures in `misses`."""
    misses = MISSES if misses is None else misses

    def history(ws, contract_id: int, periods: list[str]) -> dict[int, list[AttainmentResult]]:
        with ws.unit_of_work() as uow:
            targets = uow.records.list(ContractTarget, contract_id=contract_id)
        out = {}
        for t in targets:
            out[t.id] = []
            for p in periods:
                achieved = Decimal(misses.get(p, {}).get(t.name, "99.99" if t.metric is MetricKind.AVAILABILITY
                                                         else "97"))
                out[t.id].append(AttainmentResult(contract_id, "NW-2025-014", t.id, t.name, t.metric, p, t.threshold,
                                                  t.comparison, t.unit, achieved,
                                                  t.comparison.holds(achieved, t.threshold)))
        return out

    return history


def credit_note_csv(path, rows: list[tuple[str, str, str, str, str]]):
    """A supplier's credit note as CSV: (document, period, line, description, amount)."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Credit note", "Period", "Line", "Description", "Amount", "Currency"])
        writer.writerows((*row, "GBP") for row in rows)
    return path
