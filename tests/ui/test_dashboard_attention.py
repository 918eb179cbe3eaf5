"""The Dashboard on the demo: its attention list and heat map open the page and record behind them."""

from __future__ import annotations

import shutil

import pytest
from PySide6.QtCore import Qt

from ui.pages.reconciliation import ReconciliationPage
from ui.pages.supplier_people import ContingencyPlansPage
from ui.pages.verification import VerificationPage

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
    yield win
    wait_for_workers()


def page_of(window, kind):
    return next(p for p in window.pages if isinstance(p, kind))


def double_click(qtbot, panel, predicate) -> None:
    """Double-click the first row of the table that matches, as a user would."""
    assert panel.select(predicate)
    index = panel.view.currentIndex()
    rect = panel.view.visualRect(index)
    qtbot.mouseClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())  # the press a view
    qtbot.mouseDClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())  # pairs the second with


def test_the_demo_dashboard_says_it_is_read_as_of_its_reference_date(demo_window):
    page = demo_window.dashboard
    assert page.banner.isVisible() and "reference date, 06 Dec 2026" in page.banner.text()
    # 34 and 17 since issue #28: NW-2025-014 SL1's core-hours miss of 2026-08, whose claim window has passed;
    # 35 and 18 with HelpPoint's P2 resolution review, brought forward by its October volume (#31)
    assert page.items_heading.text().startswith("Needs attention — 35 items, 18 overdue, as of 06 Dec 2026")
    assert page.heat.rowCount() == 6 and page.heat.columnCount() == 12


def test_a_missed_target_row_opens_its_cell_on_the_verification_page(qtbot, demo_window):
    page = demo_window.dashboard
    verification = page_of(demo_window, VerificationPage)
    with qtbot.waitSignal(verification.computed, timeout=60000):
        double_click(qtbot, page.items, lambda i: i.kind.value == "target missed")
    assert demo_window.current_page() is verification
    assert verification.computation.contract.ref == "IV-2022-005"
    qtbot.waitUntil(lambda: verification.grid.currentIndex().isValid(), timeout=5000)
    index = verification.grid.currentIndex()
    target = verification.computation.targets[index.row()]
    assert (target.name, verification.computation.periods[index.column()]) == ("Power availability", "2026-10")
    assert verification.computation.periods[-1] == "2026-10" and len(verification.computation.periods) == 12


def test_an_overdue_contingency_test_row_opens_the_plan(qtbot, demo_window):
    page = demo_window.dashboard
    plans = page_of(demo_window, ContingencyPlansPage)
    double_click(qtbot, page.items, lambda i: i.kind.value == "contingency test overdue" and i.supplier == "PayFlow")
    assert demo_window.current_page() is plans
    qtbot.waitUntil(lambda: plans.table.current() is not None, timeout=10000)
    assert plans.table.current().title == "Switch acquiring to the secondary gateway"


def test_a_credit_to_claim_row_opens_its_period_on_the_reconciliation_board(qtbot, demo_window):
    page = demo_window.dashboard
    board = page_of(demo_window, ReconciliationPage)
    double_click(qtbot, page.items, lambda i: i.kind.value == "credit to claim")
    assert demo_window.current_page() is board
    qtbot.waitUntil(lambda: board.rows.current() is not None, timeout=60000)
    assert (board.rows.current().contract, board.rows.current().period) == ("IV-2022-005", "2026-10")


def test_a_heat_map_cell_opens_that_month_on_the_verification_page(qtbot, demo_window):
    heat = demo_window.dashboard.heat
    row = next(r for r in range(heat.rowCount()) if heat.verticalHeaderItem(r).text() == "Stratus Hosting")
    column = next(c for c in range(heat.columnCount()) if heat.cell_at(row, c).period == "2026-09")
    assert heat.cell_at(row, column).heat.value == "missed"
    verification = page_of(demo_window, VerificationPage)
    rect = heat.visualItemRect(heat.item(row, column))
    with qtbot.waitSignal(verification.computed, timeout=60000):
        qtbot.mouseClick(heat.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert demo_window.current_page() is verification
    assert verification.computation.contract.ref == "ST-2024-003"
    qtbot.waitUntil(lambda: verification.grid.currentIndex().isValid(), timeout=5000)
    index = verification.grid.currentIndex()
    assert verification.computation.periods[index.column()] == "2026-09"
    result = verification.computation.results[verification.computation.targets[index.row()].id][index.column()]
    assert result.met is False
