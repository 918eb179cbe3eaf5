"""Bounded retries of a unit of work that found the workspace busy."""

from __future__ import annotations

import pytest

from sltdesk.errors import BusyError, ValidationError
from sltdesk.services.retry import retry_when_busy


class Flaky:
    """Busy for the first `busy` calls, then returns how many calls it took."""

    def __init__(self, busy: int):
        self.busy, self.calls = busy, 0

    def __call__(self, value: str) -> str:
        self.calls += 1
        if self.calls <= self.busy:
            raise BusyError("a deadlock")
        return f"{value} after {self.calls} calls"


def test_a_unit_of_work_that_was_busy_twice_runs_a_third_time_after_growing_waits():
    waits: list[float] = []
    work = Flaky(busy=2)
    run = retry_when_busy(work, first_wait=0.1, sleep=waits.append)
    assert run("stored") == "stored after 3 calls"
    assert len(waits) == 2
    assert 0.1 <= waits[0] <= 0.15 and 0.2 <= waits[1] <= 0.3  # doubled, with at most 50 % jitter


def test_after_four_busy_attempts_the_busy_error_reaches_the_user_with_its_sentence():
    waits: list[float] = []
    work = Flaky(busy=10)
    with pytest.raises(BusyError, match=r"busy saving another change \(a deadlock\); nothing of this change"):
        retry_when_busy(work, sleep=waits.append)("stored")
    assert work.calls == 4 and len(waits) == 3


def test_other_errors_are_not_retried():
    calls = []

    def refuse() -> None:
        calls.append(1)
        raise ValidationError({"name": "A supplier needs a name."})

    with pytest.raises(ValidationError):
        retry_when_busy(refuse, sleep=lambda _: None)()
    assert calls == [1]


def test_a_unit_of_work_that_succeeds_at_once_runs_once_without_waiting():
    waits: list[float] = []
    work = Flaky(busy=0)
    assert retry_when_busy(work, sleep=waits.append)("saved") == "saved after 1 calls"
    assert waits == []
