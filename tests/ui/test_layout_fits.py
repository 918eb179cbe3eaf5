"""Every page fits a laptop: the main window at 1280×800 (its default) and at 1600×1000 on the demo portfolio, page
by page, with the key columns of each page's tables whole; the Verification grid shows eight targets at 1280×800.

A column counts as cut off ("elided") when its header section is narrower than its widest visible cell needs (the
delegate's size hint: the text's advance in the view's font plus the style's margins, as Qt measures before it
elides), or when the section does not lie wholly inside the view (scrolled or pushed out of sight). Free-text
columns that show their whole text as a tooltip (notes, sentences, file names, hashes) may give way, so they are
not listed. Each test also saves what it looked at as PNGs in its temporary folder.

Verification has no table with those five columns; it shows them as
  - target: the grid's row headers (the vertical header must be as wide as each target's name and threshold),
  - period: the grid's month columns (each month header and figure whole, every month inside the view),
  - ours: the figure in each grid cell (same check as the months: the cell text is "ours"),
  - vendor's and verdict: the drill-down's verdict line for the selected cell ("Ours 66.67 (missed; …) · vendor
    reported 97.0 (met) · …"), a word-wrapped label: it is whole when its height holds all its wrapped lines
    and it lies inside the visible part of the drill-down pane.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QAbstractItemView

from models.workspace import open_workspace
from sltdesk.domain.register import Comparison, Contract, ContractTarget, MetricKind, Supplier
from sltdesk.services.register import create_record
from tests.ui.layout_measure import fit_of, is_elided, rows_in_view
from ui.main_window import MainWindow
from ui.pages.verification import VerificationPage
from ui.workers import wait_for_workers

SIZES = [(1280, 800), (1600, 1000)]

# page title -> [(what the table is, how to find its view on the page, its key columns)]
KEY_COLUMNS: dict[str, list[tuple[str, Callable, list[str]]]] = {
    "Dashboard": [("attention", lambda p: p.items.view, ["Urgency", "What", "Days"]),
                  ("heat map", lambda p: p.heat, [])],  # and every month of the heat map (see below)
    "Suppliers": [("suppliers", lambda p: p.table.view, ["Name", "Category", "Criticality", "Contracts"])],
    "Contracts": [("contracts", lambda p: p.table.view,
                   ["Ref", "Supplier", "Charges", "Renewal", "Ends", "Notice by"])],
    "Targets": [("targets", lambda p: p.table.view, ["Contract", "Target", "Metric", "Rule", "Period"])],
    "Contacts": [("contacts", lambda p: p.table.view, ["Supplier", "Name", "Role", "Email"])],
    "Contingency plans": [("plans", lambda p: p.table.view, ["Supplier", "Owner", "Last tested", "Next test"])],
    "Services & mapping": [("coverage", lambda p: p.tree, ["Service / target / component", "Status",
                                                           "Committed"])],
    "Imports": [("batches", lambda p: p.batches.view,
                 ["Batch", "Kind", "Contract", "Imported (UTC)", "Accepted", "Rejected", "Stored"])],
    "Questionnaires": [("suppliers", lambda p: p.suppliers.view, ["Supplier", "Assessed", "Overall", "Level"])],
    "Penalties": [("credits", lambda p: p.tree, ["Line", "Achieved", "Band", "Amount"])],
    "Reconciliation": [("board", lambda p: p.rows.view,
                        ["Contract", "Supplier", "Period", "Computed", "Issued", "Outstanding", "Balance", "Status",
                         "Claim by"])],
    "Reviews": [("reviews", lambda p: p.reviews.view, ["Supplier", "Period", "Held on", "Open", "Backlog",
                                                       "Decisions"])],
    "Audit log": [("entries", lambda p: p.table.view, ["#", "Time (UTC)", "User", "Action", "Entity", "Id"])],
}


def settle(qtbot, page, seconds: float = 30.0) -> None:
    """Until the page has loaded (and the Verification page has recomputed), then let it lay itself out."""
    def ready() -> bool:
        wait_for_workers(50)
        return not page.loading and getattr(page, "job", None) is None
    qtbot.waitUntil(ready, timeout=int(seconds * 1000))
    for _ in range(3):
        wait_for_workers(50)
        qtbot.wait(20)


@pytest.fixture
def demo_window(qtbot, raw_demo_file, tmp_path, messages):
    path = tmp_path / "demo.sltdesk"
    shutil.copy(raw_demo_file, path)
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    assert win.open_location(str(path))
    yield win
    win.close()
    wait_for_workers()


def verification_cut_off(page: VerificationPage) -> list[str]:
    """The Verification figures that are not whole (see the module's docstring)."""
    grid, cut = page.grid, []
    names = grid.verticalHeader()
    metrics = names.fontMetrics()
    wanted = max(metrics.horizontalAdvance(line) for t in range(grid.model().rowCount())
                 for line in str(grid.model().headerData(t, Qt.Orientation.Vertical)).split("\n"))
    if names.width() < wanted:
        cut.append("target")
    if any(is_elided(grid, c) for c in range(grid.model().columnCount())):
        cut.append("period/ours")
    verdict = page.drill.verdict
    pane = page.drill.parentWidget()  # the drill-down's scroll area's viewport
    shown = QRect(verdict.mapTo(pane, verdict.rect().topLeft()), verdict.size())
    if not verdict.text() or verdict.height() < verdict.heightForWidth(verdict.width()) \
            or not pane.rect().contains(shown):
        cut.append("vendor's/verdict")
    return cut


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_every_page_shows_its_key_columns_whole(qtbot, demo_window, tmp_path, size):
    demo_window.resize(*size)
    cut: list[str] = []
    for index, page in enumerate(demo_window.pages):
        demo_window.show_page(index)
        settle(qtbot, page)
        if isinstance(page, VerificationPage):
            with qtbot.waitSignal(page.drilled, timeout=10000):
                page.grid.setCurrentIndex(page.grid_model.index(0, page.grid_model.columnCount() - 1))
            settle(qtbot, page)
            cut += [f"Verification: {c}" for c in verification_cut_off(page)]
        for name, view_of, keys in KEY_COLUMNS.get(page.title, []):
            view: QAbstractItemView = view_of(page)
            assert view.isVisible() and view.model().rowCount() > 0, f"{page.title}: {name} shows no rows"
            cut += [f"{page.title}: {name} {column}" for column in fit_of(view, name, keys).elided]
            if name == "heat map":
                cut += [f"Dashboard: heat map month {c}" for c in range(view.columnCount()) if is_elided(view, c)]
        assert page.width() <= demo_window.stack.width(), f"{page.title} is wider than the window"
        demo_window.grab().save(str(tmp_path / f"{size[0]}-{index:02d}.png"))
    assert demo_window.size().toTuple() == size  # no page made the window grow
    assert cut == [], "; ".join(cut)


def test_the_verification_grid_shows_eight_targets_at_the_default_window_size(qtbot, tmp_path, messages):
    """A contract with ten targets: at 1280×800 at least eight rows of the grid lie wholly inside its viewport."""
    path = tmp_path / "ten.sltdesk"
    ws = open_workspace(path, create=True, user="tester")
    supplier = create_record(ws, Supplier("Northwind Networks"))
    contract = create_record(ws, Contract("NW-2025-014", supplier.id, "Core network services", date(2025, 1, 1),
                                          date(2027, 12, 31), "GBP", Decimal("48000.00")))
    for n in range(10):
        create_record(ws, ContractTarget(contract.id, f"Site {n + 1} availability", MetricKind.AVAILABILITY,
                                         Decimal("99.9"), Comparison.AT_LEAST))
    ws.close()
    win = MainWindow()
    qtbot.addWidget(win)
    assert win.size().toTuple() == (1280, 800)  # the default size
    win.show()
    page = next(p for p in win.pages if isinstance(p, VerificationPage))
    with qtbot.waitSignal(page.computed, timeout=15000):
        win.open_location(str(path))
        win.show_page(win.pages.index(page))
    settle(qtbot, page)
    win.grab().save(str(tmp_path / "verification-ten.png"))
    assert page.grid_model.rowCount() == 10
    assert rows_in_view(page.grid) >= 8
    win.close()
    wait_for_workers()


def test_a_page_wider_than_a_small_window_scrolls_instead_of_growing_it(qtbot, window):
    """At 1000×650 the window keeps its size; the sidebar narrows and a page needing more room scrolls."""
    window.resize(1000, 650)
    qtbot.wait(50)
    assert window.size().toTuple() == (1000, 650)
    assert window.sidebar.width() < 214
    for index, page in enumerate(window.pages):
        window.show_page(index)
        settle(qtbot, page)
        area = window.stack.currentWidget()
        assert area.widget() is page
        assert page.width() >= min(page.minimumSizeHint().width(), area.viewport().width())
