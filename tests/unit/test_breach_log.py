"""The breach log's three rankings, its filters, runs of misses and the root-cause records they make due."""

from __future__ import annotations

from decimal import Decimal

from sltdesk.rules.breach_log import BreachEntry, breach_log, miss_runs, root_causes_due


def _entry(target_id: int, period: str, minutes: str, impact: str) -> BreachEntry:
    return BreachEntry("C-1", target_id, f"T{target_id}", period, Decimal("99"), ">= 99.9 %", Decimal("0.9"),
                       Decimal(minutes), 1, Decimal(impact), "credit", "GBP")


ENTRIES = [_entry(1, "2026-01", "60", "100"), _entry(1, "2026-03", "10", "50"), _entry(2, "2026-02", "200", "0"),
           _entry(3, "2026-03", "5", "1000")]


def _order(ranking) -> list[tuple[str, int]]:
    return [(r.target, r.breaches) for r in ranking]


def test_targets_are_ranked_by_frequency_duration_and_impact():
    log = breach_log(ENTRIES)
    assert _order(log.by_frequency) == [("T1", 2), ("T2", 1), ("T3", 1)]  # a tie goes to the longer duration
    assert [(r.target, r.duration_minutes) for r in log.by_duration] == [
        ("T2", Decimal(200)), ("T1", Decimal(70)), ("T3", Decimal(5))]
    assert [(r.target, r.impact) for r in log.by_impact] == [
        ("T3", Decimal(1000)), ("T1", Decimal(150)), ("T2", Decimal(0))]
    assert [r.rank for r in log.by_impact] == [1, 2, 3]
    assert log.by_frequency[0].periods == ("2026-01", "2026-03")
    assert [e.period for e in log.entries] == ["2026-03", "2026-03", "2026-02", "2026-01"]  # newest first


def test_the_log_filters_by_target_and_period():
    only_t1 = breach_log(ENTRIES, target_ids={1})
    assert [e.period for e in only_t1.entries] == ["2026-03", "2026-01"] and _order(only_t1.by_impact) == [("T1", 2)]
    march = breach_log(ENTRIES, periods={"2026-03"})
    assert _order(march.by_impact) == [("T3", 1), ("T1", 1)]
    assert breach_log(ENTRIES, target_ids={2}, periods={"2026-03"}).entries == ()


def test_runs_of_three_or_more_misses_are_found_and_a_gap_ends_a_run():
    periods = [f"2026-{m:02d}" for m in range(1, 11)]
    met = [False, False, False, True, False, False, False, False, None, False]
    assert miss_runs(periods, met) == [("2026-01", "2026-02", "2026-03"),
                                       ("2026-05", "2026-06", "2026-07", "2026-08")]
    assert miss_runs(periods[:2], [False, False]) == []


def test_a_run_needs_a_root_cause_until_one_is_recorded_on_any_of_its_breaches():
    periods = [f"2026-{m:02d}" for m in range(1, 9)]
    histories = {1: ("C-1", "Availability", periods, [False, False, False, True, True, False, False, False]),
                 2: ("C-1", "P1 response", periods, [True] * 8)}
    due = root_causes_due(histories, recorded=[(1, "2026-02", 7)])
    assert [(d.run, d.status, d.due_from) for d in due] == [
        (("2026-06", "2026-07", "2026-08"), "open", "2026-08"),  # open ones first
        (("2026-01", "2026-02", "2026-03"), "recorded", "2026-03")]
    assert due[1].recorded_id == 7
