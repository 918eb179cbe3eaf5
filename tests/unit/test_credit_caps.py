"""Caps on one target, on the at-risk amount, per period and per year, worked out by hand
(sltdesk/rules/penalty_caps.py). Charges are 10,000.00 a month; target n is "SLn" with a 99.9 % threshold."""

from __future__ import annotations

from decimal import Decimal

from penalty_cases import contract, result

from sltdesk.domain.penalties import (
    Allocation,
    AtRiskPool,
    Cap,
    CapScope,
    CapUse,
    Clause,
    FixedCredit,
    LineKind,
    Step,
)
from sltdesk.domain.period import span
from sltdesk.rules.penalties import compute_credits

D = Decimal
MISS, MET = "99.5", "99.95"


def run(clauses, figures: dict[int, dict[str, str]], periods: list[str] | None = None):
    periods = periods or sorted({p for by_period in figures.values() for p in by_period})
    history = {tid: [result(tid, p, a, name=f"SL{tid}", threshold="99.9") for p, a in sorted(by_period.items())]
               for tid, by_period in figures.items()}
    runs = compute_credits(contract=contract("10000.00"), clauses=clauses, history=history, periods=periods)
    return {c.period: c for c in runs}


def fixed(tid: int, amount: str) -> Clause:
    return Clause(1, FixedCredit(D(amount)), target_id=tid)


def amounts(credits) -> list[tuple[int, Decimal]]:
    return [(ln.target_id, ln.amount) for ln in credits.lines if ln.kind is LineKind.CREDIT]


def test_a_cap_on_one_target_cuts_only_that_targets_credits_in_proportion():
    clauses = [fixed(1, "800.00"), fixed(2, "600.00"), fixed(2, "200.00"),
               Clause(1, Cap(CapScope.PERIOD, percent=D(5)), target_id=2)]
    march = run(clauses, {1: {"2026-03": MISS}, 2: {"2026-03": MISS}})["2026-03"]
    # 5 % of 10,000.00 = 500.00 for SL2: 600 + 200 = 800 cut to 375 + 125; SL1's 800 untouched
    assert amounts(march) == [(1, D("800.00")), (2, D("375.00")), (2, D("125.00"))]
    verdict = "cap on SL2 500.00 reached: credits 800.00 cut to 500.00 in proportion"
    assert march.caps == (CapUse("cap on SL2", D("500.00"), D("800.00"), D("500.00"),
                                 (Step("cap: charges 10,000.00 × 5 % = 500.00", D("500.00")),
                                  Step(verdict, D("500.00")))),)
    sl1, first, second = march.lines
    assert sl1.trace[-1] == Step("missed → fixed amount per breach = 800.00", D("800.00"))
    assert first.trace[-1] == Step(f"{verdict}; this line 375.00", D("375.00"))
    assert second.trace[-1] == Step(f"{verdict}; this line 125.00", D("125.00"))
    assert march.total == D("1300.00")


def test_a_cap_on_a_target_without_a_figure_is_named_by_its_id_and_not_reached():
    clauses = [fixed(1, "800.00"), fixed(7, "100.00"), Clause(1, Cap(CapScope.PERIOD, amount=D("500.00")), target_id=7)]
    march = run(clauses, {1: {"2026-03": MISS}})["2026-03"]
    cap = march.caps[0]
    assert (cap.name, cap.limit, str(cap.before), str(cap.after), cap.applied) == (
        "cap on 7", D("500.00"), "0.00", "0.00", False)
    assert cap.trace == (Step("cap 500.00 a period"), Step("cap on 7 500.00 not reached (credits 0.00)", D(0)))
    assert amounts(march) == [(1, D("800.00"))]


def test_a_period_cap_of_a_fixed_amount_cuts_every_credit_in_proportion():
    clauses = [fixed(1, "600.00"), fixed(2, "200.00"), Clause(1, Cap(CapScope.PERIOD, amount=D("500.00")))]
    march = run(clauses, {1: {"2026-03": MISS}, 2: {"2026-03": MISS}})["2026-03"]
    assert amounts(march) == [(1, D("375.00")), (2, D("125.00"))] and march.total == D("500.00")
    assert march.caps == (CapUse("period cap", D("500.00"), D("800.00"), D("500.00"),
                                 (Step("cap 500.00 a period"),
                                  Step("period cap 500.00 reached: credits 800.00 cut to 500.00 in proportion",
                                       D("500.00")))),)


