"""The red/amber/green/grey rule of sltdesk/rules/at_risk.py, worked by hand from its docstring.

Red: missed. Grey: no verdict. Amber: met with less than a quarter of the error budget left, or with an early
warning. Green otherwise. An "at least 99.9 %" target has a budget of 0.1 points (from 99.9 up to 100); an
"at most 4 h" target has a budget of 4 h (from 4 down to 0).
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from sltdesk.domain.attainment import AttainmentResult
from sltdesk.domain.register import Comparison, MetricKind
from sltdesk.rules import at_risk
from sltdesk.rules.at_risk import Rag

D = Decimal
WORSE_3 = "worse in each of the last 3 periods (99.99 → 99.97 → 99.96 → 99.95); 0.05 from the target >= 99.9"


def result(achieved: str | None, *, met: bool | None = True, threshold: str = "99.9",
           comparison: Comparison = Comparison.AT_LEAST, unit: str = "%", warnings: tuple[str, ...] = (),
           reported: str | None = None, period: str = "2026-03") -> AttainmentResult:
    return AttainmentResult(contract_id=1, contract_ref="NW-2025-014", target_id=1, target="SL1 Availability",
                            metric=MetricKind.AVAILABILITY, period=period, threshold=D(threshold),
                            comparison=comparison, unit=unit, achieved=None if achieved is None else D(achieved),
                            met=met, reported=None if reported is None else D(reported), warnings=warnings)


# budget_left


def test_an_at_least_percentage_target_has_the_points_above_its_threshold_as_budget():
    # ≥ 99.9 %: budget 100 − 99.9 = 0.1 points; at 99.95 half of it is used, half left.
    assert at_risk.budget_left(Comparison.AT_LEAST, D("99.9"), D("99.95"), "%") == D("0.5")
    # > 99 %: budget 1 point; at 99.5 half is left (a unit with spaces around it is still a percentage).
    assert at_risk.budget_left(Comparison.MORE_THAN, D("99"), D("99.5"), " % ") == D("0.5")
    # at 99.8 the budget is overdrawn: (99.8 − 99.9) / 0.1 = −1
    assert at_risk.budget_left(Comparison.AT_LEAST, D("99.9"), D("99.8"), "%") == D("-1")


def test_an_at_least_target_of_another_unit_or_of_the_full_hundred_percent_has_no_budget():
    assert at_risk.budget_left(Comparison.AT_LEAST, D("500"), D("650"), "Mbit/s") is None
    assert at_risk.budget_left(Comparison.AT_LEAST, D("50"), D("80"), "Mbit/s") is None  # not a share of 100
    assert at_risk.budget_left(Comparison.AT_LEAST, D("100"), D("100"), "%") is None  # nothing to spend
    assert at_risk.budget_left(Comparison.AT_LEAST, D("100.5"), D("100.5"), "%") is None  # less than nothing


def test_an_at_most_target_has_its_threshold_as_budget():
    # ≤ 4 h: 3 h used of 4 h, a quarter left; < 1 %: at 0.5 half left.
    assert at_risk.budget_left(Comparison.AT_MOST, D("4"), D("3"), "h") == D("0.25")
    assert at_risk.budget_left(Comparison.LESS_THAN, D("1"), D("0.5"), "%") == D("0.5")
    assert at_risk.budget_left(Comparison.AT_MOST, D("4"), D("6"), "h") == D("-0.5")


def test_an_at_most_target_of_zero_has_no_budget_and_a_missing_figure_none_either():
    assert at_risk.budget_left(Comparison.AT_MOST, D("0"), D("3"), "tickets") is None
    assert at_risk.budget_left(Comparison.AT_LEAST, D("99.9"), None, "%") is None
    assert at_risk.budget_left(Comparison.AT_MOST, D("4"), None, "h") is None


# rag


def test_no_result_no_verdict_or_no_figure_is_grey():
    assert at_risk.rag(None) is Rag.GREY
    assert at_risk.rag(None, ["a warning"]) is Rag.GREY
    assert at_risk.rag(result("99.95", met=None)) is Rag.GREY  # in progress: a figure but no verdict yet
    assert at_risk.rag(result(None, met=True)) is Rag.GREY


def test_a_missed_target_is_red_even_with_budget_and_without_warnings():
    assert at_risk.rag(result("99.85", met=False)) is Rag.RED
    assert at_risk.rag(result("1", met=False, threshold="4", comparison=Comparison.AT_MOST, unit="h")) is Rag.RED


def test_a_met_target_with_most_of_its_budget_left_is_green():
    assert at_risk.rag(result("99.99")) is Rag.GREEN  # 0.09 of 0.1 left
    assert at_risk.rag(result("1", threshold="4", comparison=Comparison.AT_MOST, unit="h")) is Rag.GREEN


def test_amber_starts_just_below_a_quarter_of_the_budget_left():
    assert at_risk.rag(result("99.925")) is Rag.GREEN  # exactly a quarter left (0.025 of 0.1): not less
    assert at_risk.rag(result("99.9251")) is Rag.GREEN
    assert at_risk.rag(result("99.9249")) is Rag.AMBER  # 0.249 of the budget left
    assert at_risk.rag(result("99.92")) is Rag.AMBER
    assert at_risk.rag(result("3", threshold="4", comparison=Comparison.AT_MOST, unit="h")) is Rag.GREEN  # 1/4
    assert at_risk.rag(result("3.5", threshold="4", comparison=Comparison.AT_MOST, unit="h")) is Rag.AMBER


def test_a_met_target_without_a_budget_is_green_unless_warned():
    assert at_risk.rag(result("650", threshold="500", unit="Mbit/s")) is Rag.GREEN
    assert at_risk.rag(result("650", threshold="500", unit="Mbit/s"), ["trend"]) is Rag.AMBER


def test_the_results_own_warnings_make_a_comfortable_target_amber():
    warned = result("99.99", warnings=(WORSE_3,))
    assert at_risk.rag(warned) is Rag.AMBER
    assert at_risk.rag(warned, None) is Rag.AMBER


def test_warnings_passed_in_replace_the_results_own():
    assert at_risk.rag(result("99.99"), [WORSE_3]) is Rag.AMBER
    assert at_risk.rag(result("99.99", warnings=(WORSE_3,)), []) is Rag.GREEN  # none, said the caller
    assert at_risk.rag(result("99.92"), []) is Rag.AMBER  # the budget alone still makes it amber


# warnings_at and with_warnings


def series(values: list[str | None], *, thresholds: list[str] | None = None) -> list[AttainmentResult | None]:
    thresholds = thresholds or ["99.9"] * len(values)
    return [None if v is None else result(v, threshold=t, period=f"2026-{i + 1:02d}")
            for i, (v, t) in enumerate(zip(values, thresholds, strict=True))]


def test_three_worse_periods_in_a_row_warn_against_the_latest_threshold():
    labels = ["2026-01", "2026-02", "2026-03", "2026-04", "2026-05"]
    # February has no figure; earlier targets were 99.5, the latest is 99.9: 99.95 is 0.05 from it.
    results = series(["99.99", None, "99.97", "99.96", "99.95"], thresholds=["99.5"] * 4 + ["99.9"])
    assert at_risk.warnings_at(labels, results) == [WORSE_3]


def test_no_warnings_without_results_for_a_missing_last_period_or_a_missed_one():
    assert at_risk.warnings_at([], []) == []
    assert at_risk.warnings_at(["2026-01", "2026-02"], series(["99.99", None])) == []
    missed = series(["99.99", "99.97", "99.96", "99.95"])
    missed[-1] = result("99.85", met=False)
    assert at_risk.warnings_at(["a", "b", "c", "d"], missed) == []


def test_an_at_most_target_warns_when_it_rises_three_times():
    results = [result(v, threshold="6", comparison=Comparison.AT_MOST, unit="h") for v in ("2", "3", "4", "5")]
    assert at_risk.warnings_at(["a", "b", "c", "d"], results) == [
        "worse in each of the last 3 periods (2 → 3 → 4 → 5); 1 from the target <= 6"]


def test_each_period_gets_the_warnings_of_its_own_history():
    labels = ["2026-01", "2026-02", "2026-03", "2026-04", "2026-05"]
    results = series(["99.99", "99.97", "99.96", "99.95", "99.99"])
    out = at_risk.with_warnings(labels, results)
    assert [r.warnings for r in out] == [(), (), (), (WORSE_3,), ()]
    assert [r.achieved for r in out] == [r.achieved for r in results] and all(not r.warnings for r in results)
    assert at_risk.rag(out[3]) is Rag.AMBER and at_risk.rag(out[4]) is Rag.GREEN


def test_the_window_limits_how_far_back_the_warnings_look():
    # Window of 4: June looks back to March (no figure), so it sees three figures only: no run of three worse.
    labels = ["2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06"]
    results = series(["99.995", "99.99", None, "99.98", "99.97", "99.96"])
    results[2] = result(None, met=None, period="2026-03")
    assert [r.warnings for r in at_risk.with_warnings(labels, results, window=4)] == [()] * 6
    # With the default window of 12 the whole history counts: 99.99 → 99.98 → 99.97 → 99.96.
    wide = at_risk.with_warnings(labels, results)
    assert wide[-1].warnings == (
        "worse in each of the last 3 periods (99.99 → 99.98 → 99.97 → 99.96); 0.06 from the target >= 99.9",)
    assert wide[-2].warnings == (
        "worse in each of the last 3 periods (99.995 → 99.99 → 99.98 → 99.97); 0.07 from the target >= 99.9",)
    assert [r.warnings for r in wide[:-2]] == [()] * 4


def test_from_start_on_each_period_is_warned_as_in_the_whole_series():
    """`start`: the periods before it are only the history looked back on; the ones from it are warned as they
    are in the whole series (the window reaching back into the history)."""
    labels = ["2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06"]
    results = series(["99.99", "99.98", "99.97", "99.96", "99.99", "99.95"])
    whole = at_risk.with_warnings(labels, results, window=4)
    for start in range(len(labels) + 1):
        assert at_risk.with_warnings(labels, results, window=4, start=start) == whole[start:]
    assert [r.warnings for r in at_risk.with_warnings(labels, results, window=4, start=3)] == [(
        "worse in each of the last 3 periods (99.99 → 99.98 → 99.97 → 99.96); 0.06 from the target >= 99.9",), (), ()]


def test_a_window_of_exactly_the_run_still_sees_it():
    labels = ["2026-01", "2026-02", "2026-03", "2026-04", "2026-05"]
    results = series(["99.0", "99.99", "99.97", "99.96", "99.95"])
    out = at_risk.with_warnings(labels, results, window=4)
    assert out[-1].warnings == (WORSE_3,)
    assert [r.warnings for r in out[:-1]] == [()] * 4


# materially_different


@pytest.mark.parametrize(("reported", "expected"), [
    ("99.95", False),  # 0.1 above ours: not more than 0.1
    ("99.7500", False),  # 0.1 below
    ("99.9501", True),
    ("99.7499", True),
    ("99.85", False),
    (None, False),  # no vendor figure: nothing to compare
])
def test_a_vendor_figure_more_than_a_tenth_of_a_point_from_ours_is_material(reported, expected):
    assert at_risk.materially_different(result("99.85", reported=reported)) is expected


def test_a_result_without_our_figure_is_never_materially_different():
    assert at_risk.materially_different(result(None, met=None, reported="90")) is False


# status: the one result's status, from the same rule


def test_the_status_names_incomplete_and_in_progress_before_any_colour():
    from dataclasses import replace

    from sltdesk.domain.results import Status

    assert at_risk.status(None) is Status.NO_DATA
    assert at_risk.status(result(None, met=None)) is Status.NO_DATA
    assert at_risk.status(result("99.95", met=False)) is Status.MISSED
    assert at_risk.status(result("99.925")) is Status.MET  # exactly a quarter of the budget left: not under it
    assert at_risk.status(result("99.9249")) is Status.AT_RISK
    assert at_risk.status(result("99.99", warnings=(WORSE_3,))) is Status.AT_RISK
    assert at_risk.status(result("99.99"), warnings=[WORSE_3]) is Status.AT_RISK
    running = replace(result("99.95", met=None), completeness="in progress")
    assert at_risk.status(running) is Status.IN_PROGRESS
    assert at_risk.status(replace(result(None, met=None), completeness="incomplete")) is Status.INCOMPLETE
    assert at_risk.status(replace(result("99.99"), completeness="complete")) is Status.MET
