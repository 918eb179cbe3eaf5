"""Caps on credits: per target, the at-risk amount, per period and per year. A cap that bites cuts the lines
it covers in proportion (see split_cap), so that they still add up exactly to the capped amount."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal
from typing import TYPE_CHECKING

from sltdesk.domain.penalties import Cap, CapScope, CapUse, Clause, ClauseKind, CreditLine, LineKind, Step, with_terms
from sltdesk.domain.period import Period
from sltdesk.domain.register import Contract
from sltdesk.rules.penalty_steps import HUNDRED, ZERO, Money, annual_charges, pct, split_cap

if TYPE_CHECKING:  # penalties imports this module
    from sltdesk.rules.penalties import RunState


def apply_caps(lines: list[CreditLine], clauses: list[Clause], *, contract: Contract, charges: Decimal,
               pool_amount: Decimal | None, state: RunState, label: str,
               money: Money) -> tuple[list[CreditLine], list[CapUse]]:
    """Apply every cap in order; returns the capped lines and what each cap did."""
    used: list[CapUse] = []
    for clause, terms in with_terms(clauses, Cap):
        if clause.target_id is None:
            continue
        name = next((ln.target for ln in lines if ln.target_id == clause.target_id), str(clause.target_id))
        limit, steps = _limit(terms, contract, charges, money, state, label, target_id=clause.target_id)
        lines = _cap(lines, used, f"cap on {name}", limit, steps, money, _on_target(clause.target_id))
    if pool_amount is not None:
        lines = _cap(lines, used, "at-risk amount", pool_amount, (), money,
                     lambda ln: ln.clause == ClauseKind.ALLOCATION.value)
    for clause, terms in with_terms(clauses, Cap):
        if clause.target_id is not None:
            continue
        limit, steps = _limit(terms, contract, charges, money, state, label, target_id=None)
        name = "period cap" if terms.scope is CapScope.PERIOD else "annual cap"
        lines = _cap(lines, used, name, limit, steps, money, lambda ln: True)
    return lines, used


def _on_target(target_id: int) -> Callable[[CreditLine], bool]:
    return lambda ln: ln.target_id == target_id


def _limit(terms: Cap, contract: Contract, charges: Decimal, money: Money, state: RunState, label: str,
           *, target_id: int | None) -> tuple[Decimal, tuple[Step, ...]]:
    """What is still available under the cap in this period, with the steps that found it."""
    if terms.scope is CapScope.PERIOD:
        if terms.percent is None:
            return money.round(terms.amount or ZERO), (Step(f"cap {money.text(terms.amount or ZERO)} a period"),)
        value, step = money.step(f"cap: charges {money.text(charges)} × {pct(terms.percent)}",
                                 charges * terms.percent / HUNDRED)
        return value, (step,)
    steps: list[Step] = []
    if terms.percent is None:
        limit = money.round(terms.amount or ZERO)
        steps.append(Step(f"annual cap {money.text(limit)}", limit))
    else:
        yearly, step = annual_charges(contract, money)
        limit, cap_step = money.step(f"annual cap: {money.text(yearly)} × {pct(terms.percent)}",
                                     yearly * terms.percent / HUNDRED)
        steps += [step, cap_step]
    year = Period.parse(label).start.year
    earlier = _earlier_in_year(state, year, target_id)
    so_far = sum((amount for _, amount in earlier), ZERO)
    listed = ", ".join(f"{p} {money.text(a)}" for p, a in earlier if a) or "none"
    remaining = max(limit - so_far, ZERO)
    steps.append(Step(f"credits earlier in {year}: {money.text(so_far)} ({listed}); left under the cap "
                      f"{money.text(limit)} − {money.text(so_far)} = {money.text(remaining)}", remaining))
    return remaining, tuple(steps)


def _earlier_in_year(state: RunState, year: int, target_id: int | None) -> list[tuple[str, Decimal]]:
    if target_id is None:
        return list(state.year_to_date.get(year, []))
    return [(p, a) for p, a in state.credited.get(target_id, {}).items() if Period.parse(p).start.year == year]


def _cap(lines: list[CreditLine], used: list[CapUse], name: str, limit: Decimal, steps: tuple[Step, ...],
         money: Money, covers: Callable[[CreditLine], bool]) -> list[CreditLine]:
    chosen = [i for i, ln in enumerate(lines) if ln.kind is LineKind.CREDIT and covers(ln)]
    before = sum((lines[i].amount for i in chosen), ZERO)
    after_amounts = split_cap([lines[i].amount for i in chosen], limit, money.unit)
    after = sum(after_amounts, ZERO)
    if after < before:
        verdict = (f"{name} {money.text(limit)} reached: credits {money.text(before)} cut to {money.text(after)} in "
                   "proportion")
    else:
        verdict = f"{name} {money.text(limit)} not reached (credits {money.text(before)})"
    used.append(CapUse(name, limit, before, after, steps + (Step(verdict, after),)))
    out = list(lines)
    for i, amount in zip(chosen, after_amounts, strict=True):
        line = lines[i]
        if line.amount <= 0:
            continue
        text = verdict if amount == line.amount else f"{verdict}; this line {money.text(amount)}"
        out[i] = replace(line, amount=amount, trace=line.trace + (Step(text, amount),))
    return out
