"""GUI tests: offscreen Qt, throwaway settings and user folders, and a small workspace with data."""

from __future__ import annotations

import gc
import os
from datetime import date
from decimal import Decimal
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from PySide6.QtCore import QCoreApplication, QSettings

from models.workspace import open_workspace
from sltdesk.domain.register import (
    Comparison,
    Contract,
    ContractTarget,
    Criticality,
    MetricKind,
    RenewalType,
    Supplier,
    SupplierCategory,
)
from sltdesk.services.register import create_record


@pytest.fixture(autouse=True)
def user_folders(tmp_path, monkeypatch):
    """platformdirs (log file, demo workspace) point into the test's own folder, never the user's."""
    for name in ("XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(name, str(tmp_path / "home" / name.lower()))


@pytest.fixture(autouse=True)
def test_settings(qapp, tmp_path_factory):
    """QSettings go to a temporary INI file under a test organisation, emptied for every test."""
    QCoreApplication.setOrganizationName("SLT Desk Tests")
    QCoreApplication.setApplicationName("SLT Desk Tests")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope,
                      str(tmp_path_factory.getbasetemp() / "settings"))
    QSettings().clear()
    yield
    QSettings().clear()


@pytest.fixture(autouse=True)
def collect_on_the_gui_thread(qapp):
    """As in the app (ui/gc_guard.py): no automatic collection while a GUI test runs, so a background worker never
    destroys a cycle holding a widget; the test's cycles are collected here, on the GUI thread, when it ends. What
    survives is frozen (out of later collections' way), so each collection reads only what one test made."""
    gc.disable()
    yield
    gc.collect()
    gc.freeze()
    gc.enable()


@pytest.fixture
def workspace_file(tmp_path) -> Path:
    """A workspace with two suppliers, two contracts and a target (5 audit entries), closed again."""
    path = tmp_path / "portfolio.sltdesk"
    ws = open_workspace(path, create=True, user="tester")
    northwind = create_record(ws, Supplier("Northwind Networks", SupplierCategory.NETWORK_CARRIER,
                                           Criticality.CRITICAL, "Core WAN and internet breakout"))
    stratus = create_record(ws, Supplier("Stratus Hosting", SupplierCategory.CLOUD_HOSTING, Criticality.HIGH))
    core = create_record(ws, Contract("NW-2025-014", northwind.id, "Core network services", date(2025, 1, 1),
                                      date(2027, 12, 31), "GBP", Decimal("48000.00"), notice_days=90,
                                      renewal_type=RenewalType.EXPRESS, owner="J. Patel"))
    create_record(ws, Contract("ST-2024-003", stratus.id, "Managed hosting", date(2024, 7, 1), date(2027, 6, 30),
                               "EUR", Decimal("125500.50"), renewal_type=RenewalType.TACIT, notice_days=60))
    create_record(ws, ContractTarget(core.id, "Core availability", MetricKind.AVAILABILITY, Decimal("99.95"),
                                     Comparison.AT_LEAST))
    ws.close()
    return path


class Messages(list):
    """The modal messages shown, as (kind, text); `unsaved` is the button pressed when asked about unsaved
    changes ("save", "discard" or "cancel"), `open_folder` whether the user accepts to open a file's folder."""

    unsaved = "cancel"
    open_folder = False

    def ask_unsaved(self, _parent, text: str) -> str:
        self.append(("unsaved", text))
        return self.unsaved

    def offer_folder(self, _parent, text: str) -> bool:
        self.append(("no viewer", text))
        return self.open_folder


@pytest.fixture
def messages(monkeypatch) -> Messages:
    """Every modal message the app would show, as (kind, text), instead of blocking the test."""
    from ui import dialogs

    shown = Messages()
    monkeypatch.setattr(dialogs, "ask_unsaved", shown.ask_unsaved)
    monkeypatch.setattr(dialogs, "offer_folder", shown.offer_folder)
    monkeypatch.setattr(dialogs, "warn", lambda _parent, text, **_kw: shown.append(("warn", text)))
    monkeypatch.setattr(dialogs, "inform", lambda _parent, text, **_kw: shown.append(("inform", text)))
    monkeypatch.setattr(dialogs, "show_error", lambda _parent, text, details: shown.append(("error", text)))
    monkeypatch.setattr(dialogs, "about", lambda _parent, _title, text: shown.append(("about", text)))
    monkeypatch.setattr(dialogs, "confirm", lambda _parent, text, **_kw: shown.append(("confirm", text)) or True)
    return shown


@pytest.fixture
def window(qtbot, workspace_file, messages):
    """The main window, shown, with the test workspace open and the dashboard loaded."""
    from ui.main_window import MainWindow
    from ui.workers import wait_for_workers

    win = MainWindow()
    qtbot.addWidget(win)
    win.resize(1400, 900)
    win.show()
    win.show_page(0)
    with qtbot.waitSignal(win.dashboard.loaded, timeout=5000):
        assert win.open_location(str(workspace_file))
    yield win
    win.close()
    wait_for_workers()
