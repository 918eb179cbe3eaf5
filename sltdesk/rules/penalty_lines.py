"""The credit engine's lines: one target's credit under one clause, multipliers, earn-backs, bonuses,
business impact and termination triggers — each with its trace in words and numbers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal
from typing import TYPE_CHECKING, TypeVar

from sltdesk.domain.attainment import AttainmentResult
from sltdesk.domain.figures import shown_with_unit
from sltdesk.domain.penalties import (
    Allocation,
    AtRiskPool,
    Band,
    Bonus,
    BusinessImpact,
    Clause,
    CreditLine,
    EarnBack,
    EarnBackMode,
    FixedCredit,
    ImpactLine,
    LineKind,
    Multiplier,
    PerUnitCredit,
    Step,
    TerminationFlag,
    TerminationTrigger,
    Terms,
    TieredCredit,
    with_terms,
)
from sltdesk.domain.period import shift
from sltdesk.rules.penalty_steps import (
    HUNDRED,
    ZERO,
    Money,
    better_than,
    higher_is_better,
    number,
    pct,
    sign,
    units,
    worse_than,
)
from sltdesk.rules.seasons import seasonal_terms

if TYPE_CHECKING:  # penalties imports this module
    from sltdesk.rules.penalties import RunState

T = TypeVar("T")
CREDIT_TERMS = (TieredCredit, FixedCredit, PerUnitCredit, Allocation)


def edges_of(terms: Terms) -> tuple[Decimal, ...]:
    """The bounds a clause compares a figure with (band edges, a minimum level)."""
    bounds = tuple(b.bound for b in getattr(terms, "bands", ()))
    minimum = getattr(terms, "minimum", None)
    return bounds + ((minimum,) if minimum is not None else ())


def figure(result: AttainmentResult, edges: tuple[Decimal, ...] = ()) -> str:
    """The figure as written in a trace: with the decimals that keep it on its side of every edge."""
    return shown_with_unit(result.achieved, result.unit, (result.threshold, *edges), pad=False)


def _figure_step(result: AttainmentResult, edges: tuple[Decimal, ...] = ()) -> tuple[Step, ...]:
    verdict = {True: "met", False: "missed", None: "not assessed"}[result.met]
    mark = {">=": "≥", "<=": "≤"}.get(result.comparison.value, result.comparison.value)
    rounding: tuple[Step, ...] = ()
    if result.unrounded is not None:  # the contract itself rounds before it compares
        rounding = (Step(f"{result.target} {result.period}: measured "
                         f"{shown_with_unit(result.unrounded, result.unit, (result.threshold, *edges), pad=False)}, "
                         f"{result.rounding_rule} → {figure(result, edges)}"),)
    season = f" ({result.threshold_note})" if result.threshold_note else ""
    return (*rounding, Step(f"{result.target} {result.period}: achieved {figure(result, edges)} against target "
                            f"{mark} {number(result.threshold)} {result.unit}{season} → {verdict}"))


def credit_line(clause: Clause, result: AttainmentResult, *, charges: Decimal, pool_amount: Decimal | None,
                pool_steps: tuple[Step, ...], money: Money, missed: bool) -> CreditLine:
    """The credit one clause gives for one target's figure, before multipliers and caps."""
    terms = clause.terms
    season: tuple[Step, ...] = ()
    if isinstance(terms, TieredCredit) and terms.seasonal_bands:
        terms, season = seasonal_terms(terms, result.period)
    edges = edges_of(terms)
    if isinstance(terms, TieredCredit):
        amount, band, steps = _tiered(terms, result, charges, money)
        steps = (*season, *steps)
    elif isinstance(terms, Allocation):
        amount, band, steps = _allocated(terms, result, pool_amount, pool_steps, money, missed)
    elif isinstance(terms, FixedCredit):
        band = f"{money.text(terms.amount)} per breach"
        amount, steps = (terms.amount, (Step(f"missed → fixed amount per breach = {money.text(terms.amount)}",
                                             terms.amount),)) if missed else (ZERO, (Step("met → no credit", ZERO),))
    elif isinstance(terms, PerUnitCredit):
        amount, band, steps = _per_unit(terms, result, money)
    else:
        raise ValueError(f"a {terms.kind.value} clause gives no credit line")
    return CreditLine(target_id=result.target_id, target=result.target, kind=LineKind.CREDIT, clause=terms.kind.value,
                      achieved=result.achieved, band=band, amount=amount,
                      trace=(*_figure_step(result, edges), *steps), period=result.period,
                      achieved_text=figure(result, edges))


