"""One target's credit under one clause — tiered, fixed, per unit, allocated — with every field and trace step
worked out by hand (sltdesk/rules/penalty_lines.py)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from penalty_cases import contract, result

from sltdesk.domain.penalties import (
    Allocation,
    AtRiskPool,
    Band,
    Clause,
    CreditLine,
    FixedCredit,
    LineKind,
    PerUnitCredit,
    Step,
    TieredCredit,
    Unit,
)
from sltdesk.domain.register import Comparison, MetricKind
from sltdesk.rules.penalties import compute_credits

D = Decimal
ZERO_STEP = "met → no credit"


def month(clauses, achieved: str | None, *, charges: str = "10000.00", threshold: str = "99.9", **kwargs):
    """Credits for March 2026 of target 1 ("SL1")."""
    history = {1: [result(1, "2026-03", achieved, name="SL1", threshold=threshold, **kwargs)]}
    return compute_credits(contract=contract(charges), clauses=clauses, history=history, periods=["2026-03"])[0]


def only_line(credits) -> CreditLine:
    assert len(credits.lines) == 1
    return credits.lines[0]


def texts(line: CreditLine) -> list[str]:
    return [s.text for s in line.trace]


TABLE = [Clause(1, TieredCredit((Band(D("99.9"), percent=D(5)), Band(D("99.0"), percent=D(10)))), target_id=1)]


# --- tiered ---------------------------------------------------------------------------------------------------------


def test_a_figure_just_below_a_band_edge_is_written_with_the_decimals_that_keep_it_below():
    line = only_line(month(TABLE, "98.99996"))
    # 98.99996 to four decimals would read 99.0000, on the 99.0 edge: a fifth decimal keeps it below
    assert line == CreditLine(
        target_id=1, target="SL1", kind=LineKind.CREDIT, clause="tiered credit", achieved=D("98.99996"),
        band="< 99.0 % → 10 % of charges", amount=D("1000.00"), period="2026-03", netted=True,
        achieved_text="98.99996 %",
        trace=(Step("SL1 2026-03: achieved 98.99996 % against target ≥ 99.9 % → missed"),
               Step("98.99996 % < 99.0 % → band < 99.0 % → 10 % of charges"),
               Step("credit: charges 10,000.00 × 10 % = 1,000.00", D("1000.00"))))


def test_a_met_target_under_a_table_names_the_first_edge_it_is_not_below():
    line = only_line(month(TABLE, "99.95"))
    assert (line.amount, str(line.amount), line.band, line.achieved_text) == (D(0), "0.00", "", "99.95 %")
    assert line.trace == (Step("SL1 2026-03: achieved 99.95 % against target ≥ 99.9 % → met"),
                          Step("99.95 % is not < 99.9 %: no band applies → no credit", D(0)))


def test_a_lower_is_better_figure_under_every_band_names_the_lowest_edge():
    bands = (Band(D("35"), percent=D(5)), Band(D("50"), percent=D(10)))
    latency = dict(threshold="35", comparison=Comparison.AT_MOST, unit="ms", metric=MetricKind.LATENCY_PERCENTILE)
    clauses = [Clause(1, TieredCredit(bands), target_id=1)]
    line = only_line(month(clauses, "30", **latency))
    assert line.trace == (Step("SL1 2026-03: achieved 30 ms against target ≤ 35 ms → met"),
                          Step("30 ms is not > 35 ms: no band applies → no credit", D(0)))
    worse = only_line(month(clauses, "51", **latency))
    assert (worse.band, worse.amount) == ("> 50 ms → 10 % of charges", D("1000.00"))
    assert texts(worse)[1] == "51 ms > 50 ms → band > 50 ms → 10 % of charges"


def test_an_inclusive_table_credits_a_figure_exactly_on_its_edge():
    clauses = [Clause(1, TieredCredit((Band(D("99.9"), percent=D(5)),), inclusive=True), target_id=1)]
    on_edge = only_line(month(clauses, "99.9", threshold="99.95"))
    assert (on_edge.amount, on_edge.band) == (D("500.00"), "≤ 99.9 % → 5 % of charges")
    assert texts(on_edge)[1:] == ["99.9 % ≤ 99.9 % → band ≤ 99.9 % → 5 % of charges",
                                  "credit: charges 10,000.00 × 5 % = 500.00"]
    assert only_line(month(clauses, "99.89", threshold="99.95")).amount == D("500.00")
    above = only_line(month(clauses, "99.91", threshold="99.95"))
    assert above.amount == D(0) and texts(above)[1] == "99.91 % is not ≤ 99.9 %: no band applies → no credit"


def test_a_band_may_give_a_fixed_amount_instead_of_a_share():
    clauses = [Clause(1, TieredCredit((Band(D("99.9"), amount=D("500.00")),)), target_id=1)]
    line = only_line(month(clauses, "99.5"))
    assert (line.band, line.amount) == ("< 99.9 % → 500.00", D("500.00"))
    assert line.trace[1:] == (Step("99.5 % < 99.9 % → band < 99.9 % → 500.00"),
                              Step("credit: fixed amount = 500.00", D("500.00")))


def test_a_target_compared_strictly_shows_its_own_sign():
    line = only_line(month(TABLE, "99.5", comparison=Comparison.MORE_THAN))
    assert texts(line)[0] == "SL1 2026-03: achieved 99.5 % against target > 99.9 % → missed"


def test_a_figure_without_a_verdict_is_not_assessed_and_a_fixed_credit_is_not_charged():
    unassessed = replace(result(1, "2026-03", "99.5", name="SL1", threshold="99.9"), met=None)
    history = {1: [unassessed]}
    clauses = TABLE + [Clause(1, FixedCredit(D("250.00")), target_id=1)]
    credits = compute_credits(contract=contract("10000.00"), clauses=clauses, history=history,
                              periods=["2026-03"])[0]
    table, fixed = credits.lines
    assert texts(table)[0] == "SL1 2026-03: achieved 99.5 % against target ≥ 99.9 % → not assessed"
    assert table.amount == D("500.00")  # the table reads the figure itself
    assert fixed.amount == D(0) and fixed.trace[-1] == Step(ZERO_STEP, D(0))


def test_a_contract_that_rounds_before_comparing_shows_the_measured_figure_first():
    rounded = replace(result(1, "2026-03", "99.95", name="SL1", threshold="99.95"), unrounded=D("99.949996"),
                      rounding_rule="rounded half-up to 2 decimals before comparison, as the contract says")
    history = {1: [rounded]}
    clauses = [Clause(1, TieredCredit((Band(D("99.95"), percent=D(5)),)), target_id=1)]
    line = compute_credits(contract=contract("10000.00"), clauses=clauses, history=history,
                           periods=["2026-03"])[0].lines[0]
    # 99.949996 written to four decimals would be 99.9500, on the threshold it is below: six are needed
    assert texts(line)[:2] == [
        "SL1 2026-03: measured 99.949996 %, rounded half-up to 2 decimals before comparison, as the contract says "
        "→ 99.95 %",
        "SL1 2026-03: achieved 99.95 % against target ≥ 99.95 % → met"]
    assert line.amount == D(0)


def test_a_figure_rounded_to_many_decimals_is_written_clear_of_a_band_edge_in_both_steps():
    rounded = replace(result(1, "2026-03", "99.000005", name="SL1", threshold="99.9"), unrounded=D("99.0000049"),
                      rounding_rule="rounded half-up to 6 decimals")
    line = compute_credits(contract=contract("10000.00"), clauses=TABLE, history={1: [rounded]},
                           periods=["2026-03"])[0].lines[0]
    assert texts(line) == [
        "SL1 2026-03: measured 99.000005 %, rounded half-up to 6 decimals → 99.000005 %",
        "SL1 2026-03: achieved 99.000005 % against target ≥ 99.9 % → missed",
        "99.000005 % < 99.9 % → band < 99.9 % → 5 % of charges",
        "credit: charges 10,000.00 × 5 % = 500.00"]
    assert line.achieved_text == "99.000005 %"


def test_a_figure_the_contract_rounds_is_measured_as_written_without_padding():
    rounded = replace(result(1, "2026-03", "99.9", name="SL1", threshold="99.9"), unrounded=D("99.86"),
                      rounding_rule="rounded half-up to 1 decimal")
    line = compute_credits(contract=contract("10000.00"), clauses=TABLE, history={1: [rounded]},
                           periods=["2026-03"])[0].lines[0]
    assert texts(line)[0] == "SL1 2026-03: measured 99.86 %, rounded half-up to 1 decimal → 99.9 %"


def test_a_figure_just_above_a_band_edge_but_below_the_target_is_written_clear_of_that_edge():
    clauses = [Clause(1, TieredCredit((Band(D("99.9"), percent=D(5)),)), target_id=1)]
    line = only_line(month(clauses, "99.900004", threshold="99.95"))
    # missed (below 99.95) but not below the 99.9 band: 99.9000 would put it on the edge
    assert line.amount == D(0) and line.achieved_text == "99.900004 %"
    assert line.trace[1] == Step("99.900004 % is not < 99.9 %: no band applies → no credit", D(0))


# --- fixed -----------------------------------------------------------------------------------------------------------


def test_a_fixed_credit_is_charged_once_for_a_missed_period():
    line = only_line(month([Clause(1, FixedCredit(D("1000.00")), target_id=1)], "99.8"))
    assert (line.band, line.amount, line.clause) == ("1,000.00 per breach", D("1000.00"), "fixed per breach")
    assert line.trace[1:] == (Step("missed → fixed amount per breach = 1,000.00", D("1000.00")),)


def test_a_fixed_credit_is_nothing_for_a_met_period():
    line = only_line(month([Clause(1, FixedCredit(D("1000.00")), target_id=1)], "99.9"))
    assert (line.band, line.amount) == ("1,000.00 per breach", D(0))
    assert line.trace == (Step("SL1 2026-03: achieved 99.9 % against target ≥ 99.9 % → met"),
                          Step(ZERO_STEP, D(0)))


# --- per unit --------------------------------------------------------------------------------------------------------


TICKETS = dict(threshold="90", metric=MetricKind.RESOLUTION_TIME)


def test_a_per_ticket_credit_pays_for_the_tickets_beyond_the_free_ones():
    clauses = [Clause(1, PerUnitCredit(Unit.MISSED_TICKET, D("75.00"), free_units=D(3)), target_id=1)]
    line = only_line(month(clauses, "82.5", counts={"tickets": 40, "missed": 7}, **TICKETS))
    assert (line.band, line.amount, line.clause) == ("75.00 per missed ticket", D("300.00"), "per unit")
    assert line.trace[1:] == (Step("7 missed tickets"), Step("7 − 3 free = 4 to pay for"),
                              Step("4 × 75.00 = 300.00", D("300.00")))


def test_a_per_ticket_credit_without_free_tickets_has_no_allowance_step():
    clauses = [Clause(1, PerUnitCredit(Unit.MISSED_TICKET, D("75.00")), target_id=1)]
    line = only_line(month(clauses, "82.5", counts={"tickets": 40, "missed": 7}, **TICKETS))
    assert line.trace[1:] == (Step("7 missed tickets"), Step("7 × 75.00 = 525.00", D("525.00")))


def test_a_per_unit_credit_without_the_count_computes_nothing_and_says_so():
    clauses = [Clause(1, PerUnitCredit(Unit.MISSED_TICKET, D("75.00")), target_id=1)]
    line = only_line(month(clauses, "82.5", **TICKETS))
    assert (line.band, line.amount) == ("75.00 per missed ticket", D(0))
    assert line.trace[1:] == (Step("the attainment holds no count of missed tickets → no per-unit credit computed",
                                   D(0)),)


# --- allocations of the at-risk amount -------------------------------------------------------------------------------


POOL = Clause(1, AtRiskPool(D(10)))  # of 20,000.00: 2,000.00 at risk


def test_below_the_minimum_the_allocation_is_credited_and_the_figure_kept_clear_of_the_minimum():
    clauses = [POOL, Clause(1, Allocation(D(50), minimum=D("99.5")), target_id=1)]
    line = only_line(month(clauses, "99.49999", charges="20000.00"))
    assert (line.band, line.amount, line.achieved_text) == ("50 % of the at-risk amount", D("1000.00"), "99.49999 %")
    assert line.trace == (
        Step("SL1 2026-03: achieved 99.49999 % against target ≥ 99.9 % → missed"),
        Step("99.49999 % is below the minimum 99.5 %"),
        Step("charges 20,000.00 × at-risk 10 % = 2,000.00", D("2000.00")),
        Step("at-risk 2,000.00 × allocation 50 % = 1,000.00", D("1000.00")),
        Step("at-risk amount 2,000.00 not reached (credits 1,000.00)", D("1000.00")))


def test_exactly_at_the_minimum_a_missed_target_gives_no_credit():
    clauses = [POOL, Clause(1, Allocation(D(50), minimum=D("99.5")), target_id=1)]
    line = only_line(month(clauses, "99.5", charges="20000.00"))
    assert line.amount == D(0)
    assert line.trace[1] == Step("99.5 % misses the expected level but is not below the minimum 99.5 % → no credit",
                                 D(0))


def test_just_above_the_minimum_the_figure_is_written_clear_of_it():
    clauses = [POOL, Clause(1, Allocation(D(50), minimum=D("99.5")), target_id=1)]
    line = only_line(month(clauses, "99.500004", charges="20000.00"))
    assert line.amount == D(0)
    assert line.trace[1] == Step("99.500004 % misses the expected level but is not below the minimum 99.5 % → no "
                                 "credit", D(0))


def test_a_met_target_with_a_minimum_level_is_simply_met():
    clauses = [POOL, Clause(1, Allocation(D(50), minimum=D("99.5")), target_id=1)]
    line = only_line(month(clauses, "99.95", charges="20000.00"))
    assert line.amount == D(0) and line.trace[1] == Step(ZERO_STEP, D(0))


def test_a_met_target_gives_no_share_of_the_at_risk_amount():
    clauses = [POOL, Clause(1, Allocation(D(50)), target_id=1)]
    line = only_line(month(clauses, "99.9", charges="20000.00"))
    assert (line.amount, line.band) == (D(0), "50 % of the at-risk amount")
    assert line.trace[1] == Step(ZERO_STEP, D(0))


def test_an_allocation_without_an_at_risk_clause_gives_nothing():
    line = only_line(month([Clause(1, Allocation(D(50)), target_id=1)], "98", charges="20000.00"))
    assert (line.amount, line.band) == (D(0), "50 % of the at-risk amount")
    assert line.trace[1:] == (
        Step("the contract has no at-risk amount clause, so the allocation gives nothing", D(0)),)
