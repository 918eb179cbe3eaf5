"""What every page shares: a heading, and loading its data off the GUI thread when shown."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from models.workspace import SqlWorkspace
from ui.context import WorkspaceContext
from ui.errors import report_exception
from ui.workers import run_in_background


class _Failure:
    def __init__(self, error: BaseException):
        self.error = error


def _tagged(token: int, load: Any, ws: SqlWorkspace) -> tuple[int, Any]:
    """Run a page's loader; the token tells the page whether the answer is still wanted."""
    try:
        return token, load(ws)
    except Exception as error:  # reported only if the page still waits for this load
        return token, _Failure(error)


class Page(QWidget):
    """A page of the main window. Subclasses set `title` and `load(ws)` and implement `show_data`."""

    title = ""
    loaded = Signal()  # after show_data ran with fresh data (tests wait for it)

    def __init__(self, ctx: WorkspaceContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self._token = 0
        self._stale = True
        self.loading = False
        self.heading = QLabel(self.title, objectName="pageHeading")
        self.actions_row = QHBoxLayout()
        self.actions_row.addWidget(self.heading)
        self.actions_row.addStretch(1)
        self.body = QVBoxLayout(self)
        self.body.setContentsMargins(16, 12, 16, 8)
        self.body.addLayout(self.actions_row)
        ctx.workspace_changed.connect(self.reload)
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
        ws = self.ctx.workspace
        self.setEnabled(ws is not None)
        if ws is None:
            self.loading = False
            self.show_data(None)
            return
        self.loading = True
        run_in_background(_tagged, self._token, self.loader(), ws, on_done=self._on_loaded)

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

    def _on_records_changed(self, entity: str) -> None:
        if self.depends_on(entity):
            self.reload()

    def _on_loaded(self, payload: tuple[int, Any]) -> None:
        token, data = payload
        if token != self._token:
            return
        self.loading = False
        if isinstance(data, _Failure):
            report_exception(data.error)
            return
        self.show_data(data)
        self.loaded.emit()
