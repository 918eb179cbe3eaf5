"""Bonus tables and how a netted bonus offsets the credits, worked out by hand. Charges are 10,000.00 a month;
target n is "SLn" with a 99.9 % threshold."""

from __future__ import annotations

from decimal import Decimal

from penalty_cases import contract, result

from sltdesk.domain.penalties import Band, Bonus, Clause, CreditLine, FixedCredit, LineKind, Step
from sltdesk.domain.register import Comparison, MetricKind
from sltdesk.rules.penalties import compute_credits

D = Decimal
MISS, MET = "99.5", "99.93"  # met, but below every bonus band
LATENCY = dict(threshold="35", comparison=Comparison.AT_MOST, unit="ms", metric=MetricKind.LATENCY_PERCENTILE)


def march(clauses, figures: dict[int, str | None], **kwargs):
    history = {tid: [result(tid, "2026-03", a, name=f"SL{tid}", **({"threshold": "99.9"} | kwargs))]
               for tid, a in figures.items()}
    return compute_credits(contract=contract("10000.00"), clauses=clauses, history=history, periods=["2026-03"])[0]


def bonus(tid: int, *bands: Band, **kwargs) -> Clause:
    return Clause(1, Bonus(bands, **kwargs), target_id=tid)


def head(figure: str, verdict: str = "met", target: str = "≥ 99.9 %") -> Step:
    return Step(f"SL1 2026-03: achieved {figure} against target {target} → {verdict}")


TWO_BANDS = (Band(D("99.95"), percent=D(1)), Band(D("99.99"), percent=D(2)))


def test_the_highest_bonus_band_reached_is_paid_and_the_figure_kept_clear_of_its_edge():
    credits = march([bonus(1, *TWO_BANDS, netted=False)], {1: "99.990004"})
    # written to four decimals 99.990004 would sit on the 99.99 edge: six decimals keep it above
    assert credits.incentives == (CreditLine(
        target_id=1, target="SL1", kind=LineKind.BONUS, clause="bonus", achieved=D("99.990004"),
        band="≥ 99.99 % → 2 % of charges", amount=D("200.00"), period="2026-03", netted=False,
        achieved_text="99.990004 %",
        trace=(head("99.990004 %"), Step("99.990004 % ≥ 99.99 % → bonus band ≥ 99.99 % → 2 % of charges"),
               Step("bonus: charges 10,000.00 × 2 % = 200.00", D("200.00")),
               Step("paid to the supplier separately, not netted"))),)
    assert credits.lines == () and credits.total == D("0.00") and credits.incentives_payable == D("200.00")


def test_between_two_bonus_bands_the_lower_one_is_paid():
    credits = march([bonus(1, *TWO_BANDS, netted=False)], {1: "99.96"})
    assert (credits.incentives[0].band, credits.incentives[0].amount) == ("≥ 99.95 % → 1 % of charges", D("100.00"))


def test_a_lower_is_better_bonus_pays_for_the_lowest_band_reached():
    bands = (Band(D("30"), percent=D(1)), Band(D("20"), percent=D(2)))
    fast = march([bonus(1, *bands)], {1: "15"}, **LATENCY).incentives[0]
    assert (fast.band, fast.amount) == ("≤ 20 ms → 2 % of charges", D("200.00"))
    assert fast.trace[:2] == (
        head("15 ms", target="≤ 35 ms"),
        Step("15 ms ≤ 20 ms → bonus band ≤ 20 ms → 2 % of charges"),
    )
    assert fast.trace[-1] == Step("netted against the credits")
    assert march([bonus(1, *bands)], {1: "25"}, **LATENCY).incentives[0].amount == D("100.00")


def test_an_inclusive_bonus_band_pays_exactly_on_its_edge_and_an_exclusive_one_only_beyond():
    band = Band(D("99.99"), amount=D("750.00"))
    on_edge = march([bonus(1, band, netted=False)], {1: "99.99"}).incentives[0]
    assert (on_edge.band, on_edge.amount) == ("≥ 99.99 % → 750.00", D("750.00"))
    assert on_edge.trace[2] == Step("bonus: fixed amount = 750.00", D("750.00"))
    assert march([bonus(1, band, netted=False, inclusive=False)], {1: "99.99"}).incentives[0].amount == D(0)
    beyond = march([bonus(1, band, netted=False, inclusive=False)], {1: "99.991"}).incentives[0]
    assert (beyond.band, beyond.amount) == ("> 99.99 % → 750.00", D("750.00"))


