"""Consecutive-miss multipliers and earn-backs, computed by hand over a few months (target n is "SLn",
threshold 99.9 %: "99.5" is a miss, "99.95" is met)."""

from __future__ import annotations

from decimal import Decimal

from penalty_cases import contract, result

from sltdesk.domain.penalties import (
    Clause,
    CreditLine,
    EarnBack,
    EarnBackMode,
    FixedCredit,
    LineKind,
    Multiplier,
    Step,
)
from sltdesk.rules.penalties import compute_credits

D = Decimal
MISS, MET = "99.5", "99.95"


def run(clauses, figures: dict[int, dict[str, str]]):
    periods = sorted({p for by_period in figures.values() for p in by_period})
    history = {tid: [result(tid, p, a, name=f"SL{tid}", threshold="99.9") for p, a in sorted(by_period.items())]
               for tid, by_period in figures.items()}
    runs = compute_credits(contract=contract("10000.00"), clauses=clauses, history=history, periods=periods)
    return {c.period: c for c in runs}


def fixed(tid: int, amount: str) -> Clause:
    return Clause(1, FixedCredit(D(amount)), target_id=tid)


def credit(credits, tid: int) -> CreditLine:
    return next(ln for ln in credits.lines if ln.target_id == tid and ln.kind is LineKind.CREDIT)


def earned_back(credits) -> list[CreditLine]:
    return [ln for ln in credits.lines if ln.kind is LineKind.EARN_BACK]


# --- multipliers ----------------------------------------------------------------------------------------------------


def test_a_targets_own_multiplier_wins_over_the_contracts():
    clauses = [fixed(1, "100.00"), fixed(2, "100.00"), Clause(1, Multiplier(((2, D(2)),))),
               Clause(1, Multiplier(((2, D(3)),)), target_id=1)]
    march = run(clauses, {1: {"2026-02": MISS, "2026-03": MISS}, 2: {"2026-02": MISS, "2026-03": MISS}})["2026-03"]
    assert credit(march, 1).amount == D("300.00")  # its own × 3
    assert credit(march, 2).amount == D("200.00")  # the contract's × 2
    assert credit(march, 1).trace[-1] == Step("2 misses in a row (2026-02, 2026-03) × 3 = 300.00", D("300.00"))


def test_a_multiplier_given_to_one_target_only_applies_to_it():
    clauses = [fixed(1, "100.00"), fixed(2, "100.00"), Clause(1, Multiplier(((2, D(2)),)), target_id=2)]
    march = run(clauses, {1: {"2026-02": MISS, "2026-03": MISS}, 2: {"2026-02": MISS, "2026-03": MISS}})["2026-03"]
    assert (credit(march, 1).amount, credit(march, 2).amount) == (D("100.00"), D("200.00"))


def test_a_first_miss_is_not_multiplied_and_the_trace_says_from_when_it_would_be():
    clauses = [fixed(1, "100.00"), Clause(1, Multiplier(((2, D(2)), (3, D(3)))))]
    runs = run(clauses, {1: {"2026-01": MISS, "2026-02": MISS, "2026-03": MISS}})
    january = credit(runs["2026-01"], 1)
    assert january.amount == D("100.00")
    assert january.trace[-1] == Step("1 miss(es) in a row (2026-01): no multiplier (× 2 from 2 misses in a row)")
    assert credit(runs["2026-02"], 1).amount == D("200.00")
    assert credit(runs["2026-03"], 1).trace[-1] == Step("3 misses in a row (2026-01, 2026-02, 2026-03) × 3 = 300.00",
                                                        D("300.00"))


def test_a_credit_under_one_pound_is_multiplied_too():
    clauses = [fixed(1, "0.50"), Clause(1, Multiplier(((2, D(2)),)))]
    assert credit(run(clauses, {1: {"2026-02": MISS, "2026-03": MISS}})["2026-03"], 1).amount == D("1.00")


