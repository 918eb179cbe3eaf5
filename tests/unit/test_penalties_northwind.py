"""The Northwind clauses (contract NW-2025-014), computed by hand: £48,000 a month, 12 % at risk = £5,760;
SL1 40 % = £2,304, SL2 20 % = £1,152, SL3 25 % = £1,440, SL4 15 % = £864."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from penalty_cases import contract, northwind_clauses, northwind_history

from sltdesk.domain.penalties import LineKind
from sltdesk.domain.period import span
from sltdesk.rules.penalties import compute_credits, compute_period, run_periods

D = Decimal
PERIODS = span("2025-10", "2026-06")


def run(misses: dict[str, dict[int, str]]):
    history = northwind_history(misses, PERIODS)
    return {c.period: c for c in compute_credits(contract=contract(), clauses=northwind_clauses(), history=history,
                                                 periods=PERIODS)}


def line(credits, target_id: int, kind: LineKind = LineKind.CREDIT):
    return next(ln for ln in credits.lines if ln.target_id == target_id and ln.kind is kind)


def test_a_first_sl1_miss_costs_40_percent_of_the_12_percent_at_risk():
    march = run({"2026-03": {1: "99.90"}})["2026-03"]
    sl1 = line(march, 1)
    assert sl1.amount == D("2304.00") and march.total == D("2304.00")
    texts = [s.text for s in sl1.trace]
    assert "charges 48,000.00 × at-risk 12 % = 5,760.00" in texts
    assert "at-risk 5,760.00 × allocation 40 % = 2,304.00" in texts
    assert "at-risk amount 5,760.00 not reached (credits 2,304.00)" in texts
    assert texts[0] == "SL1 Availability 2026-03: achieved 99.90 % against target ≥ 99.95 % → missed"


def test_each_service_level_gets_its_allocation_of_the_at_risk_amount():
    march = run({"2026-03": {2: "94", 3: "89.9", 4: "80"}})["2026-03"]
    assert [line(march, t).amount for t in (1, 2, 3, 4)] == [D("0.00"), D("1152.00"), D("1440.00"), D("864.00")]
    assert march.total == D("3456.00")


def test_a_miss_of_the_same_sl_in_two_consecutive_months_doubles_its_credit():
    runs = run({"2026-02": {1: "99.90"}, "2026-03": {1: "99.94"}})
    sl1 = line(runs["2026-03"], 1)
    assert sl1.amount == D("4608.00")
    assert "2 misses in a row (2026-02, 2026-03) × 2 = 4,608.00" in [s.text for s in sl1.trace]
    assert line(runs["2026-02"], 1).amount == D("2304.00")


def test_a_doubled_credit_is_still_capped_at_the_at_risk_amount():
    february = run({"2026-01": {1: "99.90"}, "2026-02": {1: "99.80", 3: "85"}})["2026-02"]
    # 4,608.00 + 1,440.00 = 6,048.00 > 5,760.00: cut in proportion, 4,388.571… and 1,371.428…, the cent left to SL1
    assert line(february, 1).amount == D("4388.58") and line(february, 3).amount == D("1371.42")
    assert february.total == D("5760.00") == sum(ln.amount for ln in february.lines)
    cap = next(c for c in february.caps if c.name == "at-risk amount")
    assert (cap.before, cap.after, cap.applied) == (D("6048.00"), D("5760.00"), True)


def test_a_credit_is_earned_back_after_three_good_months():
    runs = run({"2026-02": {3: "85"}})
    assert line(runs["2026-02"], 3).amount == D("1440.00")
    assert all(ln.kind is not LineKind.EARN_BACK for p in ("2026-03", "2026-04") for ln in runs[p].lines)
    back = line(runs["2026-05"], 3, LineKind.EARN_BACK)
    assert back.amount == D("-1440.00") and back.period == "2026-02" and runs["2026-05"].total == D("-1440.00")
    assert "met in each of the next 3 periods (2026-03, 2026-04, 2026-05)" in [s.text for s in back.trace]


def test_no_earn_back_when_one_of_the_three_months_is_missed_again():
    runs = run({"2026-02": {3: "85"}, "2026-04": {3: "88"}})
    assert not any(ln.kind is LineKind.EARN_BACK and ln.period == "2026-02" for ln in runs["2026-05"].lines)
    assert line(runs["2026-04"], 3).amount == D("1440.00")  # not consecutive with February: not doubled


def test_three_sl1_misses_in_six_months_give_a_right_to_terminate():
    runs = run({"2025-10": {1: "99.9"}, "2026-01": {1: "99.9"}, "2026-03": {1: "99.9"}})
    flag = runs["2026-03"].termination[0]
    assert flag.triggered and flag.missed_periods == ("2025-10", "2026-01", "2026-03")
    assert "the customer may terminate (3 misses in 6 periods)" in flag.text
    assert not runs["2026-02"].termination[0].triggered  # two misses so far
    assert not runs["2026-04"].termination[0].triggered  # October has left the six-month window


def test_credits_must_be_claimed_within_60_days_of_month_end():
    runs = run({})
    assert runs["2026-03"].claim_deadline == date(2026, 5, 30)
    assert runs["2026-03"].deadline_trace == "period end 2026-03-31 + 60 days = 2026-05-30"
    assert runs["2026-02"].claim_deadline == date(2026, 4, 29)


def test_one_period_is_computed_after_the_periods_its_clauses_look_back_on():
    # doubling (1 back) + earn-back (3 back) = 4, termination window 6 → from 5 periods before
    assert run_periods("2026-03", northwind_clauses(), contract_start=date(2025, 1, 1)) == span("2025-10", "2026-03")
    history = northwind_history({"2026-02": {1: "99.9"}, "2026-03": {1: "99.9"}}, PERIODS)
    march = compute_period(contract=contract(), clauses=northwind_clauses(), history=history, period="2026-03")
    assert march.period == "2026-03" and line(march, 1).amount == D("4608.00")


def test_a_period_without_attainment_gets_no_line_but_a_note():
    history = northwind_history({}, PERIODS)
    history[2] = [r for r in history[2] if r.period != "2026-03"]
    march = compute_credits(contract=contract(), clauses=northwind_clauses(), history=history,
                            periods=PERIODS)[PERIODS.index("2026-03")]
    assert all(ln.target_id != 2 for ln in march.lines)
    assert "SL2 P1 response: no attainment figure for 2026-03; no credit computed." in march.notes
