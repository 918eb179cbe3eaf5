"""The Negotiation panel of a target on the demo: a candidate threshold typed in shows the credit `negotiate`
prints in JSON."""

from __future__ import annotations

import io
import json
import shutil
from contextlib import redirect_stdout
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt

from sltdesk.cli import main

pytestmark = pytest.mark.slow


@pytest.fixture
def demo_window(qtbot, raw_demo_file, tmp_path, messages):
    from ui.main_window import MainWindow
    from ui.workers import wait_for_workers

    path = tmp_path / "demo.sltdesk"
    shutil.copy(raw_demo_file, path)
    win = MainWindow()
    qtbot.addWidget(win)
    win.resize(1400, 900)
    win.show()
    win.show_page(0)
    with qtbot.waitSignal(win.dashboard.loaded, timeout=30000):
        assert win.open_location(str(path))
    yield win, str(path)
    wait_for_workers()


def test_a_typed_candidate_shows_the_credit_the_json_gives(qtbot, demo_window):
    window, path = demo_window
    buffer = io.StringIO()
    with redirect_stdout(buffer):
        assert main(["negotiate", "-w", path, "--contract", "NW-2025-014", "--target", "SL1 Availability",
                     "--threshold", "99.97", "--json"]) == 0
    [expected] = json.loads(buffer.getvalue())["candidates"]
    page = window.targets
    with qtbot.waitSignal(page.loaded, timeout=10000):
        window.show_page(window.pages.index(page))
    panel = page.negotiation
    page.detail_tabs.setCurrentWidget(panel)
    with qtbot.waitSignal(panel.computed, timeout=30000):
        assert page.table.select(lambda r: r.name == "SL1 Availability" and r.contract == "NW-2025-014")
    panel.candidates.clear()
    qtbot.keyClicks(panel.candidates, "99.97")
    with qtbot.waitSignal(panel.computed, timeout=30000):
        qtbot.keyClick(panel.candidates, Qt.Key.Key_Return)
    rows = panel.table.visible_rows()
    row = next(r for r in rows if r[0].startswith("≥ 99.97 %"))
    assert Decimal(row[2].replace(",", "")) == Decimal(expected["total"]) and row[1] == f"{expected['missed']} of 18"
    assert "Suggested threshold ≥ 99.9 %" in panel.suggestion.text()
    assert panel.canvas is not None
