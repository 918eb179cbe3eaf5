"""Clauses in words, and the checks a clause set must pass before it is stored. Pure."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal

from sltdesk.domain.penalties import (
    CONTRACT_KINDS,
    TARGET_KINDS,
    Allocation,
    AtRiskPool,
    Band,
    Bonus,
    BusinessImpact,
    Cap,
    ClaimWindow,
    Clause,
    ClauseKind,
    EarnBack,
    FixedCredit,
    Multiplier,
    PerUnitCredit,
    TerminationTrigger,
    Terms,
    TieredCredit,
)
from sltdesk.rules.penalty_steps import ZERO, number, pct
from sltdesk.rules.seasons import parse_seasonal_bands


def describe(terms: Terms, currency: str = "") -> str:
    """One line a contract owner recognises: '< 99.9 % → 5 %; < 99.5 % → 10 %', with the clause's seasonal bands
    and how it prices a core-hours tier's misses where it says so."""
    text = _describe(terms, currency)
    seasonal = getattr(terms, "seasonal_bands", None)
    if isinstance(terms, TieredCredit) and seasonal:
        try:
            text += "".join(f"; in {s.label}: ({_describe(replace(terms, bands=s.bands), currency)})"
                            for s in parse_seasonal_bands(seasonal))
        except ValueError:
            text += f"; seasonal bands (unreadable): {seasonal}"
    pricing = getattr(terms, "tier_pricing", None)
    if pricing:
        text += ("; tiers: only the worse of the two priced" if pricing == "worse"
                 else "; tiers: each tier's miss priced separately")
    return text


def _describe(terms: Terms, currency: str = "") -> str:

    def money(value: Decimal) -> str:
        return f"{currency} {value:,}".strip()

    if isinstance(terms, TieredCredit | Bonus):
        mark = {(True, False): "<", (True, True): "≤", (False, False): ">", (False, True): "≥"}
        below = isinstance(terms, TieredCredit)
        bands = sorted(terms.bands, key=lambda b: b.bound, reverse=below)
        text = "; ".join(f"{mark[(below, terms.inclusive)]} {number(b.bound)} → {_gives(b, money)}" for b in bands)
        if isinstance(terms, Bonus):
            text += " (netted against credits)" if terms.netted else " (paid separately, not netted)"
        return text
    if isinstance(terms, FixedCredit):
        return f"{money(terms.amount)} for each period missed"
    if isinstance(terms, PerUnitCredit):
        free = f" after {number(terms.free_units)} free" if terms.free_units else ""
        return f"{money(terms.amount)} per {terms.unit.value}{free}"
    if isinstance(terms, AtRiskPool):
        return f"{pct(terms.percent)} of the charges at risk; allocations up to {pct(terms.pool_limit)}"
    if isinstance(terms, Allocation):
        minimum = f"; credit only below the minimum {number(terms.minimum)}" if terms.minimum is not None else ""
        return f"{pct(terms.percent)} of the at-risk amount{minimum}"
    if isinstance(terms, Cap):
        limit = pct(terms.percent) + " of the charges" if terms.percent is not None else money(terms.amount or ZERO)
        return f"at most {limit} per {'period' if terms.scope.value == 'period' else 'year'}"
    if isinstance(terms, Multiplier):
        return "; ".join(f"{k} misses in a row → × {number(f)}" for k, f in terms.steps)
    if isinstance(terms, EarnBack):
        verb = "returned" if terms.mode.value == "return" else "not claimed"
        return f"a credit is {verb} when the target is met in each of the next {terms.periods} periods"
    if isinstance(terms, BusinessImpact):
        return f"{money(terms.cost_per_unit)} per {terms.unit.value} × impact share {pct(terms.impact_share)}"
    if isinstance(terms, TerminationTrigger):
        return f"right to terminate at {terms.misses} misses in {terms.window} periods"
    if isinstance(terms, ClaimWindow):
        if terms.months:
            nth = {1: "first", 2: "second", 3: "third"}.get(terms.months) or ordinal(terms.months)
            return f"claim by the end of the {nth} month after the period" + (
                f" + {terms.days} days" if terms.days else "")
        return f"claim within {terms.days} days of period end"
    return ""


def ordinal(n: int) -> str:
    """21 → "21st", 12 → "12th", 103 → "103rd"."""
    suffix = "th" if n % 100 in (11, 12, 13) else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _article(noun: str) -> str:
    return "An" if noun[:1].lower() in "aeiou" else "A"


def _gives(band: Band, money) -> str:
    return pct(band.percent) if band.percent is not None else money(band.amount)


