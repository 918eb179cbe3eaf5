"""Issue #28, the clause's part: a credit clause's own seasonal bands (the same spans and boundary rule as the
seasonal thresholds; the first season written wins) and its tier pricing (each | worse; where the clause says
nothing, the measurement rule's). Figures worked by hand on charges of GBP 48,000.00 a month."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from sltdesk.domain.measurement import MeasurementRule, Source
from sltdesk.domain.penalties import (
    Allocation,
    Band,
    Clause,
    ClauseRecord,
    FixedCredit,
    TieredCredit,
    clause_to_record,
    terms_from_plain,
    terms_to_plain,
)
from sltdesk.rules.clauses import clause_problems, describe
from sltdesk.rules.penalties import compute_credits
from sltdesk.rules.seasons import bands_for, parse_seasonal_bands, priced_by_clauses, seasonal_bands_text
from tests.unit.penalty_cases import contract, result

D = Decimal
PEAK = "15 Nov-15 Jan: 99.95=10%, 99.9=20%"
# all year: < 99.9 % → 5 %, < 99.5 % → 10 %; from 15 Nov to 15 Jan: < 99.95 % → 10 %, < 99.9 % → 20 %
CLAUSE = TieredCredit((Band(D("99.9"), percent=D(5)), Band(D("99.5"), percent=D(10))), seasonal_bands=PEAK)


@pytest.mark.parametrize(("day", "inside"), [(date(2025, 11, 14), False), (date(2025, 11, 15), True),
                                             (date(2026, 1, 15), True), (date(2026, 1, 16), False)])
def test_the_seasonal_bands_hold_from_15_november_to_15_january_inclusive(day, inside):
    chosen = bands_for(parse_seasonal_bands(PEAK), day, day)
    assert (chosen is not None) is inside
    if inside:
        assert chosen.label == "15 Nov–15 Jan" and [b.bound for b in chosen.bands] == [D("99.95"), D("99.9")]


@pytest.mark.parametrize(("period", "in_season"), [("2025-10", False), ("2025-11", True), ("2025-12", True),
                                                   ("2026-01", True), ("2026-02", False)])
def test_a_month_any_day_of_which_is_in_the_season_is_priced_by_the_seasonal_bands(period, in_season):
    # 99.92 %: not < 99.9 (no band all year: 0.00); < 99.95 in season → 10 % of 48,000.00 = 4,800.00
    [credits] = compute_credits(contract=contract(), clauses=[Clause(1, CLAUSE, target_id=1)],
                                history={1: [result(1, period, "99.92", name="SL1", threshold="99.9")]},
                                periods=[period])
    [line] = credits.lines
    assert line.amount == (D("4800.00") if in_season else D("0.00"))
    named = [s.text for s in line.trace if "bands" in s.text]
    if in_season:
        assert named == [f"the clause's seasonal bands 15 Nov–15 Jan apply (a day of {period} is in the season): "
                         "99.95 → 10 %; 99.9 → 20 %"] and line.band == "< 99.95 % → 10 % of charges"
    else:
        assert named[0] == f"the clause's bands apply (no season of its seasonal bands reaches {period})"


def test_a_priced_example_worked_by_hand():
    # December 2025 at 99.85 %: both seasonal bands apply (< 99.95, < 99.9); the one furthest from the target
    # wins: 20 % × 48,000.00 = 9,600.00. The same figure in March: < 99.9 → 5 % × 48,000.00 = 2,400.00.
    history = {1: [result(1, "2025-12", "99.85", name="SL1", threshold="99.9"),
                   result(1, "2026-03", "99.85", name="SL1", threshold="99.9")]}
    december, march = (compute_credits(contract=contract(), clauses=[Clause(1, CLAUSE, target_id=1)],
                                       history=history, periods=[p])[0] for p in ("2025-12", "2026-03"))
    assert (december.total, march.total) == (D("9600.00"), D("2400.00"))
    assert december.lines[0].trace[-1].text == "credit: charges 48,000.00 × 20 % = 9,600.00"


def test_where_two_seasons_reach_a_month_the_first_written_prices_it():
    seasons = parse_seasonal_bands("Dec: 99.9=30%; 15 Nov-15 Jan: 99.95=10%")
    assert bands_for(seasons, date(2025, 12, 1), date(2025, 12, 31)).label == "1 Dec–31 Dec"
    assert bands_for(seasons, date(2025, 11, 1), date(2025, 11, 30)).label == "15 Nov–15 Jan"
    assert bands_for(seasons, date(2026, 1, 1), date(2026, 1, 31)).label == "15 Nov–15 Jan"


def test_seasonal_bands_are_read_written_back_stored_and_checked():
    seasons = parse_seasonal_bands("15 nov - 15 jan: 99.95 = 10 %, 99.5=2500.00; Jul-Aug: 99.9→5%")
    assert seasonal_bands_text(seasons) == "15 Nov-15 Jan: 99.95=10%, 99.5=2500.00; 1 Jul-31 Aug: 99.9=5%"
    assert seasons[0].bands[1] == Band(D("99.5"), amount=D("2500.00"))
    assert terms_from_plain("tiered credit", terms_to_plain(CLAUSE)) == CLAUSE
    for wrong, words in (("15 Nov-15 Jan", "is not 'SPAN: BOUND=PERCENT%"), ("Dec: 99.9", "is not a band"),
                         ("31 Feb: 99.9=5%", "Feb has no day 31")):
        with pytest.raises(ValueError, match=words):
            parse_seasonal_bands(wrong)
    bad = Clause(1, replace(CLAUSE, seasonal_bands="Dec: 99.9=120%"), target_id=1)
    assert clause_problems(bad, target_ids=[1]) == [
        "Seasonal bands 1 Dec–31 Dec: the band at 99.9 gives 120 %; use 0 to 100 %."]
    assert describe(CLAUSE, "GBP") == "< 99.9 → 5 %; < 99.5 → 10 %; in 15 Nov–15 Jan: (< 99.95 → 10 %; < 99.9 → 20 %)"


# --- the clause says how a core-hours tier's misses are priced ---------------------------------------------------


def tiered(pricing: str = ""):
    """SL1 >= 99.5 % 24x7 (99.7 %: met, < 99.9 → band 5 % = 2,400.00), >= 99.95 % in core hours (99.4 %: missed,
    < 99.5 → band 10 % = 4,800.00); `pricing` is the measurement rule's (the fallback)."""
    base = result(1, "2026-03", "99.7", name="SL1", threshold="99.5")
    tier = result(1, "2026-03", "99.4", name="SL1 (core hours)", threshold="99.95")
    return replace(base, tier=tier, tier_pricing=pricing)


