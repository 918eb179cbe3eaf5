"""A generic table model over a list of frozen rows, and its sort/filter proxy."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor, QFontDatabase

from sltdesk.domain.money import CURRENCY_DIGITS

Index = QModelIndex | QPersistentModelIndex
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter


@dataclass(frozen=True)
class Column:
    """One column: its header, how to get the value from a row, and how to show it."""

    header: str
    key: str | Callable[[Any], Any]  # attribute name or getter; its value is also the sort key
    display: Callable[[Any], str] | None = None  # row -> text, when the value needs formatting
    align: Qt.AlignmentFlag | None = None  # default: numbers right, text left
    mono: bool = False
    tooltip: bool = False  # show the full text as a tooltip (long notes, sentences, hashes)
    color: Callable[[Any], str | None] | None = None  # row -> text colour such as "#b3261e"

    def value(self, row: Any) -> Any:
        return getattr(row, self.key) if isinstance(self.key, str) else self.key(row)

    def text(self, row: Any) -> str:
        return self.display(row) if self.display else format_value(self.value(row))

    def alignment(self, row: Any) -> Qt.AlignmentFlag:
        if self.align is not None:
            return self.align
        value = self.value(row)
        return RIGHT if isinstance(value, int | Decimal | float) and not isinstance(value, bool) else LEFT


def format_value(value: Any) -> str:
    """Plain text for a cell: dates as ISO, enums by their value, None as empty."""
    if value is None:
        return ""
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:,f}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


def money_text(amount: Decimal, currency: str) -> str:
    """'48,000.00' — grouped, with the currency's own number of decimals."""
    return f"{amount:,.{CURRENCY_DIGITS.get(currency, 2)}f}"


def sort_key(value: Any) -> tuple:
    """Numbers, dates and Decimals compare as themselves; text case-insensitively; empty last."""
    if value is None or value == "":
        return (2, 0)
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return (0, value)
    if isinstance(value, datetime | date):
        return (0, value.timestamp() if isinstance(value, datetime) else value.toordinal())
    return (1, str(value.value if isinstance(value, Enum) else value).casefold())


class RowTableModel(QAbstractTableModel):
    """Read-only rows of frozen dataclasses, one column per Column spec."""

    def __init__(self, columns: Sequence[Column], rows: Sequence[Any] = (), parent=None):
        super().__init__(parent)
        self.columns = list(columns)
        self._rows = list(rows)
        self._mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[Any]:
        return list(self._rows)

    def row_at(self, row: int) -> Any:
        return self._rows[row]

    def find(self, predicate: Callable[[Any], bool]) -> int:
        """The number of the first row that matches, or -1."""
        return next((i for i, r in enumerate(self._rows) if predicate(r)), -1)

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row, column = self._rows[index.row()], self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(row)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return column.alignment(row)
        if role == Qt.ItemDataRole.FontRole and column.mono:
            return self._mono
        if role == Qt.ItemDataRole.ToolTipRole and column.tooltip:
            return format_value(column.value(row))
        if role == Qt.ItemDataRole.ForegroundRole and column.color:
            color = column.color(row)
            return QColor(color) if color else None
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns)
        if role == Qt.ItemDataRole.TextAlignmentRole and horizontal and self._rows:
            return self.columns[section].alignment(self._rows[0])  # numbers' headers sit over the numbers
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if horizontal:
            return self.columns[section].header
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(self._rows):
            return str(section + 1)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def sort_value(self, row: int, column: int) -> tuple:
        return sort_key(self.columns[column].value(self._rows[row]))


class RowFilterProxy(QSortFilterProxyModel):
    """Sorts by each column's own value and keeps rows whose text contains the filter, in any column."""

    def __init__(self, source: RowTableModel, parent=None):
        super().__init__(parent)
        self.setSourceModel(source)
        self.setFilterKeyColumn(-1)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)

    def lessThan(self, left: Index, right: Index) -> bool:
        source = self.sourceModel()
        if not isinstance(source, RowTableModel):
            return super().lessThan(left, right)
        try:
            return source.sort_value(left.row(), left.column()) < source.sort_value(right.row(), right.column())
        except TypeError:  # mixed types in one column: fall back to the text
            return str(left.data()).casefold() < str(right.data()).casefold()
