"""A document's charts drawn in two processes while the document is laid out.

A 12-month pack has seven charts: matplotlib making each figure and drawing it into reportlab shapes is about
half of writing the pack, and the layout does not need them until its last pass draws the pages (a chart's size
is known from the figure's size alone; the first pass draws no chart). So the charts are collected while the
story is built and, where forking is safe (Linux, a process with one thread: the CLI, a script), a forked
process starts drawing them from the last one back while this one lays out the pages; when a page shows a chart
the other process has not taken yet, this one draws it itself. Each chart is taken by one of the two (a shared
claim under a lock), and what the other process drew comes back pickled. Elsewhere (the GUI writes a pack from a
background thread; macOS, Windows), or if that process fails, every chart is made and drawn here when first
drawn. The drawings are the same either way: a test holds the PDFs byte for byte equal.

The forked process touches nothing it inherited but the chart jobs: it never uses the workspace's connections,
and it ends with os._exit, so no inherited object is finalised there.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import pickle
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from matplotlib.figure import Figure
from reportlab.graphics.shapes import Drawing

from sltdesk.services.forking import fork_is_safe

log = logging.getLogger(__name__)
POINTS_PER_INCH = 72
FREE, HERE, THERE = 0, 1, 2  # who draws a chart: nobody yet, this process, the forked one
WAIT_S = 0.05  # how often a wait for the other process's chart looks whether that process still runs


@dataclass
class _Job:
    make: Callable[..., Figure]
    args: tuple
    kwargs: dict


@dataclass
class ChartJobs:
    """The charts of one document, in the order they were added; `start` once the story is built, `close` when the
    document is written."""

    jobs: list[_Job] = field(default_factory=list)
    drawings: dict[int, Drawing] = field(default_factory=dict)
    _process: Any = None
    _receiver: Any = None
    _claims: Any = None
    _lock: Any = None

    def add(self, make: Callable[..., Figure], *args: Any, size: tuple[float, float], **kwargs: Any) -> PendingChart:
        """A chart `make(*args, size=size, **kwargs)` will make; its size (inches) is what the figure will have."""
        self.jobs.append(_Job(make, args, {**kwargs, "size": size}))
        return PendingChart(self, len(self.jobs) - 1, size[0] * POINTS_PER_INCH, size[1] * POINTS_PER_INCH)

    def start(self) -> None:
        """Start the second process, where that is safe and there is more than one chart to draw."""
        if len(self.jobs) < 2 or (os.cpu_count() or 1) < 2 or not fork_is_safe():
            return
        context = multiprocessing.get_context("fork")
        try:
            receiver, sender = context.Pipe(duplex=False)
        except OSError:  # no descriptor to be had: they are drawn here
            log.warning("The charts are drawn in this process: no pipe to a second one", exc_info=True)
            return
        claims = context.RawArray("b", len(self.jobs))  # per chart: FREE, HERE or THERE
        lock = context.Lock()
        try:
            process = context.Process(target=_draw_from_the_end, args=(self.jobs, claims, lock, sender), daemon=True)
            process.start()
        except OSError:  # no process to be had (a limit on processes, no memory): they are drawn here
            log.warning("The charts are drawn in this process: no second one could be started", exc_info=True)
            receiver.close()
            return
        finally:
            sender.close()
        self._process, self._receiver, self._claims, self._lock = process, receiver, claims, lock

    def drawing(self, index: int) -> Drawing:
        """Chart `index`'s drawing: drawn here unless the second process has taken it."""
        if index not in self.drawings and self._receiver is not None and not self._claim(index):
            self._receive(index)
        if index not in self.drawings:
            self.drawings[index] = _drawn(self.jobs[index])
        return self.drawings[index]

    def _claim(self, index: int) -> bool:
        """Take chart `index` to draw here, unless the other process has taken it."""
        with self._lock:
            if self._claims[index] == THERE:
                return False
            self._claims[index] = HERE
            return True

    def _receive(self, index: int) -> None:
        """Read what the other process sent until chart `index` is among it (it draws from the last chart back,
        and a page needs them from the first on). If it failed or stopped, the rest is drawn here."""
        try:
            while index not in self.drawings:
                while not self._receiver.poll(WAIT_S):  # it draws; or it stopped without a word
                    if self._process is None or not self._process.is_alive():
                        if self._receiver.poll(0):  # its last words came just before it ended
                            break
                        log.warning("The charts are drawn in this process: the second one stopped")
                        self.close()
                        return
                at, status, payload = pickle.loads(self._receiver.recv_bytes())
                if status != "ok":
                    log.warning("Chart %s is drawn in this process: the second one failed: %s", at, payload)
                    self.close()
                    return
                self.drawings[at] = payload
        except (EOFError, OSError, pickle.UnpicklingError):
            log.warning("The charts are drawn in this process: the second one stopped", exc_info=True)
            self.close()

    def close(self) -> None:
        """Stop the second process if it still runs (it has drawn what this one needs, or it is given up)."""
        if self._receiver is not None:
            self._receiver.close()
            self._receiver = None
        process, self._process = self._process, None
        if process is not None:
            if process.is_alive():
                process.kill()
            process.join(5)


@dataclass(frozen=True)
class PendingChart:
    """A chart not drawn yet: its size is known, its drawing comes from its ChartJobs."""

    jobs: ChartJobs
    index: int
    width: float  # points
    height: float

    def drawing(self) -> Drawing:
        found = self.jobs.drawing(self.index)
        if (found.width, found.height) != (self.width, self.height):  # the layout reserved this size
            raise RuntimeError(f"chart {self.index} was drawn {found.width}x{found.height} points, not "
                               f"{self.width}x{self.height}")
        return found


def _drawn(job: _Job) -> Drawing:
    from reports.chart_svg import drawing

    return drawing(job.make(*job.args, **job.kwargs))


def _draw_from_the_end(jobs: list[_Job], claims: Any, lock: Any, sender: Any) -> None:
    """In the forked process: the charts from the last one back, each sent as it is drawn, until one is taken by
    the parent (it takes them from the first on, so every one before is its)."""
    try:
        for index in reversed(range(len(jobs))):
            with lock:
                if claims[index] != FREE:
                    break
                claims[index] = THERE
            message: tuple[int, str, Drawing | str]
            try:
                message = (index, "ok", _drawn(jobs[index]))
            except Exception as error:  # told to the parent, which draws it itself
                message = (index, "error", f"{type(error).__name__}: {error}")
            sender.send_bytes(pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL))
            if message[1] != "ok":
                break
    finally:
        sender.close()
        os._exit(0)
