"""Typed access to the items of Qt's item widgets, whose getters answer None for an empty cell or no child."""

from __future__ import annotations

from PySide6.QtWidgets import QTableWidget, QTableWidgetItem, QTreeWidget, QTreeWidgetItem


def cell(table: QTableWidget, row: int, column: int) -> QTableWidgetItem:
    """The item of a cell the table has filled."""
    item = table.item(row, column)
    if item is None:
        raise LookupError(f"The table has no item at row {row}, column {column}.")
    return item


def cell_text(table: QTableWidget, row: int, column: int) -> str:
    """The text of a cell; "" for an empty one."""
    item = table.item(row, column)
    return item.text() if item is not None else ""


def children(item: QTreeWidgetItem) -> list[QTreeWidgetItem]:
    """The item's children, in order."""
    return [child for index in range(item.childCount()) if (child := item.child(index)) is not None]


def top_level(tree: QTreeWidget, index: int) -> QTreeWidgetItem:
    """A top-level item the tree has."""
    item = tree.topLevelItem(index)
    if item is None:
        raise LookupError(f"The tree has no top-level item {index}.")
    return item
