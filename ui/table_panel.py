"""A filter box above a sortable table of frozen rows: the left half of every register page."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QLineEdit,
    QMenu,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ui.table_actions import export_path, table_actions, table_menu, tsv, write_in_background
from ui.table_model import Column, RowFilterProxy, RowTableModel


class TablePanel(QWidget):
    """Filter + table; emits `current_changed(row or None)` as the user moves through the rows."""

    current_changed = Signal(object)
    exported = Signal(str)  # the file an export wrote

    def __init__(self, columns: Sequence[Column], *, placeholder: str = "Filter", stretch: int = -1,
                 parent: QWidget | None = None, name: str = ""):
        super().__init__(parent)
        # What an export is called: "suppliers" from "Filter suppliers", unless the page names it.
        self.name = name or placeholder.removeprefix("Filter").strip() or "table"
        self.extra_actions: list[QAction] = []  # a page's own entries for the right-click menu
        self.model = RowTableModel(columns, parent=self)
        self.proxy = RowFilterProxy(self.model, self)
        self.filter = QLineEdit(placeholderText=f"{placeholder} (Ctrl+F)", clearButtonEnabled=True)
        self.filter.textChanged.connect(self.proxy.setFilterFixedString)
        self.stretch = stretch if stretch >= 0 else len(columns) - 1
        self.view = _make_view(self.proxy)
        self.view.viewport().installEventFilter(self)
        self._natural: list[int] = []  # each column's width for its content, measured on the first rows
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
        self._add_table_actions()

    def set_rows(self, rows: Sequence[Any], *, keep: Callable[[Any], bool] | None = None) -> None:
        """Replace the rows, then make current the row `keep` picks (or none)."""
        first = self.model.rowCount() == 0
        self.model.set_rows(rows)
        if first and rows:
            self.view.resizeColumnsToContents()
            self._natural = [min(self.view.columnWidth(c), CAP) for c in range(len(self.model.columns))]
            self.fit_widths()
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

    def fit_widths(self) -> None:
        """Share the view's width: every column as wide as its content (long free text capped), the spare width
        to the stretch column; when the view is too narrow, the free-text columns (those with a tooltip, which
        show their whole text on hover) give up width first, so that the others stay whole."""
        if not self._natural:
            return
        floors = [max(self.view.fontMetrics().horizontalAdvance(c.header) + 16, FREE_TEXT_FLOOR)
                  for c in self.model.columns]
        shrinkable = {i for i, c in enumerate(self.model.columns) if c.tooltip or i == self.stretch}
        widths = fitted_widths(self._natural, self.view.viewport().width(), shrinkable=shrinkable,
                               floors=floors, stretch=self.stretch)
        for column, width in enumerate(widths):
            self.view.setColumnWidth(column, width)

    def eventFilter(self, watched: Any, event: Any) -> bool:
        if event.type() == QEvent.Type.Resize and watched is self.view.viewport():
            self.fit_widths()
        return False

    def focus_filter(self) -> None:
        self.filter.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filter.selectAll()

    # --- what every table offers: copy, export, a right-click menu -------------------------------------------
    def _add_table_actions(self) -> None:
        actions = table_actions(self.view, copy=self.copy_selection, export=self.export,
                                copy_all=lambda: self.copy_rows(self.visible_rows(), headers=True))
        self.copy_action, self.copy_all_action, self.export_action = (actions["copy"], actions["copy_all"],
                                                                       actions["export"])
        self.filter_action = QAction("&Filter…", self.view)
        self.filter_action.triggered.connect(self.focus_filter)
        self.view.customContextMenuRequested.connect(self._context_menu)

    def context_menu(self) -> QMenu:
        """The right-click menu; a page may add its own actions to it (extra_actions)."""
        return table_menu(self.view, [self.copy_action, self.copy_all_action], [self.export_action, self.filter_action],
                          self.extra_actions)

    def _context_menu(self, point: QPoint) -> None:
        self.context_menu().exec(self.view.viewport().mapToGlobal(point))

    def visible_rows(self) -> list[Any]:
        """The rows as the user sees them: filtered and in the sorted order."""
        return [self.model.row_at(self.proxy.mapToSource(self.proxy.index(r, 0)).row())
                for r in range(self.proxy.rowCount())]

    def selected_rows(self) -> list[Any]:
        chosen = sorted({i.row() for i in self.view.selectionModel().selectedRows()})
        return [self.model.row_at(self.proxy.mapToSource(self.proxy.index(r, 0)).row()) for r in chosen]

    def copy_selection(self) -> str:
        """Ctrl+C: the selected rows as tab-separated text (the whole table with headers if none is selected)."""
        rows = self.selected_rows()
        return self.copy_rows(rows, headers=False) if rows else self.copy_rows(self.visible_rows(), headers=True)

    def copy_rows(self, rows: Sequence[Any], *, headers: bool) -> str:
        lines = [[c.header for c in self.model.columns]] if headers else []
        lines += [[c.text(row) for c in self.model.columns] for row in rows]
        text = tsv(lines)
        QGuiApplication.clipboard().setText(text)
        return text

    def table_cells(self) -> tuple[list[str], list[list[Any]]]:
        """Headers and the rows in view: numbers and dates as values (they stay numbers in XLSX), the rest as
        the text the table shows."""
        columns = self.model.columns
        rows = [[_cell(c, row) for c in columns] for row in self.visible_rows()]
        return [c.header for c in columns], rows

    def export(self) -> None:
        path = export_path(self, self.name)
        if path:
            self.export_to(path)

    def export_to(self, path: str | Path) -> None:
        """Write in the background; say where it went (or why it could not)."""
        headers, rows = self.table_cells()
        write_in_background(self, self.name, path, headers, rows, on_written=lambda p: self.exported.emit(str(p)))

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        row = self.model.row_at(self.proxy.mapToSource(current).row()) if current.isValid() else None
        self.current_changed.emit(row)

    def _update_count(self, *_args: object) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        self.count.setText(f"{total:,} rows" if shown == total else f"{shown:,} of {total:,} rows")


def _cell(column: Column, row: Any) -> Any:
    value = column.value(row)
    if isinstance(value, int | Decimal | float | date) and not isinstance(value, bool) and column.display is None:
        return value
    return column.text(row)


CAP = 360  # long free text (notes, sentences) should not push the other columns out of sight
FREE_TEXT_FLOOR = 120  # a free-text column keeps this much (or its header) when the view is narrow
PADDING = 10  # air beside the text, when there is room for it


def fitted_widths(natural: Sequence[int], available: int, *, shrinkable: set[int], floors: Sequence[int],
                  stretch: int) -> list[int]:
    """Column widths for `available` pixels: natural widths plus padding when they fit (the rest to `stretch`);
    otherwise no padding, and the `shrinkable` columns give up width in proportion, down to their floors."""
    widths = [w + PADDING for w in natural]
    if sum(widths) > available:
        widths = list(natural)
        excess = sum(widths) - available
        room = {i: max(widths[i] - min(floors[i], widths[i]), 0) for i in shrinkable if i < len(widths)}
        spare = sum(room.values())
        if excess > 0 and spare:
            for i, free in room.items():
                widths[i] -= min(free, -(-excess * free // spare))
    if 0 <= stretch < len(widths):
        widths[stretch] = max(widths[stretch], available - sum(w for i, w in enumerate(widths) if i != stretch))
    return widths


def _make_view(proxy: RowFilterProxy) -> QTableView:
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
    header.setStretchLastSection(False)  # TablePanel.fit_widths gives the spare width to the stretch column
    return view
