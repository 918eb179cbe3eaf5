"""Use cases of service credits: a contract's clauses (data, audited) and the credits of its periods.

The attainment comes in through `history` (a callable like sltdesk.services.attainment.attainment_history),
so the composition root chooses it and tests pass a fake.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import timedelta
from decimal import Decimal

from sltdesk.domain.attainment import AttainmentResult
from sltdesk.domain.penalties import (
    Clause,
    ClauseRecord,
    PeriodCredits,
    clause_from_record,
    clause_to_record,
    terms_to_plain,
)
from sltdesk.domain.period import Period, PeriodKind, span
from sltdesk.domain.register import ChargesPeriod, Contract, ContractTarget
from sltdesk.domain.serial import to_plain
from sltdesk.domain.stored import stored_id
from sltdesk.errors import NotFoundError, SltDeskError, StaleRecordError, ValidationError
from sltdesk.rules.clause_book import ordered
from sltdesk.rules.clauses import clause_problems, describe, set_problems
from sltdesk.rules.penalties import compute_credits, run_periods
from sltdesk.rules.penalty_steps import with_achieved
from sltdesk.services.audit import append_audit
from sltdesk.services.imports import find_contract
from sltdesk.services.ports import UnitOfWork, Workspace
from sltdesk.services.register import require_record
from sltdesk.services.result_cache import after_write
from sltdesk.services.retry import retry_when_busy

HistoryFn = Callable[[Workspace, int, list[str]], dict[int, list[AttainmentResult]]]


class ClauseError(SltDeskError):
    """A clause set cannot be stored as given."""


@dataclass(frozen=True)
class ClauseView:
    clause: Clause
    target: str  # "" for a contract-wide clause
    kind: str
    text: str


_CREDITS: dict[str, PeriodCredits] = {}  # credit_keys -> the credits of that period (this process only)
_CREDITS_LOCK = threading.Lock()


@dataclass(frozen=True)
class PenaltyInputs:
    """Everything the engine needs for a run of periods; what-ifs recompute from it without the database."""

    contract: Contract
    clauses: tuple[Clause, ...]
    history: dict[int, tuple[AttainmentResult, ...]]
    periods: tuple[str, ...]
    target_names: dict[int, str] = field(default_factory=dict)

    def compute(self) -> list[PeriodCredits]:
        """The credits of every period of the run; kept in memory under `credit_keys`, so a run whose clauses
        and figures are unchanged is priced once per process."""
        keys = self.credit_keys()
        with _CREDITS_LOCK:
            kept = [_CREDITS.get(k) for k in keys]
        if all(c is not None for c in kept):
            return [c for c in kept if c is not None]
        runs = compute_credits(contract=self.contract, clauses=self.clauses, history=self.history,
                               periods=self.periods, target_names=self.target_names)
        with _CREDITS_LOCK:
            if len(_CREDITS) > 20_000:
                _CREDITS.clear()
            _CREDITS.update(zip(keys, runs, strict=True))
        return runs

    def credit_keys(self) -> list[str]:
        """Per period of the run, a fingerprint of what its credits are computed from: the contract, every
        clause (a clause has no date of its own: an edit reprices the whole run), the target names, the code,
        and the figures of that period and the earlier ones."""
        from sltdesk.rules.result_keys import encode, run_keys
        from sltdesk.services.result_cache import code_version

        common = {"code": code_version(), "contract": to_plain(self.contract), "periods": list(self.periods),
                  "clauses": [[c.id, c.version, c.kind.value, c.target_id, c.source, terms_to_plain(c.terms)]
                              for c in self.clauses], "names": sorted(self.target_names.items())}
        by_period: dict[str, list[str]] = {p: [] for p in self.periods}
        for target_id in sorted(self.history):
            for r in self.history[target_id]:
                if r.period in by_period:
                    by_period[r.period].append(encode(r))
        return run_keys(common, [by_period[p] for p in self.periods])

    def result(self, target_id: int, period: str) -> AttainmentResult | None:
        return next((r for r in self.history.get(target_id, ()) if r.period == period), None)

    def what_if(self, changes: dict[int, Decimal], period: str | None = None) -> PeriodCredits:
        """The credits of `period` (default: the last) with other attainment figures for some targets."""
        period = period or self.periods[-1]
        history = {tid: tuple(with_achieved(r, changes[tid]) if tid in changes and r.period == period else r
                              for r in results) for tid, results in self.history.items()}
        runs = compute_credits(contract=self.contract, clauses=self.clauses, history=history,
                               periods=self.periods, target_names=self.target_names)
        return next(c for c in runs if c.period == period)


# --- clauses -----------------------------------------------------------------------------------


def contract_clauses(uow: UnitOfWork, contract_id: int) -> list[Clause]:
    return clauses_in_order(uow.records.list(ClauseRecord, contract_id=contract_id))


def clauses_in_order(records: list[ClauseRecord]) -> list[Clause]:
    """A contract's clause records as its clauses, in their order."""
    return [clause_from_record(r) for r in sorted(records, key=lambda r: (r.position, r.id))]


