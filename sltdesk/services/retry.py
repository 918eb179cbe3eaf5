"""Bounded retries of a whole unit of work when the storage was busy with another writer.

Storage raises `BusyError` when a transaction could not go ahead (a lock wait that timed out, a
serialization failure, a deadlock); the transaction was rolled back, so nothing of it was saved. A
service whose whole work is one unit of work (no files written, nothing committed before it) can then
simply run again: `@retry_when_busy` does that a few times, waiting a little longer each time.
"""

from __future__ import annotations

import functools
import random
import time
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from sltdesk.errors import BusyError

P = ParamSpec("P")
T = TypeVar("T")

ATTEMPTS = 4
FIRST_WAIT = 0.05  # seconds; doubled after each busy attempt, with jitter so two writers do not meet again


def retry_when_busy(fn: Callable[P, T], *, attempts: int = ATTEMPTS, first_wait: float = FIRST_WAIT,
                    sleep: Callable[[float], None] = time.sleep) -> Callable[P, T]:
    """`fn` run again (up to `attempts` times in all) while it raises BusyError; the last one is raised."""

    @functools.wraps(fn)
    def run(*args: P.args, **kwargs: P.kwargs) -> T:
        wait = first_wait
        for attempt in range(1, attempts + 1):
            try:
                return fn(*args, **kwargs)
            except BusyError:
                if attempt == attempts:
                    raise
            sleep(wait * random.uniform(1.0, 1.5))  # jitter, not security
            wait *= 2
        raise AssertionError("unreachable")

    return run

