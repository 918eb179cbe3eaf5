"""Business impact beside the credit, termination triggers and the at-risk pool check, worked out by hand.
Target n is "SLn" with a 99.9 % threshold; "99.5" is a miss, "99.95" is met."""

from __future__ import annotations

from decimal import Decimal

from penalty_cases import contract, result

from sltdesk.domain.penalties import (
    Allocation,
    AtRiskPool,
    Band,
    BusinessImpact,
    Clause,
    FixedCredit,
    ImpactLine,
    Step,
    TerminationFlag,
    TerminationTrigger,
    TieredCredit,
    Unit,
)
from sltdesk.domain.period import span
from sltdesk.rules.penalties import compute_credits

D = Decimal
MISS, MET = "99.5", "99.95"


def run(clauses, figures: dict[int, dict[str, str]], *, charges: str = "10000.00", counts: dict | None = None):
    periods = sorted({p for by_period in figures.values() for p in by_period})
    history = {tid: [result(tid, p, a, name=f"SL{tid}", threshold="99.9", counts=counts if tid == 1 else None)
                     for p, a in sorted(by_period.items())] for tid, by_period in figures.items()}
    runs = compute_credits(contract=contract(charges), clauses=clauses, history=history, periods=periods)
    return {c.period: c for c in runs}


# --- business impact ------------------------------------------------------------------------------------------------


def test_business_impact_is_priced_beside_the_targets_own_credit_with_the_share_it_covers():
    clauses = [Clause(1, TieredCredit((Band(D("99.9"), percent=D(10)),)), target_id=1),
               Clause(1, FixedCredit(D("500.00")), target_id=2),
               Clause(1, BusinessImpact(Unit.DOWNTIME_MINUTE, D("120.00"), D(60)), target_id=1)]
    march = run(clauses, {1: {"2026-03": MISS}, 2: {"2026-03": MISS}}, charges="14200.00",
                counts={"downtime_minutes": D("223.2")})["2026-03"]
    # 223.2 × 120.00 × 60 % = 16,070.40; SL1's credit 10 % of 14,200.00 = 1,420.00 is 8.836… % of it
    assert march.business_impact == (ImpactLine(
        target_id=1, target="SL1", units=D("223.2"), unit="minute of downtime", amount=D("16070.40"),
        credit=D("1420.00"), gap=D("14650.40"),
        trace=(Step("223.2 minutes of downtime"),
               Step("223.2 × 120.00 per minute of downtime × impact share 60 % = 16,070.40", D("16070.40")),
               Step("the contractual credit 1,420.00 covers 8.8 % of it; gap 14,650.40"))),)
    assert march.total == D("1920.00")  # the impact is never added


def test_an_impact_of_nothing_says_what_the_credit_is_without_a_share():
    clauses = [Clause(1, BusinessImpact(Unit.STARTED_HOUR_DOWNTIME, D("1000.00")), target_id=1)]
    impact = run(clauses, {1: {"2026-03": MET}}, counts={"downtime_minutes": 0})["2026-03"].business_impact[0]
    assert (impact.units, impact.amount, impact.credit, impact.gap) == (D(0), D("0.00"), D(0), D("0.00"))
    assert isinstance(impact.credit, Decimal)  # money, even when no credit clause gives a line
    assert impact.trace == (Step("0 minutes of downtime = 0 started hours"),
                            Step("0 × 1,000.00 per started hour of downtime × impact share 100 % = 0.00", D("0.00")),
                            Step("the contractual credit is 0.00; gap 0.00"))