def clause_views(ws: Workspace, contract_ref: str) -> tuple[Contract, list[ClauseView]]:
    """A contract's clauses in order, each in words."""
    contract = find_contract(ws, contract_ref)
    with ws.unit_of_work() as uow:
        clauses = contract_clauses(uow, stored_id(contract))
        names = {t.id: t.name for t in uow.records.list(ContractTarget, contract_id=contract.id)}
    return contract, [ClauseView(c, names.get(c.target_id, ""), c.kind.value, describe(c.terms, contract.currency))
                      for c in clauses]


@retry_when_busy
def add_clauses(ws: Workspace, contract_ref: str, clauses: Sequence[Clause], *, replace_existing: bool = False,
                action: str = "create") -> list[Clause]:
    """Store clauses for a contract (all or none), checked one by one and as a set; each change audited.

    A clause without an id is added. One with an id (a clause file `clauses export` wrote) changes that stored
    clause in place, from the version it carries: if the clause changed since, StaleRecordError names it and
    nothing is stored. With `replace_existing`, the contract's clauses the given ones do not name are removed."""
    contract = find_contract(ws, contract_ref)
    with ws.unit_of_work() as uow:
        existing = {stored_id(r): r for r in uow.records.list(ClauseRecord, contract_id=contract.id)}
        target_ids = [stored_id(t) for t in uow.records.list(ContractTarget, contract_id=contract.id)]
        given = [replace(c, contract_id=stored_id(contract)) for c in clauses]
        _check_ids(contract, given, existing)
        named = {c.id: c for c in given if c.id is not None}
        kept = [named.get(stored_id(r), clause_from_record(r)) for r in ordered(list(existing.values()))
                if r.id in named or not replace_existing]
        fresh = [c for c in given if c.id is None]
        problems = [p for c in fresh + list(named.values()) for p in clause_problems(c, target_ids=target_ids)]
        problems += set_problems(kept + fresh)
        if problems:
            raise ClauseError(f"{contract.ref}: {problems[0]}" + (f" ({len(problems) - 1} more problems)"
                                                                  if len(problems) > 1 else ""))
        for old in existing.values():
            if replace_existing and old.id not in named:
                _delete(ws, uow, clause_from_record(old))
        stored = {n: _change(ws, uow, contract, c, existing[c.id]) for n, c in enumerate(given) if c.id is not None}
        position = 1 + max((r.position for r in existing.values() if r.id in named or not replace_existing),
                           default=-1)
        for n, clause in enumerate(given):
            if clause.id is None:
                record = uow.records.add(clause_to_record(replace(clause, version=1), position))
                append_audit(ws, uow, action=action, entity="credit_clause", entity_id=record.id, before=None,
                             after=_audit_plain(record, contract.ref))
                stored[n], position = clause_from_record(record), position + 1
        uow.commit()
    after_write(ws, [stored_id(contract)])  # a write: runs of misses open their actions (no figure changes)
    return [stored[n] for n in range(len(given))]