def test_a_met_period_after_a_miss_gets_no_multiplier_step():
    clauses = [fixed(1, "100.00"), Clause(1, Multiplier(((2, D(2)),)))]
    line = credit(run(clauses, {1: {"2026-02": MISS, "2026-03": MET}})["2026-03"], 1)
    assert line.amount == D(0)
    assert line.trace == (Step("SL1 2026-03: achieved 99.95 % against target ≥ 99.9 % → met"),
                          Step("met → no credit", D(0)))


# --- earn-backs still to come ----------------------------------------------------------------------------------------


def test_a_credit_says_which_following_periods_can_earn_it_back():
    clauses = [fixed(1, "100.00"), Clause(1, EarnBack(3))]
    line = credit(run(clauses, {1: {"2026-03": MISS}})["2026-03"], 1)
    assert line.trace[-1] == Step("earn-back: returned to the supplier if SL1 is met in each of 2026-04, 2026-05, "
                                  "2026-06")


def test_a_waived_earn_back_of_one_target_says_no_longer_claimed_even_for_a_small_credit():
    clauses = [fixed(1, "0.50"), fixed(2, "100.00"), Clause(1, EarnBack(1, EarnBackMode.WAIVE), target_id=1)]
    march = run(clauses, {1: {"2026-03": MISS}, 2: {"2026-03": MISS}})["2026-03"]
    assert credit(march, 1).trace[-1] == Step("earn-back: no longer claimed if SL1 is met in each of 2026-04")
    assert credit(march, 2).trace[-1] == Step("missed → fixed amount per breach = 100.00", D("100.00"))


def test_a_period_without_a_credit_has_nothing_to_earn_back():
    clauses = [fixed(1, "100.00"), Clause(1, EarnBack(2))]
    line = credit(run(clauses, {1: {"2026-03": MET}})["2026-03"], 1)
    assert line.trace == (Step("SL1 2026-03: achieved 99.95 % against target ≥ 99.9 % → met"),
                          Step("met → no credit", D(0)))


# --- earn-backs -------------------------------------------------------------------------------------------------------


def test_a_targets_own_waived_earn_back_releases_only_its_credit():
    clauses = [fixed(1, "100.00"), fixed(2, "100.00"), Clause(1, EarnBack(1, EarnBackMode.WAIVE), target_id=2)]
    march = run(clauses, {1: {"2026-02": MISS, "2026-03": MET}, 2: {"2026-02": MISS, "2026-03": MET}})["2026-03"]
    assert earned_back(march) == [CreditLine(
        target_id=2, target="SL2", kind=LineKind.EARN_BACK, clause="earn-back", achieved=None,
        band="earned back from 2026-02", amount=D("-100.00"), period="2026-02", netted=True, achieved_text="",
        trace=(Step("credit for SL2 in 2026-02: 100.00", D("100.00")),
               Step("met in each of the next 1 periods (2026-03)"),
               Step("earn-back: 100.00 released (no longer claimed) = −100.00", D("-100.00"))))]
    assert march.total == D("-100.00")


def test_a_returned_earn_back_gives_back_even_a_credit_under_one_pound():
    clauses = [fixed(1, "0.50"), Clause(1, EarnBack(1))]
    back = earned_back(run(clauses, {1: {"2026-02": MISS, "2026-03": MET}})["2026-03"])
    assert [ln.amount for ln in back] == [D("-0.50")]
    assert back[0].trace[-1] == Step("earn-back: 0.50 returned to the supplier = −0.50", D("-0.50"))


def test_two_credits_of_one_target_in_one_period_are_earned_back_together():
    clauses = [fixed(1, "100.00"), fixed(1, "50.00"), Clause(1, EarnBack(1))]
    runs = run(clauses, {1: {"2026-02": MISS, "2026-03": MET}})
    assert runs["2026-02"].total == D("150.00")
    assert [ln.amount for ln in earned_back(runs["2026-03"])] == [D("-150.00")]


def test_no_earn_back_while_a_following_period_has_no_figure():
    clauses = [fixed(1, "100.00"), Clause(1, EarnBack(2))]
    runs = run(clauses, {1: {"2026-01": MISS, "2026-03": MET}, 2: {"2026-02": MET}})
    assert earned_back(runs["2026-03"]) == []
