"""File menu, remembered settings and starting the app."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from models.workspace import open_workspace
from sltdesk.services.audit import audit_head
from ui import dialogs, errors, file_actions, settings
from ui.app import run_gui, startup_location
from ui.main_window import MainWindow

DEMO_BUILD_MS = 120_000  # an upper bound for a hang, not the time a build takes


def test_without_a_workspace_the_window_invites_to_create_or_open_one(qtbot, messages):
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    assert window.windowTitle() == "SLT Desk"
    assert window.outer.currentIndex() == 0
    assert [b.text() for b in window.empty_buttons.values()] == ["New workspace…", "Open…", "Open demo"]
    assert not window.files.copy_action.isEnabled()


def test_a_new_workspace_is_created_where_the_user_chose_and_opened_empty(qtbot, window, tmp_path, monkeypatch):
    target = tmp_path / "fresh"
    monkeypatch.setattr(dialogs, "save_path", lambda *_a, **_kw: str(target) + ".sltdesk")
    with qtbot.waitSignal(window.dashboard.loaded, timeout=5000):
        window.files.new_action.trigger()
    assert window.windowTitle() == "SLT Desk — fresh.sltdesk"
    assert window.dashboard.tiles["contracts"].number.text() == "0"
    assert window.ctx.undo_stack.count() == 0


def test_save_a_copy_writes_a_workspace_that_opens_with_the_same_audit_trail(qtbot, window, tmp_path, monkeypatch):
    copy = tmp_path / "copy.sltdesk"
    monkeypatch.setattr(dialogs, "save_path", lambda *_a, **_kw: str(copy))
    window.files.copy_action.trigger()
    qtbot.waitUntil(lambda: window.statusBar().currentMessage().startswith("Saved a copy"), timeout=5000)
    ws = open_workspace(copy)
    assert audit_head(ws).entries == 5
    ws.close()


def test_open_demo_builds_the_demo_in_the_background_then_opens_it(qtbot, window, tmp_path, monkeypatch):
    demo = tmp_path / "data" / "demo.sltdesk"
    monkeypatch.setattr(file_actions, "demo_path", lambda: demo)
    # the build ends when the demo is opened and its dashboard loaded: wait for those, however long a loaded
    # machine takes (the bound only catches a hang)
    with qtbot.waitSignals([window.ctx.workspace_changed, window.dashboard.loaded], order="simple",
                           timeout=DEMO_BUILD_MS):
        window.files.demo_action.trigger()
        assert window.files.progress is not None
    assert window.windowTitle() == "SLT Desk — demo.sltdesk"
    assert demo.exists() and not Path(f"{demo}.part").exists()
    assert window.dashboard.tiles["suppliers"].number.text() == "8"
    assert window.files.progress is None


def test_a_progress_report_that_arrives_after_the_demo_was_built_is_ignored(qtbot, window, tmp_path, monkeypatch):
    """The build reports progress, then finishes: the modal dialog's setValue runs events, among them the
    'finished' that closes the dialog, and later reports find it gone; none of them may raise."""
    def quick_build(path: Path, *, progress) -> Path:
        for percent in (10, 50, 90, 99):
            progress(percent, f"Step {percent}")
        return path

    opened: list[str] = []
    monkeypatch.setattr(file_actions, "demo_path", lambda: tmp_path / "demo.sltdesk")
    monkeypatch.setattr(file_actions, "build_demo_workspace", quick_build)
    monkeypatch.setattr(window, "open_location", opened.append)
    window.files.open_demo()
    worker = window.files.demo_worker
    qtbot.waitUntil(lambda: bool(opened), timeout=DEMO_BUILD_MS)  # the build ended and the dialog is gone
    assert opened == [str(tmp_path / "demo.sltdesk")]
    worker.signals.progress.emit(100, "a report still queued when the build ended")
    assert window.files.progress is None and window.files.demo_worker is None


def test_a_cancelled_demo_build_leaves_no_file_behind(qtbot, tmp_path):
    from ui.workers import Cancelled, Worker, start

    demo = tmp_path / "demo.sltdesk"
    worker = Worker(file_actions.build_demo_workspace, demo, progress=True)
    worker.cancel()
    with qtbot.waitSignal(worker.signals.failed, timeout=5000) as failed:
        start(worker)
    assert isinstance(failed.args[0], Cancelled)
    assert list(tmp_path.iterdir()) == []


def test_opened_workspaces_are_remembered_most_recent_first_at_most_eight(tmp_path):
    for number in range(10):
        settings.remember_workspace(str(tmp_path / f"w{number}.sltdesk"))
    settings.remember_workspace(str(tmp_path / "w5.sltdesk"))
    recent = settings.recent_workspaces()
    assert len(recent) == 8
    assert recent[:2] == [str(tmp_path / "w5.sltdesk"), str(tmp_path / "w9.sltdesk")]


def test_open_recent_lists_the_workspaces_opened_before(window, workspace_file):
    window.files.recent_menu.aboutToShow.emit()
    actions = window.files.recent_menu.actions()
    assert [a.text() for a in actions] == [str(workspace_file)]
    assert actions[0].isEnabled()


def test_the_app_starts_on_the_most_recent_workspace_that_still_exists(window, workspace_file, tmp_path):
    settings.remember_workspace(str(tmp_path / "gone.sltdesk"))
    assert settings.recent_workspaces()[1] == str(workspace_file)
    assert startup_location(None) == str(workspace_file)
    assert startup_location("other.sltdesk") == "other.sltdesk"


def test_the_window_reopens_on_the_page_it_was_left_on(qtbot, window):
    window.show_page(2)
    window.close()
    again = MainWindow()
    qtbot.addWidget(again)
    assert again.stack.currentIndex() == 2
    assert again.sidebar.currentItem().text() == "Contracts"


def test_about_names_the_version_the_workspace_the_audit_head_and_the_log_file(qtbot, window, messages,
                                                                               workspace_file, tmp_path):
    qtbot.waitUntil(lambda: window.ctx.audit_head is not None)
    window.files.about()
    kind, text = messages[-1]
    assert kind == "about"
    assert "SLT Desk 0.1.0" in text and str(workspace_file) in text
    assert f"5 entries<br><code>{window.ctx.audit_head.head}</code>" in text
    # platformdirs points into the test's folder (conftest): the user's log folder, then sltdesk.log
    log = tmp_path / "home" / "xdg_state_home" / "sltdesk" / "log" / "sltdesk.log"
    assert f"<b>Log file:</b> {log}</p>" in text


def test_run_gui_opens_the_workspace_it_is_given_and_returns_the_exit_code(qtbot, workspace_file, monkeypatch):
    import signal
    import sys
    import threading

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    interrupt = signal.getsignal(signal.SIGINT)
    logger = logging.getLogger("sltdesk")
    handlers = list(logger.handlers)
    seen: list[str] = []

    def look_and_quit():
        window = next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible())
        seen.append(window.windowTitle())
        window.close()  # the last window closing ends app.exec(), as for a user

    QTimer.singleShot(200, look_and_quit)
    safety = QTimer(singleShot=True, interval=5000)
    safety.timeout.connect(QApplication.closeAllWindows)  # never hang the run if the window did not appear
    safety.start()
    try:
        assert run_gui(str(workspace_file)) == 0
    finally:
        safety.stop()
        signal.signal(signal.SIGINT, interrupt)
        for handler in set(logger.handlers) - set(handlers):
            logger.removeHandler(handler)
            handler.close()
    lines = errors.log_path().read_text(encoding="utf-8").splitlines()
    assert "INFO sltdesk.ui: SLT Desk 0.1.0 started: Python " in lines[0]
    assert any(f"workspace opened: {workspace_file}" in line for line in lines)
    assert any(line.endswith("INFO sltdesk.ui: SLT Desk closed (exit code 0)") for line in lines)
    assert seen == ["SLT Desk — portfolio.sltdesk"]


def test_opening_a_workspace_loads_the_page_shown_once(qtbot, workspace_file, messages, monkeypatch):
    from ui.pages.dashboard import DashboardPage
    from ui.workers import wait_for_workers

    loads = []
    load = DashboardPage.load
    monkeypatch.setattr(DashboardPage, "load", staticmethod(lambda ws: loads.append(ws) or load(ws)))
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.dashboard.loaded, timeout=10000):
        window.open_location(str(workspace_file))
    wait_for_workers()
    assert len(loads) == 1  # its showEvent started it; the workspace change did not start a second one beside it
    with qtbot.waitSignal(window.dashboard.loaded, timeout=10000):
        window.open_location(str(workspace_file))  # another workspace (the same file opened again) loads again
    wait_for_workers()
    assert len(loads) == 2
