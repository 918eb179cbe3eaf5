"""Negotiating a target's threshold at renewal: its complete periods' figures, what candidate thresholds would
have cost, and an achievable threshold (the statistics are sltdesk/rules/negotiation.py).

A candidate is priced by the credit engine `sltdesk penalties` uses (PenaltyInputs.compute): the contract's
clauses as they stand, every target's figures as measured, and only this target judged against the candidate.
Its credit in a period is the sum of its own lines there (credits after multipliers and caps, earn-backs
returned then, netted bonuses), so the months add up to what the clauses would have paid for the target.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from sltdesk.domain.attainment import AttainmentResult
from sltdesk.domain.period import Period, months_between, quarter_of
from sltdesk.domain.register import ChargesPeriod, Comparison, Contract, ContractTarget
from sltdesk.domain.stored import stored_id
from sltdesk.errors import NotFoundError, SltDeskError
from sltdesk.rules.completeness import Completeness
from sltdesk.rules.negotiation import (
    MIN_MONTHS,
    Distribution,
    Suggestion,
    distribution,
    missed_months,
    suggest,
    with_threshold,
)
from sltdesk.rules.penalty_steps import ZERO, Money
from sltdesk.services.imports import find_contract
from sltdesk.services.penalties import HistoryFn, PenaltyInputs, contract_clauses, load_inputs
from sltdesk.services.ports import Workspace


class NegotiationError(SltDeskError):
    """A threshold cannot be negotiated from the data as asked."""


@dataclass(frozen=True)
class Candidate:
    """What one threshold would have meant over the target's complete periods."""

    threshold: Decimal
    missed: int  # periods that would have been missed
    total: Decimal  # what the clauses would have paid for the target over them
    per_period: tuple[tuple[str, Decimal], ...]  # (period, credit) in order
    average: Decimal  # total / periods, rounded as the contract rounds money
    label: str = ""  # "current" | "suggested" | ""


@dataclass(frozen=True)
class Negotiation:
    contract: str
    currency: str
    target_id: int
    target: str
    comparison: Comparison
    threshold: Decimal  # the contractual one
    unit: str
    distribution: Distribution
    current: Candidate
    candidates: tuple[Candidate, ...]
    suggestion: Suggestion
    suggested: Candidate
    as_of: date
    notes: tuple[str, ...] = ()


def find_target(ws: Workspace, contract: Contract, name_or_id: str) -> ContractTarget:
    """A target of the contract by its exact name or its id."""
    with ws.unit_of_work() as uow:
        targets = uow.records.list(ContractTarget, contract_id=contract.id)
    found = [t for t in targets if t.name == name_or_id or str(t.id) == name_or_id.strip()]
    if not found:
        known = "; ".join(f"{t.name} (id {t.id})" for t in targets) or "none"
        raise NotFoundError(f"{contract.ref} has no target '{name_or_id}'; its targets are: {known}.")
    return found[0]


