"""The breach log's tie-breaks, its per-target totals and the order of the root-cause records due."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from sltdesk.rules.breach_log import BreachEntry, RankedTarget, RootCauseDue, breach_log, miss_runs, root_causes_due


def _entry(target_id: int, period: str, minutes: str, impact: str, *, incidents: int = 1, contract: str = "C-1",
           currency: str = "GBP") -> BreachEntry:
    return BreachEntry(contract, target_id, f"T{target_id}", period, D("99"), ">= 99.9 %", D("0.9"), D(minutes),
                       incidents, D(impact), "credit", currency)


# In each case T2 must come before T1 in all three rankings; the name alone would put T1 first.
TIES = {
    # same number of breaches and same duration: the larger impact decides
    "impact breaks a tie of count and duration": [_entry(1, "2026-01", "60", "100"), _entry(2, "2026-01", "60", "500")],
    # same duration and no impact: the larger number of breaches decides
    "count breaks a tie of duration and impact": [_entry(1, "2026-01", "60", "0"), _entry(2, "2026-01", "30", "0"),
                                                  _entry(2, "2026-02", "30", "0")],
    # same impact and one breach each: the longer duration decides
    "duration breaks a tie of impact and count": [_entry(1, "2026-01", "30", "200"),
                                                  _entry(2, "2026-01", "90", "200")],
}


@pytest.mark.parametrize("entries", TIES.values(), ids=TIES.keys())
def test_every_ranking_breaks_a_tie_on_its_first_measure_with_the_other_two_before_the_name(entries):
    log = breach_log(entries)
    for ranking in (log.by_frequency, log.by_duration, log.by_impact):
        assert [(r.rank, r.target) for r in ranking] == [(1, "T2"), (2, "T1")]


def test_a_ranked_target_sums_its_breaches_minutes_incidents_and_impact():
    entries = [_entry(11, "2026-02", "30", "150", incidents=3, contract="C-7", currency="EUR"),
               _entry(11, "2026-01", "60", "100", incidents=2, contract="C-7", currency="EUR")]
    expected = (RankedTarget(rank=1, contract="C-7", target_id=11, target="T11", breaches=2,
                             periods=("2026-01", "2026-02"), duration_minutes=D(90), incidents=5, impact=D(250),
                             currency="EUR"),)
    log = breach_log(entries)
    assert log.by_frequency == log.by_duration == log.by_impact == expected


def test_one_breach_with_one_incident_counts_one_incident():
    [ranked] = breach_log([_entry(4, "2026-03", "12", "0", incidents=1)]).by_impact
    assert (ranked.breaches, ranked.incidents) == (1, 1)


def test_periods_and_verdicts_that_do_not_line_up_are_refused():
    with pytest.raises(ValueError):
        miss_runs(["2026-01", "2026-02", "2026-03"], [False, False, False, False])


def test_open_root_causes_come_first_newest_run_first_then_the_recorded_ones():
    # Target 1 has no figure for April and May, so its periods skip them: its run ends in June.
    histories = {
        1: ("C-1", "Availability", ["2026-02", "2026-03", "2026-06"], [False, False, False]),
        2: ("C-2", "P1 response", ["2026-02", "2026-03", "2026-04", "2026-05", "2026-06"],
            [True, False, False, False, True]),
        3: ("C-3", "Order cycle time", ["2026-05", "2026-06", "2026-07", "2026-08"], [True, False, False, False]),
    }
    due = root_causes_due(histories, recorded=[(3, "2026-07", 42), (2, "2026-01", 9)])
    assert due == [
        RootCauseDue("C-1", 1, "Availability", ("2026-02", "2026-03", "2026-06"), None),
        RootCauseDue("C-2", 2, "P1 response", ("2026-03", "2026-04", "2026-05"), None),
        RootCauseDue("C-3", 3, "Order cycle time", ("2026-06", "2026-07", "2026-08"), 42),
    ]
    assert [d.status for d in due] == ["open", "open", "recorded"]
