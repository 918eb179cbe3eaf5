"""A full refresh of the stored results measured in two worker processes, and stored by this one.

Measuring is CPU work per contract (loading its raw data, measuring each target and period); on a portfolio of
a hundred contracts it takes seconds, and a second core halves it. Each worker opens the same workspace
read-only (a file: it sees what is committed), measures the contracts it is handed one at a time, and sends
back the rows to store and the audit mark its inputs were read at. Every write stays here, in
`refresh_results`, one transaction per contract with the same audit-mark check as a contract measured here:
what a worker measured while someone wrote is not stored.

The contracts are handed out as the workers finish (two each at a time), so a slow contract does not hold up
the rest, and this process stores each as it arrives. Memory stays bounded: a worker holds one contract's raw
data at a time, and at most four contracts' rows wait here. A small portfolio, a workspace another process
cannot open (a database URL, a batch not yet committed, a read-only file) or a single core: everything is
measured here, one contract after the other, each stored before the next is read.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Generator, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from datetime import date
from typing import Any

from sltdesk.services.forking import fork_is_safe
from sltdesk.services.ports import Workspace
from sltdesk.services.result_cache import Measurement, measure_one

log = logging.getLogger(__name__)
# From this many contracts, the workers pay for their start-up (forked: a few ms; spawned: about 1 s of
# imports; the demo's 10 contracts measure in well under a second in one process).
PARALLEL_FROM = 24
WORKERS = 2  # the two cores; each holds one contract's raw data at a time
IN_HAND = 2  # contracts handed to each worker at a time: one it measures, one waiting
_WORKSPACE: Any = None  # in a worker: the workspace it opened read-only


def measured_in_turn(ws: Workspace, ids: list[int], as_of: int, today: date
                     ) -> Generator[Measurement | None, None, None]:
    """Each contract measured, by two workers where it pays, yielded as each is done (the caller stores it);
    else here, one after the other (each stored before the next one's inputs are read)."""
    opener = _opener(ws, ids)
    if opener is None:
        for contract_id in ids:
            yield measure_one(ws, contract_id, as_of, today)
        return
    yield from _shared(ws, ids, as_of, today, opener)


def _opener(ws: Workspace, ids: list[int]) -> Callable[[], Workspace] | None:
    """How a worker opens this workspace read-only, or None when everything is measured here."""
    if len(ids) < PARALLEL_FROM or (os.cpu_count() or 1) < 2:
        return None
    reader = getattr(ws, "reader", None)  # a capability of a workspace file (models/workspace.py)
    return reader() if reader is not None else None


def _shared(ws: Workspace, ids: list[int], as_of: int, today: date,
            opener: Callable[[], Workspace]) -> Iterator[Measurement | None]:
    waiting = deque(ids)
    running: dict[Future, int] = {}
    context = _context()
    if context.get_start_method() == "fork":  # no SQLite connection of ours crosses the fork (SQLite's rule)
        getattr(ws, "release_connections", lambda: None)()
    pool = ProcessPoolExecutor(WORKERS, mp_context=context, initializer=_open, initargs=(opener,))
    broken = False
    try:
        while waiting or running:
            while not broken and waiting and len(running) < IN_HAND * WORKERS:
                contract_id = waiting.popleft()
                try:
                    running[pool.submit(_measure_there, contract_id, as_of, today)] = contract_id
                except RuntimeError:  # the pool broke (a worker died): the rest is measured here
                    waiting.appendleft(contract_id)
                    broken = True
            if not running:
                yield measure_one(ws, waiting.popleft(), as_of, today)
                continue
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                measured, broken = _taken(ws, running.pop(future), future, as_of, today, broken)
                yield measured
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _context() -> Any:
    """Fork where it is safe, a process with one thread on Linux (the CLI, a script): a worker starts at once,
    with the modules imported and their caches warm, and never uses what it inherited (it opens the workspace
    anew). Elsewhere (the GUI refreshes from a background thread; macOS, Windows) a fresh interpreter: about a
    second of imports first."""
    if fork_is_safe():
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def _taken(ws: Workspace, contract_id: int, future: Future, as_of: int, today: date,
           broken: bool) -> tuple[Measurement | None, bool]:
    """What a worker measured; if it could not (its process died, or it failed), measured here instead (an
    error in the measuring itself is then raised here, as in a serial refresh), and no more is handed out."""
    try:
        return future.result(), broken
    except Exception:
        log.warning("The results of contract %s are measured here: the worker could not", contract_id,
                    exc_info=True)
        return measure_one(ws, contract_id, as_of, today), True


def _open(opener: Callable[[], Workspace]) -> None:
    global _WORKSPACE
    _WORKSPACE = opener()


def _measure_there(contract_id: int, as_of: int, today: date) -> Measurement | None:
    """In a worker: one contract measured from the workspace as committed (the rows to store are sent back,
    not the results themselves)."""
    return measure_one(_WORKSPACE, contract_id, as_of, today, keep=False)
