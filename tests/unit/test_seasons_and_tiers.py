"""Seasonal thresholds and core-hours tiers (issue #28), worked by hand.

The stated rule for a period straddling a season boundary: the season's threshold judges the whole period when any
day of the period is in the season (sltdesk/rules/seasons.py). Peak season 15 Nov-15 Jan at >= 99.95 %, the
target's own threshold 99.9 %.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from sltdesk.domain.penalties import Band, Clause, FixedCredit, TieredCredit
from sltdesk.domain.register import Comparison, ServiceCalendar
from sltdesk.rules.measurement_rules import rule_from_plain
from sltdesk.rules.penalties import compute_credits
from sltdesk.rules.result_keys import decode, encode
from sltdesk.rules.seasons import Season, parse_seasons, season_for, seasons_text, tier_calendar
from tests.unit.penalty_cases import contract, result

D = Decimal
PEAK = parse_seasons("15 Nov-15 Jan: 99.95")[0]


@pytest.mark.parametrize(("day", "inside"), [(date(2025, 11, 14), False), (date(2025, 11, 15), True),
                                             (date(2026, 1, 15), True), (date(2026, 1, 16), False),
                                             (date(2025, 12, 31), True), (date(2026, 1, 1), True)])
def test_the_peak_season_wraps_the_year_end_and_holds_its_first_and_last_days(day, inside):
    assert PEAK.holds(day) is inside


def test_a_month_any_day_of_which_is_in_season_is_judged_at_the_seasonal_threshold():
    def month(first: date, last: date) -> Decimal | None:
        season = season_for((PEAK,), first, last, Comparison.AT_LEAST)
        return None if season is None else season.threshold

    assert month(date(2025, 10, 1), date(2025, 10, 31)) is None  # October: no day in season
    assert month(date(2025, 11, 1), date(2025, 11, 14)) is None  # up to 14 Nov: outside
    assert month(date(2025, 11, 1), date(2025, 11, 15)) == D("99.95")  # 15 Nov is the first day in
    assert month(date(2025, 11, 1), date(2025, 11, 30)) == D("99.95")
    assert month(date(2025, 12, 1), date(2025, 12, 31)) == D("99.95")
    assert month(date(2026, 1, 1), date(2026, 1, 31)) == D("99.95")  # 1-15 Jan in season
    assert month(date(2026, 1, 16), date(2026, 1, 31)) is None  # from 16 Jan: outside
    assert month(date(2026, 2, 1), date(2026, 2, 28)) is None


def test_where_two_seasons_reach_a_month_the_stricter_threshold_applies():
    seasons = parse_seasons("Dec: 99.95; 20 Dec-6 Jan: 99.99")
    assert season_for(seasons, date(2025, 12, 1), date(2025, 12, 31), Comparison.AT_LEAST).threshold == D("99.99")
    at_most = parse_seasons("Dec: 60; Nov-Jan: 45")  # a time limit: lower is stricter
    assert season_for(at_most, date(2025, 12, 1), date(2025, 12, 31), Comparison.AT_MOST).threshold == D(45)


def test_seasons_are_read_as_months_or_dates_and_written_back_one_way():
    assert parse_seasons("Jul–Aug: 99.9; 15 nov - 15 jan : 99.95") == (
        Season((7, 1), (8, 31), D("99.9")), Season((11, 15), (1, 15), D("99.95")))
    assert seasons_text(parse_seasons("Dec: 99.95")) == "1 Dec-31 Dec: 99.95"
    assert parse_seasons(seasons_text(parse_seasons("15 Nov-15 Jan: 99.95"))) == (PEAK,)
    for wrong, words in (("Dec 99.95", "SPAN: THRESHOLD"), ("31 Nov-15 Jan: 99.95", "no day 31"),
                         ("Xmas: 99.95", "not a day"), ("Dec: high", "not a number")):
        with pytest.raises(ValueError, match=words):
            parse_seasons(wrong)


def test_a_rule_with_a_tier_needs_its_calendar_and_threshold_and_prices_each_or_worse():
    rule, problems = rule_from_plain({"target": "SL1", "source": "outages", "seasons": "dec: 99.95",
                                      "tier_calendar": "Core hours", "tier_threshold": "99.99",
                                      "tier_pricing": "worse"}, 1)
    assert problems == [] and rule is not None
    assert (rule.seasons, rule.tier_calendar, rule.tier_threshold, rule.tier_pricing) == (
        "1 Dec-31 Dec: 99.95", "Core hours", D("99.99"), "worse")
    _rule, problems = rule_from_plain({"target": "SL1", "source": "outages", "tier_calendar": "Core hours"}, 1)
    assert problems == ["SL1: a core-hours tier needs both tier_calendar and tier_threshold."]
    _rule, problems = rule_from_plain({"target": "SL1", "source": "outages", "tier_pricing": "sum"}, 1)
    assert problems == ["SL1: tier_pricing is one of each, worse (got 'sum')."]


def test_the_tier_calendar_is_found_by_name_whatever_its_case():
    core = ServiceCalendar("UK business hours", id=2)
    assert tier_calendar([ServiceCalendar("24x7", id=1), core], "uk  Business hours") == core
    assert tier_calendar([core], "") is None and tier_calendar([core], "Core") is None


# --- credits: a tiered service level missed in core hours, met 24x7 ------------------------------------------

BANDS = TieredCredit((Band(D("99.9"), percent=D(5)), Band(D("99.5"), percent=D(10))))


def tiered(achieved: str, core: str, pricing: str):
    """SL1 at >= 99.5 % 24x7 and >= 99.95 % in core hours."""
    base = result(1, "2026-01", achieved, name="SL1", threshold="99.5")
    tier = result(1, "2026-01", core, name="SL1 (core hours)", threshold="99.95")
    return replace(base, tier=tier, tier_pricing=pricing)


@pytest.mark.parametrize("pricing", ["each", "worse"])
def test_missed_in_core_hours_and_met_24x7_the_core_miss_is_priced(pricing):
    level = tiered("99.7", "99.94", pricing)
    assert (level.met, level.tier.met, level.level_met) == (True, False, False)
    [credits] = compute_credits(contract=contract(), clauses=[Clause(1, FixedCredit(D("500.00")), target_id=1)],
                                history={1: [level]}, periods=["2026-01"])
    assert credits.total == D("500.00")  # the core-hours miss: one fixed amount; 24x7 met gives nothing


def test_each_tier_priced_separately_adds_both_credits_the_worse_takes_the_larger():
    # 24x7 99.7 % is < 99.9 → band 5 % of 48,000 = 2,400.00; core 99.4 % is < 99.5 → band 10 % = 4,800.00
    clauses = [Clause(1, BANDS, target_id=1)]
    [each] = compute_credits(contract=contract(), clauses=clauses, history={1: [tiered("99.7", "99.4", "each")]},
                             periods=["2026-01"])
    assert [line.amount for line in each.lines] == [D("2400.00"), D("4800.00")] and each.total == D("7200.00")
    [worse] = compute_credits(contract=contract(), clauses=clauses, history={1: [tiered("99.7", "99.4", "worse")]},
                              periods=["2026-01"])
    assert [line.amount for line in worse.lines] == [D("4800.00")] and worse.total == D("4800.00")
    assert "worse of the two tiers: SL1 2,400.00, SL1 (core hours) 4,800.00 → SL1 (core hours)" in \
        worse.lines[0].trace[-1].text


def test_exact_verdicts_at_the_tier_threshold_and_one_unit_either_side():
    for core, met in (("99.95", True), ("99.9499", False), ("99.9501", True)):
        assert tiered("99.7", core, "each").tier.met is met


def test_a_stored_result_keeps_its_tier_and_seasonal_threshold():
    level = replace(tiered("99.7", "99.94", "worse"), threshold_note="seasonal threshold 15 Nov–15 Jan")
    assert decode(encode(level)) == level
