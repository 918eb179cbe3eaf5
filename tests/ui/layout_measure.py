"""Measuring what a user sees of a table: rows fully in view, and columns whose text is cut off (elided).

Shared by the layout tests (tests/ui/test_layout_fits.py) and `make screenshots`, which prints the same figures.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QModelIndex, QRect, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QTreeView, QWidget


@dataclass(frozen=True)
class TableFit:
    """One table as the user sees it: rows fully in view of all rows, and the key columns that are cut off."""

    name: str
    rows_visible: int
    rows_total: int
    elided: tuple[str, ...]


def is_shown(widget: QWidget) -> bool:
    """Visible on screen and not squeezed to nothing (a collapsed splitter pane counts as hidden)."""
    return widget.isVisible() and widget.width() > 4 and widget.height() > 4


def rows_in_view(view: QAbstractItemView) -> int:
    """How many rows lie entirely inside the viewport (a half-visible last row does not count)."""
    viewport = view.viewport().rect()
    model = view.model()
    if model is None:
        return 0
    count = 0
    for row in range(model.rowCount()):
        rect = view.visualRect(model.index(row, 0))
        if rect.isValid() and rect.height() > 0 and viewport.contains(QRect(0, rect.top(), 1, rect.height())):
            count += 1
    return count


def header_of(view: QAbstractItemView) -> QHeaderView | None:
    if isinstance(view, QTableView):
        return view.horizontalHeader()
    if isinstance(view, QTreeView):
        return view.header()
    return None


def column_of(view: QAbstractItemView, title: str) -> int:
    """The logical index of the column whose header text (first line) is `title`; -1 if there is none."""
    model = view.model()
    for column in range(model.columnCount()):
        text = str(model.headerData(column, Qt.Orientation.Horizontal) or "")
        if text.replace("\n", " ").strip() == title:
            return column
    return -1


def needed_width(view: QAbstractItemView, column: int) -> int:
    """The width the widest visible cell of a column needs: its delegate's size hint (the text's advance in the
    view's font plus the style's text margins, as Qt itself measures before eliding), and a tree's indentation."""
    model = view.model()
    viewport = view.viewport().rect()
    widest = 0
    for row in range(model.rowCount()):
        index = model.index(row, column)
        rect = view.visualRect(index)
        if not rect.isValid() or not viewport.intersects(QRect(0, rect.top(), 1, rect.height())):
            continue
        if not str(index.data(Qt.ItemDataRole.DisplayRole) or ""):
            continue
        width = view.sizeHintForIndex(index).width()
        if isinstance(view, QTreeView) and column == 0:
            width += (_depth(index) + int(view.rootIsDecorated())) * view.indentation()
        widest = max(widest, width)
    return widest


def is_elided(view: QAbstractItemView, column: int) -> bool:
    """A column is cut off when its section is narrower than its widest visible text, or when the section
    does not lie wholly inside the viewport (scrolled or pushed out of sight)."""
    header = header_of(view)
    if header is None or header.isSectionHidden(column):
        return True
    size = header.sectionSize(column)
    start = header.sectionViewportPosition(column)
    inside = start >= 0 and start + size <= view.viewport().width() + 1
    return size < needed_width(view, column) or not inside


def fit_of(view: QAbstractItemView, name: str, keys: list[str]) -> TableFit:
    """Rows in view and the key columns (by header title) that are cut off or missing."""
    elided = []
    for title in keys:
        column = column_of(view, title)
        if column < 0 or is_elided(view, column):
            elided.append(title)
    model = view.model()
    return TableFit(name, rows_in_view(view), model.rowCount() if model else 0, tuple(elided))


def _depth(index: QModelIndex) -> int:
    depth = 0
    while index.parent().isValid():
        index = index.parent()
        depth += 1
    return depth
