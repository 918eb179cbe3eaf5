"""Import coverage at its boundaries: sample spacing, record days in UTC, the wording of each choice."""

from __future__ import annotations

from datetime import UTC, datetime

from sltdesk.rules.completeness import Completeness, assess, batch_coverage, sample_step

DAY = 86_400


def at(*args) -> int:
    return int(datetime(*args, tzinfo=UTC).timestamp())


def test_records_without_a_zone_cover_whole_utc_days_and_say_how_to_cover_more():
    covered = batch_coverage(records=(at(2026, 3, 2, 23, 30), at(2026, 3, 4, 0, 10)))
    assert (covered.start, covered.end) == (at(2026, 3, 2), at(2026, 3, 5))
    assert covered.how == ("whole days from the first record's day to the last record's (give --period when the "
                           "export covers more)")


def test_one_minute_samples_are_named_as_intervals_and_shorter_ones_are_not():
    minute = batch_coverage(samples=(0, 3540, 60))
    assert (minute.start, minute.end) == (0, 3600)
    assert minute.how == "the samples' first interval to their last (1-minute intervals)"
    assert batch_coverage(samples=(0, 3540, 59)).how == "the samples' first to their last"
    two = batch_coverage(samples=(0, 3480, 120))
    assert two.how == "the samples' first interval to their last (2-minute intervals)"


def test_a_block_of_two_samples_gives_the_spacing_but_two_at_the_same_instant_do_not():
    assert sample_step([(0, 3600, 2)]) == 3600
    assert sample_step([(100, 100, 2)]) == 300  # duplicates: no spacing at all, so the default
    assert sample_step([(100, 100, 2), (0, 600, 3)]) == 300


def test_the_spacing_is_the_upper_median_of_the_blocks():
    assert sample_step([(0, 60, 2), (0, 300, 2)]) == 300
    assert sample_step([(0, 60, 2), (0, 120, 2), (0, 300, 2), (0, 600, 2)]) == 300


def test_a_period_is_not_complete_unless_marked_or_covered():
    assert assess([(0, 60)], 0, 100, as_of=200) == (Completeness.INCOMPLETE, [(0, 60)])
    assert assess([(0, 100)], 0, 100, as_of=200) == (Completeness.COMPLETE, [(0, 100)])
