"""The menus of the main window and the File actions behind them (new, open, copy, demo, about)."""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import platformdirs
from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QProgressDialog

from models.workspace import open_workspace, save_copy
from sltdesk import __version__
from sltdesk.domain.team import Permission
from ui import dialogs, settings
from ui.errors import log_path, report_exception
from ui.help import help_actions
from ui.workers import Cancelled, Worker, run_in_background, start

if TYPE_CHECKING:
    from ui.main_window import MainWindow


def demo_path() -> Path:
    return Path(platformdirs.user_data_dir("sltdesk")) / "demo.sltdesk"


def build_demo_workspace(path: Path, *, progress: Callable[[int, str], None]) -> Path:
    """Runs on a worker: build the demo into a side file and move it in place only when complete."""
    from sltdesk.services.demo import build_demo  # lazily: the demo generator is large
    from sltdesk.wiring import demo_raw_importer

    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(path.name + ".part")
    _remove_sqlite(part)
    workspace = open_workspace(part, create=True)
    try:
        build_demo(workspace, progress=progress, raw_importer=demo_raw_importer)
    except BaseException:
        workspace.close()
        _remove_sqlite(part)
        raise
    workspace.close()
    part.replace(path)
    return path


def _remove_sqlite(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


class FileActions(QObject):
    """Menu actions of one main window."""

    def __init__(self, window: MainWindow):
        super().__init__(window)
        self.window = window
        self.demo_worker: Worker | None = None
        self.progress: QProgressDialog | None = None

    def build_menus(self) -> None:
        """File, Edit, View and Help menus; the empty state's buttons trigger the same actions."""
        bar = self.window.menuBar()
        file_menu = bar.addMenu("&File")
        self.new_action = self._add(file_menu, "&New workspace…", self.new_workspace, "Ctrl+Shift+N")
        self.open_action = self._add(file_menu, "&Open…", self.open_workspace, QKeySequence.StandardKey.Open)
        self.recent_menu = file_menu.addMenu("Open &recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        self.import_action = self._add(file_menu, "&Import…", self.import_file, "Ctrl+I")
        self.import_action.setToolTip("Import a vendor export (tickets, outages, samples…) with the import wizard")
        self.window.ctx.gate(self.import_action, Permission.EDIT)
        file_menu.addSeparator()
        self.copy_action = self._add(file_menu, "Save a &copy…", self.save_copy)
        self.demo_action = self._add(file_menu, "Open &demo", self.open_demo)
        file_menu.addSeparator()
        self._add(file_menu, "&Quit", self.window.close, "Ctrl+Q")
        self._build_edit_menu(bar.addMenu("&Edit"))
        self._build_view_menu(bar.addMenu("&View"))
        help_menu = bar.addMenu("&Help")
        self.help_actions = help_actions(self.window)
        for action in self.help_actions.values():
            help_menu.addAction(action)
            self.window.addAction(action)
        help_menu.addSeparator()
        self._add(help_menu, "&About SLT Desk", self.about)
        buttons = self.window.empty_buttons
        buttons["new"].clicked.connect(self.new_workspace)
        buttons["open"].clicked.connect(self.open_workspace)
        buttons["demo"].clicked.connect(self.open_demo)

    def _build_edit_menu(self, menu: QMenu) -> None:
        stack = self.window.ctx.undo_stack
        self.undo_action = stack.createUndoAction(self.window, "&Undo")
        self.undo_action.setShortcut(QKeySequence("Ctrl+Z"))
        self.redo_action = stack.createRedoAction(self.window, "&Redo")
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        menu.addActions([self.undo_action, self.redo_action])
        menu.addSeparator()
        self.new_record_action = self._add(menu, "New &record", lambda: self._on_page("new_record"), "Ctrl+N")
        self.save_record_action = self._add(menu, "&Save record", lambda: self._on_page("save"), "Ctrl+S")
        self.window.ctx.gate(self.new_record_action, Permission.EDIT)
        self.window.ctx.gate(self.save_record_action, Permission.EDIT)
        menu.addSeparator()
        self.find_action = self._add(menu, "&Find…", lambda: self._on_page("focus_filter"), "Ctrl+F")
        self.search_action = self._add(menu, "&Search everything…", self.window.open_search, "Ctrl+K")
        self.search_action.setToolTip("Suppliers, contracts, targets, reviews and actions, by any word")

    def _build_view_menu(self, menu: QMenu) -> None:
        from ui.main_window import TITLES

        for index, title in enumerate(TITLES):  # "&&": a title's "&" is text, not a mnemonic
            shortcut = f"Ctrl+{index + 1}" if index < 9 else None
            self._add(menu, title.replace("&", "&&"), self._page_slot(index), shortcut)

    def _page_slot(self, index: int) -> Callable[[], object]:
        """What a View menu entry runs: show page `index` (the action's `checked` is ignored)."""
        def show(_checked: bool = False) -> object:
            return self.window.show_page(index)

        return show

    def _add(self, menu: QMenu, text: str, slot: Callable[[], object],
             shortcut: str | QKeySequence.StandardKey | None = None) -> QAction:
        action = QAction(text, self.window)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        menu.addAction(action)
        self.window.addAction(action)  # shortcuts also work while the menu bar is hidden
        return action

    def _on_page(self, method: str) -> None:
        handler = getattr(self.window.current_page(), method, None)
        if handler is not None and self.window.ctx.workspace is not None:
            handler()

    def update_enabled(self) -> None:
        has_workspace = self.window.ctx.workspace is not None
        for action in (self.copy_action, self.new_record_action, self.save_record_action, self.find_action,
                       self.import_action, self.search_action):
            action.setEnabled(has_workspace)

    # --- File actions ------------------------------------------------------------------------
    def import_file(self) -> None:
        """File → Import… (Ctrl+I): the Imports page, with the wizard open once its contracts are loaded."""
        page = self.window.imports
        if self.window.ctx.workspace is None:
            return
        if not self.window.show_page(self.window.index_of(page)):
            return  # the user stayed with their unsaved typing
        if page.loading or page._stale:
            page.loaded.connect(self._open_wizard_once)
        else:
            page.open_import_wizard()

    def _open_wizard_once(self) -> None:
        self.window.imports.loaded.disconnect(self._open_wizard_once)
        self.window.imports.open_import_wizard()

    def new_workspace(self) -> None:
        path = dialogs.save_path(self.window, title="New workspace", folder=self._folder())
        if path:
            self.window.open_location(path, create=True)

    def open_workspace(self) -> None:
        path = dialogs.open_path(self.window, folder=self._folder())
        if path:
            self.window.open_location(path)

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        recent = settings.recent_workspaces()
        for location in recent:
            action = self.recent_menu.addAction(location)
            action.setEnabled("://" in location or Path(location).exists())
            action.triggered.connect(lambda _=False, loc=location: self.window.open_location(loc))
        if not recent:
            self.recent_menu.addAction("No recent workspaces").setEnabled(False)

    def save_copy(self) -> None:
        ws = self.window.ctx.workspace
        path = dialogs.save_path(self.window, title="Save a copy of the workspace", folder=self._folder()) if ws else ""
        if path:
            self.window.statusBar().showMessage("Saving a copy…")
            run_in_background(save_copy, ws, path, on_done=self._copied)

    def _copied(self, path: Path) -> None:
        self.window.statusBar().showMessage(f"Saved a copy to {path}.", 10000)

    def open_demo(self) -> None:
        """Open the demo portfolio, building it first (in the background) when it is missing."""
        path = demo_path()
        if path.exists():
            self.window.open_location(str(path))
            return
        if self.demo_worker is None:
            self._build_demo(path)

    def _build_demo(self, path: Path) -> None:
        self.progress = _demo_progress_dialog(self.window)
        self.demo_worker = Worker(build_demo_workspace, path, progress=True)
        self.progress.canceled.connect(self.demo_worker.cancel)
        self.demo_worker.signals.progress.connect(self._demo_progress)
        self.demo_worker.signals.finished.connect(self._demo_built)
        self.demo_worker.signals.failed.connect(self._demo_failed)
        start(self.demo_worker)

    def _demo_progress(self, percent: int, message: str) -> None:
        dialog = self.progress  # setValue lets events run, and the build may finish (and close it) meanwhile
        if dialog is not None:
            dialog.setLabelText(message)
            dialog.setValue(percent)

    def _demo_built(self, path: Path) -> None:
        self._end_demo()
        self.window.open_location(str(path))

    def _demo_failed(self, error: BaseException) -> None:
        self._end_demo()
        if isinstance(error, Cancelled):
            self.window.statusBar().showMessage("Building the demo was cancelled.", 5000)
        else:
            report_exception(error)

    def _end_demo(self) -> None:
        self.demo_worker = None
        if self.progress is not None:
            self.progress.reset()
            self.progress.deleteLater()
            self.progress = None

    def about(self) -> None:
        ws, head = self.window.ctx.workspace, self.window.ctx.audit_head
        where = html.escape(ws.location) if ws else "no workspace open"
        chain = (f"{head.entries:,} entries<br><code>{head.head}</code>" if head and ws else "—")
        dialogs.about(self.window, "About SLT Desk",
                      f"<h3>SLT Desk {__version__}</h3><p>Holds suppliers to their service level targets, "
                      f"offline.</p><p><b>Workspace:</b> {where}</p><p><b>Audit trail:</b> {chain}</p>"
                      f"<p><b>Log file:</b> {html.escape(str(log_path()))}</p>")

    def _folder(self) -> str:
        recent = settings.recent_workspaces()
        return str(Path(recent[0]).parent) if recent and "://" not in recent[0] else str(Path.home())


def _demo_progress_dialog(window) -> QProgressDialog:
    dialog = QProgressDialog("Building the demo portfolio…", "Cancel", 0, 100, window)
    dialog.setWindowTitle("Open demo")
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(0)
    return dialog
