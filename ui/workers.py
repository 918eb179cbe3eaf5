"""Background operations: a function run on the thread pool, reporting back by signal."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal


class Cancelled(Exception):
    """Raised inside a worker's progress callback once the user asked to stop."""


class WorkerSignals(QObject):
    """What a worker tells the GUI thread; connect to bound methods of QObjects only."""

    progress = Signal(int, str)
    finished = Signal(object)
    failed = Signal(object)


# Workers still running; holding them keeps their signal objects alive until they report.
_RUNNING: set[Worker] = set()
_LOCK = threading.Lock()


class Worker(QRunnable):
    """Runs `fn(*args, **kwargs)` off the GUI thread; with `progress=True` also passes `progress=`."""

    def __init__(self, fn: Callable[..., Any], *args: Any, progress: bool = False, **kwargs: Any):
        super().__init__()
        self.setAutoDelete(False)
        self.signals = WorkerSignals()
        self._fn, self._args, self._kwargs = fn, args, kwargs
        self._wants_progress = progress
        self._cancel = threading.Event()

    def cancel(self) -> None:
        """Ask the operation to stop at its next progress report."""
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def report(self, percent: int, message: str) -> None:
        """The progress callback handed to the operation."""
        if self._cancel.is_set():
            raise Cancelled()
        self.signals.progress.emit(int(percent), message)

    def run(self) -> None:
        """Called on a pool thread: run the function and emit its result or its exception."""
        kwargs = dict(self._kwargs, progress=self.report) if self._wants_progress else self._kwargs
        try:
            result = self._fn(*self._args, **kwargs)
        except BaseException as error:  # every failure goes back to the GUI thread
            self.signals.failed.emit(error)
        else:
            self.signals.finished.emit(result)

    def _release(self, _outcome: object = None) -> None:
        # Called on the GUI thread after the result was delivered, so the signals lived long enough.
        with _LOCK:
            _RUNNING.discard(self)


def start(worker: Worker) -> Worker:
    """Queue a worker on the global thread pool."""
    with _LOCK:
        _RUNNING.add(worker)
    worker.signals.finished.connect(worker._release)
    worker.signals.failed.connect(worker._release)
    QThreadPool.globalInstance().start(worker)
    return worker


def run_in_background(fn: Callable[..., Any], *args: Any, on_done: Callable[[Any], None],
                      on_error: Callable[[BaseException], None] | None = None, **kwargs: Any) -> Worker:
    """Start `fn` on the pool; `on_done(result)` / `on_error(exception)` run on the GUI thread."""
    worker = Worker(fn, *args, **kwargs)
    worker.signals.finished.connect(on_done)
    if on_error is None:
        from ui.errors import report_exception

        on_error = report_exception
    worker.signals.failed.connect(on_error)
    return start(worker)


def wait_for_workers(msecs: int = 10000) -> bool:
    """Block until every background operation has ended (on close and in tests)."""
    return QThreadPool.globalInstance().waitForDone(msecs)
