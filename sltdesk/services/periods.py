"""Whether each target-period is complete, and marking a period "complete as imported" (audited)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC

from sltdesk.domain.measurement import PeriodMark
from sltdesk.domain.period import Period, months_between
from sltdesk.domain.serial import to_plain
from sltdesk.domain.stored import stored_id
from sltdesk.errors import NotFoundError, ValidationError
from sltdesk.services.attainment import attainment_history
from sltdesk.services.audit import append_audit
from sltdesk.services.imports import find_contract
from sltdesk.services.ports import Workspace
from sltdesk.services.result_cache import after_write
from sltdesk.services.retry import retry_when_busy


@dataclass(frozen=True)
class PeriodState:
    """One target in one period: complete, incomplete or in progress, and what its data covers."""

    contract: str
    target: str
    period: str
    completeness: str  # "complete" | "incomplete" | "in progress" | "" (not measured: no rule, not in term)
    coverage: str
    marked: bool


@retry_when_busy
def mark_complete(ws: Workspace, contract_ref: str, period: str, *, reason: str) -> PeriodMark:
    """Mark a contract's period complete as imported: the vendor confirmed there is no more data. From then on
    the imported data stands for the whole period, and each target's missing-data policy covers the rest."""
    contract = find_contract(ws, contract_ref)
    label = Period.parse(period).label
    if not reason.strip():
        raise ValidationError({"reason": "Say why the period is complete as imported (e.g. the vendor's e-mail "
                                         "confirming there is no more data); the reason is required."})
    with ws.unit_of_work() as uow:
        if any(m.period == label for m in uow.records.list(PeriodMark, contract_id=contract.id)):
            raise ValidationError({"period": f"{contract.ref} {label} is marked complete already."})
        stored = uow.records.add(PeriodMark(stored_id(contract), label, reason.strip(), ws.user,
                                            ws.now().astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")))
        append_audit(ws, uow, action="mark-complete", entity="period_mark", entity_id=f"{contract.ref}:{label}",
                     before=None, after=to_plain(stored))
        uow.commit()
    after_write(ws, [stored_id(contract)])
    return stored


@retry_when_busy
def unmark(ws: Workspace, contract_ref: str, period: str) -> None:
    """Take a "complete as imported" mark back (audited): the period is judged on its coverage again."""
    contract = find_contract(ws, contract_ref)
    label = Period.parse(period).label
    with ws.unit_of_work() as uow:
        found = [m for m in uow.records.list(PeriodMark, contract_id=contract.id) if m.period == label]
        if not found:
            raise NotFoundError(f"{contract.ref} {label} is not marked complete.")
        uow.records.delete(PeriodMark, stored_id(found[0]))
        append_audit(ws, uow, action="unmark-complete", entity="period_mark", entity_id=f"{contract.ref}:{label}",
                     before=to_plain(found[0]), after=None)
        uow.commit()
    after_write(ws, [stored_id(contract)])


def period_states(ws: Workspace, contract_ref: str, first: str, last: str, *,
                  as_of: int | None = None) -> list[PeriodState]:
    """Every measured target of the contract, month by month from `first` to `last`."""
    contract = find_contract(ws, contract_ref)
    with ws.unit_of_work() as uow:
        marks = {m.period for m in uow.records.list(PeriodMark, contract_id=contract.id)}
    months = months_between(first, last)
    history = attainment_history(ws, stored_id(contract), months, as_of=as_of)
    return [PeriodState(contract.ref, r.target, r.period, r.completeness, r.coverage, r.period in marks)
            for results in history.values() for r in results]