def negotiate(ws: Workspace, contract_ref: str, target: str, thresholds: list[Decimal] | None = None, *,
              history: HistoryFn, as_of: date | None = None) -> Negotiation:
    """The target's distribution over its complete periods, each candidate priced, and a suggested threshold.
    Without candidates: the contractual threshold and the suggested one."""
    contract = find_contract(ws, contract_ref)
    chosen = find_target(ws, contract, target)
    day = as_of or ws.now().date()
    results = complete_results(ws, contract, chosen, history=history, day=day)
    if len(results) < MIN_MONTHS:
        raise NegotiationError(f"{chosen.name} has {len(results)} complete periods up to {day.isoformat()}; at "
                               f"least {MIN_MONTHS} are needed to negotiate its threshold from the data.")
    months = [r.period for r in results]
    figures = [r.achieved for r in results if r.achieved is not None]
    dist = distribution(months, figures, comparison=chosen.comparison, unit=chosen.unit)
    suggestion = suggest(figures, comparison=chosen.comparison)
    with ws.unit_of_work() as uow:
        has_clauses = bool(contract_clauses(uow, stored_id(contract)))
    inputs = load_inputs(ws, contract.ref, months[-1], history=history, first=months[0]) if has_clauses else None
    tid = stored_id(chosen)

    tier_missed = [r.tier is not None and r.tier.met is False for r in results]

    def priced(threshold: Decimal, label: str = "") -> Candidate:
        return price(inputs, tid, months, figures, threshold, comparison=chosen.comparison, label=label,
                     tier_missed=tier_missed)

    current, suggested = priced(chosen.threshold, "current"), priced(suggestion.threshold, "suggested")
    asked = [priced(t) for t in dict.fromkeys(thresholds or [])] or [current, suggested]
    notes: tuple[str, ...] = () if has_clauses else (
        f"{contract.ref} has no credit clauses: every candidate pays nothing.",)
    tiered = next((r.tier for r in results if r.tier is not None), None)
    if tiered is not None:
        notes += (f"{chosen.name} also has a core-hours tier ({tiered.comparison.value} {tiered.threshold:f} "
                  f"{tiered.unit}, {tiered.target}), judged as measured: its {sum(tier_missed)} missed months count "
                  "as misses of the service level under every candidate.",)
    return Negotiation(contract.ref, contract.currency, tid, chosen.name, chosen.comparison, chosen.threshold,
                       chosen.unit, dist, current, tuple(asked), suggestion, suggested, day, notes)


def complete_results(ws: Workspace, contract: Contract, target: ContractTarget, *, history: HistoryFn,
                     day: date) -> list[AttainmentResult]:
    """The target's complete periods with a figure, oldest first, from the contract's start up to `day`."""
    last = min(day, contract.end_date)
    labels = months_between(f"{contract.start_date:%Y-%m}", f"{last:%Y-%m}")
    if target.measurement_period is ChargesPeriod.QUARTER:
        labels = sorted({quarter_of(m) for m in labels}, key=Period.parse)
    if not labels:
        return []
    found = history(ws, stored_id(contract), labels).get(stored_id(target), [])
    return [r for r in found if r.completeness == Completeness.COMPLETE and r.achieved is not None
            and r.met is not None]


def price(inputs: PenaltyInputs | None, target_id: int, periods: list[str], figures: list[Decimal],
          threshold: Decimal, *, comparison: Comparison, label: str = "",
          tier_missed: list[bool] | None = None) -> Candidate:
    """One threshold over the periods: misses, and the target's credits priced by the penalties engine. A month
    whose core-hours tier was missed (`tier_missed`) is a miss of the service level whatever the threshold."""
    tier_missed = tier_missed or [False] * len(figures)
    missed = missed_months([f for f, t in zip(figures, tier_missed, strict=True) if not t], threshold,
                           comparison=comparison) + sum(tier_missed)
    if inputs is None:
        return Candidate(threshold, missed, ZERO, tuple((p, ZERO) for p in periods), ZERO, label)
    judged = {tid: tuple(with_threshold(r, threshold) if tid == target_id else r for r in rs)
              for tid, rs in inputs.history.items()}
    runs = {c.period: c for c in replace(inputs, history=judged).compute()}
    money = Money(inputs.contract.currency, inputs.contract.rounding)  # the sums of rounded amounts, as written
    per = tuple((p, money.round(sum((ln.amount for ln in runs[p].lines if ln.target_id == target_id), ZERO)))
                for p in periods)
    total = money.round(sum((a for _, a in per), ZERO))
    return Candidate(threshold, missed, total, per, money.round(total / len(periods)), label)


def negotiate_target(ws: Workspace, target_id: int, thresholds: list[Decimal] | None = None, *,
                     history: HistoryFn) -> Negotiation:
    """`negotiate` for a target known by its id (the Negotiation panel)."""
    with ws.unit_of_work() as uow:
        target = uow.records.get(ContractTarget, target_id)
        contract = uow.records.get(Contract, target.contract_id) if target is not None else None
    if target is None or contract is None:
        raise NotFoundError(f"There is no target with id {target_id}.")
    return negotiate(ws, contract.ref, str(target_id), thresholds, history=history)