def test_an_impact_without_a_count_is_not_priced_and_does_not_stop_the_next():
    clauses = [Clause(1, BusinessImpact(Unit.DOWNTIME_MINUTE, D("10.00")), target_id=7),
               Clause(1, BusinessImpact(Unit.MISSED_TICKET, D("50.00")), target_id=1),
               Clause(1, BusinessImpact(Unit.DOWNTIME_MINUTE, D("10.00")), target_id=1)]
    march = run(clauses, {1: {"2026-03": MISS}}, counts={"downtime_minutes": D("30")})["2026-03"]
    nowhere, no_tickets, priced = march.business_impact
    assert nowhere == ImpactLine(7, "7", None, "minute of downtime", None, D(0), None,
                                 (Step("no count of minute of downtimes for 2026-03: impact not priced"),))
    assert no_tickets == ImpactLine(1, "SL1", None, "missed ticket", None, D(0), None,
                                    (Step("no count of missed tickets for 2026-03: impact not priced"),))
    assert (priced.amount, priced.gap) == (D("300.00"), D("300.00"))


# --- termination triggers -------------------------------------------------------------------------------------------


FIGURES = {1: {"2026-01": MET, "2026-02": MISS, "2026-03": MET},
           2: {"2026-01": MISS, "2026-02": MET, "2026-03": MISS}}


def test_a_trigger_on_one_target_counts_only_its_misses():
    march = run([Clause(1, TerminationTrigger(2, 3), target_id=1)], FIGURES)["2026-03"]
    assert march.termination == (TerminationFlag(
        target="SL1", misses=2, window=3, missed_periods=("2026-02",), triggered=False,
        text="SL1: missed in 1 of the 3 periods 2026-01 – 2026-03 (2026-02); a right to terminate arises at 2 misses"),)


def test_a_trigger_on_the_contract_counts_periods_in_which_any_target_missed():
    march = run([Clause(1, TerminationTrigger(2, 3))], FIGURES)["2026-03"]
    assert march.termination == (TerminationFlag(
        target="any target", misses=2, window=3, missed_periods=("2026-01", "2026-02", "2026-03"), triggered=True,
        text="any target: missed in 3 of the 3 periods 2026-01 – 2026-03 (2026-01, 2026-02, 2026-03): the customer "
             "may terminate (2 misses in 3 periods)"),)


def test_a_trigger_fires_at_exactly_its_number_of_misses():
    figures = {1: {"2026-01": MISS, "2026-02": MET, "2026-03": MISS}}
    flag = run([Clause(1, TerminationTrigger(2, 3), target_id=1)], figures)["2026-03"].termination[0]
    assert (flag.missed_periods, flag.triggered) == (("2026-01", "2026-03"), True)
    assert flag.text == ("SL1: missed in 2 of the 3 periods 2026-01 – 2026-03 (2026-01, 2026-03): the customer may "
                         "terminate (2 misses in 3 periods)")


def test_a_trigger_without_misses_lists_no_periods():
    runs = run([Clause(1, TerminationTrigger(2, 3), target_id=1)], {1: dict.fromkeys(span("2026-01", "2026-03"), MET)})
    assert runs["2026-03"].termination[0].text == ("SL1: missed in 0 of the 3 periods 2026-01 – 2026-03; a right to "
                                                   "terminate arises at 2 misses")


def test_a_trigger_on_a_target_without_figures_names_it_by_its_id():
    flag = run([Clause(1, TerminationTrigger(1, 2), target_id=7)], FIGURES)["2026-03"].termination[0]
    assert (flag.target, flag.missed_periods, flag.triggered) == ("7", (), False)
    assert flag.text == "7: missed in 0 of the 2 periods 2026-02 – 2026-03; a right to terminate arises at 1 misses"


# --- the at-risk pool ----------------------------------------------------------------------------------------------


def test_allocations_of_exactly_the_pool_limit_are_fine_and_more_is_noted():
    pool = Clause(1, AtRiskPool(D(10)))
    exact = [pool, Clause(1, Allocation(D(60)), target_id=1), Clause(1, Allocation(D(40)), target_id=2)]
    assert run(exact, {1: {"2026-03": MET}})["2026-03"].notes == (
        "target 2: no attainment figure for 2026-03; no credit computed.",)
    over = [pool, Clause(1, Allocation(D(60)), target_id=1), Clause(1, Allocation(D("50.5")), target_id=1)]
    assert run(over, {1: {"2026-03": MET}})["2026-03"].notes == (
        "the allocations add up to 110.5 %, more than the pool limit of 100 %",)
