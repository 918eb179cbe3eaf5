"""What an import covers, and when a period is complete, incomplete or in progress."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from sltdesk.domain.period import Period, Span
from sltdesk.rules.completeness import (
    Completeness,
    assess,
    batch_coverage,
    coverage_text,
    covered_part,
    merged,
    sample_step,
    whole_days,
)

LONDON = ZoneInfo("Europe/London")
H = 3600


def at(*args, zone=LONDON) -> int:
    return int(datetime(*args, tzinfo=zone).timestamp())


def test_a_given_period_wins_over_what_the_file_states_and_over_the_records():
    given = batch_coverage(given=(1, 2, "2026-03"), stated=(3, 4, "sheet name 'May 2026'"), records=(5, 6))
    assert (given.start, given.end, given.how) == (1, 2, "the period given with --period (2026-03)")
    stated = batch_coverage(stated=(3, 4, "2026-05 sheet name 'May 2026'"), samples=(5, 6, 300), records=(5, 6))
    assert (stated.start, stated.end) == (3, 4) and stated.how == "the period the file states (sheet name 'May 2026')"
    assert (given.label, stated.label) == ("2026-03", "2026-05")
    assert batch_coverage() is None


def test_samples_cover_from_their_first_interval_to_the_end_of_their_last():
    covered = batch_coverage(samples=(at(2026, 11, 1), at(2026, 11, 1, 0, 55), 300))
    assert (covered.start, covered.end) == (at(2026, 11, 1), at(2026, 11, 1, 1))
    jittered = batch_coverage(samples=(at(2026, 11, 1, 0, 0) + 7, at(2026, 11, 1, 0, 55) + 7, 300))
    assert (jittered.start, jittered.end) == (at(2026, 11, 1), at(2026, 11, 1, 1))  # whole intervals of the grid
    assert covered.how == "the samples' first interval to their last (5-minute intervals)"
    assert batch_coverage(samples=(0, 10, 30)).how == "the samples' first to their last"


def test_sparse_records_cover_whole_days_in_the_contracts_zone():
    """A first outage at 00:30 on 2 March and a last one ending 23:10 on 27 March, London: 2 to 28 March."""
    covered = batch_coverage(records=(at(2026, 3, 2, 0, 30), at(2026, 3, 27, 23, 10)), zone="Europe/London")
    assert (covered.start, covered.end) == (at(2026, 3, 2), at(2026, 3, 28))
    assert covered.how.startswith("whole days from the first record's day to the last record's")
    # 00:30 London on 29 March is 00:30 UTC (before the clocks change), still the 29th
    assert whole_days(at(2026, 3, 29, 0, 30), at(2026, 3, 29, 23, 59), "Europe/London") == (
        at(2026, 3, 29), at(2026, 3, 30))
    assert whole_days(at(2026, 3, 1, 23, 30, zone=UTC), at(2026, 3, 1, 23, 30, zone=UTC), "Europe/Berlin") == (
        at(2026, 3, 2, zone=ZoneInfo("Europe/Berlin")), at(2026, 3, 3, zone=ZoneInfo("Europe/Berlin")))


def test_the_sample_interval_is_the_median_spacing_of_the_blocks():
    assert sample_step([(0, 287 * 300, 288), (86_400, 86_400 + 287 * 300, 288), (0, 3600, 2)]) == 300
    assert sample_step([(0, 0, 1)]) == 300 and sample_step([]) == 300
    assert sample_step([(0, 23 * 3600, 24)]) == 3600


def test_spans_are_merged_where_they_touch_or_overlap_and_clipped_to_the_period():
    assert merged([(5, 9), (0, 5), (20, 30), (25, 26), (40, 40)]) == [(0, 9), (20, 30)]
    assert covered_part([(0, 10), (12, 30), (50, 60)], 5, 20) == [(5, 10), (12, 20)]
    assert covered_part([(0, 5)], 5, 10) == []


@pytest.mark.parametrize(("spans", "as_of", "marked", "state"), [
    ([(0, 100)], 100, False, Completeness.COMPLETE),  # the period's end is the as-of instant: over
    ([(0, 100)], 99, False, Completeness.IN_PROGRESS),  # one second before its end: still running
    ([(0, 60), (60, 100)], 200, False, Completeness.COMPLETE),
    ([(0, 60), (61, 100)], 200, False, Completeness.INCOMPLETE),  # one second missing
    ([(1, 100)], 200, False, Completeness.INCOMPLETE),
    ([(0, 99)], 200, False, Completeness.INCOMPLETE),
    ([], 200, False, Completeness.INCOMPLETE),
    ([], 200, True, Completeness.COMPLETE),  # marked complete as imported
    ([], 50, True, Completeness.IN_PROGRESS),
])
def test_a_period_is_complete_only_when_its_coverage_holds_all_of_it(spans, as_of, marked, state):
    assert assess(spans, 0, 100, as_of=as_of, marked=marked)[0] is state


def test_what_the_data_covers_is_said_in_local_time():
    start = at(2026, 11, 1)
    assert coverage_text([(start, start + H)], "2026-11", "Europe/London") == \
        "data covers 1 Nov 00:00 – 1 Nov 01:00 of 2026-11"
    assert coverage_text([], "2026-11", "UTC") == "no data imported for 2026-11"
    assert coverage_text([(start, start + H), (start + 2 * H, start + 3 * H)], "2026-11", "Europe/Berlin") == \
        "data covers 1 Nov 01:00 – 1 Nov 02:00, 1 Nov 03:00 – 1 Nov 04:00 of 2026-11"


def test_a_span_runs_from_the_start_of_its_first_period_to_the_end_of_its_last():
    span = Span.parse("2025-05..2026-10")
    assert (span.start, span.end, span.label) == (Period.parse("2025-05").start, Period.parse("2026-11").start,
                                                  "2025-05..2026-10")
    assert Span.parse("2026-Q1").label == "2026-Q1" and Span.parse("2026-Q1").end == Period.parse("2026-04").start
    assert Span.parse(" 2026-03 .. 2026-Q2 ").end == Period.parse("2026-07").start
    with pytest.raises(ValueError, match="ends before it starts"):
        Span.parse("2026-10..2025-05")
    with pytest.raises(ValueError, match="is not a period"):
        Span.parse("2026-10..")