def test_a_period_cap_not_reached_says_so_on_each_line():
    clauses = [fixed(1, "300.00"), Clause(1, Cap(CapScope.PERIOD, amount=D("500.00")))]
    march = run(clauses, {1: {"2026-03": MISS}})["2026-03"]
    assert march.lines[0].trace[-1] == Step("period cap 500.00 not reached (credits 300.00)", D("300.00"))
    assert march.caps[0].trace[-1] == Step("period cap 500.00 not reached (credits 300.00)", D("300.00"))


def test_the_at_risk_amount_caps_only_the_allocations():
    # 10 % at risk = 1,000.00, all of it allocated to SL1; SL2's fixed credit is outside the pool
    clauses = [Clause(1, AtRiskPool(D(10))), Clause(1, Allocation(D(100)), target_id=1), fixed(2, "300.00")]
    march = run(clauses, {1: {"2026-03": MISS}, 2: {"2026-03": MISS}})["2026-03"]
    assert amounts(march) == [(1, D("1000.00")), (2, D("300.00"))] and march.total == D("1300.00")
    assert [(c.name, c.limit, c.before, c.after) for c in march.caps] == [
        ("at-risk amount", D("1000.00"), D("1000.00"), D("1000.00"))]
    assert march.notes == ()  # 100 % allocated is within the pool


def test_an_annual_cap_on_one_target_counts_only_its_credits_of_the_same_year():
    # 1 % of 120,000.00 a year = 1,200.00 for SL1; December 2025 belongs to another year
    clauses = [fixed(1, "500.00"), fixed(2, "500.00"), Clause(1, Cap(CapScope.YEAR, percent=D(1)), target_id=1)]
    months = span("2025-12", "2026-05")
    runs = run(clauses, {1: dict.fromkeys(months, MISS), 2: dict.fromkeys(months, MISS)}, months)
    assert [dict(amounts(runs[m]))[1] for m in months] == [D("500.00")] * 3 + [D("200.00"), D("0.00"), D("0.00")]
    assert all(dict(amounts(runs[m]))[2] == D("500.00") for m in months)
    january, march = runs["2026-01"].caps[0], runs["2026-03"].caps[0]
    assert january.trace[-2] == Step("credits earlier in 2026: 0.00 (none); left under the cap 1,200.00 − 0.00 = "
                                     "1,200.00", D("1200.00"))
    assert march == CapUse("cap on SL1", D("200.00"), D("500.00"), D("200.00"), (
        Step("annual charges 10,000.00 a month × 12 = 120,000.00", D("120000.00")),
        Step("annual cap: 120,000.00 × 1 % = 1,200.00", D("1200.00")),
        Step("credits earlier in 2026: 1,000.00 (2026-01 500.00, 2026-02 500.00); left under the cap "
             "1,200.00 − 1,000.00 = 200.00", D("200.00")),
        Step("cap on SL1 200.00 reached: credits 500.00 cut to 200.00 in proportion", D("200.00"))))
    may = runs["2026-05"].caps[0]
    assert may.trace[-2].text == ("credits earlier in 2026: 1,200.00 (2026-01 500.00, 2026-02 500.00, 2026-03 "
                                  "200.00); left under the cap 1,200.00 − 1,200.00 = 0.00")


def test_an_annual_cap_of_a_fixed_amount_on_the_contract():
    clauses = [fixed(1, "400.00"), Clause(1, Cap(CapScope.YEAR, amount=D("1000.00")))]
    months = span("2026-01", "2026-03")
    runs = run(clauses, {1: dict.fromkeys(months, MISS)}, months)
    assert [runs[m].total for m in months] == [D("400.00"), D("400.00"), D("200.00")]
    assert runs["2026-03"].caps[0] == CapUse("annual cap", D("200.00"), D("400.00"), D("200.00"), (
        Step("annual cap 1,000.00", D("1000.00")),
        Step("credits earlier in 2026: 800.00 (2026-01 400.00, 2026-02 400.00); left under the cap 1,000.00 − 800.00 "
             "= 200.00", D("200.00")),
        Step("annual cap 200.00 reached: credits 400.00 cut to 200.00 in proportion", D("200.00"))))


def test_a_met_month_leaves_the_caps_at_zero_written_as_money():
    clauses = [fixed(1, "400.00"), Clause(1, Cap(CapScope.PERIOD, amount=D("500.00")))]
    cap = run(clauses, {1: {"2026-03": MET}})["2026-03"].caps[0]
    assert (str(cap.before), str(cap.after), cap.applied) == ("0.00", "0.00", False)