def _check_ids(contract: Contract, given: list[Clause], existing: dict[int, ClauseRecord]) -> None:
    ids = [c.id for c in given if c.id is not None]
    unknown = next((i for i in ids if i not in existing), None)
    if unknown is not None:
        raise ClauseError(f"{contract.ref} has no clause {unknown}: it was removed after the file was written, or "
                          "belongs to another contract; take its \"id\" and \"version\" out of the file to add it "
                          "as a new clause.")
    twice = next((i for i in ids if ids.count(i) > 1), None)
    if twice is not None:
        raise ClauseError(f"The file gives clause {twice} of {contract.ref} twice; keep one.")


def _change(ws: Workspace, uow: UnitOfWork, contract: Contract, clause: Clause, before: ClauseRecord) -> Clause:
    """Store a clause changed from its version at its place (audited); StaleRecordError names the clause."""
    after = clause_to_record(clause, before.position)
    if after == before:
        return clause
    try:
        after = uow.records.update(after)
    except StaleRecordError as error:
        raise StaleRecordError(f"Clause {clause.id} of {contract.ref} ({before.kind})", changed_by=error.changed_by,
                               changed_at=error.changed_at, version=error.version) from None
    append_audit(ws, uow, action="update", entity="credit_clause", entity_id=clause.id,
                 before=_audit_plain(before, contract.ref), after=_audit_plain(after, contract.ref))
    return clause_from_record(after)


@retry_when_busy
def update_clause(ws: Workspace, clause: Clause) -> Clause:
    """Change one clause's terms, target or source (checked, audited)."""
    with ws.unit_of_work() as uow:
        before = uow.records.get(ClauseRecord, clause.id) if clause.id is not None else None
        if before is None:
            raise NotFoundError(f"There is no clause {clause.id}; list them with `sltdesk clauses list`.")
        contract = require_record(uow, Contract, before.contract_id)
        target_ids = [stored_id(t) for t in uow.records.list(ContractTarget, contract_id=contract.id)]
        clause = replace(clause, contract_id=stored_id(contract))
        others = [c for c in contract_clauses(uow, stored_id(contract)) if c.id != clause.id]
        problems = clause_problems(clause, target_ids=target_ids) + set_problems(others + [clause])
        if problems:
            raise ValidationError({"terms": problems[0]})
        stored = _change(ws, uow, contract, clause, before)
        uow.commit()
    after_write(ws, [stored_id(contract)])
    return stored


@retry_when_busy
def remove_clause(ws: Workspace, clause_id: int) -> Clause:
    """Delete one clause (audited); returns it so it can be put back."""
    with ws.unit_of_work() as uow:
        record = uow.records.get(ClauseRecord, clause_id)
        if record is None:
            raise NotFoundError(f"There is no clause {clause_id}; list them with `sltdesk clauses list`.")
        clause = clause_from_record(record)
        _delete(ws, uow, clause)
        uow.commit()
    return clause


def _delete(ws: Workspace, uow: UnitOfWork, clause: Clause) -> None:
    record = require_record(uow, ClauseRecord, clause.id)
    contract = require_record(uow, Contract, record.contract_id)
    uow.records.delete(ClauseRecord, stored_id(record))
    append_audit(ws, uow, action="delete", entity="credit_clause", entity_id=clause.id,
                 before=_audit_plain(record, contract.ref), after=None)


def _audit_plain(record: ClauseRecord, contract_ref: str) -> dict:
    return {**to_plain(record), "contract": contract_ref}


def resolve_targets(ws: Workspace, contract: Contract, names: dict[str, str]) -> dict[str, int]:
    """Target names (as written in a file or on the command line) → ids of this contract's targets."""
    with ws.unit_of_work() as uow:
        targets = uow.records.list(ContractTarget, contract_id=contract.id)
    by_name = {t.name.casefold(): stored_id(t) for t in targets}
    out = {}
    for key, name in names.items():
        if name.casefold() not in by_name:
            known = ", ".join(t.name for t in targets) or "none"
            raise ClauseError(f"{contract.ref} has no target '{name}'; its targets are: {known}.")
        out[key] = by_name[name.casefold()]
    return out


# --- credits -----------------------------------------------------------------------------------


