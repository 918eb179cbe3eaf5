"""What every page shares: a heading, and loading its data off the GUI thread when shown."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget

from models.workspace import SqlWorkspace
from ui.context import WorkspaceContext
from ui.errors import report_exception
from ui.workers import Tagged, Worker, start, tagged

PROGRESS_AFTER_MS = 500  # a load longer than this shows its progress bar (and Cancel, where it can stop)


class LoadingIndicator(QWidget):
    """"Loading…" beside the page heading while data loads; after half a second a progress bar and Cancel too.
    One mechanism for every page. Cancel stops a load that reports progress at its next report; any other load
    runs to its end unseen, its answer dropped."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.label = QLabel("Loading…")  # long step names are clipped
        self.label.setObjectName("muted")
        self.label.setMaximumWidth(380)
        self.bar = QProgressBar(textVisible=False)
        self.bar.setMaximumWidth(160)
        self.bar.setVisible(False)
        self.bar.setRange(0, 0)  # busy until the first report
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setVisible(False)
        self.cancel_button.setToolTip("Stop loading; the page keeps what it showed")
        self._timer = QTimer(self, singleShot=True, interval=PROGRESS_AFTER_MS)
        self._timer.timeout.connect(self._show_bar)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 0, 0, 0)
        for widget in (self.label, self.bar, self.cancel_button):
            layout.addWidget(widget)
        self.hide()

    def start(self, text: str) -> None:
        self.label.setText(text)
        self.bar.setRange(0, 0)
        self.bar.hide()
        self.cancel_button.hide()
        self.show()
        self._timer.start()

    def progress(self, percent: int, text: str) -> None:
        self.bar.setRange(0, 100)
        self.bar.setValue(percent)
        if text:
            self.label.setText(text)
            self.label.setToolTip(text)

    def stop(self) -> None:
        self._timer.stop()
        self.hide()

    def _show_bar(self) -> None:
        self.bar.show()
        self.cancel_button.show()


class Page(QWidget):
    """A page of the main window. Subclasses set `title` and `load(ws)` and implement `show_data`."""

    title = ""
    reports_progress = False  # the loader takes `progress=` (and stops with Cancelled when the user cancels)
    loaded = Signal()  # after show_data ran with fresh data (tests wait for it)
    load_cancelled = Signal()  # the user pressed Cancel: what was shown stays

    def __init__(self, ctx: WorkspaceContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self._token = 0
        self._stale = True
        self.loading = False
        self._generation = -1  # the workspace switch (ctx.generation) the latest load was started after
        self.heading = QLabel(self.title)
        self.heading.setObjectName("pageHeading")
        self.actions_row = QHBoxLayout()
        self.actions_row.addWidget(self.heading)
        self.indicator = LoadingIndicator(self)
        self.indicator.cancel_button.clicked.connect(self.cancel_loading)
        self.actions_row.addWidget(self.indicator)
        self.actions_row.addStretch(1)
        self._worker: Worker | None = None
        self.body = QVBoxLayout(self)
        self.body.setContentsMargins(16, 12, 16, 8)
        self.body.addLayout(self.actions_row)
        ctx.workspace_changed.connect(self._on_workspace_changed)
        ctx.records_changed.connect(self._on_records_changed)

    @staticmethod
    def load(ws: SqlWorkspace) -> Any:
        """Runs on a worker thread: call services, return plain frozen data. No widgets here."""
        raise NotImplementedError

    def show_data(self, data: Any) -> None:
        """Runs on the GUI thread with what `load` returned (None when no workspace is open)."""
        raise NotImplementedError

    def depends_on(self, entity: str) -> bool:
        """Whether a change to records of this kind changes what the page shows."""
        return True

    def reload(self) -> None:
        """Refresh now when visible, else on the next show."""
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True

    def refresh(self) -> None:
        """Start loading fresh data; older loads still in flight are ignored when they finish."""
        self._token += 1
        self._stale = False
        self._generation = self.ctx.generation
        ws = self.ctx.workspace
        self.setEnabled(ws is not None)
        if ws is None:
            self.loading = False
            self.indicator.stop()
            self.show_data(None)
            return
        self.loading = True
        if self._worker is not None:
            self._worker.cancel()  # an older load that reports progress stops at its next report
        # A page whose load reports progress gets `progress=` (and stops at Cancel); the others finish unseen.
        self._worker = worker = Worker(tagged, self._token, self.loader(), ws, progress=self.reports_progress)
        worker.signals.finished.connect(self._on_loaded)
        worker.signals.failed.connect(report_exception)
        worker.signals.progress.connect(lambda percent, text, t=self._token: self._on_progress(t, percent, text))
        self.indicator.start(self.loading_message())
        start(worker)

    def loading_message(self) -> str:
        """What the page says while its data loads."""
        return "Loading…"

    def cancel_loading(self) -> None:
        """Cancel: the load stops at its next progress report, its answer is dropped, and what was shown stays."""
        if not self.loading:
            return
        if self._worker is not None:
            self._worker.cancel()
            self._worker = None
        self._token += 1
        self.loading = False
        self.indicator.stop()
        self._stale = True  # shown again later, the page loads afresh
        self.load_cancelled.emit()

    def _on_progress(self, token: int, percent: int, text: str) -> None:
        if token == self._token and self.loading:
            self.indicator.progress(percent, text)

    def loader(self) -> Callable[[Any], Any]:
        """What loads the page's data from a workspace off the GUI thread: the class's `load` unless a page
        needs its current choices (read here, on the GUI thread)."""
        return type(self).load

    def focus_filter(self) -> None:
        """Ctrl+F: pages with a filter box put the cursor there."""

    def may_leave(self) -> bool:
        """Before the page is left (another page, workspace, closing): pages with forms ask about unsaved typing;
        False keeps the user here."""
        return True

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def _on_workspace_changed(self) -> None:
        # Switching workspaces shows the window's pages, and the page shown starts loading the new workspace in its
        # showEvent, before this slot runs: a second load of the same workspace would only compete with it.
        if self.loading and self._generation == self.ctx.generation:
            return
        self.reload()

    def _on_records_changed(self, entity: str) -> None:
        if self.depends_on(entity):
            self.reload()

    def _on_loaded(self, answer: Tagged) -> None:
        if answer.token != self._token:
            return
        self.loading = False
        self._worker = None
        self.indicator.stop()
        if answer.error is not None:
            report_exception(answer.error)
            return
        self.show_data(answer.value)
        self.loaded.emit()