def _band_text(band: Band, result: AttainmentResult, mark: str, money: Money, what: str) -> str:
    gives = f"{pct(band.percent)} of {what}" if band.percent is not None else money.text(band.amount or ZERO)
    return f"{mark} {number(band.bound)} {result.unit} → {gives}"


def _band_amount(band: Band, charges: Decimal, money: Money, words: str) -> tuple[Decimal, Step]:
    if band.percent is not None:
        return money.step(f"{words}: charges {money.text(charges)} × {pct(band.percent)}",
                          charges * band.percent / HUNDRED)
    return money.step(f"{words}: fixed amount", band.amount or ZERO)


def _tiered(terms: TieredCredit, result: AttainmentResult, charges: Decimal,
            money: Money) -> tuple[Decimal, str, tuple[Step, ...]]:
    achieved = result.achieved
    assert achieved is not None  # the engine computes no credit without a figure
    better = higher_is_better(result.comparison)
    mark = sign(worse=True, higher_better=better, inclusive=terms.inclusive)
    hits = [b for b in terms.bands if worse_than(achieved, b.bound, higher_better=better,
                                                 inclusive=terms.inclusive)]
    if not hits:
        edge = max(terms.bands, key=lambda b: b.bound) if better else min(terms.bands, key=lambda b: b.bound)
        return ZERO, "", (Step(f"{figure(result, edges_of(terms))} is not {mark} {number(edge.bound)} "
                               f"{result.unit}: no band applies → no credit", ZERO),)
    band = min(hits, key=lambda b: b.bound) if better else max(hits, key=lambda b: b.bound)
    text = _band_text(band, result, mark, money, "charges")
    amount, step = _band_amount(band, charges, money, "credit")
    return amount, text, (Step(f"{figure(result, edges_of(terms))} {mark} {number(band.bound)} {result.unit} → "
                               f"band {text}"), step)


def below_minimum(result: AttainmentResult, minimum: Decimal) -> bool:
    assert result.achieved is not None  # asked only of a figure (penalties._missed)
    return worse_than(result.achieved, minimum, higher_better=higher_is_better(result.comparison), inclusive=False)


def _allocated(terms: Allocation, result: AttainmentResult, pool_amount: Decimal | None,
               pool_steps: tuple[Step, ...], money: Money, missed: bool) -> tuple[Decimal, str, tuple[Step, ...]]:
    band = f"{pct(terms.percent)} of the at-risk amount"
    if pool_amount is None:
        return ZERO, band, (Step("the contract has no at-risk amount clause, so the allocation gives nothing", ZERO),)
    if not missed:
        if result.met is False and terms.minimum is not None:
            return ZERO, band, (Step(f"{figure(result, edges_of(terms))} misses the expected level but is not "
                                     f"below the minimum {number(terms.minimum)} {result.unit} → no credit", ZERO),)
        return ZERO, band, (Step("met → no credit", ZERO),)
    steps = list(pool_steps)
    if terms.minimum is not None:
        steps.insert(0, Step(f"{figure(result, edges_of(terms))} is below the minimum {number(terms.minimum)} "
                             f"{result.unit}"))
    amount, step = money.step(f"at-risk {money.text(pool_amount)} × allocation {pct(terms.percent)}",
                              pool_amount * terms.percent / HUNDRED)
    return amount, band, (*steps, step)


def _per_unit(terms: PerUnitCredit, result: AttainmentResult, money: Money) -> tuple[Decimal, str, tuple[Step, ...]]:
    band = f"{money.text(terms.amount)} per {terms.unit.value}"
    count, words = units(result, terms.unit)
    if count is None:
        return ZERO, band, (Step(f"the attainment holds no count of {terms.unit.value}s → no per-unit credit "
                                 "computed", ZERO),)
    steps = [Step(words)]
    billable = max(count - terms.free_units, ZERO)
    if terms.free_units:
        steps.append(Step(f"{number(count)} − {number(terms.free_units)} free = {number(billable)} to pay for"))
    amount, step = money.step(f"{number(billable)} × {money.text(terms.amount)}", billable * terms.amount)
    return amount, band, (*steps, step)


def _for_target(clauses: Sequence[Clause], tid: int | None, kind: type[T]) -> T | None:
    """The target's own clause of this kind, else the contract-wide one."""
    own = next((terms for c, terms in with_terms(clauses, kind) if c.target_id == tid), None)
    return own or next((terms for c, terms in with_terms(clauses, kind) if c.target_id is None), None)


