"""Python's cyclic garbage collector held off while one large piece of work runs (a review pack).

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
