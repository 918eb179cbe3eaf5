"""What every table offers: Ctrl+C copies the selection as tab-separated text, Export… writes CSV or XLSX with
the formula escaping of the other exports, and a right-click menu holds both."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QTableView

from ui.table_actions import add_table_actions, copy_view
from ui.table_model import Column, money_text
from ui.table_panel import TablePanel
from ui.workers import wait_for_workers


@dataclass(frozen=True)
class Row:
    name: str
    charges: Decimal
    renews: date
    note: str


ROWS = [Row("Northwind", Decimal("48000.00"), date(2027, 12, 31), "=HYPERLINK(\"http://evil\")"),
        Row("Stratus\tHosting", Decimal("31500.50"), date(2027, 3, 31), "two\nlines"),
        Row("PayFlow", Decimal("12000.00"), date(2028, 1, 31), "+44 20 7946 0000")]
COLUMNS = [Column("Name", "name"), Column("Charges", "charges"),
           Column("Shown", "charges", display=lambda r: money_text(r.charges, "GBP")),
           Column("Renews", "renews"), Column("Note", "note")]


@pytest.fixture
def panel(qtbot):
    panel = TablePanel(COLUMNS, placeholder="Filter contracts")
    qtbot.addWidget(panel)
    panel.resize(800, 300)
    panel.show()
    panel.set_rows(ROWS)
    return panel


def test_ctrl_c_copies_the_selected_row_as_tab_separated_text(qtbot, panel):
    panel.select(lambda r: r.name == "PayFlow")
    panel.view.setFocus()
    qtbot.keyClick(panel.view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QGuiApplication.clipboard().text() == "PayFlow\t12,000.00\t12,000.00\t2028-01-31\t+44 20 7946 0000"


def test_copy_without_a_selection_takes_the_rows_in_view_with_headers_and_no_stray_tabs(panel):
    panel.view.selectionModel().clear()
    panel.view.sortByColumn(1, Qt.SortOrder.AscendingOrder)  # by charges: PayFlow, Stratus, Northwind
    panel.filter.setText("o")  # all three hold an "o"
    lines = panel.copy_selection().split("\n")
    assert lines[0] == "Name\tCharges\tShown\tRenews\tNote"
    assert [line.split("\t")[0] for line in lines[1:]] == ["PayFlow", "Stratus Hosting", "Northwind"]
    assert lines[2].split("\t")[4] == "two lines"
    assert all(line.count("\t") == 4 for line in lines)


def test_export_to_xlsx_keeps_numbers_and_dates_and_escapes_formulas(qtbot, panel, tmp_path):
    path = tmp_path / "contracts.xlsx"
    with qtbot.waitSignal(panel.exported, timeout=5000):
        panel.export_to(path)
    sheet = load_workbook(path).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Name", "Charges", "Shown", "Renews", "Note")
    name, charges, shown, renews, note = rows[1]
    assert (name, charges, shown) == ("Northwind", 48000, "48,000.00")  # a value stays a number; shown text is text
    assert renews.date() == date(2027, 12, 31)
    assert note == "'=HYPERLINK(\"http://evil\")"  # never a formula
    assert rows[3][4] == "'+44 20 7946 0000"
    assert sheet["A1"].font.bold and sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:E4"


def test_export_to_csv_escapes_the_same_way(qtbot, panel, tmp_path):
    path = tmp_path / "contracts.csv"
    panel.filter.setText("north")
    with qtbot.waitSignal(panel.exported, timeout=5000):
        panel.export_to(path)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows == [["Name", "Charges", "Shown", "Renews", "Note"],
                    ["Northwind", "48000.00", "48,000.00", "2027-12-31", "'=HYPERLINK(\"http://evil\")"]]


def test_the_right_click_menu_offers_copy_and_export(panel):
    texts = [a.text() for a in panel.context_menu().actions() if not a.isSeparator()]
    assert texts == ["&Copy", "Copy the whole table (with headers)", "&Export…", "&Filter…"]


def test_any_view_copies_its_cells_and_row_headers(qtbot, tmp_path):
    model = QStandardItemModel(2, 2)
    model.setHorizontalHeaderLabels(["2026-03", "2026-04"])
    model.setVerticalHeaderLabels(["Availability\n≥ 99.9 %", "P1 response"])
    for r, c, text in ((0, 0, "99.95"), (0, 1, "99.80"), (1, 0, "100.00"), (1, 1, "—")):
        model.setItem(r, c, QStandardItem(text))
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    actions = add_table_actions(view, "attainment grid", row_headers=True)
    assert copy_view(view, row_headers=True) == ("\t2026-03\t2026-04\nAvailability ≥ 99.9 %\t99.95\t99.80\n"
                                                 "P1 response\t100.00\t—")
    view.setCurrentIndex(model.index(0, 1))
    assert copy_view(view, row_headers=True) == "99.80"
    assert set(actions) == {"copy", "copy_all", "export"}
    from ui.table_actions import export_view

    export_view(view, "attainment grid", tmp_path / "grid.csv", view, row_headers=True)
    wait_for_workers()
    qtbot.waitUntil(lambda: (tmp_path / "grid.csv").exists(), timeout=5000)
    assert (tmp_path / "grid.csv").read_text(encoding="utf-8-sig").splitlines()[1] == \
        "Availability ≥ 99.9 %,99.95,99.80"