def load_inputs(ws: Workspace, contract_ref: str, period: str, *, history: HistoryFn,
                first: str | None = None) -> PenaltyInputs:
    """The contract, its clauses and the attainment of every period the run through `period` needs."""
    contract = find_contract(ws, contract_ref)
    with ws.unit_of_work() as uow:
        clauses = contract_clauses(uow, stored_id(contract))
        names = {stored_id(t): t.name for t in uow.records.list(ContractTarget, contract_id=contract.id)}
    return inputs_of(ws, contract, clauses, names, period, history=history, first=first)


def inputs_of(ws: Workspace, contract: Contract, clauses: list[Clause], names: dict[int, str], period: str, *,
              history: HistoryFn, first: str | None = None) -> PenaltyInputs:
    """`load_inputs` of a contract whose clauses (in order, `contract_clauses`) and target names (target id ->
    name, in the order of the ids) were read already."""
    label = _label(period)
    periods = run_periods(label, clauses, contract_start=contract.start_date, first=first and _label(first))
    found = history(ws, stored_id(contract), list(periods))
    return PenaltyInputs(contract, tuple(clauses), {tid: tuple(rs) for tid, rs in found.items()}, tuple(periods),
                         names)


def penalties(ws: Workspace, contract_ref: str, period: str, *, history: HistoryFn) -> PeriodCredits:
    """What the contract's clauses give for one period, each amount with its trace.

    A quarter or a year of a contract whose targets are measured per month is the sum of its months:
    the clauses price each month on its own (a pooled quarter would hide monthly misses).
    """
    label = _label(period)
    asked = Period.parse(label)
    if asked.kind is not PeriodKind.MONTH and _measured_monthly(ws, contract_ref):
        last = asked.end - timedelta(days=1)
        return combined(label, credits_between(ws, contract_ref, f"{asked.start:%Y-%m}", f"{last:%Y-%m}",
                                               history=history))
    inputs = load_inputs(ws, contract_ref, period, history=history)
    if not inputs.clauses:
        raise ClauseError(f"{inputs.contract.ref} has no credit clauses yet; add them on the Penalties page or "
                          "with `sltdesk clauses apply-template` / `sltdesk clauses load`.")
    return inputs.compute()[-1]


def _measured_monthly(ws: Workspace, contract_ref: str) -> bool:
    contract = find_contract(ws, contract_ref)
    with ws.unit_of_work() as uow:
        targets = uow.records.list(ContractTarget, contract_id=contract.id)
    return bool(targets) and all(t.measurement_period is ChargesPeriod.MONTH for t in targets)


def combined(label: str, runs: list[PeriodCredits]) -> PeriodCredits:
    """Several months' credits as one period: every line keeps the month it arose in."""
    first, last = runs[0], runs[-1]
    deadlines = [r.claim_deadline for r in runs if r.claim_deadline]
    return PeriodCredits(
        contract=first.contract, period=label, currency=first.currency, rounding=first.rounding,
        charges=sum((r.charges for r in runs), Decimal(0)), lines=tuple(x for r in runs for x in r.lines),
        caps=tuple(x for r in runs for x in r.caps), incentives=tuple(x for r in runs for x in r.incentives),
        total=sum((r.total for r in runs), Decimal(0)),
        business_impact=tuple(x for r in runs for x in r.business_impact), termination=last.termination,
        claim_deadline=min(deadlines) if deadlines else None,
        deadline_trace="; ".join(f"{r.period}: {r.deadline_trace}" for r in runs if r.deadline_trace),
        charges_trace=tuple(x for r in runs for x in r.charges_trace),
        notes=(f"{label} is the sum of its months ({', '.join(r.period for r in runs)}): the contract measures "
               "and credits month by month.",) + tuple(n for r in runs for n in r.notes),
        incomplete=tuple(dict.fromkeys(x for r in runs for x in r.incomplete)))


def credits_between(ws: Workspace, contract_ref: str, first: str, last: str, *,
                    history: HistoryFn) -> list[PeriodCredits]:
    """The credits of every period from `first` to `last`."""
    inputs = load_inputs(ws, contract_ref, last, history=history, first=first)
    wanted = set(span(_label(first), _label(last)))
    return [c for c in inputs.compute() if c.period in wanted]


def _label(period: str) -> str:
    try:
        return Period.parse(period).label
    except ValueError as error:
        raise ClauseError(str(error)[0].upper() + str(error)[1:] + ".") from None