def multiplied(line: CreditLine, clauses: list[Clause], state: RunState, label: str, money: Money) -> CreditLine:
    """Apply the multiplier for consecutive misses (this period and the ones right before it)."""
    terms = _for_target(clauses, line.target_id, Multiplier)
    if terms is None or line.amount <= 0:
        return line
    run = [label]
    missed = state.missed.get(line.target_id, {}) if line.target_id is not None else {}
    while missed.get(shift(run[-1], -1)):
        run.append(shift(run[-1], -1))
    factor = max((f for k, f in terms.steps if len(run) >= k), default=None)
    periods = ", ".join(reversed(run))
    if factor is None:
        first, start = min(terms.steps)
        step = Step(f"{len(run)} miss(es) in a row ({periods}): no multiplier (× {number(start)} from {first} "
                    "misses in a row)")
        return replace(line, trace=line.trace + (step,))
    amount, step = money.step(f"{len(run)} misses in a row ({periods}) × {number(factor)}",
                               line.amount * factor)
    return replace(line, amount=amount, trace=line.trace + (step,))


def pending_earn_backs(lines: list[CreditLine], clauses: list[Clause], label: str) -> list[CreditLine]:
    """Say on each credit which later periods can still earn it back."""
    out = []
    for line in lines:
        terms = _for_target(clauses, line.target_id, EarnBack)
        if terms is None or line.amount <= 0 or line.kind is not LineKind.CREDIT:
            out.append(line)
            continue
        verb = "returned to the supplier" if terms.mode is EarnBackMode.RETURN else "no longer claimed"
        later = ", ".join(shift(label, i) for i in range(1, terms.periods + 1))
        out.append(replace(line, trace=line.trace + (Step(f"earn-back: {verb} if {line.target} is met in each of "
                                                          f"{later}"),)))
    return out


def earn_backs(clauses: list[Clause], state: RunState, label: str, names: dict, money: Money) -> list[CreditLine]:
    """Credits of N periods ago whose target was met in each period since: returned now (negative lines)."""
    out = []
    for tid in sorted(state.credited):
        terms = _for_target(clauses, tid, EarnBack)
        if terms is None:
            continue
        origin = shift(label, -terms.periods)
        amount = state.credited[tid].get(origin, ZERO)
        following = [shift(origin, i) for i in range(1, terms.periods + 1)]
        if amount <= 0 or not all(state.met.get(tid, {}).get(p) is True for p in following):
            continue
        verb = "returned to the supplier" if terms.mode is EarnBackMode.RETURN else "released (no longer claimed)"
        trace = (Step(f"credit for {names.get(tid, tid)} in {origin}: {money.text(amount)}", amount),
                 Step(f"met in each of the next {terms.periods} periods ({', '.join(following)})"),
                 Step(f"earn-back: {money.text(amount)} {verb} = −{money.text(amount)}", -amount))
        out.append(CreditLine(target_id=tid, target=names.get(tid, str(tid)), kind=LineKind.EARN_BACK,
                              clause=terms.kind.value, achieved=None, band=f"earned back from {origin}",
                              amount=-amount, trace=trace, period=origin))
    return out


def bonuses(clauses: list[Clause], results: dict, label: str, *, charges: Decimal, money: Money) -> list[CreditLine]:
    """Bonus lines (positive amounts) for targets beaten by the margin their bonus table asks."""
    out = []
    for clause, terms in with_terms(clauses, Bonus):
        if clause.target_id is None:
            continue
        result = results.get(clause.target_id, {}).get(label)
        if result is None or result.achieved is None:
            continue
        better = higher_is_better(result.comparison)
        mark = sign(worse=False, higher_better=better, inclusive=terms.inclusive)
        hits = [b for b in terms.bands if better_than(result.achieved, b.bound, higher_better=better,
                                                      inclusive=terms.inclusive)]
        edges = edges_of(terms)
        head, text = _figure_step(result, edges), figure(result, edges)
        if not hits or result.met is False:
            out.append(CreditLine(result.target_id, result.target, LineKind.BONUS, terms.kind.value, result.achieved,
                                  "", ZERO, (*head, Step("no bonus band reached → no bonus", ZERO)), label,
                                  netted=terms.netted, achieved_text=text))
            continue
        band = max(hits, key=lambda b: b.bound) if better else min(hits, key=lambda b: b.bound)
        words = _band_text(band, result, mark, money, "charges")
        amount, step = _band_amount(band, charges, money, "bonus")
        how = "netted against the credits" if terms.netted else "paid to the supplier separately, not netted"
        out.append(CreditLine(result.target_id, result.target, LineKind.BONUS, terms.kind.value, result.achieved,
                              words, amount, (*head, Step(f"{text} {mark} {number(band.bound)} "
                                                          f"{result.unit} → bonus band {words}"), step, Step(how)),
                              label, netted=terms.netted, achieved_text=text))
    return out


