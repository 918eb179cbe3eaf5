"""The rows behind one figure (tickets, outages or intervals) as a sortable, filterable table, worst rows marked.
The rows, their texts and flags come from sltdesk.rules.evidence_tables."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from sltdesk.rules.evidence_tables import EvidenceRow, EvidenceTable
from ui.table_actions import add_table_actions
from ui.table_model import RIGHT, Column, RowFilterProxy, RowTableModel

Index = QModelIndex | QPersistentModelIndex
FLAGGED_BACKGROUND, FLAGGED_TEXT = "#fde3df", "#8c1d18"


def evidence_columns(table: EvidenceTable) -> list[Column]:
    def column(i: int, header: str, kind: str) -> Column:
        return Column(header, lambda r: r.values[i], display=lambda r: table.text(r, i),
                      align=RIGHT if kind in ("int", "number") else None, tooltip=header in ("Note", "Service"))

    return [column(i, header, kind) for i, (header, kind) in enumerate(table.headers)]


class EvidenceModel(RowTableModel):
    """Evidence rows; flagged ones (missed, down, bad) on a red background."""

    def set_table(self, columns: list[Column], rows: list[EvidenceRow]) -> None:
        """New columns and rows at once (another target's evidence has other columns)."""
        self.beginResetModel()
        self.columns, self._rows = list(columns), list(rows)
        self.endResetModel()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if index.isValid() and role in (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole):
            if self.row_at(index.row()).flagged:
                return QColor(FLAGGED_BACKGROUND if role == Qt.ItemDataRole.BackgroundRole else FLAGGED_TEXT)
            return None
        return super().data(index, role)


class FlaggedProxy(RowFilterProxy):
    """The text filter, and optionally only the flagged rows."""

    only_flagged = False

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        source = self.sourceModel()
        assert isinstance(source, RowTableModel)
        if self.only_flagged and not source.row_at(source_row).flagged:
            return False
        return super().filterAcceptsRow(source_row, source_parent)


class EvidencePanel(QWidget):
    """Filter box, 'only the flagged rows' switch, the table and its row count."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.table: EvidenceTable | None = None
        self.model = EvidenceModel([], parent=self)
        self.proxy = FlaggedProxy(self.model, self)
        self.filter = QLineEdit(placeholderText="Filter evidence", clearButtonEnabled=True)
        self.filter.textChanged.connect(self.proxy.setFilterFixedString)
        self.only_flagged = QCheckBox("Only flagged rows")
        self.only_flagged.toggled.connect(self._set_only_flagged)
        self.view = _evidence_view(self.proxy)
        add_table_actions(self.view, "evidence")
        self.count = QLabel()
        self.count.setObjectName("rowCount")
        self.proxy.modelReset.connect(self._update_count)
        self.proxy.layoutChanged.connect(self._update_count)
        self.proxy.rowsInserted.connect(self._update_count)
        self.proxy.rowsRemoved.connect(self._update_count)
        top = QHBoxLayout()
        top.addWidget(self.filter, 1)
        top.addWidget(self.only_flagged)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.count)
        self.setFocusProxy(self.view)

    def show_table(self, table: EvidenceTable | None) -> None:
        self.table = table
        self.model.set_table(evidence_columns(table) if table else [], table.rows if table else [])
        self.only_flagged.setText(f"Only {table.flag_name} ({table.flagged:,})" if table else "Only flagged rows")
        if table:
            self.view.resizeColumnsToContents()

    def rows(self) -> list[EvidenceRow]:
        """The rows as shown (filtered and sorted)."""
        return [self.model.row_at(self.proxy.mapToSource(self.proxy.index(r, 0)).row())
                for r in range(self.proxy.rowCount())]

    def _set_only_flagged(self, on: bool) -> None:
        self.proxy.beginFilterChange()
        self.proxy.only_flagged = on
        self.proxy.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        self._update_count()

    def _update_count(self, *_args: object) -> None:
        if self.table is None:
            self.count.setText("")
            return
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        what = f"{total:,} {self.table.kind}" if shown == total else f"{shown:,} of {total:,} {self.table.kind}"
        self.count.setText(f"{what} · {self.table.flagged:,} {self.table.flag_name} (highlighted)")


def _evidence_view(proxy: FlaggedProxy) -> QTableView:
    view = QTableView()
    view.setModel(proxy)
    view.setSortingEnabled(True)
    view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # the service's order (by time) until a header is clicked
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setWordWrap(False)
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 8)
    header = view.horizontalHeader()
    header.setResizeContentsPrecision(200)
    header.setHighlightSections(False)
    header.setStretchLastSection(True)
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    return view
