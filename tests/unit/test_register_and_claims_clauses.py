"""Clauses in words and the checks a clause (and a clause set) must pass, pinned to the sentences a contract owner
reads. Contract 1 has targets 11 (SL1) and 12 (SL2)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from sltdesk.domain.penalties import (
    Allocation,
    AtRiskPool,
    Band,
    Bonus,
    BusinessImpact,
    Cap,
    CapScope,
    ClaimWindow,
    Clause,
    EarnBack,
    EarnBackMode,
    FixedCredit,
    Multiplier,
    PerUnitCredit,
    TerminationTrigger,
    TieredCredit,
    Unit,
)
from sltdesk.rules.clauses import clause_problems, describe, set_problems

D = Decimal
TARGETS = (11, 12)
# Given out of order on purpose: the description sorts them, worst band last.
CREDIT_BANDS = (Band(D("99.5"), percent=D("10")), Band(D("99.9"), percent=D("5")), Band(D("99.0"), amount=D("2500.00")))
BONUS_BANDS = (Band(D("99.99"), percent=D("2")), Band(D("99.95"), percent=D("1")), Band(D("100"), amount=D("750.00")))


def problems(terms, target_id: int | None = None) -> list[str]:
    return clause_problems(Clause(1, terms, target_id), target_ids=TARGETS)


# --- describe ------------------------------------------------------------------------------------------------------


def test_a_credit_table_reads_from_the_mildest_band_to_the_worst_with_strict_edges():
    assert describe(TieredCredit(CREDIT_BANDS), "GBP") == "< 99.9 → 5 %; < 99.5 → 10 %; < 99.0 → GBP 2,500.00"


def test_an_inclusive_credit_table_writes_its_edges_as_at_most():
    assert describe(TieredCredit(CREDIT_BANDS, inclusive=True), "GBP") == (
        "≤ 99.9 → 5 %; ≤ 99.5 → 10 %; ≤ 99.0 → GBP 2,500.00")


def test_a_bonus_table_reads_upwards_and_says_it_is_netted_against_the_credits():
    assert describe(Bonus(BONUS_BANDS), "EUR") == (
        "≥ 99.95 → 1 %; ≥ 99.99 → 2 %; ≥ 100 → EUR 750.00 (netted against credits)")


def test_a_strict_bonus_paid_separately_says_so():
    assert describe(Bonus(BONUS_BANDS, netted=False, inclusive=False), "EUR") == (
        "> 99.95 → 1 %; > 99.99 → 2 %; > 100 → EUR 750.00 (paid separately, not netted)")


def test_an_amount_without_a_currency_is_written_bare():
    assert describe(FixedCredit(D("500.00"))) == "500.00 for each period missed"
    assert describe(FixedCredit(D("1500")), "GBP") == "GBP 1,500 for each period missed"


def test_a_per_unit_credit_names_its_unit_and_its_free_units_only_when_there_are_some():
    assert describe(PerUnitCredit(Unit.DOWNTIME_MINUTE, D("25.00"), D("30")), "GBP") == (
        "GBP 25.00 per minute of downtime after 30 free")
    assert describe(PerUnitCredit(Unit.MISSED_TICKET, D("40.00")), "GBP") == "GBP 40.00 per missed ticket"


def test_the_pool_and_an_allocation_are_shares_and_a_minimum_is_mentioned_only_when_set():
    assert describe(AtRiskPool(D("12"), D("90"))) == "12 % of the charges at risk; allocations up to 90 %"
    assert describe(Allocation(D("40"))) == "40 % of the at-risk amount"
    assert describe(Allocation(D("25"), minimum=D("95.0"))) == (
        "25 % of the at-risk amount; credit only below the minimum 95.0")


def test_a_cap_is_a_share_of_the_charges_per_period_or_an_amount_per_year():
    assert describe(Cap(percent=D("15")), "GBP") == "at most 15 % of the charges per period"
    assert describe(Cap(CapScope.YEAR, amount=D("50000")), "GBP") == "at most GBP 50,000 per year"


def test_multiplier_steps_are_listed_in_the_order_given():
    assert describe(Multiplier(((2, D("2")), (3, D("3.5"))))) == (
        "2 misses in a row → × 2; 3 misses in a row → × 3.5")


def test_an_earn_back_says_whether_the_credit_is_returned_or_no_longer_claimed():
    assert describe(EarnBack(3)) == "a credit is returned when the target is met in each of the next 3 periods"
    assert describe(EarnBack(2, EarnBackMode.WAIVE)) == (
        "a credit is not claimed when the target is met in each of the next 2 periods")


def test_business_impact_and_termination_read_as_sentences():
    assert describe(BusinessImpact(Unit.MISSED_TICKET, D("120.00"), D("50")), "GBP") == (
        "GBP 120.00 per missed ticket × impact share 50 %")
    assert describe(TerminationTrigger(3, 6)) == "right to terminate at 3 misses in 6 periods"


def test_a_claim_window_in_days_counts_from_period_end():
    assert describe(ClaimWindow(days=60)) == "claim within 60 days of period end"


@pytest.mark.parametrize("months, nth", [(1, "first"), (2, "second"), (3, "third"), (4, "4th"), (11, "11th"),
                                         (12, "12th"), (13, "13th"), (21, "21st"), (22, "22nd"), (23, "23rd"),
                                         (101, "101st")])
def test_a_claim_window_in_months_names_the_month(months, nth):
    assert describe(ClaimWindow(months=months)) == f"claim by the end of the {nth} month after the period"


def test_days_added_to_a_month_window_are_written_after_it():
    assert describe(ClaimWindow(days=15, months=2)) == "claim by the end of the second month after the period + 15 days"


def test_something_that_is_not_a_clause_is_described_as_nothing():
    assert describe(None) == ""


# --- one clause ----------------------------------------------------------------------------------------------------


def test_well_formed_clauses_on_the_right_level_have_no_problems():
    assert problems(TieredCredit(CREDIT_BANDS), 11) == []
    assert problems(Bonus(BONUS_BANDS), 12) == []
    assert problems(AtRiskPool(D("12"))) == []
    assert problems(ClaimWindow(days=60)) == []
    assert problems(Cap(percent=D("15"))) == []
    assert problems(Cap(amount=D("1000")), 11) == []


def test_a_credit_clause_without_a_target_is_told_to_choose_one():
    assert problems(FixedCredit(D("500")), None) == [
        "A fixed per breach clause belongs to a target: choose one of the contract's targets."]


def test_a_clause_kind_that_starts_with_a_vowel_takes_an():
    assert problems(Allocation(D("5")), None)[0].startswith("An at-risk allocation clause belongs to a target")
    assert problems(AtRiskPool(D("5")), 11)[0] == (
        "An at-risk pool clause applies to the whole contract: do not give it a target.")


def test_a_contract_clause_given_a_target_is_told_to_drop_it():
    assert problems(ClaimWindow(days=60), 11) == [
        "A claim window clause applies to the whole contract: do not give it a target."]


def test_a_target_of_another_contract_is_refused():
    assert problems(FixedCredit(D("500")), 99) == [
        "The clause names a target of another contract; choose one of this contract's targets."]


def test_a_clause_lists_its_placement_problems_before_its_term_problems():
    assert problems(FixedCredit(D("-5")), 99) == [
        "The clause names a target of another contract; choose one of this contract's targets.",
        "Amounts are positive."]
    assert problems(ClaimWindow(), 12) == [
        "A claim window clause applies to the whole contract: do not give it a target.",
        "A claim window is a number of days (or months) after period end, more than zero."]


def test_a_credit_table_needs_at_least_one_band():
    assert problems(TieredCredit(()), 11) == [
        "Give at least one band (an attainment edge and a percentage or an amount)."]


def test_each_band_gives_either_a_percentage_or_an_amount():
    both = Band(D("99.5"), percent=D("5"), amount=D("100"))
    assert problems(TieredCredit((both,)), 11) == [
        "The band at 99.5 needs either a percentage or an amount, not both."]
    assert problems(TieredCredit((Band(D("99.0")),)), 11) == ["The band at 99.0 needs a percentage or an amount."]


def test_a_band_percentage_runs_from_0_to_100_inclusive():
    edges = (Band(D("99.9"), percent=D("0")), Band(D("99.5"), percent=D("100")))
    assert problems(TieredCredit(edges), 11) == []
    outside = (Band(D("99.9"), percent=D("-0.01")), Band(D("99.5"), percent=D("100.01")))
    assert problems(TieredCredit(outside), 11) == [
        "The band at 99.9 gives -0.01 %; use 0 to 100 %.", "The band at 99.5 gives 100.01 %; use 0 to 100 %."]


def test_a_band_amount_may_be_zero_but_not_negative():
    assert problems(Bonus((Band(D("99.99"), amount=D("0")), Band(D("100"), amount=D("0.5")))), 11) == []
    assert problems(Bonus((Band(D("99.99"), amount=D("-0.01")),)), 11) == [
        "The band at 99.99 has a negative amount; amounts are positive."]


def test_a_pool_share_must_be_above_0_and_at_most_100():
    assert problems(AtRiskPool(D("0.01"))) == [] and problems(AtRiskPool(D("100"))) == []
    assert problems(AtRiskPool(D("0"))) == ["0 % is not a share between 0 and 100 %."]
    assert problems(AtRiskPool(D("100.01"))) == ["100.01 % is not a share between 0 and 100 %."]


def test_an_allocation_share_must_be_above_0_and_at_most_100():
    assert problems(Allocation(D("1")), 11) == [] and problems(Allocation(D("100")), 11) == []
    assert problems(Allocation(D("-5")), 11) == ["-5 % is not a share between 0 and 100 %."]


def test_a_cap_gives_a_percentage_or_an_amount_not_both_nor_neither():
    sentence = "A cap is either a percentage of the charges or an amount: give one of them."
    assert problems(Cap()) == [sentence]
    assert problems(Cap(percent=D("10"), amount=D("1000"))) == [sentence]


def test_multiplier_steps_need_two_misses_and_a_positive_factor():
    sentence = "Multiplier steps are (misses in a row, factor) with at least 2 misses and a positive factor."
    assert problems(Multiplier(((2, D("2")), (3, D("0.5"))))) == []
    assert problems(Multiplier(())) == [sentence]
    assert problems(Multiplier(((1, D("2")),))) == [sentence]
    assert problems(Multiplier(((2, D("0")),))) == [sentence]


def test_an_earn_back_needs_at_least_one_following_period():
    assert problems(EarnBack(1)) == []
    assert problems(EarnBack(0)) == ["An earn-back needs at least one following period."]


def test_a_termination_trigger_needs_between_one_miss_and_the_window():
    sentence = "A termination trigger needs 1 ≤ misses ≤ window (e.g. 3 misses in 6 periods)."
    assert problems(TerminationTrigger(1, 1)) == [] and problems(TerminationTrigger(6, 6)) == []
    assert problems(TerminationTrigger(0, 6)) == [sentence]
    assert problems(TerminationTrigger(7, 6)) == [sentence]


def test_a_claim_window_is_some_days_or_months_and_never_negative():
    sentence = "A claim window is a number of days (or months) after period end, more than zero."
    assert problems(ClaimWindow(days=60)) == [] and problems(ClaimWindow(months=1)) == []
    assert problems(ClaimWindow()) == [sentence]
    assert problems(ClaimWindow(days=-1, months=1)) == [sentence]
    assert problems(ClaimWindow(days=30, months=-1)) == [sentence]


def test_fixed_and_per_unit_amounts_may_be_zero_but_not_negative():
    assert problems(FixedCredit(D("0")), 11) == []
    assert problems(PerUnitCredit(Unit.LATE_SHIPMENT, D("0.5")), 11) == []
    assert problems(PerUnitCredit(Unit.LATE_SHIPMENT, D("-0.01")), 11) == ["Amounts are positive."]


def test_business_impact_costs_are_not_negative_and_the_share_runs_from_0_to_100():
    sentence = "The cost per unit is positive and the impact share between 0 and 100 %."
    assert problems(BusinessImpact(Unit.DOWNTIME_MINUTE, D("0"), D("0")), 11) == []
    assert problems(BusinessImpact(Unit.DOWNTIME_MINUTE, D("0.5")), 11) == []  # default share 100 %
    assert problems(BusinessImpact(Unit.DOWNTIME_MINUTE, D("-1")), 11) == [sentence]
    assert problems(BusinessImpact(Unit.DOWNTIME_MINUTE, D("10"), D("100.01")), 11) == [sentence]
    assert problems(BusinessImpact(Unit.DOWNTIME_MINUTE, D("10"), D("-0.01")), 11) == [sentence]


# --- the clause set ------------------------------------------------------------------------------------------------


def northwind_set(*extra: Clause) -> list[Clause]:
    return [Clause(1, AtRiskPool(D("12"))), Clause(1, Allocation(D("40")), 11), Clause(1, Allocation(D("60")), 12),
            Clause(1, ClaimWindow(days=60)), Clause(1, EarnBack(3), 11), *extra]


def test_a_pool_with_allocations_up_to_its_limit_and_one_claim_window_is_a_good_set():
    assert set_problems(northwind_set()) == []  # 40 % + 60 % = the 100 % limit exactly
    assert set_problems([]) == []


def test_allocations_over_the_pool_limit_are_named_with_both_figures():
    over = northwind_set(Clause(1, Allocation(D("0.5")), 11))
    assert set_problems(over) == ["The allocations add up to 100.5 %, more than the pool limit 100 %."]


def test_a_second_pool_or_claim_window_is_one_too_many():
    assert set_problems(northwind_set(Clause(1, AtRiskPool(D("10"))), Clause(1, ClaimWindow(months=1)))) == [
        "A contract has at most one at-risk pool clause; remove the extra one.",
        "A contract has at most one claim window clause; remove the extra one."]


def test_allocations_without_a_pool_are_refused():
    assert set_problems([Clause(1, Allocation(D("40")), 11)]) == [
        "Allocations need an at-risk pool clause (the share of the charges at risk)."]
    assert set_problems([Clause(1, FixedCredit(D("500")), 11), Clause(1, ClaimWindow(days=30))]) == []
