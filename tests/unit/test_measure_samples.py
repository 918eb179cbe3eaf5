"""Availability, latency and error rate from interval samples (sltdesk.rules.availability), worked by hand.

One hour from Monday 2 March 2026 00:00 UTC is twelve 5-minute intervals; an interval is bad when its errors are
more than the clause's limit (5 % unless it says otherwise) of its requests, compared exactly.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from sltdesk.domain.attainment import Exclusion
from sltdesk.domain.measurement import Budgeting, MeasurementRule, MissingData, Source, Window
from sltdesk.domain.register import WEEKDAYS, ServiceCalendar
from sltdesk.rules import availability
from sltdesk.rules.calendars import ALWAYS, BusinessClock, hours_of
from tests.exact import exactly

D = Decimal
T = int(datetime(2026, 3, 2, tzinfo=ZoneInfo("UTC")).timestamp())  # a multiple of 300: on the 5-minute grid
HOUR = T, T + 3600
RULE = MeasurementRule(target_id=1, source=Source.SAMPLES)
EVIDENCE = ["t", "requests", "errors", "latency", "bad", "missing", "excluded"]


def slot(i: int) -> int:
    return T + 300 * i


def samples(n: int = 12, *, requests: float = 100.0, errors: dict[int, float] | None = None,
            latency: dict[int, float] | None = None, gaps: tuple[int, ...] = (), probe: str = "eu") -> pd.DataFrame:
    """One sample per 5-minute interval from T, none in `gaps`."""
    keep = [i for i in range(n) if i not in gaps]
    errors, latency = errors or {}, latency or {}
    return pd.DataFrame({"probe": probe, "t": [slot(i) for i in keep], "requests": requests,
                         "errors": [errors.get(i, 0.0) for i in keep], "ok": -1,
                         "latency_ms": [latency.get(i, 300.0) for i in keep]})


def measure(data: pd.DataFrame, *, rule: MeasurementRule = RULE, windows: list[Window] | None = None,
            threshold: str = "75", metric: str = "availability", period=HOUR, clock=None, **kw):
    clock = clock or BusinessClock(ALWAYS, period[0] - 86400, period[1] + 86400)
    return availability.from_samples(data, windows or [], clock, *period, rule, D(threshold), metric=metric, **kw)


def window(first: int, last: int, reference: str = "CHG-7") -> Window:
    """Maintenance over intervals first..last (inclusive)."""
    return Window(slot(first), slot(last + 1), "maintenance", reference, f"planned maintenance {reference}")


def tally(intervals=12, counted=12, bad=0, missing=0, excluded=0, requests=1200, errors=0) -> dict:
    return {"intervals": intervals, "intervals_counted": counted, "intervals_bad": bad, "intervals_missing": missing,
            "intervals_excluded": excluded, "requests": requests, "errors": errors}


# above_error_limit


def test_an_interval_is_bad_only_above_the_error_limit():
    errors = np.array([4.0, 5.0, 6.0])
    assert availability.above_error_limit(errors, np.array([100.0] * 3), D(5)).tolist() == [False, False, True]


def test_a_limit_that_floats_cannot_hold_is_compared_exactly():
    # 69 of 3,000 is exactly 2.3 %; as floats 2.3 × 3,000 = 6,899.999999999999 < 6,900, which would call it bad.
    got = availability.above_error_limit([68, 69, 70], [3000, 3000, 3000], D("2.3"))
    assert got.tolist() == [False, False, True]
    assert availability.above_error_limit([153], [3000], D("5.1")).tolist() == [False]  # exactly 5.1 %


def test_a_hair_above_the_limit_is_above_it():
    # 50,000,000,001 errors in 10^12 requests is 5.0000000001 %: above 5 %, though the floats nearly tie
    got = availability.above_error_limit([5e10 + 1, 5e10, 5e10 - 1], [1e12] * 3, D(5))
    assert got.tolist() == [True, False, False]


def test_an_interval_without_requests_is_never_bad():
    got = availability.above_error_limit([3.0, 0.0, 1.0, np.nan], [0.0, 0.0, 1.0, 100.0], D(5))
    assert got.tolist() == [False, False, True, False]  # one failed request out of one is 100 %
    assert availability.above_error_limit([None, 6], [100, None], D(5)).tolist() == [False, False]
    assert availability.above_error_limit([1], [1], D(0)).tolist() == [True]
    assert availability.above_error_limit([0], [1], D(0)).tolist() == [False]


# slots


def test_samples_are_summed_per_interval_of_the_grid():
    data = pd.DataFrame({"probe": ["eu", "eu", "eu", "us"], "t": [T + 60, T + 310, T + 420, T + 420],
                         "requests": [10.0, 20.0, 30.0, 40.0], "errors": [1.0, 2.0, 3.0, 4.0],
                         "latency_ms": [100.0, 900.0, 1200.0, 50.0]})
    both = availability.slots(data, RULE)
    assert both.index.tolist() == [T, T + 300]
    assert both.to_dict("list") == {"requests": [10.0, 90.0], "errors": [1.0, 9.0], "latency": [100.0, 1200.0]}
    eu = availability.slots(data, MeasurementRule(target_id=1, source=Source.SAMPLES, probe="eu"))
    assert eu.to_dict("list") == {"requests": [10.0, 50.0], "errors": [1.0, 5.0], "latency": [100.0, 1200.0]}
    us = availability.slots(data, MeasurementRule(target_id=1, source=Source.SAMPLES, probe="us"))
    assert us.index.tolist() == [T + 300] and us.to_dict("list") == {"requests": [40.0], "errors": [4.0],
                                                                      "latency": [50.0]}


def test_samples_written_as_text_are_read_as_numbers():
    data = pd.DataFrame({"t": [str(T), str(T + 60)], "requests": ["100", "50"], "errors": ["1", "2"],
                         "latency_ms": ["900", "1200"]}, dtype=object)
    got = availability.slots(data, RULE)
    assert got.index.tolist() == [T]
    assert got.to_dict("list") == {"requests": [150.0], "errors": [3.0], "latency": [1200.0]}


def test_only_the_clauses_probe_counts():
    eu = samples()
    us = samples(errors={i: 50.0 for i in range(12)}, probe="us")  # every interval bad from the US
    rule = MeasurementRule(target_id=1, source=Source.SAMPLES, probe="eu")
    result = measure(pd.concat([eu, us], ignore_index=True), rule=rule)
    assert result.achieved == D(100) and result.counts == tally()


# from_samples: time-slice availability


def test_availability_is_the_share_of_good_intervals_with_its_sentence_and_budget():
    data = samples(errors={0: 6.0, 1: 5.0})  # 6 % is bad, 5 % is not above the limit
    result = measure(data)
    assert exactly(result.achieved, 11, 12)
    assert result.counts == tally(bad=1, errors=11)
    assert result.explanation == ("11 of 12 5-minute intervals good (an interval is bad above 5 % errors; "
                                  "no data: unavailable)")
    assert result.budget == "2 more bad intervals allowed"  # 25 % of 12 = 3 may be bad, 1 is
    assert result.exclusions == []
    evidence = result.evidence
    assert list(evidence.columns) == EVIDENCE
    assert evidence["t"].tolist() == [slot(i) for i in range(12)]
    assert evidence["bad"].tolist() == [True] + [False] * 11
    assert evidence["errors"].tolist()[:3] == [6.0, 5.0, 0.0]
    assert not evidence["missing"].any() and not evidence["excluded"].any()


def test_the_budget_says_one_interval_or_several_and_goes_below_zero():
    assert measure(samples(errors={0: 6.0, 1: 7.0})).budget == "1 more bad interval allowed"
    assert measure(samples(errors={0: 6.0}), threshold="99.9").budget == "-1 more bad intervals allowed"
    assert measure(samples(), threshold="100").budget == "0 more bad intervals allowed"


def test_the_budget_truncates_the_allowed_share_of_intervals():
    ten_hours = (T, T + 36_000)  # 120 intervals; 10 % of them may be bad: 12
    result = measure(samples(120), period=ten_hours, threshold="90")
    assert result.budget == "12 more bad intervals allowed" and result.achieved == D(100)
    assert measure(samples(120, errors={5: 9.0}), period=ten_hours, threshold="90.5").budget == \
        "10 more bad intervals allowed"  # 9.5 % of 120 = 11.4 → 11, less the one bad


def test_a_longer_interval_is_named_in_the_sentence():
    rule = MeasurementRule(target_id=1, source=Source.SAMPLES, interval_seconds=900, error_limit_percent=D("2.5"))
    result = measure(samples(), rule=rule)  # four 15-minute intervals of 300 requests each
    assert result.counts == tally(intervals=4, counted=4, requests=1200)
    assert result.explanation == ("4 of 4 15-minute intervals good (an interval is bad above 2.5 % errors; "
                                  "no data: unavailable)")
    assert result.budget == "1 more bad interval allowed"


def test_a_period_starting_inside_an_interval_counts_from_the_next_whole_one():
    result = measure(samples(), period=(T + 100, T + 3600))
    assert result.counts == tally(intervals=11, counted=11, requests=1100)
    assert result.evidence["t"].tolist() == [slot(i) for i in range(1, 12)]


def test_the_missing_data_policy_decides_what_a_gap_counts_as():
    data = samples(errors={0: 6.0}, gaps=(4, 5, 6, 10))  # interval 10 falls in maintenance: not missing
    windows = [window(9, 10)]
    maintenance = Exclusion("maintenance or approved force majeure", "maintenance", D("10.00"))

    def rule(policy):
        return MeasurementRule(target_id=1, source=Source.SAMPLES, missing_data=policy)

    unavailable = measure(data, rule=rule(MissingData.UNAVAILABLE), windows=windows)
    assert exactly(unavailable.achieved, 6, 10)  # 10 counted, 3 gaps and 1 error-bad
    assert unavailable.counts == tally(counted=10, bad=4, missing=3, excluded=2, requests=700, errors=6)
    assert unavailable.exclusions == [
        maintenance, Exclusion("intervals without data, counted as unavailable", "no-data", D("15.00"))]
    assert unavailable.budget == "-2 more bad intervals allowed"  # 25 % of 10 → 2, less 4

    excluded = measure(data, rule=rule(MissingData.EXCLUDED), windows=windows)
    assert exactly(excluded.achieved, 6, 7)
    assert excluded.counts == tally(counted=7, bad=1, missing=3, excluded=2, requests=700, errors=6)
    assert excluded.exclusions[1] == Exclusion("intervals without data, counted as excluded", "no-data", D("15.00"))
    assert excluded.explanation.endswith("(an interval is bad above 5 % errors; no data: excluded)")

    ignored = measure(data, rule=rule(MissingData.IGNORED), windows=windows)
    assert exactly(ignored.achieved, 9, 10)
    assert ignored.counts == tally(counted=10, bad=1, missing=3, excluded=2, requests=700, errors=6)
    evidence = ignored.evidence
    assert evidence["missing"].tolist() == [i in (4, 5, 6) for i in range(12)]
    assert evidence["excluded"].tolist() == [i in (9, 10) for i in range(12)]
    assert evidence["bad"].tolist() == [i == 0 for i in range(12)]


def test_an_interval_is_excluded_when_its_middle_lies_in_a_window():
    last = measure(samples(errors={11: 50.0}), windows=[window(11, 11)])
    assert last.counts == tally(counted=11, excluded=1, requests=1100) and last.achieved == D(100)
    assert last.exclusions == [Exclusion("maintenance or approved force majeure", "maintenance", D("5.00"))]
    early_part = Window(slot(11), slot(11) + 120, "maintenance", "CHG-8", "planned maintenance CHG-8")
    partly = measure(samples(errors={11: 50.0}), windows=[early_part])  # 2 of the interval's 5 minutes
    assert partly.counts == tally(bad=1, errors=50) and partly.exclusions == []
    late_part = Window(slot(11) + 120, slot(12), "maintenance", "CHG-9", "planned maintenance CHG-9")
    assert measure(samples(errors={11: 50.0}), windows=[late_part]).counts["intervals_excluded"] == 1


def test_only_intervals_in_service_hours_count():
    office = ServiceCalendar(name="UK", timezone="Europe/London",
                             hours=tuple(zip(WEEKDAYS, ["08:00-18:00"] * 5 + ["", ""], strict=True)))
    clock = BusinessClock(hours_of(office), T - 86400, T + 2 * 86400)
    evening = (T + 17 * 3600, T + 19 * 3600)  # Monday 17:00-19:00 (GMT in March): 12 intervals in hours
    data = samples(24)
    data["t"] += 17 * 3600
    data.loc[20, "errors"] = 90.0  # 18:40: after hours, not counted
    result = measure(data, clock=clock, period=evening)
    assert result.counts == tally() and result.achieved == D(100)


def test_a_period_wholly_outside_service_hours_has_no_figure():
    office = ServiceCalendar(name="UK", timezone="Europe/London",
                             hours=tuple(zip(WEEKDAYS, ["08:00-18:00"] * 5 + ["", ""], strict=True)))
    sunday = (T - 86400, T)
    clock = BusinessClock(hours_of(office), T - 3 * 86400, T + 86400)
    result = measure(samples(), clock=clock, period=sunday, windows=[window(-10, -5)])
    assert result.achieved is None
    assert result.counts == tally(intervals=0, counted=0, requests=0)
    assert result.explanation == ("0 of 0 5-minute intervals good (an interval is bad above 5 % errors; "
                                  "no data: unavailable)")
    assert result.budget == "0 more bad intervals allowed" and result.exclusions == []
    assert list(result.evidence.columns) == EVIDENCE and len(result.evidence) == 0


def test_intervals_summed_beforehand_give_the_same_figure():
    data = samples(errors={0: 6.0})
    per_slot = availability.slots(data, RULE)
    result = measure(data.iloc[0:0], per_slot=per_slot)
    assert exactly(result.achieved, 11, 12) and result.counts == tally(bad=1, errors=6)


# from_samples: requests, latency and error rate


def test_occurrence_budgeting_counts_good_requests():
    rule = MeasurementRule(target_id=1, source=Source.SAMPLES, budgeting=Budgeting.OCCURRENCE)
    result = measure(samples(errors={0: 6.0}), rule=rule, threshold="99.9")
    assert result.achieved == D("99.5")  # 1,194 of 1,200
    assert result.explanation == "1,194 of 1,200 requests succeeded"
    assert result.budget == "" and result.counts == tally(bad=1, errors=6)


def test_the_error_rate_is_failed_requests_over_all_requests():
    data = samples(requests=25_000.0, errors={0: 1000.0, 3: 234.0})
    result = measure(data, metric="error rate", threshold="0.5", unit="%")
    assert exactly(result.achieved, 1234, 300_000)  # 0.41133… %
    assert result.explanation == "1,234 failed of 300,000 requests"
    assert result.budget == "" and result.counts == tally(requests=300_000, errors=1234)


LATENCY = {i: 100.0 * (i + 1) for i in range(12)}  # 100, 200, …, 1,200 ms


def test_the_latency_share_counts_intervals_at_or_under_the_limit_among_those_with_data():
    rule = MeasurementRule(target_id=1, source=Source.SAMPLES, limit_minutes=D(800))
    data = samples(latency=LATENCY, gaps=(3,))  # no data for 400 ms; 1,200 ms falls in maintenance
    # no unit given: a share of intervals, in %
    result = measure(data, rule=rule, windows=[window(11, 11)], metric="latency percentile", threshold="70")
    # with data and counted: 100 200 300 500 600 700 800 900 1000 1100 → 7 at or under 800 of 10
    assert result.achieved == D(70)
    assert result.explanation == "7 of 10 intervals with p95 ≤ 800 ms"
    assert result.budget == "" and result.counts == tally(counted=11, bad=1, missing=1, excluded=1, requests=1000)


def test_the_period_percentile_of_latency_leaves_out_gaps_and_maintenance():
    rule = MeasurementRule(target_id=1, source=Source.SAMPLES, limit_minutes=D(800))
    data = samples(latency=LATENCY, gaps=(3,))
    result = measure(data, rule=rule, windows=[window(11, 11)], metric="latency percentile", threshold="1000",
                     unit="ms")
    # the same ten values: rank 9 × 0.95 = 8.55 → 1,000 + 0.55 × 100 = 1,055 ms
    assert result.achieved == D("1055.000")
    assert result.explanation == "p95 of 10 intervals' latency: 1055.000 ms"
    assert result.budget == ""
    p50 = MeasurementRule(target_id=1, source=Source.SAMPLES, percentile=50)
    assert measure(samples(latency=LATENCY), rule=p50, metric="latency percentile", unit="ms").achieved == D("650.0")
