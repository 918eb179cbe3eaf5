"""Use cases of reconciliation: computed credits against imported credit notes, claim statuses (audited),
and the board across contracts and periods."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date

from sltdesk.domain.penalties import ClauseRecord, PeriodCredits
from sltdesk.domain.period import Period, shift, span
from sltdesk.domain.raw_records import RawCreditNoteLine
from sltdesk.domain.reconciliation import (
    STATUS_DATE_FIELDS,
    ClaimStatus,
    CreditClaim,
    CurrencyTotals,
    NoteLine,
    ReconciledPeriod,
)
from sltdesk.domain.register import Contract, ContractTarget, Supplier
from sltdesk.domain.serial import to_plain
from sltdesk.domain.stored import stored_id
from sltdesk.rules.reconciliation import reconcile_period, totals, with_balances
from sltdesk.services.audit import append_audit
from sltdesk.services.imports import find_contract
from sltdesk.services.penalties import ClauseError, HistoryFn, clauses_in_order, inputs_of, load_inputs
from sltdesk.services.ports import UnitOfWork, Workspace
from sltdesk.services.result_cache import counts, one_read, reset_counts
from sltdesk.services.retry import retry_when_busy

Progress = Callable[[int, str], None]


@dataclass(frozen=True)
class Board:
    first: str
    last: str
    rows: tuple[ReconciledPeriod, ...]
    totals: tuple[CurrencyTotals, ...]
    figures: str = ""  # how many figures came from the stored results and how many were measured now


def note_lines(uow: UnitOfWork, contract_id: int) -> list[NoteLine]:
    return [NoteLine(str(r.document_id or ""), str(r.period or ""), str(r.line or ""), str(r.description or ""),
                     r.amount, str(r.currency or ""), int(r.source_row), int(batch))
            for _id, batch, r in uow.raw.records(RawCreditNoteLine, contract_id=contract_id)]


def _claims(uow: UnitOfWork, contract_id: int) -> dict[str, CreditClaim]:
    return {c.period: c for c in uow.records.list(CreditClaim, contract_id=contract_id)}


def _reconciled(ws: Workspace, contract: Contract, runs: list[PeriodCredits], today: date) -> list[ReconciledPeriod]:
    with ws.unit_of_work() as uow:
        notes = note_lines(uow, stored_id(contract))
        claims = _claims(uow, stored_id(contract))
        supplier = uow.records.get(Supplier, contract.supplier_id)
    return _reconciled_with(contract, runs, today, notes, claims, supplier.name if supplier else "")


def _reconciled_with(contract: Contract, runs: list[PeriodCredits], today: date, notes: list[NoteLine],
                     claims: dict[str, CreditClaim], supplier: str) -> list[ReconciledPeriod]:
    return with_balances([reconcile_period(c, contract_id=stored_id(contract), supplier=supplier,
                                           notes=[n for n in notes if n.period == c.period],
                                           claim=claims.get(c.period), today=today) for c in runs])


def reconcile(ws: Workspace, contract_ref: str, period: str, *, history: HistoryFn,
              today: date) -> tuple[ReconciledPeriod, list[ReconciledPeriod]]:
    """One contract and period, and the running balance over the twelve periods up to it."""
    inputs = load_inputs(ws, contract_ref, period, history=history, first=shift(Period.parse(period).label, -11))
    if not inputs.clauses:
        raise ClauseError(f"{inputs.contract.ref} has no credit clauses yet, so there is nothing to reconcile; "
                          "add them with `sltdesk clauses apply-template` or `sltdesk clauses load`.")
    rows = _reconciled(ws, inputs.contract, inputs.compute(), today)
    return rows[-1], rows


def board(ws: Workspace, *, history: HistoryFn, today: date, first: str | None = None, last: str | None = None,
          progress: Progress | None = None) -> Board:
    """Every contract with clauses, every period from `first` to `last` (default: the six months before today)."""
    last = last or shift(Period.month(today.year, today.month).label, -1)
    first = first or shift(last, -5)
    # every contract's clauses, target names, claims and credit notes read at once, in one unit of work
    with ws.unit_of_work() as uow:
        contracts = uow.records.list(Contract)
        clauses: dict[int, list[ClauseRecord]] = {}
        for record in uow.records.list(ClauseRecord):
            clauses.setdefault(record.contract_id, []).append(record)
        chosen = [c for c in contracts if c.id in clauses]
        names: dict[int, dict[int, str]] = {}
        for target in uow.records.list(ContractTarget):
            names.setdefault(target.contract_id, {})[stored_id(target)] = target.name
        suppliers = {stored_id(s): s.name for s in uow.records.list(Supplier)}
        claims: dict[int, dict[str, CreditClaim]] = {}
        for claim in uow.records.list(CreditClaim):
            claims.setdefault(claim.contract_id, {})[claim.period] = claim
        notes = {stored_id(c): note_lines(uow, stored_id(c)) for c in chosen}
    reset_counts()
    wanted = set(span(first, last))
    rows: list[ReconciledPeriod] = []
    share = 100 / max(len(chosen), 1)
    with one_read(ws):  # every contract's fingerprint inputs loaded once
        for index, contract in enumerate(chosen):
            cid = stored_id(contract)
            step = _stepper(progress, index * share, share, contract.ref, len(chosen), index)
            step(0, "loading the measurements of")
            inputs = inputs_of(ws, contract, clauses_in_order(clauses[cid]), names.get(cid, {}), last,
                               history=history, first=first)
            step(1, "computing the credits of")
            credits = inputs.compute()
            step(2, "reconciling the credit notes of")
            rows += [r for r in _reconciled_with(contract, credits, today, notes[cid], claims.get(cid, {}),
                                                 suppliers.get(contract.supplier_id, "")) if r.period in wanted]
    if progress:
        progress(100, "Done.")
    return Board(first, last, tuple(rows), tuple(totals(rows)), counts().text())


def _stepper(progress: Progress | None, start: float, share: float, ref: str, count: int, index: int):
    """Reports one of three steps of a contract (each a report, where a cancel takes effect)."""
    def step(number: int, what: str) -> None:
        if progress:
            progress(int(start + share * number / 3), f"Contract {index + 1} of {count}: {what} {ref}…")
    return step


@retry_when_busy
def set_status(ws: Workspace, contract_ref: str, period: str, status: ClaimStatus, *, on: date, note: str = "",
               credits: PeriodCredits | None = None) -> CreditClaim:
    """Record a claim's new status and its date (audited). Claiming keeps the computed amount and trace."""
    contract = find_contract(ws, contract_ref)
    label = Period.parse(period).label
    with ws.unit_of_work() as uow:
        before = _claims(uow, stored_id(contract)).get(label)
        claim = before or CreditClaim(contract_id=stored_id(contract), period=label)
        changes: dict = {"status": status, "note": note or claim.note}
        if status in STATUS_DATE_FIELDS:
            changes[STATUS_DATE_FIELDS[status]] = on
        if status is ClaimStatus.CLAIMED and credits is not None:
            changes.update(claimed_amount=credits.total, currency=credits.currency,
                           rounding=credits.rounding.value, computed=snapshot(credits))
        after = replace(claim, **changes)
        if after == before:
            return after
        if before is None:
            after = uow.records.add(after)
        else:
            after = uow.records.update(after)
        append_audit(ws, uow, action="claim-status", entity="credit_claim", entity_id=f"{contract.ref}:{label}",
                     before=_plain(before), after=_plain(after))
        uow.commit()
    return after


def _plain(claim: CreditClaim | None) -> dict | None:
    if claim is None:
        return None
    plain = to_plain(claim)
    plain["computed"] = {k: v for k, v in claim.computed.items() if k != "lines"}  # the trace stays in the row
    return plain


def snapshot(credits: PeriodCredits) -> dict:
    """What was claimed, as plain data: the total with its currency and rounding, and every line's trace."""
    return {"total": str(credits.total), "currency": credits.currency, "rounding": credits.rounding.value,
            "period": credits.period, "claim_deadline": credits.claim_deadline.isoformat()
            if credits.claim_deadline else None,
            "lines": [{"target": ln.target, "kind": ln.kind.value, "band": ln.band, "amount": str(ln.amount),
                       "trace": [s.text for s in ln.trace]} for ln in credits.lines]}
