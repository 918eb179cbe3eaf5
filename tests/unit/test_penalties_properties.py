"""Properties of the credit engine over random clause sets and attainment histories (hypothesis)."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st
from penalty_cases import contract, result

from sltdesk.domain.money import Rounding
from sltdesk.domain.penalties import (
    Allocation,
    AtRiskPool,
    Band,
    Bonus,
    Cap,
    CapScope,
    Clause,
    EarnBack,
    FixedCredit,
    LineKind,
    Multiplier,
    TieredCredit,
)
from sltdesk.domain.period import span
from sltdesk.rules.penalties import compute_credits
from sltdesk.rules.penalty_steps import Money, split_cap, with_achieved
from tests.budget import examples

D = Decimal
PERIODS = span("2026-01", "2026-04")
TARGETS = (1, 2, 3)

figures = st.decimals(min_value=D("90"), max_value=D("100"), places=3)
shares = st.decimals(min_value=D("1"), max_value=D("60"), places=1)
charges = st.decimals(min_value=D("100"), max_value=D("250000"), places=2)


@st.composite
def clause_sets(draw):
    """At-risk allocations on some targets, tiered tables on others, and any of the modifiers."""
    clauses = [Clause(1, AtRiskPool(draw(st.decimals(min_value=D("1"), max_value=D("20"), places=2)),
                                    pool_limit=D(300)))]
    for tid in TARGETS:
        kind = draw(st.sampled_from(("allocation", "tiered", "fixed")))
        if kind == "allocation":
            clauses.append(Clause(1, Allocation(draw(shares)), target_id=tid))
        elif kind == "tiered":
            edges = sorted(draw(st.lists(figures, min_size=1, max_size=3, unique=True)), reverse=True)
            rates = sorted(draw(st.lists(st.decimals(min_value=D("0.5"), max_value=D("40"), places=3),
                                         min_size=len(edges), max_size=len(edges))))
            clauses.append(Clause(1, TieredCredit(tuple(Band(e, percent=r) for e, r in zip(edges, rates,
                                                                                            strict=True))),
                                  target_id=tid))
        else:
            clauses.append(Clause(1, FixedCredit(draw(st.decimals(min_value=D("1"), max_value=D("5000"), places=2))),
                                  target_id=tid))
    if draw(st.booleans()):
        clauses.append(Clause(1, Multiplier(((2, draw(st.sampled_from((D("1.5"), D(2), D("2.25"))))),))))
    if draw(st.booleans()):
        clauses.append(Clause(1, EarnBack(draw(st.integers(1, 2)))))
    if draw(st.booleans()):
        clauses.append(Clause(1, Cap(CapScope.PERIOD, percent=draw(st.decimals(min_value=D(1), max_value=D(30),
                                                                              places=1)))))
    if draw(st.booleans()):
        clauses.append(Clause(1, Cap(CapScope.YEAR, amount=draw(st.decimals(min_value=D(0), max_value=D(90000),
                                                                           places=2)))))
    if draw(st.booleans()):
        clauses.append(Clause(1, Bonus((Band(D("99.9"), percent=D(1)),), netted=True), target_id=1))
    return clauses


@st.composite
def histories(draw):
    return {tid: [result(tid, p, str(draw(figures)), threshold="99.5") for p in PERIODS] for tid in TARGETS}


def run(clauses, history, amount=D("48000.00"), rounding=Rounding.HALF_UP):
    return compute_credits(contract=contract(str(amount), rounding=rounding), clauses=clauses, history=history,
                           periods=PERIODS)


@settings(max_examples=examples(150), deadline=None)
@given(clause_sets(), histories(), st.sampled_from(TARGETS), figures, charges)
def test_the_credit_never_increases_when_attainment_improves(clauses, history, target, better, amount):
    last = history[target][-1]
    improved = max(better, last.achieved)
    before = run(clauses, history, amount)[-1]
    changed = {**history, target: history[target][:-1] + [with_achieved(last, improved)]}
    after = run(clauses, changed, amount)[-1]
    assert after.total <= before.total
    assert after.credits <= before.credits


@settings(max_examples=examples(150), deadline=None)
@given(clause_sets(), histories(), charges)
def test_no_total_exceeds_its_caps_and_the_lines_add_up_to_the_total(clauses, history, amount):
    runs = run(clauses, history, amount)
    pool = next(c.terms for c in clauses if isinstance(c.terms, AtRiskPool))
    period_caps = [c.terms for c in clauses if isinstance(c.terms, Cap) and c.terms.scope is CapScope.PERIOD]
    year_caps = [c.terms for c in clauses if isinstance(c.terms, Cap) and c.terms.scope is CapScope.YEAR]
    money = Money("GBP", Rounding.HALF_UP)
    at_risk = money.round(amount * pool.percent / 100)
    for credits in runs:
        assert sum(ln.amount for ln in credits.lines) == credits.total
        pooled = sum(ln.amount for ln in credits.lines if ln.clause == "at-risk allocation")
        assert pooled <= at_risk
        for cap in period_caps:
            assert credits.credits <= money.round(amount * cap.percent / 100)
        assert all(ln.amount >= 0 for ln in credits.lines if ln.kind is LineKind.CREDIT)
    for cap in year_caps:
        assert sum(c.credits for c in runs) <= cap.amount


@settings(max_examples=examples(200), deadline=None)
@given(clause_sets(), histories(), charges)
def test_half_up_and_half_even_differ_only_where_a_step_lands_on_half_a_cent(clauses, history, amount):
    up = run(clauses, history, amount, Rounding.HALF_UP)
    even = run(clauses, history, amount, Rounding.HALF_EVEN)
    money = Money("GBP", Rounding.HALF_UP)
    ties = []  # a tie in an earlier period carries on through earn-backs and the annual cap
    for a, b in zip(up, even, strict=True):
        steps_of = [s for c in (a, b) for item in (*c.lines, *c.caps) for s in item.trace]
        ties += [s for s in steps_of if s.exact is not None and money.is_tie(s.exact)]
        steps = sum(1 for c in up for ln in c.lines for s in ln.trace if s.value is not None)
        if not ties:
            assert a.total == b.total and [ln.amount for ln in a.lines] == [ln.amount for ln in b.lines]
        assert abs(a.total - b.total) <= D("0.01") * max(steps, 1) * 3


@given(st.lists(st.decimals(min_value=D(0), max_value=D(10000), places=2), min_size=1, max_size=6),
       st.decimals(min_value=D(0), max_value=D(20000), places=2))
def test_a_cap_split_adds_up_exactly_and_never_raises_a_line(amounts, limit):
    cut = split_cap(amounts, limit, D("0.01"))
    assert sum(cut) == min(sum(amounts), limit)
    assert all(c <= a for c, a in zip(cut, amounts, strict=True))


@given(st.lists(st.decimals(min_value=D("0.01"), max_value=D(10000), places=2), min_size=2, max_size=5),
       st.decimals(min_value=D("0.01"), max_value=D(5000), places=2), st.integers(0, 4),
       st.decimals(min_value=D("0.01"), max_value=D(100), places=2))
def test_a_smaller_credit_never_gets_a_larger_share_of_a_cap(amounts, limit, index, less):
    index %= len(amounts)
    smaller = list(amounts)
    smaller[index] = max(smaller[index] - less, D(0))
    assert split_cap(smaller, limit, D("0.01"))[index] <= split_cap(amounts, limit, D("0.01"))[index]
