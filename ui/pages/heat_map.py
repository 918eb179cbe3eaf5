"""The Dashboard's heat map: suppliers × months, each cell met / missed / incomplete; a click opens the cell."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem, QWidget

from sltdesk.rules.attention import Heat, HeatCell, HeatRow

COLOURS = {Heat.MET: "#3f9b5f", Heat.MISSED: "#c4322b", Heat.INCOMPLETE: "#b8bec7", Heat.NONE: "#f2f4f7"}
TEXT = {Heat.MET: "", Heat.MISSED: "✕", Heat.INCOMPLETE: "…", Heat.NONE: ""}
CELL = Qt.ItemDataRole.UserRole
WIDTH = 28  # pixels per month
NAMES = 150  # pixels at most for the supplier names


def preferred_width(table: QTableWidget) -> int:
    """What the map needs to show every month without scrolling."""
    names = min(table.verticalHeader().sizeHint().width(), NAMES)
    return names + WIDTH * max(table.columnCount(), 12) + 2 * table.frameWidth() + 8


class HeatMap(QTableWidget):
    """One row per supplier, one column per month; `cell_requested(contract id, target id, period)` on a click."""

    cell_requested = Signal(int, int, str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setShowGrid(True)
        self.setStyleSheet("QTableWidget { gridline-color: white; }")
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.horizontalHeader().setDefaultSectionSize(WIDTH)
        self.horizontalHeader().setMinimumSectionSize(WIDTH)
        self.verticalHeader().setDefaultSectionSize(30)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.verticalHeader().setMaximumWidth(NAMES)
        self.verticalHeader().setTextElideMode(Qt.TextElideMode.ElideRight)
        self.cellClicked.connect(self._clicked)

    def show_rows(self, months: tuple[str, ...], rows: tuple[HeatRow, ...]) -> None:
        self.clear()
        self.setColumnCount(len(months))
        self.setRowCount(len(rows))
        self.setHorizontalHeaderLabels([_month_label(m) for m in months])
        self.setVerticalHeaderLabels([r.supplier for r in rows])
        for row, heat_row in enumerate(rows):
            for column, cell in enumerate(heat_row.cells):
                self.setItem(row, column, _item(heat_row.supplier, cell))

    def cell_at(self, row: int, column: int) -> HeatCell | None:
        item = self.item(row, column)
        return None if item is None else item.data(CELL)

    def _clicked(self, row: int, column: int) -> None:
        cell = self.cell_at(row, column)
        if cell is not None and cell.contract_id is not None:
            self.cell_requested.emit(cell.contract_id, cell.target_id or 0, cell.period)


def _item(supplier: str, cell: HeatCell) -> QTableWidgetItem:
    item = QTableWidgetItem(TEXT[cell.heat])
    item.setData(CELL, cell)
    item.setBackground(QBrush(QColor(COLOURS[cell.heat])))
    item.setForeground(QBrush(QColor("white" if cell.heat in (Heat.MISSED, Heat.MET) else "#344054")))
    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
    opens = "; click to open it on the Verification page" if cell.contract_id is not None else ""
    item.setToolTip(f"{supplier} — {cell.text}{opens}")
    return item


def _month_label(month: str) -> str:
    """'2026-11' → 'Nov\\n26'."""
    names = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
    return f"{names[int(month[5:7]) - 1]}\n{month[2:4]}"
