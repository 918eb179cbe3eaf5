"""Which periods a run computes, what a period's result holds, and the claim deadline
(sltdesk/rules/penalties.py) — worked out by hand."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from penalty_cases import contract, result

from sltdesk.domain.penalties import (
    Allocation,
    AtRiskPool,
    Band,
    Bonus,
    Cap,
    CapScope,
    ClaimWindow,
    Clause,
    EarnBack,
    FixedCredit,
    Multiplier,
    Step,
    TerminationTrigger,
    TieredCredit,
)
from sltdesk.domain.period import span
from sltdesk.rules.completeness import Completeness
from sltdesk.rules.penalties import claim_deadline, compute_credits, compute_period, run_periods

D = Decimal
MISS, MET = "99.5", "99.95"


def fixed(tid: int, amount: str = "100.00") -> Clause:
    return Clause(1, FixedCredit(D(amount)), target_id=tid)


def sl(tid: int, period: str, achieved: str | None, **kwargs):
    return result(tid, period, achieved, name=f"SL{tid}", threshold="99.9", **kwargs)


def march(clauses, history, **kwargs):
    return compute_credits(contract=kwargs.pop("contract", contract("10000.00")), clauses=clauses, history=history,
                           periods=["2026-03"], **kwargs)[0]


# --- the periods a run computes ------------------------------------------------------------------------------------


def test_without_clauses_that_look_back_only_the_period_itself_is_computed():
    assert run_periods("2026-03", []) == ["2026-03"]
    assert run_periods("2026-03", [fixed(1), Clause(1, Cap(CapScope.PERIOD, amount=D(1)))]) == ["2026-03"]


def test_a_doubling_multiplier_looks_back_one_period():
    assert run_periods("2026-03", [Clause(1, Multiplier(((2, D(2)),)))]) == ["2026-02", "2026-03"]


def test_an_earn_back_looks_back_its_own_periods():
    assert run_periods("2026-03", [Clause(1, EarnBack(2))]) == ["2026-01", "2026-02", "2026-03"]


def test_a_multiplier_and_an_earn_back_add_up():
    # the third miss in a row looks 2 back; its credit can be earned back 1 period later: 3 back
    clauses = [Clause(1, Multiplier(((2, D(2)), (3, D(3))))), Clause(1, EarnBack(1))]
    assert run_periods("2026-03", clauses) == span("2025-12", "2026-03")


def test_a_termination_window_of_six_looks_back_five_periods():
    assert run_periods("2026-03", [Clause(1, TerminationTrigger(3, 6), target_id=1)]) == span("2025-10", "2026-03")


def test_an_annual_cap_starts_the_run_in_january():
    year_cap = Clause(1, Cap(CapScope.YEAR, amount=D(1000)))
    assert run_periods("2026-05", [year_cap]) == span("2026-01", "2026-05")
    assert run_periods("2026-Q3", [year_cap]) == ["2026-Q1", "2026-Q2", "2026-Q3"]
    # a multiplier that reaches back into December starts the run in the January before
    assert run_periods("2026-01", [year_cap, Clause(1, Multiplier(((2, D(2)),)))]) == span("2025-01", "2026-01")


def test_a_run_never_starts_before_the_contract():
    year_cap = Clause(1, Cap(CapScope.YEAR, amount=D(1000)))
    assert run_periods("2026-05", [year_cap], contract_start=date(2026, 3, 15)) == span("2026-03", "2026-05")
    assert run_periods("2026-05", [year_cap], contract_start=date(2026, 1, 1)) == span("2026-01", "2026-05")
    assert run_periods("2026-01", [], contract_start=date(2026, 3, 1)) == ["2026-01"]


def test_a_run_from_an_earlier_first_period():
    assert run_periods("2026-03", [], first="2026-01") == span("2026-01", "2026-03")


# --- one period, computed after the ones it depends on ---------------------------------------------------------------


def test_a_miss_before_the_contract_started_does_not_double_the_first_credit():
    late_start = replace(contract("10000.00"), start_date=date(2026, 3, 1))
    clauses = [fixed(1), Clause(1, Multiplier(((2, D(2)),)))]
    history = {1: [sl(1, "2026-02", MISS), sl(1, "2026-03", MISS)]}
    credits = compute_period(contract=late_start, clauses=clauses, history=history, period="2026-03")
    assert credits.total == D("100.00")
    doubled = compute_period(contract=contract("10000.00"), clauses=clauses, history=history, period="2026-03")
    assert doubled.total == D("200.00")


def test_compute_period_names_targets_from_the_names_given():
    credits = compute_period(contract=contract("10000.00"), clauses=[fixed(1), fixed(2)],
                             history={1: [sl(1, "2026-03", MISS)]}, period="2026-03",
                             target_names={2: "SL2 P1 response"})
    assert credits.notes == ("SL2 P1 response: no attainment figure for 2026-03; no credit computed.",)


# --- what a period holds ----------------------------------------------------------------------------------------------


def test_a_period_carries_the_contract_its_charges_and_their_trace():
    credits = march([fixed(1)], {1: [sl(1, "2026-03", MISS)]})
    assert (credits.contract, credits.period, credits.currency, credits.charges) == (
        "NW-2025-014", "2026-03", "GBP", D("10000.00"))
    assert credits.charges_trace == (Step("charges 10,000.00 a month → 10,000.00 for 2026-03", D("10000.00")),)
    assert (credits.incomplete, credits.claim_deadline) == ((), None)
    assert credits.deadline_trace == "the contract sets no claim window"


def test_yen_credits_are_rounded_to_whole_yen():
    yen = contract("123457", currency="JPY")
    clauses = [Clause(1, TieredCredit((Band(D("99.9"), percent=D(10)),)), target_id=1)]
    credits = march(clauses, {1: [sl(1, "2026-03", MISS)]}, contract=yen)
    line = credits.lines[0]
    assert (str(line.amount), str(credits.total)) == ("12346", "12346")
    assert line.trace[-1].text == "credit: charges 123,457 × 10 % = 12345.7 → 12,346 (rounded half-up)"


def test_every_amount_of_a_quiet_month_is_written_as_money():
    clauses = [fixed(1), Clause(1, Bonus((Band(D("99.99"), percent=D(1)),)), target_id=1)]
    credits = march(clauses, {1: [sl(1, "2026-03", MET)]})
    assert [str(ln.amount) for ln in credits.lines] == ["0.00"]
    assert [str(b.amount) for b in credits.incentives] == ["0.00"]
    assert str(credits.total) == "0.00"


def test_a_target_whose_data_is_incomplete_waits_and_the_others_are_computed():
    incomplete = replace(sl(1, "2026-03", MISS), completeness=Completeness.INCOMPLETE,
                         coverage="data covers 1 Mar 00:00 – 15 Mar 00:00 of 2026-03")
    running = replace(sl(2, "2026-03", MISS), completeness=Completeness.IN_PROGRESS,
                      coverage="data covers 1 Mar 00:00 – 20 Mar 00:00 of 2026-03")
    done = replace(sl(3, "2026-03", MISS), completeness=Completeness.COMPLETE)
    credits = march([fixed(1), fixed(2), fixed(3)], {1: [incomplete], 2: [running], 3: [done]})
    assert credits.incomplete == ("SL1", "SL2")
    assert credits.notes == (
        "SL1: incomplete — data covers 1 Mar 00:00 – 15 Mar 00:00 of 2026-03; no credit computed.",
        "SL2: in progress — data covers 1 Mar 00:00 – 20 Mar 00:00 of 2026-03; no credit computed.")
    assert [(ln.target_id, ln.amount) for ln in credits.lines] == [(3, D("100.00"))]


def test_targets_without_a_figure_are_noted_and_do_not_stop_the_others():
    history = {2: [sl(2, "2026-03", None)], 3: [sl(3, "2026-03", MISS)]}
    credits = march([fixed(7), fixed(2), fixed(3)], history)
    assert credits.notes == ("target 7: no attainment figure for 2026-03; no credit computed.",
                             "SL2: no attainment figure for 2026-03; no credit computed.")
    assert [(ln.target_id, ln.amount) for ln in credits.lines] == [(3, D("100.00"))]


def test_a_figure_without_a_verdict_is_not_a_miss_even_below_the_minimum_level():
    clauses = [Clause(1, AtRiskPool(D(10))), Clause(1, Allocation(D(50), minimum=D("99.5")), target_id=1),
               Clause(1, TerminationTrigger(1, 1), target_id=1)]
    unassessed = replace(sl(1, "2026-03", "99.0"), met=None)
    credits = march(clauses, {1: [unassessed]})
    assert credits.total == D("0.00")
    assert credits.termination[0].missed_periods == ()


# --- claim deadlines -----------------------------------------------------------------------------------------------


def test_a_claim_window_in_days_runs_from_the_period_end():
    assert claim_deadline([Clause(1, ClaimWindow(days=60))], "2026-03") == (
        date(2026, 5, 30), "period end 2026-03-31 + 60 days = 2026-05-30")
    assert claim_deadline([Clause(1, ClaimWindow(days=30))], "2026-Q1") == (
        date(2026, 4, 30), "period end 2026-03-31 + 30 days = 2026-04-30")


def test_a_claim_window_in_months_runs_to_a_month_end_and_may_add_days():
    assert claim_deadline([Clause(1, ClaimWindow(months=1))], "2026-03") == (
        date(2026, 4, 30), "period end 2026-03-31; end of the first month after = 2026-04-30")
    assert claim_deadline([Clause(1, ClaimWindow(months=2, days=10))], "2026-03") == (
        date(2026, 6, 10), "period end 2026-03-31; end of the second month after = 2026-05-31 + 10 days = 2026-06-10")
    assert claim_deadline([Clause(1, ClaimWindow(months=3))], "2026-03")[1] == (
        "period end 2026-03-31; end of the third month after = 2026-06-30")
    assert claim_deadline([Clause(1, ClaimWindow(months=4))], "2026-03")[1] == (
        "period end 2026-03-31; end of the 4th month after = 2026-07-31")


def test_without_a_claim_window_there_is_no_deadline():
    assert claim_deadline([fixed(1)], "2026-03") == (None, "the contract sets no claim window")
