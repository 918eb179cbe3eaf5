"""A workspace this user may not write opens read-only, and the window says so above every page."""

from __future__ import annotations

import pytest

from models import workspace as workspace_module
from sltdesk.domain.register import Supplier
from sltdesk.errors import ReadOnlyWorkspaceError
from sltdesk.services.register import create_record


def test_a_read_only_workspace_shows_a_banner_and_refuses_changes(qtbot, messages, workspace_file, monkeypatch):
    from ui.main_window import MainWindow
    from ui.workers import wait_for_workers

    before = workspace_file.read_bytes()
    monkeypatch.setattr(workspace_module, "_writable", lambda _path: False)  # as on a read-only mount
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.dashboard.loaded, timeout=5000):
        assert window.open_location(str(workspace_file))
    assert window.windowTitle() == "SLT Desk — portfolio.sltdesk (read-only)"
    assert not window.read_only_banner.isHidden()
    assert window.read_only_banner.text().startswith(
        "Read-only: portfolio.sltdesk is open read-only, because the file or its folder may not be written here.")
    with pytest.raises(ReadOnlyWorkspaceError, match="open read-only"):
        create_record(window.ctx.workspace, Supplier(name="Not stored"))
    window.close()
    wait_for_workers()
    assert workspace_file.read_bytes() == before


def test_a_writable_workspace_shows_no_banner(qtbot, window):
    assert window.read_only_banner.isHidden() and not window.windowTitle().endswith("(read-only)")
