"""Improvement actions opened by themselves on repeated breaches (sltdesk/rules/repeated_misses.py).

They are opened where data is written, never by a read or a recompute: every write that changes results' inputs
(an import or its removal, an exception or false-positive decision, a complete-period mark, an edit of a target, its
rule or its contract's clauses) calls `result_cache.after_write` once it has committed, and that calls
`act_on_misses` after the stored results are refreshed. `sltdesk results refresh` and the reads do not. The
verdicts come from the results the write has just stored, so the action is opened in a transaction of its own,
right after the write's (the write's own transaction has not measured anything yet). Within it the writers are
queued, so two writers cannot both open the same run's action.

One action per run of misses: a run is known by its key (target and first missed period, stored on the action),
and a later miss of the same run (a fourth in a row) extends that action's breaches and text instead of opening a
second one. Opening and extending are audited. An action closed or dropped by a person stays closed.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC

from sltdesk.domain.attainment import AttainmentResult
from sltdesk.domain.period import Period, months_between, quarter_of, shift
from sltdesk.domain.register import ChargesPeriod, Contract, ContractTarget
from sltdesk.domain.reviews import ImprovementAction
from sltdesk.domain.serial import to_plain
from sltdesk.domain.stored import stored_id
from sltdesk.rules.repeated_misses import MISSES, WITHIN, MissRun, repeated_misses
from sltdesk.services.audit import append_audit
from sltdesk.services.ports import Workspace

log = logging.getLogger(__name__)
SCAN_MONTHS = 35  # the full months the stored results hold (result_cache.STORED_MONTHS counts the running one too):
# a month further back would be measured from the raw data on every write


@dataclass(frozen=True)
class ActedOn:
    opened: tuple[ImprovementAction, ...] = ()
    extended: tuple[ImprovementAction, ...] = ()


def act_on_misses(ws: Workspace, contract_ids: Iterable[int] | None = None, *, misses: int = MISSES,
                  within: int = WITHIN) -> ActedOn:
    """Open (or extend) the automatic action of every run of misses of these contracts' targets (None: all)."""
    from sltdesk.services.result_cache import can_store, one_read

    if can_store(ws):  # read-only, or a viewer: nothing is written
        return ActedOn()
    last = shift(Period.month(*_year_month(ws)).label, -1)  # the last full month
    months = months_between(shift(last, 1 - SCAN_MONTHS), last)
    with ws.unit_of_work() as uow:
        contracts = uow.records.list(Contract)
        targets = uow.records.list(ContractTarget)
    wanted = None if contract_ids is None else set(contract_ids)
    found: list[tuple[Contract, ContractTarget, MissRun, dict[str, AttainmentResult]]] = []
    # every contract's fingerprint inputs and stored results read at once; those of a few contracts (after a write
    # to them) each contract's own
    with one_read(ws, bulk=wanted is None):
        for contract in contracts:
            if wanted is not None and stored_id(contract) not in wanted:
                continue
            own = [t for t in targets if t.contract_id == contract.id]
            found += _runs(ws, contract, own, months, misses, within)
    if not found:
        return ActedOn()
    return _store(ws, found)


def act_quietly(ws: Workspace, contract_ids: Iterable[int] | None) -> ActedOn | None:
    """`act_on_misses` after a write has committed: a failure is logged, never raised (the next write retries)."""
    try:
        return act_on_misses(ws, contract_ids)
    except Exception:
        log.warning("Could not open the actions on repeated breaches", exc_info=True)
        return None


def _year_month(ws: Workspace) -> tuple[int, int]:
    now = ws.now().astimezone(UTC)
    return now.year, now.month


