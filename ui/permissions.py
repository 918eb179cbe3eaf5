"""Controls a role may not use stay greyed out, with a tooltip that names the role they need.

A page registers each control that writes (`ctx.gate(button, Permission.EDIT)`); the page keeps enabling and
disabling it as before (on selection, while busy…). The gate only has the last word: while the open workspace
does not allow the permission, the control cannot become enabled, and when it allows it again the control
gets back the state its page last asked for.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget

from sltdesk.domain.team import Permission, Role, needed_role, refusal


class RoleGate(QObject):
    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._widgets: dict[QWidget, tuple[Permission, bool, str]] = {}  # widget → (needs, page's wish, tooltip)
        self._actions: dict[QAction, tuple[Permission, bool]] = {}
        self._allowed: frozenset[Permission] = frozenset(Permission)
        self._who = ("", Role.SOLO)
        self._forcing = False

    # --- what the open workspace allows ------------------------------------------------------------------
    def set_workspace(self, workspace: object | None) -> None:
        allows = getattr(workspace, "allows", None)
        self._allowed = frozenset(p for p in Permission if allows is None or allows(p))
        self._who = (getattr(workspace, "user", ""), getattr(workspace, "role", Role.SOLO))
        for widget in list(self._widgets):
            self._apply_widget(widget)
        for action in list(self._actions):
            self._apply_action(action)

    def allowed(self, permission: Permission) -> bool:
        return permission in self._allowed

    def why_not(self, permission: Permission) -> str:
        user, role = self._who
        if role is Role.SOLO:  # a read-only file: no role could help
            return "The workspace is open read-only; nothing can be changed here."
        return refusal(permission, role, user)

    # --- registering controls ----------------------------------------------------------------------------
    def gate(self, control: QWidget | QAction, permission: Permission) -> None:
        if isinstance(control, QAction):
            self._actions[control] = (permission, control.isEnabled())
            control.changed.connect(lambda a=control: self._action_changed(a))
            control.destroyed.connect(lambda *_a, a=control: self._actions.pop(a, None))
            self._apply_action(control)
            return
        self._widgets[control] = (permission, _wished(control), control.toolTip())
        control.installEventFilter(self)
        control.destroyed.connect(lambda *_a, w=control: self._widgets.pop(w, None))
        self._apply_widget(control)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (event.type() == QEvent.Type.EnabledChange and not self._forcing and isinstance(watched, QWidget)
                and watched in self._widgets):
            permission, _wish, tooltip = self._widgets[watched]
            self._widgets[watched] = (permission, _wished(watched), tooltip)  # what the page asked for
            if watched.isEnabled() and not self.allowed(permission):
                self._force(watched, False)
        elif event.type() == QEvent.Type.ToolTipChange and not self._forcing and watched in self._widgets:
            permission, wish, _tooltip = self._widgets[watched]
            self._widgets[watched] = (permission, wish, watched.toolTip())  # the page's own, kept for later
            if not self.allowed(permission):
                self._apply_widget(watched)
        return False

    def _force(self, widget: QWidget, enabled: bool) -> None:
        self._forcing = True
        try:
            widget.setEnabled(enabled)
        finally:
            self._forcing = False

    def _apply_widget(self, widget: QWidget) -> None:
        permission, wish, tooltip = self._widgets[widget]
        allowed = self.allowed(permission)
        self._forcing = True
        try:
            widget.setEnabled(wish and allowed)
            widget.setToolTip(tooltip if allowed else self.why_not(permission))
        finally:
            self._forcing = False

    def _action_changed(self, action: QAction) -> None:
        if self._forcing or action not in self._actions:
            return
        permission, _wish = self._actions[action]
        self._actions[action] = (permission, action.isEnabled())
        if action.isEnabled() and not self.allowed(permission):
            self._apply_action(action)

    def _apply_action(self, action: QAction) -> None:
        permission, wish = self._actions[action]
        self._forcing = True
        try:
            action.setEnabled(wish and self.allowed(permission))
        finally:
            self._forcing = False


def _wished(widget: QWidget) -> bool:
    """Whether the page left the widget enabled itself (a disabled parent greys it without asking)."""
    return not widget.testAttribute(Qt.WidgetAttribute.WA_ForceDisabled)


def role_text(workspace: object | None) -> str:
    """'alice · sltdesk_editor' on a team database, '' elsewhere (for the status bar)."""
    role = getattr(workspace, "role", Role.SOLO)
    if role is Role.SOLO:
        return ""
    return f"{getattr(workspace, 'user', '')} · {role.value}"


def banner_text(workspace: object | None) -> str:
    """What a viewer is told at the top of the window ('' for everyone else)."""
    if getattr(workspace, "role", Role.SOLO) is not Role.VIEWER:
        return ""
    user = getattr(workspace, "user", "")
    return (f"Viewer: you are {user}, with the {Role.VIEWER.value} role. You can look, export and make packs; "
            f"changes need the {needed_role(Permission.EDIT).value} role and approvals the "
            f"{needed_role(Permission.APPROVE).value} role: ask the administrator.")
