"""The GUI shows who you are and your role, greys out what the role cannot do, and a refusal by the database
is one sentence naming the role needed."""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace

import pytest
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QPushButton, QWidget

from sltdesk.domain.team import Permission, Role, allows
from tests.team_db import make_demo_team, make_team, needs_postgresql
from ui.permissions import RoleGate


@dataclass
class FakeWorkspace:
    user: str
    role: Role
    read_only: bool = False

    def allows(self, permission: Permission) -> bool:
        return permission is Permission.READ if self.read_only else allows(self.role, permission)


def test_a_gated_button_stays_grey_while_the_role_forbids_it_and_gets_back_what_its_page_asked(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    button = QPushButton("Approve", parent, toolTip="Approve the selected request")
    action = QAction("New record", parent)
    gate = RoleGate()
    gate.gate(button, Permission.APPROVE)
    gate.gate(action, Permission.EDIT)
    assert button.isEnabled() and action.isEnabled()  # no workspace rules yet: nothing is forbidden

    gate.set_workspace(FakeWorkspace("eddie", Role.EDITOR))
    assert not button.isEnabled() and action.isEnabled()
    assert button.toolTip() == ("Needs the sltdesk_approver role; you (eddie) have sltdesk_editor. Ask the "
                                "administrator to run `sltdesk team grant eddie sltdesk_approver`.")
    button.setEnabled(True)  # the page selects a pending request: the gate has the last word
    assert not button.isEnabled()

    gate.set_workspace(FakeWorkspace("alice", Role.APPROVER))
    assert button.isEnabled() and button.toolTip() == "Approve the selected request"
    button.setEnabled(False)  # nothing selected any more
    gate.set_workspace(FakeWorkspace("alice", Role.APPROVER))
    assert not button.isEnabled()  # the page's own "no" is kept

    gate.set_workspace(FakeWorkspace("vera", Role.VIEWER))
    action.setEnabled(True)
    assert not action.isEnabled()
    gate.set_workspace(FakeWorkspace("me", Role.SOLO, read_only=True))
    assert not action.isEnabled() and "read-only" in gate.why_not(Permission.EDIT)
    gate.set_workspace(FakeWorkspace("me", Role.SOLO))
    assert action.isEnabled()


def test_a_button_greyed_by_its_disabled_parent_comes_back_with_the_parent(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.setEnabled(False)
    button = QPushButton("Save details", parent)
    gate = RoleGate()
    gate.gate(button, Permission.EDIT)
    gate.set_workspace(FakeWorkspace("eddie", Role.EDITOR))
    parent.setEnabled(True)
    assert button.isEnabled()


@pytest.fixture
def demo_team():
    teams = make_team()
    team = next(teams)
    yield make_demo_team(team)
    next(teams, None)


def _window(qtbot, url: str):
    from ui.main_window import MainWindow

    win = MainWindow()
    qtbot.addWidget(win)
    win.resize(1400, 900)
    win.show()
    win.show_page(0)
    with qtbot.waitSignal(win.dashboard.loaded, timeout=10000):
        assert win.open_location(url)
    return win


def _close(win) -> None:
    from ui.workers import wait_for_workers

    wait_for_workers()
    win.ctx.set_workspace(None)
    wait_for_workers()


@needs_postgresql
def test_a_viewer_sees_who_they_are_and_every_change_greyed(qtbot, demo_team, messages, tmp_path):
    viewer = demo_team.grant("vera", "viewer")
    win = _window(qtbot, demo_team.url_of(viewer))
    try:
        assert win.role_label.text() == f"{viewer} · sltdesk_viewer" and win.role_label.isVisible()
        assert win.read_only_banner.isVisible() and win.read_only_banner.text().startswith(f"Viewer: you are {viewer}")
        suppliers = win.suppliers
        assert not suppliers.new_button.isEnabled()
        assert suppliers.new_button.toolTip().startswith("Needs the sltdesk_editor role; you")
        assert not win.files.new_record_action.isEnabled() and not win.files.save_record_action.isEnabled()
        verification = next(p for p in win.pages if p.title == "Verification")
        assert not verification.exceptions.request_button.isEnabled()
        assert not verification.exceptions.approve_button.isEnabled()
        win.grab().save(str(tmp_path / "viewer.png"))
    finally:
        _close(win)


@needs_postgresql
def test_an_editor_may_change_but_not_approve_and_the_database_refusal_is_one_sentence(qtbot, demo_team, messages,
                                                                                      monkeypatch):
    from ui import dialogs

    editor = demo_team.grant("eddie", "editor")
    win = _window(qtbot, demo_team.url_of(editor))
    try:
        assert win.role_label.text() == f"{editor} · sltdesk_editor" and not win.read_only_banner.isVisible()
        assert win.suppliers.new_button.isEnabled() and win.files.new_record_action.isEnabled()
        verification = next(p for p in win.pages if p.title == "Verification")
        approve = verification.exceptions.approve_button
        assert not approve.isEnabled() and "Needs the sltdesk_approver role" in approve.toolTip()
        assert not verification.drill.mark_button.isEnabled()
        reconciliation = next(p for p in win.pages if p.title == "Reconciliation")
        statuses = reconciliation.status_choice
        settled = statuses.model().item(statuses.findText("settled"))
        assert not settled.isEnabled() and "sltdesk_approver" in settled.toolTip()
        assert statuses.model().item(statuses.findText("claimed")).isEnabled()

        # Around the greyed button (a stale window, a script): the database refuses, in one sentence.
        monkeypatch.setattr(dialogs, "ask_text", lambda *_a, **_k: "vendor e-mail of 2 April")
        verification.mark_complete(SimpleNamespace(contract_ref="NW-2025-014", period="2026-03", coverage=""))
        qtbot.waitUntil(lambda: bool(messages), timeout=10000)
        kind, text = messages[-1]
        assert kind == "warn"
        assert text == ("The database refused this change: changing period_mark needs the sltdesk_approver role. "
                        "Nothing of it was saved.")
    finally:
        _close(win)


@needs_postgresql
def test_an_approver_has_approvals_and_settlement_open(qtbot, demo_team, messages):
    approver = demo_team.grant("alice", "approver")
    win = _window(qtbot, demo_team.url_of(approver))
    try:
        assert win.role_label.text() == f"{approver} · sltdesk_approver"
        assert win.ctx.allows(Permission.APPROVE)
        reconciliation = next(p for p in win.pages if p.title == "Reconciliation")
        statuses = reconciliation.status_choice
        assert statuses.model().item(statuses.findText("settled")).isEnabled()
        verification = next(p for p in win.pages if p.title == "Verification")
        assert verification.drill.mark_button.toolTip().startswith("The vendor confirmed")
    finally:
        _close(win)
