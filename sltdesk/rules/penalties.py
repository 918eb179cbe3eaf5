"""The service-credit engine: attainment results + clauses → per-target lines and totals, each amount with
its trace. Pure and Decimal only; every money step is rounded with the contract's currency and mode.

Order within a period: each target's credit (band / allocation / fixed / per unit) → multiplier for
consecutive misses → a cap on that target → the at-risk amount → the period cap → the annual cap;
then earn-backs of earlier credits and bonuses: a netted bonus offsets the period's credits (never below
zero), one that is not netted is paid to the supplier separately. Lines always add up to the total.
A "miss" below is a credit-bearing failure: the target not met (or, with a minimum level, below it).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal

from sltdesk.domain.attainment import AttainmentResult
from sltdesk.domain.penalties import (
    Allocation,
    AtRiskPool,
    Cap,
    CapScope,
    ClaimWindow,
    Clause,
    CreditLine,
    EarnBack,
    LineKind,
    Multiplier,
    PeriodCredits,
    Step,
    TerminationTrigger,
)
from sltdesk.domain.period import Period, PeriodKind, shift, span
from sltdesk.domain.register import Contract
from sltdesk.rules import penalty_caps as caps
from sltdesk.rules import penalty_lines as credit
from sltdesk.rules.completeness import Completeness
from sltdesk.rules.penalty_steps import ZERO, Money, last_day, pct, period_charges, period_of


@dataclass
class RunState:
    """What earlier periods of a run left for later ones."""

    met: dict[int, dict[str, bool | None]] = field(default_factory=dict)
    missed: dict[int, dict[str, bool]] = field(default_factory=dict)
    credited: dict[int, dict[str, Decimal]] = field(default_factory=dict)
    year_to_date: dict[int, list[tuple[str, Decimal]]] = field(default_factory=dict)


def compute_credits(*, contract: Contract, clauses: Sequence[Clause],
                    history: Mapping[int, Sequence[AttainmentResult]], periods: Sequence[str],
                    target_names: Mapping[int, str] | None = None) -> list[PeriodCredits]:
    """Credits for each period in order (oldest first); later periods see earlier ones' misses and credits."""
    results = {tid: {r.period: r for r in rs} for tid, rs in history.items()}
    names = dict(target_names or {})
    for rs in history.values():
        for r in rs:
            names.setdefault(r.target_id, r.target)
    state = RunState()
    return [_period(contract, list(clauses), results, names, state, label) for label in periods]


def compute_period(*, contract: Contract, clauses: Sequence[Clause],
                   history: Mapping[int, Sequence[AttainmentResult]], period: str,
                   target_names: Mapping[int, str] | None = None) -> PeriodCredits:
    """One period, computed after the periods it depends on (see `run_periods`)."""
    periods = run_periods(period, clauses, contract_start=contract.start_date)
    return compute_credits(contract=contract, clauses=clauses, history=history, periods=periods,
                           target_names=target_names)[-1]


def run_periods(period: str, clauses: Sequence[Clause], *, contract_start: date | None = None,
                first: str | None = None) -> list[str]:
    """The periods to compute, oldest first, so that `period` (and everything from `first`) sees the
    misses, credits and year-to-date totals its multipliers, earn-backs, triggers and caps depend on."""
    steps = max((k for c in clauses if isinstance(c.terms, Multiplier) for k, _ in c.terms.steps), default=1) - 1
    earn = max((c.terms.periods for c in clauses if isinstance(c.terms, EarnBack)), default=0)
    window = max((c.terms.window for c in clauses if isinstance(c.terms, TerminationTrigger)), default=1) - 1
    start = shift(first or period, -max(steps + earn, window, 0))
    kind = Period.parse(period).kind
    if any(isinstance(c.terms, Cap) and c.terms.scope is CapScope.YEAR for c in clauses):
        start = period_of(date(Period.parse(start).start.year, 1, 1), kind)
    if contract_start is not None and Period.parse(start) < Period.parse(period_of(contract_start, kind)):
        start = period_of(contract_start, kind)
    if Period.parse(start) > Period.parse(period):
        start = period
    return span(start, period)


def _period(contract: Contract, clauses: list[Clause], results: dict, names: dict, state: RunState,
            label: str) -> PeriodCredits:
    money = Money(contract.currency, contract.rounding)
    charges, charges_trace = period_charges(contract, label, money)
    notes: list[str] = []
    for tid, by_period in results.items():
        _remember(state, clauses, tid, by_period.get(label), label)
    pool = next((c.terms for c in clauses if isinstance(c.terms, AtRiskPool)), None)
    pool_amount: Decimal | None = None
    pool_steps: tuple[Step, ...] = ()
    if pool is not None:
        pool_amount, step = money.step(f"charges {money.text(charges)} × at-risk {pct(pool.percent)}",
                                       charges * pool.percent / 100)
        pool_steps = (step,)
        notes.extend(credit.pool_problems(pool, clauses))
    lines: list[CreditLine] = []
    waiting: list[str] = []
    for tid in _targets(clauses, credit.CREDIT_TERMS):
        result = results.get(tid, {}).get(label)
        if result is not None and result.completeness in (Completeness.INCOMPLETE, Completeness.IN_PROGRESS):
            waiting.append(result.target)
            notes.append(f"{result.target}: {result.completeness} — {result.coverage}; no credit computed.")
            continue
        if result is None or result.achieved is None:
            notes.append(f"{names.get(tid, f'target {tid}')}: no attainment figure for {label}; no credit computed.")
            continue
        for clause in (c for c in clauses if c.target_id == tid and isinstance(c.terms, credit.CREDIT_TERMS)):
            for line in _tier_lines(clause, clauses, result, charges=charges, pool_amount=pool_amount,
                                    pool_steps=pool_steps, money=money):
                lines.append(credit.multiplied(line, clauses, state, label, money))
    lines, used = caps.apply_caps(lines, clauses, contract=contract, charges=charges, pool_amount=pool_amount,
                                  state=state, label=label, money=money)
    lines = credit.pending_earn_backs(lines, clauses, label)
    _record_credits(state, lines, label)
    lines += credit.earn_backs(clauses, state, label, names, money)
    incentives = credit.bonuses(clauses, results, label, charges=charges, money=money)
    lines += credit.netted(incentives, lines, money)
    lines = [replace(ln, amount=money.round(ln.amount)) for ln in lines]  # 0 → 0.00: every amount in money
    incentives = [replace(b, amount=money.round(b.amount)) for b in incentives]
    used = [replace(u, before=money.round(u.before), after=money.round(u.after)) for u in used]
    total = money.round(sum((ln.amount for ln in lines), ZERO))
    deadline, deadline_text = claim_deadline(clauses, label)
    return PeriodCredits(
        contract=contract.ref, period=label, currency=contract.currency, rounding=contract.rounding, charges=charges,
        lines=tuple(lines), caps=tuple(used), incentives=tuple(incentives), total=total,
        business_impact=credit.impacts(clauses, results, label, lines, money),
        termination=tuple(credit.terminations(clauses, state, label, names, results)),
        claim_deadline=deadline, deadline_trace=deadline_text, charges_trace=charges_trace, notes=tuple(notes),
        incomplete=tuple(waiting))


