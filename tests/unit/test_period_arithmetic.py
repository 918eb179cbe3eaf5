"""Month arithmetic on period labels has one home, sltdesk/domain/period.py."""

from __future__ import annotations

import pytest

from sltdesk.domain.period import months_between, quarter_of, shift, span


@pytest.mark.parametrize(("label", "steps", "expected"), [
    ("2026-01", -1, "2025-12"), ("2025-12", 1, "2026-01"), ("2026-03", 0, "2026-03"), ("2026-03", -15, "2024-12"),
    ("2026-Q1", -1, "2025-Q4"), ("2025-Q4", 1, "2026-Q1"), ("2026-Q2", 4, "2027-Q2"),
    ("2026", -2, "2024"), ("0001-01", 0, "0001-01"),
])
def test_shift_moves_by_whole_periods_of_the_labels_kind(label, steps, expected):
    assert shift(label, steps) == expected


def test_span_runs_inclusive_from_first_to_last_and_is_empty_backwards():
    assert span("2025-11", "2026-02") == ["2025-11", "2025-12", "2026-01", "2026-02"]
    assert span("2026-Q4", "2027-Q1") == ["2026-Q4", "2027-Q1"]
    assert span("2026-03", "2026-03") == ["2026-03"]
    assert span("2026-03", "2026-02") == []


def test_months_between_takes_the_months_the_labels_start_in():
    assert months_between("2026-Q1", "2026-Q2") == ["2026-01", "2026-02", "2026-03", "2026-04"]
    assert months_between("2025-12", "2026-01") == ["2025-12", "2026-01"]
    assert months_between("2026-02", "2026-01") == []


@pytest.mark.parametrize(("label", "expected"), [
    ("2026-01", "2026-Q1"), ("2026-03", "2026-Q1"), ("2026-04", "2026-Q2"), ("2026-12", "2026-Q4"),
    ("2026-Q3", "2026-Q3"), ("2026", "2026-Q1"),
])
def test_quarter_of_is_the_quarter_a_period_starts_in(label, expected):
    assert quarter_of(label) == expected
