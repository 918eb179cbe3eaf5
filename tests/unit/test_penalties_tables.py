"""Credit tables at their edges, caps per month and year, and the other clause kinds — all by hand."""

from __future__ import annotations

from decimal import Decimal

import pytest
from penalty_cases import cloud_clauses, contract, result, stratus_clauses

from sltdesk.domain.money import Rounding
from sltdesk.domain.penalties import (
    Allocation,
    AtRiskPool,
    Band,
    Bonus,
    BusinessImpact,
    ClaimWindow,
    Clause,
    FixedCredit,
    LineKind,
    PerUnitCredit,
    TieredCredit,
    Unit,
)
from sltdesk.domain.period import span
from sltdesk.domain.register import ChargesPeriod, Comparison, MetricKind
from sltdesk.rules.penalties import compute_credits

D = Decimal


def one_month(clauses, achieved: str, *, charges: str = "14200.00", threshold: str = "99.99", counts=None,
              rounding: Rounding = Rounding.HALF_UP, **kwargs):
    history = {1: [result(1, "2026-03", achieved, threshold=threshold, counts=counts, **kwargs)]}
    return compute_credits(contract=contract(charges, rounding=rounding), clauses=clauses, history=history,
                           periods=["2026-03"])[0]


@pytest.mark.parametrize(("achieved", "amount", "band"), [
    ("99.99", "0.00", ""),  # exactly at the commitment: no credit
    ("99.989", "1420.00", "< 99.99 % → 10 % of charges"),  # just below
    ("99.0", "1420.00", "< 99.99 % → 10 % of charges"),  # at 99.0 the 30 % band ("less than 99.0") does not apply
    ("98.999", "4260.00", "< 99.0 % → 30 % of charges"),
    ("95.0", "4260.00", "< 99.0 % → 30 % of charges"),  # at 95.0 still 30 %
    ("94.999", "14200.00", "< 95.0 % → 100 % of charges"),
])
def test_the_published_region_level_table_at_its_band_edges(achieved, amount, band):
    credits = one_month(cloud_clauses(), achieved)
    assert credits.total == D(amount) and credits.lines[0].band == band


def test_the_band_step_says_which_edge_the_figure_is_below():
    texts = [s.text for s in one_month(cloud_clauses(), "98.5").lines[0].trace]
    assert texts[1:] == ["98.5 % < 99.0 % → band < 99.0 % → 30 % of charges",
                         "credit: charges 14,200.00 × 30 % = 4,260.00"]


def test_stratus_pays_25_percent_below_99_and_the_monthly_cap_allows_exactly_that():
    credits = one_month(stratus_clauses(), "98.7", charges="31500.00", threshold="99.9")
    assert credits.total == D("7875.00")
    period_cap = next(c for c in credits.caps if c.name == "period cap")
    assert period_cap.limit == D("7875.00") and not period_cap.applied


def test_the_annual_cap_of_10_percent_stops_the_fifth_bad_month():
    months = span("2026-01", "2026-06")
    history = {1: [result(1, m, "98.0", threshold="99.9") for m in months]}
    runs = compute_credits(contract=contract("31500.00"), clauses=stratus_clauses(), history=history, periods=months)
    # 37,800.00 a year = 10 % of 378,000.00; four months of 7,875.00 = 31,500.00, then 6,300.00, then nothing
    assert [c.total for c in runs] == [D("7875.00")] * 4 + [D("6300.00"), D("0.00")]
    annual = next(c for c in runs[4].caps if c.name == "annual cap")
    assert annual.applied and "left under the cap 37,800.00 − 31,500.00 = 6,300.00" in annual.trace[-2].text


def test_payflow_credits_10_then_25_percent_and_rounds_half_even():
    bands = (Band(D("99.9"), percent=D(10)), Band(D("99.0"), percent=D(25)))
    clauses = [Clause(1, TieredCredit(bands), target_id=1)]
    assert one_month(clauses, "99.85", charges="12000.00", threshold="99.9").total == D("1200.00")
    assert one_month(clauses, "98.9", charges="12000.00", threshold="99.9").total == D("3000.00")
    odd = dict(charges="12345.25", threshold="99.9")
    assert one_month(clauses, "99.5", rounding=Rounding.HALF_EVEN, **odd).total == D("1234.52")
    half_up = one_month(clauses, "99.5", rounding=Rounding.HALF_UP, **odd)
    assert half_up.total == D("1234.53")
    assert half_up.lines[0].trace[-1].text == ("credit: charges 12,345.25 × 10 % = 1234.525 → 1,234.53 "
                                               "(rounded half-up)")


def test_a_lower_is_better_target_is_credited_above_its_bands():
    bands = (Band(D("35"), percent=D(5)), Band(D("50"), percent=D(10)))
    clauses = [Clause(1, TieredCredit(bands), target_id=1)]
    latency = dict(threshold="35", comparison=Comparison.AT_MOST, unit="ms", metric=MetricKind.LATENCY_PERCENTILE)
    assert one_month(clauses, "35", charges="9800.00", **latency).total == D("0.00")
    assert one_month(clauses, "41", charges="9800.00", **latency).total == D("490.00")
    assert one_month(clauses, "51", charges="9800.00", **latency).total == D("980.00")


