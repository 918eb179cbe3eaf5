"""Runs of repeated misses (k in n) that open an improvement action: worked by hand."""

import pytest

from sltdesk.rules.repeated_misses import repeated_misses

MONTHS = [f"2026-{m:02d}" for m in range(1, 13)]


def verdicts(text: str) -> list[bool | None]:
    """'x' missed, 'o' met, '.' no verdict."""
    return [{"x": False, "o": True, ".": None}[c] for c in text]


def test_three_misses_in_a_row_make_one_run_keyed_by_its_first_miss():
    runs = repeated_misses(7, MONTHS[:6], verdicts("oxxxoo"))
    assert [(r.key, r.breaches) for r in runs] == [("7:2026-02", ("2026-02", "2026-03", "2026-04"))]


def test_two_in_a_row_are_no_run_and_a_month_without_verdict_breaks_one():
    assert repeated_misses(7, MONTHS[:6], verdicts("xxoxx.")) == []
    assert repeated_misses(7, MONTHS[:6], verdicts("xx.xxo")) == []


def test_a_fourth_miss_extends_the_run_it_follows_rather_than_starting_another():
    runs = repeated_misses(7, MONTHS[:6], verdicts("xxxxoo"))
    assert [(r.key, len(r.breaches)) for r in runs] == [("7:2026-01", 4)]


def test_a_met_month_between_runs_makes_two_runs():
    runs = repeated_misses(7, MONTHS[:7], verdicts("xxxoxxx"))
    assert [r.key for r in runs] == ["7:2026-01", "7:2026-05"]


def test_three_in_five_counts_scattered_misses_and_joins_overlapping_windows():
    # windows of five: Jan-May holds x at Jan, Mar, May (3) -> a run; Jul is two months after May: the Mar-Jul
    # window (Mar, May, Jul) overlaps the last one, so it is the same run
    runs = repeated_misses(1, MONTHS[:8], verdicts("xoxoxoxo"), misses=3, within=5)
    assert [r.breaches for r in runs] == [("2026-01", "2026-03", "2026-05", "2026-07")]
    assert repeated_misses(1, MONTHS[:8], verdicts("xooxooxo"), misses=3, within=5) == []


def test_more_misses_than_periods_is_refused():
    with pytest.raises(ValueError):
        repeated_misses(1, MONTHS, verdicts("x" * 12), misses=4, within=3)