BANDS = TieredCredit((Band(D("99.9"), percent=D(5)), Band(D("99.5"), percent=D(10))))


@pytest.mark.parametrize(("clause", "rule", "amounts", "whose"), [
    ("worse", "each", [D("4800.00")], "the clause prices the worse"),
    ("each", "worse", [D("2400.00"), D("4800.00")], None),
    (None, "worse", [D("4800.00")], "the clause says nothing: the measurement rule's tier pricing prices the worse"),
    (None, "each", [D("2400.00"), D("4800.00")], None),
    (None, "", [D("2400.00"), D("4800.00")], None),
])
def test_the_clause_says_how_the_tiers_are_priced_and_the_rule_only_where_it_says_nothing(clause, rule, amounts,
                                                                                          whose):
    terms = replace(BANDS, tier_pricing=clause)
    [credits] = compute_credits(contract=contract(), clauses=[Clause(1, terms, target_id=1)],
                                history={1: [tiered(rule)]}, periods=["2026-03"])
    assert [line.amount for line in credits.lines] == amounts
    if whose:
        assert credits.lines[0].trace[-1].text.startswith(whose)


def test_every_credit_kind_may_say_how_the_tiers_are_priced_and_nothing_else_is_accepted():
    for terms in (FixedCredit(D("500.00"), tier_pricing="worse"), Allocation(D(40), tier_pricing="each")):
        assert terms_from_plain(terms.kind, terms_to_plain(terms)) == terms
    assert "tier_pricing" not in terms_to_plain(BANDS)  # a clause that says nothing is stored as before
    with pytest.raises(ValueError, match="write each or worse"):
        terms_from_plain("fixed per breach", {"amount": "500", "tier_pricing": "sum"})
    assert describe(FixedCredit(D("500.00"), tier_pricing="worse"), "GBP") == (
        "GBP 500.00 for each period missed; tiers: only the worse of the two priced")


def test_the_measurement_rule_is_priced_as_its_credit_clause_says():
    rule = MeasurementRule(target_id=4, source=Source.OUTAGES, tier_calendar="UK business hours",
                           tier_threshold=D("99.99"))
    worse = clause_to_record(Clause(2, Allocation(D(40), tier_pricing="worse"), target_id=4))
    silent = clause_to_record(Clause(2, Allocation(D(40)), target_id=4))
    assert priced_by_clauses({4: rule}, [worse])[4].tier_pricing == "worse"
    assert priced_by_clauses({4: rule}, [silent])[4] == rule  # the rule's own (each) where the clause is silent
    assert priced_by_clauses({4: replace(rule, tier_pricing="worse")}, [silent])[4].tier_pricing == "worse"
    other = ClauseRecord(2, "business impact", {"unit": "minute of downtime", "cost_per_unit": "1"}, target_id=4)
    assert priced_by_clauses({4: rule}, [other])[4] == rule
