"""The generic table model: Qt's model rules, numeric sorting, formatting and filtering."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt

from models.workspace import open_workspace
from sltdesk.services.attention import attention
from sltdesk.services.audit import recent_audit
from sltdesk.services.views import contract_rows, supplier_rows, target_rows
from ui.pages.audit_log import AuditLogPage
from ui.pages.contracts import ContractsPage
from ui.pages.dashboard import DashboardPage
from ui.pages.suppliers import SuppliersPage
from ui.pages.targets import TargetsPage
from ui.table_model import Column, RowFilterProxy, RowTableModel, money_text


@pytest.fixture
def register(workspace_file):
    ws = open_workspace(workspace_file)
    yield ws
    ws.close()


@pytest.mark.parametrize(("page_class", "rows_of"), [
    (ContractsPage, contract_rows),
    (SuppliersPage, supplier_rows),
    (TargetsPage, target_rows),
    (AuditLogPage, recent_audit),
    (DashboardPage, lambda ws: list(attention(ws, as_of=date(2027, 10, 1), today=date(2027, 10, 1)).items)),
])
def test_every_page_table_model_and_its_proxy_pass_the_qt_model_tester(
        qtmodeltester, register, page_class, rows_of, qtbot):
    from ui.context import WorkspaceContext

    page = page_class(WorkspaceContext())
    qtbot.addWidget(page)
    panel = page.items if page_class is DashboardPage else page.table
    rows = rows_of(register)
    assert rows
    panel.model.set_rows(rows)
    qtmodeltester.check(panel.model)
    qtmodeltester.check(panel.proxy)


def test_an_empty_model_passes_the_qt_model_tester(qtmodeltester):
    qtmodeltester.check(RowTableModel([Column("Name", "name")]))


def test_charges_sort_as_numbers_not_as_text(qtbot):
    rows = [_Money("a", Decimal("9000.00")), _Money("b", Decimal("48000.00")), _Money("c", Decimal("125.5"))]
    model = RowTableModel([Column("Name", "name"), Column("Charges", "charges",
                                                           display=lambda r: money_text(r.charges, "GBP"))])
    proxy = RowFilterProxy(model)
    model.set_rows(rows)
    proxy.sort(1, Qt.SortOrder.AscendingOrder)
    assert [proxy.index(i, 1).data() for i in range(3)] == ["125.50", "9,000.00", "48,000.00"]
    proxy.sort(1, Qt.SortOrder.DescendingOrder)
    assert proxy.index(0, 0).data() == "b"


def test_dates_sort_chronologically_and_empty_cells_last(qtbot):
    rows = [_Dated("x", date(2027, 1, 5)), _Dated("y", None), _Dated("z", date(2025, 12, 31))]
    model = RowTableModel([Column("Name", "name"), Column("Due", "due")])
    proxy = RowFilterProxy(model)
    model.set_rows(rows)
    proxy.sort(1, Qt.SortOrder.AscendingOrder)
    assert [proxy.index(i, 0).data() for i in range(3)] == ["z", "x", "y"]
    assert proxy.index(0, 1).data() == "2025-12-31"


def test_the_filter_matches_any_column_ignoring_case(qtbot):
    model = RowTableModel([Column("Name", "name"), Column("Charges", "charges")],
                          [_Money("Northwind", Decimal("48000")), _Money("Stratus", Decimal("12"))])
    proxy = RowFilterProxy(model)
    proxy.setFilterFixedString("NORTH")
    assert proxy.rowCount() == 1
    proxy.setFilterFixedString("48,000")
    assert proxy.index(0, 0).data() == "Northwind"


def test_numbers_are_right_aligned_and_text_left_aligned(qtbot):
    model = RowTableModel([Column("Name", "name"), Column("Charges", "charges")], [_Money("a", Decimal("1"))])
    assert model.index(0, 1).data(Qt.ItemDataRole.TextAlignmentRole) & Qt.AlignmentFlag.AlignRight
    assert model.index(0, 0).data(Qt.ItemDataRole.TextAlignmentRole) & Qt.AlignmentFlag.AlignLeft


def test_money_shows_the_currency_s_own_decimals():
    assert money_text(Decimal("48000"), "GBP") == "48,000.00"
    assert money_text(Decimal("1250000"), "JPY") == "1,250,000"


class _Money:
    def __init__(self, name: str, charges: Decimal):
        self.name, self.charges = name, charges


class _Dated:
    def __init__(self, name: str, due: date | None):
        self.name, self.due = name, due
