"""Comparison of suppliers' maturity, their scores over time, and the reliability outlook per target."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sltdesk.domain.attainment import AttainmentResult
from sltdesk.domain.register import Contract, ContractTarget, Supplier
from sltdesk.domain.stored import stored_id
from sltdesk.rules.prediction import Prediction
from sltdesk.services.attainment import verdict_history
from sltdesk.services.ports import Workspace
from sltdesk.services.questionnaires import ScoredAssessment, find_supplier, predict_target, scored


@dataclass(frozen=True)
class SupplierMaturity:
    """A supplier's latest assessment, with the change since the one before."""

    supplier: str
    latest: ScoredAssessment
    previous_overall: Decimal | None
    assessments: int

    @property
    def change(self) -> Decimal | None:
        if self.previous_overall is None or self.latest.card.overall is None:
            return None
        return self.latest.card.overall - self.previous_overall


@dataclass(frozen=True)
class TargetOutlook:
    contract: str
    target: str
    target_id: int
    prediction: Prediction
    history: tuple[AttainmentResult, ...]  # the periods with a verdict, oldest first (computed, never stored)
    assessed_on: date | None  # the assessment the prior comes from


def compare_suppliers(ws: Workspace) -> list[SupplierMaturity]:
    """Each assessed supplier's latest score card, best overall score first."""
    by_supplier: dict[str, list[ScoredAssessment]] = {}
    for item in scored(ws):
        by_supplier.setdefault(item.supplier, []).append(item)
    rows = []
    for supplier, items in by_supplier.items():
        previous = next((i.card.overall for i in reversed(items[:-1]) if i.card.overall is not None), None)
        rows.append(SupplierMaturity(supplier, items[-1], previous, len(items)))
    return sorted(rows, key=lambda r: (-(r.latest.card.overall or Decimal(-1)), r.supplier.casefold()))


def supplier_outlook(ws: Workspace, supplier: str | int, *, as_of: int | None = None) -> list[TargetOutlook]:
    """For each target of the supplier's contracts: the probability of meeting it next period, from the
    latest assessment and the verdicts computed from the raw data (the same results every page shows)."""
    supplier_id = supplier if isinstance(supplier, int) else stored_id(find_supplier(ws, supplier))
    history = [s for s in scored(ws, supplier_id=supplier_id) if s.card.overall is not None]
    latest = history[-1] if history else None
    with ws.unit_of_work() as uow:
        contracts = {stored_id(c): c for c in uow.records.list(Contract, supplier_id=supplier_id)}
        targets = [t for c in contracts for t in uow.records.list(ContractTarget, contract_id=c)]
    results: dict[int, list[AttainmentResult]] = {}
    for contract_id in contracts:
        results.update(verdict_history(ws, contract_id, as_of=as_of))
    outlook = []
    for target in targets:
        periods = tuple(results.get(stored_id(target), []))
        prediction = predict_target(latest.card.overall if latest else None,
                                    [r.met for r in periods if r.met is not None])  # verdicts: all met or missed
        outlook.append(TargetOutlook(contracts[target.contract_id].ref, target.name, stored_id(target), prediction,
                                     periods, latest.assessment.assessed_on if latest else None))
    return outlook


def supplier_names_with_assessments(ws: Workspace) -> list[str]:
    with ws.unit_of_work() as uow:
        ids = {a.supplier_id for a in uow.questionnaires.assessments()}
        return sorted((s.name for s in uow.records.list(Supplier) if s.id in ids), key=str.casefold)
