"""Python's cyclic garbage collector held off, or made to run less often, while one large piece of work runs
(a review pack; the demo's build).

A pack allocates hundreds of thousands of objects (results, frames, chart artists, flowables). Each time a
generation's threshold is crossed the collector runs, and its oldest generation is the whole long-lived heap of
the process (pandas, matplotlib, SQLAlchemy, reportlab and their modules): a 12-month pack spent about 0.2 s
of its 1.05 s of CPU in collections that found next to nothing. Reference counting still frees everything
that is not in a cycle at once; the few cycles the work leaves (a chart's figure and its artists) wait for the
next collection after it, a few megabytes at most.

Where the collector is off already (the GUI collects on its own thread only, ui/gc_guard.py), it stays off:
this never turns it on.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def cycle_collection_held() -> Iterator[None]:
    """No automatic cyclic collection inside; afterwards the collector is as it was (on if it was on)."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


@contextlib.contextmanager
def fewer_collections(youngest: int = 20_000) -> Iterator[None]:
    """The youngest generation collected every `youngest` net allocations instead of Python's 700; afterwards as
    it was. For work that makes millions of short-lived objects (the demo's build: rows, records, frames, ORM
    states), where the default scanned them some 850 times, a tenth of the build's CPU; the build's peak memory
    moved from 351 to 354 MB. The command line runs at this threshold from its start (sltdesk/__main__.py)."""
    before = gc.get_threshold()
    gc.set_threshold(youngest, *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)
