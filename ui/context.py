"""The open workspace, its undo stack and the signals pages listen to."""

from __future__ import annotations

from datetime import date
from typing import cast

from PySide6.QtCore import QDate, QObject, Signal
from PySide6.QtGui import QUndoStack

from models.workspace import SqlWorkspace
from sltdesk.domain.team import Permission
from sltdesk.services.audit import AuditHead
from ui.permissions import RoleGate


class WorkspaceContext(QObject):
    """Shared by the window and every page: which workspace is open and what just changed."""

    workspace_changed = Signal()
    records_changed = Signal(str)  # entity name, e.g. "contract"
    audit_head_changed = Signal()

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.workspace: SqlWorkspace | None = None
        self.undo_stack = QUndoStack(self)
        self.audit_head: AuditHead | None = None
        self.gates = RoleGate(self)
        self.generation = 0  # counts workspace switches: a page's load knows which workspace it was started for

    def open_workspace(self) -> SqlWorkspace:
        """The open workspace, where an action is offered only while one is open."""
        assert self.workspace is not None
        return self.workspace

    def gate(self, control, permission: Permission = Permission.EDIT) -> None:
        """Keep a control greyed out while the open workspace's role (or a read-only file) does not allow it."""
        self.gates.gate(control, permission)

    def allows(self, permission: Permission) -> bool:
        return self.gates.allowed(permission)

    def set_workspace(self, workspace: SqlWorkspace | None) -> None:
        """Switch to another workspace (or none); the old one is closed and its undo history dropped."""
        old, self.workspace = self.workspace, workspace
        self.generation += 1
        self.undo_stack.clear()
        self.audit_head = None
        if old is not None and old is not workspace:
            old.close()
        self.gates.set_workspace(workspace)
        self.workspace_changed.emit()

    def notify_changed(self, entity: str) -> None:
        """A record of this kind was stored, changed or deleted: pages reload."""
        self.records_changed.emit(entity)

    def set_audit_head(self, head: AuditHead) -> None:
        self.audit_head = head
        self.audit_head_changed.emit()


def local_today() -> date:
    """Today in the user's time zone: the one place the GUI asks the clock for a date."""
    return cast(date, QDate.currentDate().toPython())  # PySide6's stubs type toPython() as object