def netted(bonuses: list[CreditLine], lines: list[CreditLine], money: Money) -> list[CreditLine]:
    """Netted bonuses as negative lines: they offset the period's credits, at most down to zero."""
    left = sum((ln.amount for ln in lines if ln.kind is LineKind.CREDIT), ZERO)
    out = []
    for bonus in (b for b in bonuses if b.netted and b.amount > 0):
        offset = min(bonus.amount, left)
        left -= offset
        rest = (f"; the other {money.text(bonus.amount - offset)} is not paid (a netted bonus only reduces credits)"
                if offset < bonus.amount else "")
        step = Step(f"netted: bonus {money.text(bonus.amount)} offsets credits of {money.text(offset + left)} by "
                    f"{money.text(offset)}{rest} = −{money.text(offset)}", -offset)
        out.append(replace(bonus, amount=-offset, trace=bonus.trace + (step,)))
    return out


def impacts(clauses: list[Clause], results: dict, label: str, lines: list[CreditLine],
            money: Money) -> tuple[ImpactLine, ...]:
    """Business impact priced beside the contractual credit, and the gap between them."""
    out = []
    for clause, terms in with_terms(clauses, BusinessImpact):
        if clause.target_id is None:
            continue
        result = results.get(clause.target_id, {}).get(label)
        credit = sum((ln.amount for ln in lines if ln.target_id == clause.target_id and ln.kind is LineKind.CREDIT),
                     ZERO)
        name = result.target if result else str(clause.target_id)
        count, words = units(result, terms.unit) if result is not None else (None, "")
        if count is None:
            out.append(ImpactLine(clause.target_id, name, None, terms.unit.value, None, credit, None,
                                  (Step(f"no count of {terms.unit.value}s for {label}: impact not priced"),)))
            continue
        amount, step = money.step(f"{number(count)} × {money.text(terms.cost_per_unit)} per {terms.unit.value} × "
                                  f"impact share {pct(terms.impact_share)}",
                                  count * terms.cost_per_unit * terms.impact_share / HUNDRED)
        share = pct((credit * HUNDRED / amount).quantize(Decimal("0.1"))) if amount else ""
        cover = (f"the contractual credit {money.text(credit)} covers {share} of it" if amount
                 else f"the contractual credit is {money.text(credit)}")
        trace = ((Step(words),) if words else ()) + (step, Step(f"{cover}; gap {money.text(amount - credit)}"))
        out.append(ImpactLine(clause.target_id, name, count, terms.unit.value, amount, credit, amount - credit, trace))
    return tuple(out)


def terminations(clauses: list[Clause], state: RunState, label: str, names: dict,
                 results: dict) -> list[TerminationFlag]:
    """k misses in any n periods: whether the customer may terminate, and which periods count."""
    out = []
    for clause, terms in with_terms(clauses, TerminationTrigger):
        window = [shift(label, -i) for i in reversed(range(terms.window))]
        if clause.target_id is not None:
            name = names.get(clause.target_id, str(clause.target_id))
            missed = [p for p in window if state.missed.get(clause.target_id, {}).get(p)]
        else:
            name = "any target"
            missed = [p for p in window if any(state.missed.get(t, {}).get(p) for t in state.missed)]
        triggered = len(missed) >= terms.misses
        text = (f"{name}: missed in {len(missed)} of the {terms.window} periods {window[0]} – {window[-1]}"
                + (f" ({', '.join(missed)})" if missed else "")
                + (f": the customer may terminate ({terms.misses} misses in {terms.window} periods)" if triggered
                   else f"; a right to terminate arises at {terms.misses} misses"))
        out.append(TerminationFlag(name, terms.misses, terms.window, tuple(missed), triggered, text))
    return out


def pool_problems(pool: AtRiskPool, clauses: list[Clause]) -> list[str]:
    total = sum((c.terms.percent for c in clauses if isinstance(c.terms, Allocation)), ZERO)
    if total > pool.pool_limit:
        return [f"the allocations add up to {pct(total)}, more than the pool limit of {pct(pool.pool_limit)}"]
    return []
