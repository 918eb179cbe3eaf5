"""The targets × months grid: a table model over a recomputation, and a delegate that paints state and markers."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QPointF, QRect, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QColor,
    QFont,
    QFontMetrics,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPalette,
    QPen,
    QPolygonF,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
)

from sltdesk.domain.period import Period
from sltdesk.rules.cell_states import CellState, cell_state, vendor_differs
from sltdesk.services.verification import Computation
from ui.pages.verification_text import figure_text, symbol, tooltip
from ui.table_actions import add_table_actions

Index = QModelIndex | QPersistentModelIndex
STATE_ROLE = Qt.ItemDataRole.UserRole + 1  # the CellState of the cell
MARKER_ROLE = Qt.ItemDataRole.UserRole + 2  # "flips", "differs" or ""
RESULT_ROLE = Qt.ItemDataRole.UserRole + 3  # the AttainmentResult itself

BACKGROUND = {CellState.MISSED: "#f4c4bf", CellState.AMBER: "#fbe0a1", CellState.MET: "#cce8d3",
              CellState.NO_DATA: "#eaecf0"}
FOREGROUND = {CellState.MISSED: "#7a1410", CellState.AMBER: "#5c3d00", CellState.MET: "#14502a",
              CellState.NO_DATA: "#667085"}
DIFFERS_COLOR, FLIPS_COLOR, FOCUS_COLOR = "#475467", "#1d2939", "#1f4e8c"
MAX_COLUMN_WIDTH = 110


class GridModel(QAbstractTableModel):
    """Rows: the contract's targets; columns: the periods; cells: our figure, coloured by its state."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.computation: Computation | None = None

    def set_computation(self, computation: Computation | None) -> None:
        self.beginResetModel()
        self.computation = computation
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() or self.computation is None else len(self.computation.targets)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() or self.computation is None else len(self.computation.periods)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self.computation is None:
            return None
        result = self.computation.result(index.row(), index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return figure_text(result.achieved, result)
        if role == Qt.ItemDataRole.ToolTipRole:
            return tooltip(result)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return Qt.AlignmentFlag.AlignCenter
        if role == Qt.ItemDataRole.BackgroundRole:
            return QColor(BACKGROUND[cell_state(result)])
        if role == Qt.ItemDataRole.ForegroundRole:
            return QColor(FOREGROUND[cell_state(result)])
        if role == STATE_ROLE:
            return cell_state(result)
        if role == MARKER_ROLE:
            return "flips" if result.met_flips else "differs" if vendor_differs(result) else ""
        if role == RESULT_ROLE:
            return result
        if role == Qt.ItemDataRole.AccessibleTextRole:
            marker = " — 'met' flips" if result.met_flips else " — vendor differs" if vendor_differs(result) else ""
            return f"{figure_text(result.achieved, result)}, {cell_state(result).value}{marker}"
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if self.computation is None:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.computation.periods):
            label = self.computation.periods[section]
            if role == Qt.ItemDataRole.DisplayRole:
                start = Period.parse(label).start
                return f"{start:%b}\n{start:%Y}" if len(label) == 7 else label
            if role == Qt.ItemDataRole.ToolTipRole:
                return label
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(self.computation.targets):
            target = self.computation.targets[section]
            if role == Qt.ItemDataRole.DisplayRole:
                return f"{target.name}\n{symbol(target.comparison)} {target.threshold:f} {target.unit}"
            if role == Qt.ItemDataRole.ToolTipRole:
                source = self.computation.source(target)
                how = f"measured from {source.value}" if source else "no measurement rule yet"
                return f"{target.name}: {target.metric.value} {symbol(target.comparison)} {target.threshold:f} " \
                       f"{target.unit}, {how}"
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren


