"""Runs of repeated misses that open an improvement action by themselves: a target missed `k` times within `n`
consecutive periods (default 3 in a row, the run that also makes a root-cause record due, rules/breach_log.py).

A run starts with the first miss of the first window that qualifies and goes on while the next qualifying window
overlaps the last one: a fourth miss in a row extends the run of three, it does not start another. A run is known
by its target and first missed period (its key), so opening its action twice is never needed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sltdesk.rules.breach_log import RUN_FOR_ROOT_CAUSE

MISSES = RUN_FOR_ROOT_CAUSE  # k: the misses that open an action...
WITHIN = RUN_FOR_ROOT_CAUSE  # n: ...within this many consecutive periods (k = n: in a row)


@dataclass(frozen=True)
class MissRun:
    """The missed periods of one run, oldest first."""

    target_id: int
    breaches: tuple[str, ...]

    @property
    def key(self) -> str:
        return run_key(self.target_id, self.breaches[0])


def run_key(target_id: int, first: str) -> str:
    return f"{target_id}:{first}"


def repeated_misses(target_id: int, periods: Sequence[str], met: Sequence[bool | None], *, misses: int = MISSES,
                    within: int = WITHIN) -> list[MissRun]:
    """Every run of `misses` misses within `within` consecutive periods (a period without a verdict is no miss)."""
    if not 1 <= misses <= within:
        raise ValueError("a run needs at least one miss, and no more misses than periods")
    missed = [i for i, verdict in enumerate(met) if verdict is False]
    runs: list[list[int]] = []
    last_end = -within  # the last qualifying window's last period
    for end in missed:
        window = [i for i in missed if end - within < i <= end]
        if len(window) < misses:
            continue
        if runs and end - within < last_end:  # overlaps the run's last window: the same run goes on
            runs[-1].extend(i for i in window if i not in runs[-1])
        else:
            runs.append(window)
        last_end = end
    return [MissRun(target_id, tuple(periods[i] for i in sorted(run))) for run in runs]
