"""Background operations: a function run on the thread pool, reporting back by signal."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger("sltdesk.jobs")


class Cancelled(Exception):
    """Raised inside a worker's progress callback once the user asked to stop."""


class WorkerSignals(QObject):
    """What a worker tells the GUI thread; connect to bound methods of QObjects only."""

    progress = Signal(int, str)
    finished = Signal(object)
    failed = Signal(object)


@dataclass(frozen=True)
class Tagged:
    """A background answer with the request it answers (its token); failures travel back as values, so only
    whoever still waits for this token shows them."""

    token: object
    value: Any = None
    error: BaseException | None = None


def tagged(token: object, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Tagged:
    """Runs on a worker: `fn(*args, **kwargs)`; the caller compares the token to drop answers no longer wanted."""
    try:
        return Tagged(token, fn(*args, **kwargs))
    except Exception as error:  # Cancelled too: noted only if still wanted
        return Tagged(token, error=error)


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
        name, started = job_name(self._fn, self._args), time.perf_counter()
        try:
            result = self._fn(*self._args, **kwargs)
        except BaseException as error:  # every failure goes back to the GUI thread
            _log_end(name, time.perf_counter() - started, error)
            self.signals.failed.emit(error)
        else:
            _log_end(name, time.perf_counter() - started, failure_of(result))
            self.signals.finished.emit(result)

    def _release(self, _outcome: object = None) -> None:
        # Called on the GUI thread after the result was delivered, so the signals lived long enough.
        with _LOCK:
            _RUNNING.discard(self)


def job_name(fn: Callable[..., Any], args: tuple) -> str:
    """What the job runs: the function's name, or for a tagged call (token, fn, ...) the function it wraps."""
    if getattr(fn, "__name__", "").lstrip("_") == "tagged":
        fn = next((a for a in args if callable(a)), fn)
    fn = getattr(fn, "func", fn)  # functools.partial
    return f"{getattr(fn, '__module__', '') or ''}.{getattr(fn, '__qualname__', type(fn).__name__)}".lstrip(".")


def failure_of(result: Any) -> BaseException | None:
    """The exception a tagged answer carries back as a value, if any (its job failed)."""
    for value in (result, *(result if isinstance(result, tuple) else ())):
        error = getattr(value, "error", None)
        if isinstance(error, BaseException):
            return error
    return None


def _log_end(name: str, seconds: float, error: BaseException | None) -> None:
    if error is None:
        log.info("job %s done in %.3f s", name, seconds)
    elif isinstance(error, Cancelled):
        log.info("job %s cancelled after %.3f s", name, seconds)
    else:
        log.warning("job %s failed after %.3f s: %s: %s", name, seconds, type(error).__name__, error)


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
    worker.signals.finished.connect(_while_alive(on_done))
    if on_error is None:
        from ui.errors import report_exception

        on_error = report_exception
    worker.signals.failed.connect(_while_alive(on_error))
    return start(worker)


def _while_alive(callback: Callable[[Any], None]) -> Callable[[Any], None]:
    """The callback, dropped once the widget it belongs to is gone: an answer that arrives after its window was
    closed has nobody to show it to (a partial over a widget's method is not disconnected by Qt when the widget
    goes, and calling it then fails on the deleted C++ object)."""
    owner = getattr(getattr(callback, "func", callback), "__self__", None)
    if not isinstance(owner, QObject):
        return callback

    def call(value: Any) -> None:
        if shiboken6.isValid(owner):
            callback(value)
        elif isinstance(value, BaseException):  # a failure nobody is left to show: the log still has it
            log.warning("a background job failed after its window was closed: %s: %s", type(value).__name__, value)

    return call


def wait_for_workers(msecs: int = 10000) -> bool:
    """Block until every background operation has ended (on close and in tests)."""
    return QThreadPool.globalInstance().waitForDone(msecs)