class CellDelegate(QStyledItemDelegate):
    """Fills the cell with its state's colour, keeps it when selected (a frame instead), draws the markers."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        painter.save()
        rect = option.rect.adjusted(1, 1, -1, -1)
        painter.fillRect(rect, index.data(Qt.ItemDataRole.BackgroundRole) or QColor("white"))
        marker = index.data(MARKER_ROLE)
        painter.setFont(option.font)
        painter.setPen(index.data(Qt.ItemDataRole.ForegroundRole) or option.palette.color(QPalette.ColorRole.Text))
        room = -6 if marker == "flips" else -2  # keep the text off the big corner marker
        painter.drawText(rect.adjusted(2, 0, room, 0), Qt.AlignmentFlag.AlignCenter,
                         str(index.data(Qt.ItemDataRole.DisplayRole) or ""))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        if option.state & QStyle.StateFlag.State_Selected:
            painter.setPen(QPen(QColor(FOCUS_COLOR), 3))
            painter.drawRect(rect.adjusted(1, 1, -2, -2))
        elif marker == "flips":
            painter.setPen(QPen(QColor(FLIPS_COLOR), 2))
            painter.drawRect(rect.adjusted(1, 1, -1, -1))
        if marker:
            _corner(painter, rect, 17 if marker == "flips" else 8, FLIPS_COLOR if marker == "flips" else DIFFERS_COLOR)
        painter.restore()


def _corner(painter: QPainter, rect: QRect, size: int, color: str) -> None:
    """A filled triangle in the cell's top-right corner (with '!' when it is the big one)."""
    right, top = rect.right() + 1, rect.top()
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(color))
    painter.drawPolygon(QPolygonF([QPointF(right - size, top), QPointF(right, top), QPointF(right, top + size)]))
    if size > 10:
        painter.setPen(QColor("white"))
        small = QFont(painter.font())
        small.setPixelSize(10)
        small.setBold(True)
        painter.setFont(small)
        painter.drawText(QRect(right - 9, top, 9, 10), Qt.AlignmentFlag.AlignCenter, "!")


class GridView(QTableView):
    """Arrow keys move from cell to cell; Enter (or a double click) asks to drill down into the current one."""

    drill_requested = Signal(QModelIndex)
    narrowest = 56  # no month narrower than its widest figure: below that the grid scrolls
    table_actions: dict[str, QAction]  # copy and export (make_grid_view adds them)

    def share_width(self) -> None:
        """Months share the width, each between `narrowest` and MAX_COLUMN_WIDTH."""
        columns = self.model().columnCount() if self.model() else 0
        if columns:
            share = self.viewport().width() // columns
            self.horizontalHeader().setDefaultSectionSize(max(self.narrowest, min(share, MAX_COLUMN_WIDTH)))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.share_width()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.drill_requested.emit(self.currentIndex())
            event.accept()
            return
        super().keyPressEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        super().mouseDoubleClickEvent(event)
        if self.currentIndex().isValid():
            self.drill_requested.emit(self.currentIndex())


def make_grid_view(model: GridModel) -> GridView:
    """Single cells, no editing, the state colours kept when selected."""
    view = GridView()
    font = view.font()
    font.setPointSizeF(font.pointSizeF() - 1)  # eighteen months side by side beside the sidebar
    view.setFont(font)
    view.setModel(model)
    view.setItemDelegate(CellDelegate(view))
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setShowGrid(False)
    view.setWordWrap(False)
    view.setTabKeyNavigation(False)
    view.setCornerButtonEnabled(False)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # sized by GridView.share_width
    view.horizontalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
    view.horizontalHeader().setHighlightSections(False)
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() * 2 + 10)  # name, then threshold
    view.verticalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    view.verticalHeader().setHighlightSections(False)
    view.table_actions = add_table_actions(view, "attainment grid", row_headers=True)
    return view


def fit_columns(view: GridView) -> None:
    """Measure the widest figure (plus room for the marker); the view then shares its width among the months."""
    model = view.model()
    metrics = QFontMetrics(view.font())
    view.narrowest = max([metrics.horizontalAdvance("2026") + 12] + [
        metrics.horizontalAdvance(str(model.index(r, c).data())) + 8
        for r in range(model.rowCount()) for c in range(model.columnCount())])
    view.share_width()


def legend_html() -> str:
    """The colours and markers, explained in one line."""
    swatch = '<span style="background:{};color:{};">&nbsp;{}&nbsp;</span>'
    parts = [swatch.format(BACKGROUND[s], FOREGROUND[s], text) for s, text in (
        (CellState.MISSED, "missed"), (CellState.AMBER, "met, but &lt; 25 % of the budget left or an early warning"),
        (CellState.MET, "met"), (CellState.NO_DATA, "no verdict: no data, incomplete or in progress"))]
    parts.append(f'<span style="color:{DIFFERS_COLOR};">◥</span> vendor’s figure differs')
    parts.append(f'<b style="color:{FLIPS_COLOR};">◥!</b> vendor’s “met” flips')
    return " &nbsp; ".join(parts)