def _runs(ws: Workspace, contract: Contract, targets: list[ContractTarget], months: list[str], misses: int,
          within: int) -> list[tuple[Contract, ContractTarget, MissRun, dict[str, AttainmentResult]]]:
    from sltdesk.services.attainment import attainment_history

    quarters = sorted({quarter_of(m) for m in months}, key=Period.parse)
    if quarter_of(shift(months[-1], 1)) == quarter_of(months[-1]):  # the last quarter is not over
        quarters = quarters[:-1]
    out = []
    for periods, per in ((months, ChargesPeriod.MONTH), (quarters, ChargesPeriod.QUARTER)):
        mine = [t for t in targets if t.measurement_period is per]
        if not mine or not periods:
            continue
        history = attainment_history(ws, stored_id(contract), periods)
        for target in mine:
            results = history.get(stored_id(target), [])
            if len(results) != len(periods):
                continue
            for run in repeated_misses(stored_id(target), periods, [r.level_met for r in results], misses=misses,
                                       within=within):  # the service level's verdict: a core-hours tier's miss too
                out.append((contract, target, run, {r.period: r for r in results}))
    return out


def _store(ws: Workspace, found: list[tuple[Contract, ContractTarget, MissRun, dict[str, AttainmentResult]]]
           ) -> ActedOn:
    opened, extended = [], []
    with ws.unit_of_work() as uow:
        uow.audit.queue()  # writers wait for this transaction: the same run is never opened twice
        existing = [a for a in uow.records.list(ImprovementAction) if a.auto_key]
        for contract, target, run, results in found:
            ours = [a for a in existing if a.target_id == target.id and (
                a.auto_key.startswith(run.key) or set(a.breaches) & set(run.breaches))]
            same = next((a for a in ours if a.status.is_open), None)
            if same is None:  # none open: a new action, unless a closed one already names every miss of the run
                dealt = {p for a in ours for p in a.breaches}
                fresh = [p for p in run.breaches if p not in dealt]
                if not fresh:
                    continue
                text = action_text(contract, target, run.breaches, results) + (
                    f" Missed again after {', '.join(a.ref for a in ours)} was closed." if ours else "")
                action = uow.records.add(ImprovementAction(
                    contract.supplier_id, text, target_id=target.id, breach_period=run.breaches[0],
                    auto_key=run.key if not ours else f"{run.key}@{fresh[0]}", breaches=run.breaches,
                    opened_on=ws.now().astimezone(UTC).date()))
                append_audit(ws, uow, action="open-on-breaches", entity="improvement_action", entity_id=action.id,
                             before=None, after=to_plain(action))
                existing.append(action)
                opened.append(action)
                continue
            more = tuple(sorted(set(same.breaches) | set(run.breaches), key=Period.parse))
            if more == same.breaches:
                continue
            was = action_text(contract, target, same.breaches, results)
            new = [p for p in more if p not in same.breaches]
            text = action_text(contract, target, more, results) if same.text == was else \
                f"{same.text} Missed again in {', '.join(_figure(p, results) for p in new)}."
            after = uow.records.update(replace(same, breaches=more, text=text))
            append_audit(ws, uow, action="extend-on-breaches", entity="improvement_action", entity_id=after.id,
                         before=to_plain(same), after=to_plain(after))
            existing = [after if a.id == after.id else a for a in existing]
            extended.append(after)
        uow.commit()
    return ActedOn(tuple(opened), tuple(extended))


def action_text(contract: Contract, target: ContractTarget, breaches: tuple[str, ...],
                results: dict[str, AttainmentResult]) -> str:
    """What the automatic action says: the target, and each breach with its figure."""
    span = f"{breaches[0]} – {breaches[-1]}"
    return (f"{contract.ref} {target.name}: missed {len(breaches)} times ({span}): "
            f"{'; '.join(_figure(p, results) for p in breaches)}. Find the cause with the supplier and agree "
            f"the fix (opened automatically on repeated breaches; record the root cause beside it).")


def _figure(period: str, results: dict[str, AttainmentResult]) -> str:
    r = results.get(period)
    if r is None or r.achieved is None:
        return period
    core = r.tier if r.tier is not None and r.tier.met is False and r.tier.achieved is not None else None
    return (f"{period} {r.achieved_text} {r.unit} against {r.comparison.value} {r.threshold} {r.unit}".rstrip()
            + (f" (core hours {core.achieved_text} {core.unit} against {core.comparison.value} {core.threshold} "
               f"{core.unit})" if core is not None else ""))