def _targets(clauses: list[Clause], types: tuple) -> list[int]:
    seen: list[int] = []
    for c in clauses:
        if c.target_id is not None and isinstance(c.terms, types) and c.target_id not in seen:
            seen.append(c.target_id)
    return seen


def _tier_lines(clause: Clause, clauses: list[Clause], result: AttainmentResult, *, charges: Decimal,
                pool_amount: Decimal | None, pool_steps: tuple[Step, ...], money: Money) -> list[CreditLine]:
    """One clause's credit for a service level: its line, and with a core-hours tier, the tier's line too
    ("each": both tiers' misses priced separately) or only the larger of the two ("worse") — as the clause's
    `tier_pricing` says, or where it says nothing, the measurement rule's (carried on the result)."""
    def line_of(one: AttainmentResult) -> CreditLine:
        return credit.credit_line(clause, one, charges=charges, pool_amount=pool_amount, pool_steps=pool_steps,
                                  money=money, missed=_missed(clauses, one))

    line, tier = line_of(result), result.tier
    if tier is None or tier.achieved is None or tier.met is None:
        return [line]
    core = line_of(tier)
    own = getattr(clause.terms, "tier_pricing", None)  # the clause's; where it says nothing, the rule's
    if (own or result.tier_pricing) != "worse":
        return [line, core]
    whose = "the clause prices" if own else "the clause says nothing: the measurement rule's tier pricing prices"
    worse, other = (core, line) if core.amount > line.amount else (line, core)
    step = Step(f"{whose} the worse of the two tiers: {line.target} {money.text(line.amount)}, "
                f"{core.target} {money.text(core.amount)} → {worse.target}", worse.amount)
    verdicts = tuple(s for s in other.trace if s.value is None)  # the other tier's figure and verdict, in words
    return [replace(worse, trace=(*verdicts, *worse.trace, step))]


def _missed(clauses: list[Clause], result: AttainmentResult) -> bool:
    """A credit-bearing failure: not met, or — with a minimum level — below the minimum."""
    if result.achieved is None or result.met is None:
        return False
    minimum = next((c.terms.minimum for c in clauses if c.target_id == result.target_id
                    and isinstance(c.terms, Allocation) and c.terms.minimum is not None), None)
    if minimum is None:
        return result.met is False
    return credit.below_minimum(result, minimum)


def _remember(state: RunState, clauses: list[Clause], tid: int, result: AttainmentResult | None, label: str) -> None:
    state.met.setdefault(tid, {})[label] = None if result is None or result.achieved is None else result.level_met
    state.missed.setdefault(tid, {})[label] = result is not None and (
        _missed(clauses, result) or (result.tier is not None and _missed(clauses, result.tier)))


def _record_credits(state: RunState, lines: list[CreditLine], label: str) -> None:
    year = Period.parse(label).start.year
    period_total = ZERO
    for line in lines:
        if line.kind is LineKind.CREDIT and line.target_id is not None:
            by_period = state.credited.setdefault(line.target_id, {})
            by_period[label] = by_period.get(label, ZERO) + line.amount
            period_total += line.amount
    state.year_to_date.setdefault(year, []).append((label, period_total))


def claim_deadline(clauses: Sequence[Clause], label: str) -> tuple[date | None, str]:
    """The last day to claim the period's credits, and how it was worked out."""
    window = next((c.terms for c in clauses if isinstance(c.terms, ClaimWindow)), None)
    if window is None:
        return None, "the contract sets no claim window"
    end = last_day(label)
    if window.months:
        month_end = last_day(shift(period_of(end, PeriodKind.MONTH), window.months))
        deadline = month_end + timedelta(days=window.days)
        return deadline, (f"period end {end.isoformat()}; end of the {_ordinal(window.months)} month after = "
                          f"{month_end.isoformat()}" + (f" + {window.days} days = {deadline.isoformat()}"
                                                        if window.days else ""))
    deadline = end + timedelta(days=window.days)
    return deadline, f"period end {end.isoformat()} + {window.days} days = {deadline.isoformat()}"


def _ordinal(n: int) -> str:
    return {1: "first", 2: "second", 3: "third"}.get(n, f"{n}th")