def test_a_bonus_band_not_reached_gives_a_zero_line_with_its_trace():
    credits = march([bonus(1, *TWO_BANDS)], {1: MET})
    assert credits.incentives == (CreditLine(
        target_id=1, target="SL1", kind=LineKind.BONUS, clause="bonus", achieved=D("99.93"), band="", amount=D(0),
        period="2026-03", netted=True, achieved_text="99.93 %",
        trace=(head("99.93 %"), Step("no bonus band reached → no bonus", D(0)))),)
    assert str(credits.incentives[0].amount) == "0.00" and credits.lines == ()


def test_a_bonus_paid_separately_stays_so_when_not_reached():
    line = march([bonus(1, *TWO_BANDS, netted=False)], {1: MET}).incentives[0]
    assert (line.amount, line.netted) == (D(0), False)


def test_a_missed_target_gets_no_bonus_even_above_a_bonus_edge():
    credits = march([bonus(1, Band(D("99.0"), percent=D(1)))], {1: MISS})
    assert credits.incentives[0].amount == D(0) and credits.incentives[0].trace[0] == head("99.5 %", "missed")


def test_targets_without_a_figure_get_no_bonus_line_and_do_not_stop_the_others():
    clauses = [bonus(7, *TWO_BANDS), bonus(2, *TWO_BANDS), bonus(1, *TWO_BANDS), bonus(3, *TWO_BANDS)]
    credits = march(clauses, {2: None, 1: "99.995", 3: "99.96"})
    assert [(b.target_id, b.amount) for b in credits.incentives] == [(1, D("200.00")), (3, D("100.00"))]


def test_a_target_with_figures_for_other_periods_only_gets_no_bonus_line():
    history = {1: [result(1, "2026-02", "99.995", name="SL1")]}
    credits = compute_credits(contract=contract("10000.00"), clauses=[bonus(1, *TWO_BANDS)], history=history,
                              periods=["2026-03"])[0]
    assert credits.incentives == ()


def test_a_bonus_not_reached_does_not_stop_the_next_bonus():
    credits = march([bonus(1, *TWO_BANDS), bonus(2, *TWO_BANDS)], {1: MET, 2: "99.995"})
    assert [b.amount for b in credits.incentives] == [D(0), D("200.00")]


# --- netting ---------------------------------------------------------------------------------------------------------


def test_two_netted_bonuses_offset_the_credits_in_turn_down_to_zero():
    clauses = [Clause(1, FixedCredit(D("300.00")), target_id=1), bonus(2, *TWO_BANDS), bonus(3, *TWO_BANDS)]
    credits = march(clauses, {1: MISS, 2: "99.995", 3: "99.995"})
    credit, first, second = credits.lines
    assert [ln.amount for ln in credits.lines] == [D("300.00"), D("-200.00"), D("-100.00")]
    assert (first.kind, second.kind, credits.total) == (LineKind.BONUS, LineKind.BONUS, D("0.00"))
    assert first.trace[-1] == Step("netted: bonus 200.00 offsets credits of 300.00 by 200.00 = −200.00", D("-200.00"))
    assert second.trace[-1] == Step("netted: bonus 200.00 offsets credits of 100.00 by 100.00; the other 100.00 is not "
                                    "paid (a netted bonus only reduces credits) = −100.00", D("-100.00"))
    assert [b.amount for b in credits.incentives] == [D("200.00"), D("200.00")]  # what was earned, in full


def test_a_netted_bonus_without_any_credit_to_offset_nets_nothing():
    credits = march([bonus(1, *TWO_BANDS)], {1: "99.995"})
    assert [(ln.kind, ln.amount) for ln in credits.lines] == [(LineKind.BONUS, D(0))]
    assert credits.lines[0].trace[-1].text == ("netted: bonus 200.00 offsets credits of 0.00 by 0.00; the other 200.00 "
                                               "is not paid (a netted bonus only reduces credits) = −0.00")
    assert credits.total == D("0.00") and str(credits.total) == "0.00"


def test_a_netted_bonus_under_one_pound_still_offsets():
    clauses = [Clause(1, FixedCredit(D("300.00")), target_id=1), bonus(2, Band(D("99.95"), amount=D("0.50")))]
    credits = march(clauses, {1: MISS, 2: "99.995"})
    assert [ln.amount for ln in credits.lines] == [D("300.00"), D("-0.50")] and credits.total == D("299.50")


def test_a_bonus_that_is_not_netted_or_not_reached_adds_no_line():
    clauses = [Clause(1, FixedCredit(D("300.00")), target_id=1), bonus(2, *TWO_BANDS, netted=False),
               bonus(3, *TWO_BANDS)]
    credits = march(clauses, {1: MISS, 2: "99.995", 3: MET})
    assert [ln.amount for ln in credits.lines] == [D("300.00")] and credits.total == D("300.00")
    assert credits.incentives_payable == D("200.00")