def clause_problems(clause: Clause, *, target_ids: Sequence[int]) -> list[str]:
    """What is wrong with one clause, each as a sentence that says what to change."""
    terms, kind = clause.terms, clause.kind
    problems = []
    if kind in TARGET_KINDS and clause.target_id is None:
        problems.append(f"{_article(kind.value)} {kind.value} clause belongs to a target: choose one of the contract's "
                        "targets.")
    if kind in CONTRACT_KINDS and clause.target_id is not None:
        problems.append(f"{_article(kind.value)} {kind.value} clause applies to the whole contract: do not give it a "
                        "target.")
    if clause.target_id is not None and clause.target_id not in target_ids:
        problems.append("The clause names a target of another contract; choose one of this contract's targets.")
    problems += _term_problems(terms)
    return problems


def _term_problems(terms: Terms) -> list[str]:
    out = []
    if isinstance(terms, TieredCredit) and terms.seasonal_bands:
        try:
            seasons = parse_seasonal_bands(terms.seasonal_bands)
        except ValueError as error:
            out.append(f"Seasonal bands: {error}.")
        else:
            out += [f"Seasonal bands {s.label}: {p[0].lower()}{p[1:]}" for s in seasons
                    for p in _term_problems(replace(terms, bands=s.bands, seasonal_bands=None))]
    if isinstance(terms, TieredCredit | Bonus):
        if not terms.bands:
            out.append("Give at least one band (an attainment edge and a percentage or an amount).")
        for band in terms.bands:
            if band.percent is None and band.amount is None:
                out.append(f"The band at {number(band.bound)} needs a percentage or an amount.")
            elif band.percent is not None and band.amount is not None:
                out.append(f"The band at {number(band.bound)} needs either a percentage or an amount, not both.")
            elif band.percent is not None and not Decimal(0) <= band.percent <= Decimal(100):
                out.append(f"The band at {number(band.bound)} gives {pct(band.percent)}; use 0 to 100 %.")
            elif band.amount is not None and band.amount < 0:
                out.append(f"The band at {number(band.bound)} has a negative amount; amounts are positive.")
    elif isinstance(terms, AtRiskPool | Allocation) and not Decimal(0) < terms.percent <= Decimal(100):
        out.append(f"{pct(terms.percent)} is not a share between 0 and 100 %.")
    elif isinstance(terms, Cap) and (terms.percent is None) == (terms.amount is None):
        out.append("A cap is either a percentage of the charges or an amount: give one of them.")
    elif isinstance(terms, Multiplier) and (not terms.steps or any(k < 2 or f <= 0 for k, f in terms.steps)):
        out.append("Multiplier steps are (misses in a row, factor) with at least 2 misses and a positive factor.")
    elif isinstance(terms, EarnBack) and terms.periods < 1:
        out.append("An earn-back needs at least one following period.")
    elif isinstance(terms, TerminationTrigger) and not 1 <= terms.misses <= terms.window:
        out.append("A termination trigger needs 1 ≤ misses ≤ window (e.g. 3 misses in 6 periods).")
    elif isinstance(terms, ClaimWindow) and (terms.days < 0 or terms.months < 0 or not (terms.days or terms.months)):
        out.append("A claim window is a number of days (or months) after period end, more than zero.")
    elif isinstance(terms, FixedCredit | PerUnitCredit) and terms.amount < 0:
        out.append("Amounts are positive.")
    elif isinstance(terms, BusinessImpact) and (terms.cost_per_unit < 0 or not 0 <= terms.impact_share <= 100):
        out.append("The cost per unit is positive and the impact share between 0 and 100 %.")
    return out


def set_problems(clauses: Sequence[Clause]) -> list[str]:
    """Problems of the clause set as a whole (one pool, one claim window, allocations within the pool)."""
    out = []
    for kind in (ClauseKind.AT_RISK_POOL, ClauseKind.CLAIM_WINDOW):
        if sum(1 for c in clauses if c.kind is kind) > 1:
            out.append(f"A contract has at most one {kind.value} clause; remove the extra one.")
    pool = next((c.terms for c in clauses if isinstance(c.terms, AtRiskPool)), None)
    shares = sum((c.terms.percent for c in clauses if isinstance(c.terms, Allocation)), Decimal(0))
    if pool is not None and shares > pool.pool_limit:
        out.append(f"The allocations add up to {pct(shares)}, more than the pool limit {pct(pool.pool_limit)}.")
    if pool is None and shares:
        out.append("Allocations need an at-risk pool clause (the share of the charges at risk).")
    return out