def test_per_started_hour_below_target_counts_only_the_downtime_beyond_the_allowance():
    # 43,200 service minutes at 99.9 % allow 43.2 minutes; 150 down → 106.8 beyond → 2 started hours × 250.00
    clauses = [Clause(1, PerUnitCredit(Unit.STARTED_HOUR_BELOW_TARGET, D("250.00")), target_id=1)]
    credits = one_month(clauses, "99.65", threshold="99.9",
                        counts={"service_minutes": D("43200"), "downtime_minutes": D("150")})
    assert credits.total == D("500.00")


def test_per_missed_ticket_after_a_free_allowance_and_a_fixed_amount_per_breach():
    clauses = [Clause(1, PerUnitCredit(Unit.MISSED_TICKET, D("75.00"), free_units=D(3)), target_id=1),
               Clause(1, FixedCredit(D("1000.00")), target_id=1)]
    tickets = dict(threshold="90", metric=MetricKind.RESOLUTION_TIME, counts={"tickets": 40, "missed": 7})
    credits = one_month(clauses, "82.5", **tickets)
    assert [ln.amount for ln in credits.lines] == [D("300.00"), D("1000.00")] and credits.total == D("1300.00")


def test_a_minimum_level_gives_a_credit_only_below_it():
    clauses = [Clause(1, AtRiskPool(D(10))), Clause(1, Allocation(D(50), minimum=D("99.5")), target_id=1)]
    between = one_month(clauses, "99.7", charges="20000.00", threshold="99.9")
    assert between.total == D("0.00") and "not below the minimum 99.5" in between.lines[0].trace[-1].text
    assert one_month(clauses, "99.4", charges="20000.00", threshold="99.9").total == D("1000.00")


def test_a_netted_bonus_offsets_credits_but_never_turns_into_a_payment():
    clauses = [Clause(1, Bonus((Band(D("99.995"), percent=D(2)),), netted=True), target_id=1),
               Clause(1, FixedCredit(D("100.00")), target_id=2)]
    history = {1: [result(1, "2026-03", "99.999")], 2: [result(2, "2026-03", "90", threshold="95")]}
    credits = compute_credits(contract=contract("10000.00"), clauses=clauses, history=history, periods=["2026-03"])[0]
    assert credits.incentives[0].amount == D("200.00")  # 2 % of 10,000.00 earned
    assert [ln.amount for ln in credits.lines] == [D("100.00"), D("-100.00")] and credits.total == D("0.00")
    assert str(credits.incentives_payable) == "0.00"  # written as money, like every other amount in the JSON


def test_a_bonus_that_is_not_netted_is_payable_separately_and_leaves_the_credits_alone():
    clauses = [Clause(1, Bonus((Band(D("99.995"), amount=D("750.00")),), netted=False), target_id=1)]
    credits = one_month(clauses, "99.999", charges="10000.00")
    assert credits.total == D("0.00") and credits.incentives_payable == D("750.00")


def test_business_impact_is_priced_beside_the_credit_with_the_gap():
    clauses = cloud_clauses() + [Clause(1, BusinessImpact(Unit.DOWNTIME_MINUTE, D("120.00"), D(60)), target_id=1)]
    credits = one_month(clauses, "99.5", counts={"service_minutes": D("44640"), "downtime_minutes": D("223.2")})
    impact = credits.business_impact[0]
    # 223.2 × 120.00 × 60 % = 16,070.40; the 10 % credit is 1,420.00 → gap 14,650.40
    assert (impact.amount, impact.credit, impact.gap) == (D("16070.40"), D("1420.00"), D("14650.40"))
    assert credits.total == D("1420.00")  # the impact is shown beside, never added


def test_quarterly_charges_are_split_into_months_and_a_claim_window_can_run_to_a_month_end():
    clauses = [Clause(1, FixedCredit(D("2500.00")), target_id=1), Clause(1, ClaimWindow(months=2))]
    c = contract("54000.00")
    c = type(c)(**{**c.__dict__, "charges_period": ChargesPeriod.QUARTER})
    history = {1: [result(1, "2026-03", "80", threshold="90")]}
    credits = compute_credits(contract=c, clauses=clauses, history=history, periods=["2026-03"])[0]
    assert credits.charges == D("18000.00") and credits.total == D("2500.00")
    assert str(credits.claim_deadline) == "2026-05-31"


def test_lines_add_up_to_the_total_and_earn_backs_are_lines():
    credits = one_month(cloud_clauses(), "97")
    assert sum(ln.amount for ln in credits.lines) == credits.total
    assert all(ln.kind is LineKind.CREDIT for ln in credits.lines)
