"""One handler for unexpected exceptions: log them, show a dialog, keep the app running."""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QApplication

from sltdesk import logs
from sltdesk.errors import SltDeskError
from ui import dialogs

log = logging.getLogger("sltdesk.ui")


def log_path() -> Path:
    """The desktop application's log file (Help → About names it)."""
    return logs.folder() / "sltdesk.log"


def setup_logging(path: Path | None = None) -> Path:
    """Send the app's timestamped log lines to the per-user log file (sltdesk/logs.py); returns its path."""
    return logs.log_to(path or log_path())


def report_exception(error: BaseException) -> None:
    """Show a failure to the user: SltDeskError as a warning, anything else logged with details."""
    if threading.current_thread() is not threading.main_thread():  # the GUI runs on Python's main thread
        _relay().reported.emit(error)
        return
    parent = QApplication.activeWindow()
    if isinstance(error, SltDeskError):
        log.info("user-facing error: %s", error)
        dialogs.warn(parent, str(error))
        return
    details = "".join(traceback.format_exception(type(error), error, error.__traceback__))
    log.error("unexpected error\n%s", details)
    sentence = (f"Something went wrong ({type(error).__name__}: {error}). The app keeps running; "
                f"details were written to {log_path()}.")
    dialogs.show_error(parent, sentence, details)


class _Relay(QObject):
    """Lives on the GUI thread; brings exceptions from other threads there, one at a time."""

    reported = Signal(object)

    def show(self, error: BaseException) -> None:
        report_exception(error)


_RELAY: _Relay | None = None


def _relay() -> _Relay:
    global _RELAY
    if _RELAY is None:
        _RELAY = _Relay()
        app = QApplication.instance()
        assert app is not None  # errors are shown by a running application
        _RELAY.moveToThread(app.thread())
        _RELAY.reported.connect(_RELAY.show, Qt.ConnectionType.QueuedConnection)
    return _RELAY


def _excepthook(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, error, tb)
        return
    error.__traceback__ = tb
    # Queued: never open a modal dialog in the middle of a paint or a layout pass.
    _relay().reported.emit(error)


def _thread_excepthook(args: threading.ExceptHookArgs) -> None:
    if args.exc_value is not None:
        _excepthook(args.exc_type, args.exc_value, args.exc_traceback)


def install_exception_handler() -> None:
    """Route uncaught exceptions of the GUI thread and of Python threads to report_exception."""
    _relay()
    sys.excepthook = _excepthook
    threading.excepthook = _thread_excepthook
