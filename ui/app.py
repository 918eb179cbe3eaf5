"""Start the GUI: QApplication, the exception handler and the main window."""

from __future__ import annotations

import logging
import platform
import signal
import sys
from pathlib import Path

from PySide6 import __version__ as pyside_version
from PySide6.QtWidgets import QApplication

from sltdesk import __version__
from sltdesk.errors import SltDeskError
from ui import settings
from ui.display import display_problem
from ui.errors import install_exception_handler, setup_logging
from ui.gc_guard import GuiThreadCollector

ORGANIZATION = "SLT Desk"
APPLICATION = "SLT Desk"
log = logging.getLogger("sltdesk.ui")


def make_application(argv: list[str] | None = None) -> QApplication:
    """The one QApplication, named so QSettings and the log land in the app's own places."""
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(argv if argv is not None else sys.argv[:1])
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName(APPLICATION)
    return app


def startup_location(workspace_path: str | None) -> str | None:
    """The workspace to open first: the one asked for, else the most recent one that still exists."""
    if workspace_path:
        return workspace_path
    for location in settings.recent_workspaces():
        if "://" not in location and Path(location).is_file():
            return location
    return None


def run_gui(workspace_path: str | None = None) -> int:
    """Open the main window (on a workspace when given) and run until it closes; returns the exit code. Where no
    window can open, an SltDeskError says why (Qt itself would abort the process)."""
    from ui.main_window import MainWindow

    problem = display_problem()
    if problem:
        raise SltDeskError(problem)
    app = make_application()
    signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl+C in the terminal ends the app, as for any command
    where: Path | str
    try:
        where = setup_logging()
    except OSError as error:  # a read-only or full home folder: the app still runs, without a log file
        where = f"none ({error.strerror})"
    log.info("SLT Desk %s started: Python %s, PySide6 %s, %s; log file %s", __version__,
             platform.python_version(), pyside_version, platform.platform(terse=True), where)
    install_exception_handler()
    collector = GuiThreadCollector(app)  # cycles holding Qt objects are freed on the GUI thread, never a worker's
    collector.start()
    window = MainWindow()
    location = startup_location(workspace_path)
    window.show()
    if location:
        window.open_location(location)
    code = app.exec()
    log.info("SLT Desk closed (exit code %d)", code)
    return code
