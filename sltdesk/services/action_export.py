"""The improvement backlog as lines for a ticketing tool (`sltdesk actions export`; reports/itsm_export.py writes
them): each action with its supplier, target and a priority."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sltdesk.domain.register import Contract, ContractTarget, Supplier
from sltdesk.domain.reviews import ImprovementAction
from sltdesk.domain.stored import stored_id
from sltdesk.services.ports import Workspace
from sltdesk.services.reviews import resolve_supplier


@dataclass(frozen=True)
class BacklogLine:
    action: ImprovementAction
    supplier: str
    contract: str  # "" when the action names no target
    target: str
    overdue: bool
    priority: int  # 1 highest … 4 lowest (ServiceNow's scale: 1 Critical, 2 High, 3 Moderate, 4 Low)


def backlog_lines(ws: Workspace, *, as_of: date, supplier: str | None = None,
                  open_only: bool = True) -> list[BacklogLine]:
    """The backlog (open and in-progress actions, or every action), most urgent first."""
    with ws.unit_of_work() as uow:
        suppliers = {stored_id(s): s.name for s in uow.records.list(Supplier)}
        only = None if supplier is None else stored_id(resolve_supplier(uow, supplier))
        contracts = {stored_id(c): c.ref for c in uow.records.list(Contract)}
        targets = {stored_id(t): t for t in uow.records.list(ContractTarget)}
        actions = uow.records.list(ImprovementAction)
    out = []
    for a in actions:
        if (only is not None and a.supplier_id != only) or (open_only and not a.status.is_open):
            continue
        target = targets.get(a.target_id) if a.target_id is not None else None
        overdue = a.overdue(as_of)
        out.append(BacklogLine(a, suppliers.get(a.supplier_id, ""), contracts.get(target.contract_id, "")
                               if target else "", target.name if target else "", overdue, priority(a, overdue)))
    return sorted(out, key=lambda line: (line.priority, line.action.due_on or date.max, line.action.id or 0))


def priority(action: ImprovementAction, overdue: bool) -> int:
    """2 (high): overdue, or opened on repeated breaches; 3 (moderate): answers a breach of a target; 4 (low)."""
    if overdue or action.automatic:
        return 2
    return 3 if action.target_id is not None else 4
