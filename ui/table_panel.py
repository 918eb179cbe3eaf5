"""A filter box above a sortable table of frozen rows: the left half of every register page."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QLineEdit, QTableView, QVBoxLayout, QWidget

from ui.table_model import Column, RowFilterProxy, RowTableModel


class TablePanel(QWidget):
    """Filter + table; emits `current_changed(row or None)` as the user moves through the rows."""

    current_changed = Signal(object)

    def __init__(self, columns: Sequence[Column], *, placeholder: str = "Filter", stretch: int = -1,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.model = RowTableModel(columns, parent=self)
        self.proxy = RowFilterProxy(self.model, self)
        self.filter = QLineEdit(placeholderText=f"{placeholder} (Ctrl+F)", clearButtonEnabled=True)
        self.filter.textChanged.connect(self.proxy.setFilterFixedString)
        self.view = _make_view(self.proxy, stretch if stretch >= 0 else len(columns) - 1)
        self.view.selectionModel().currentRowChanged.connect(self._on_current)
        self.count = QLabel()
        self.count.setObjectName("rowCount")
        self.proxy.rowsInserted.connect(self._update_count)
        self.proxy.rowsRemoved.connect(self._update_count)
        self.proxy.modelReset.connect(self._update_count)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.filter)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.count)
        self.setFocusProxy(self.view)

    def set_rows(self, rows: Sequence[Any], *, keep: Callable[[Any], bool] | None = None) -> None:
        """Replace the rows, then make current the row `keep` picks (or none)."""
        first = self.model.rowCount() == 0
        self.model.set_rows(rows)
        if first and rows:
            self.view.resizeColumnsToContents()
            _cap_widths(self.view)
        if keep is not None:
            self.select(keep)
        else:
            self.current_changed.emit(self.current())

    def select(self, predicate: Callable[[Any], bool]) -> bool:
        """Make the first row that matches current; False (and no current row) when none does."""
        source_row = self.model.find(predicate)
        index = self.proxy.mapFromSource(self.model.index(source_row, 0)) if source_row >= 0 else QModelIndex()
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        if index.isValid():
            self.view.selectionModel().setCurrentIndex(index, flags)
            self.view.scrollTo(index)
        else:
            self.view.selectionModel().clear()
        self.current_changed.emit(self.current())
        return index.isValid()

    def current(self) -> Any | None:
        index = self.view.selectionModel().currentIndex()
        if not index.isValid() or not self.view.selectionModel().isRowSelected(index.row(), QModelIndex()):
            return None
        return self.model.row_at(self.proxy.mapToSource(index).row())

    def focus_filter(self) -> None:
        self.filter.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filter.selectAll()

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        row = self.model.row_at(self.proxy.mapToSource(current).row()) if current.isValid() else None
        self.current_changed.emit(row)

    def _update_count(self, *_args: object) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        self.count.setText(f"{total:,} rows" if shown == total else f"{shown:,} of {total:,} rows")


def _make_view(proxy: RowFilterProxy, stretch: int) -> QTableView:
    view = QTableView()
    view.setModel(proxy)
    view.setSortingEnabled(True)
    view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # keep the service's order until a header is clicked
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 10)
    header = view.horizontalHeader()
    header.setResizeContentsPrecision(200)  # look at 200 rows, not 5,000, when sizing columns
    header.setHighlightSections(False)
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    # The free-text column takes the spare width and gives it back first, so the others never scroll away.
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return view


def _cap_widths(view: QTableView, limit: int = 360) -> None:
    """Long free text (notes, sentences) should not push the other columns out of sight."""
    header = view.horizontalHeader()
    for section in range(header.count()):
        if header.sectionResizeMode(section) == QHeaderView.ResizeMode.Interactive:
            view.setColumnWidth(section, min(view.columnWidth(section) + 10, limit))
