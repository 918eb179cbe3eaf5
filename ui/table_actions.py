"""Copy, export and a right-click menu for any table or tree view (TablePanel has its own, typed version).

The text is what the view shows (DisplayRole); a tree is written with its children under their parent,
indented by two spaces per level.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPoint, Qt
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QFileDialog, QMenu, QWidget


def tsv(lines: Sequence[Sequence[str]]) -> str:
    """Tab-separated text, one line per row; tabs and line breaks inside a cell become spaces."""
    return "\n".join("\t".join(one_line(cell) for cell in line) for line in lines)


def one_line(text: str) -> str:
    return " ".join(str(text).replace("\t", " ").splitlines()) if text else ""


def headers_of(model: QAbstractItemModel, *, row_headers: bool = False) -> list[str]:
    first = [""] if row_headers else []
    return first + [str(model.headerData(c, Qt.Orientation.Horizontal) or "") for c in range(model.columnCount())]


def all_lines(model: QAbstractItemModel, parent: QModelIndex = QModelIndex(), depth: int = 0, *,
              row_headers: bool = False) -> list[list[str]]:
    """Every row (and a tree's children); with `row_headers`, each row starts with its vertical header."""
    lines: list[list[str]] = []
    for r in range(model.rowCount(parent)):
        cells = [str(model.index(r, c, parent).data() or "") for c in range(model.columnCount(parent))]
        if row_headers:
            cells.insert(0, one_line(str(model.headerData(r, Qt.Orientation.Vertical) or "")))
        if cells and depth:
            cells[0] = "  " * depth + cells[0]
        lines.append(cells)
        first = model.index(r, 0, parent)
        if model.hasChildren(first):
            lines += all_lines(model, first, depth + 1, row_headers=row_headers)
    return lines


def selected_lines(view: QAbstractItemView) -> list[list[str]]:
    """The selected cells as a grid (a whole row when rows are selected)."""
    indexes = sorted(view.selectionModel().selectedIndexes(), key=lambda i: (i.row(), i.column()))
    rows: dict[tuple[int, int], dict[int, str]] = {}
    for index in indexes:
        key = (id(index.parent().internalPointer()) if index.parent().isValid() else 0, index.row())
        rows.setdefault(key, {})[index.column()] = str(index.data() or "")
    if not rows:
        return []
    columns = sorted({c for cells in rows.values() for c in cells})
    return [[cells.get(c, "") for c in columns] for cells in rows.values()]


def add_table_actions(view: QAbstractItemView, name: str, parent: QWidget | None = None, *,
                      row_headers: bool = False) -> dict[str, QAction]:
    """Ctrl+C copies the selection as tab-separated text; the right-click menu copies, copies all or exports.
    `row_headers`: the rows' own headers (the grid's targets) are the first column of a copy-all or export."""
    copy = QAction("&Copy", view, shortcut=QKeySequence(QKeySequence.StandardKey.Copy))
    copy.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
    copy.triggered.connect(lambda: copy_view(view, row_headers=row_headers))
    copy_all = QAction("Copy the whole table (with headers)", view)
    copy_all.triggered.connect(lambda: QGuiApplication.clipboard().setText(
        tsv([headers_of(view.model(), row_headers=row_headers), *all_lines(view.model(), row_headers=row_headers)])))
    export = QAction("&Export…", view)
    export.triggered.connect(lambda: _export_dialog(view, name, parent or view, row_headers))
    view.addAction(copy)
    view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)

    def menu_at(point: QPoint) -> None:
        menu = QMenu(view)
        menu.addActions([copy, copy_all])
        menu.addSeparator()
        menu.addAction(export)
        menu.exec(view.viewport().mapToGlobal(point))

    view.customContextMenuRequested.connect(menu_at)
    return {"copy": copy, "copy_all": copy_all, "export": export}


def copy_view(view: QAbstractItemView, *, row_headers: bool = False) -> str:
    model = view.model()
    lines = selected_lines(view) or [headers_of(model, row_headers=row_headers),
                                     *all_lines(model, row_headers=row_headers)]
    text = tsv(lines)
    QGuiApplication.clipboard().setText(text)
    return text


def export_view(view: QAbstractItemView, name: str, path: str | Path, parent: QWidget, *,
                row_headers: bool = False) -> None:
    from reports.table_export import write_table
    from ui import dialogs
    from ui.workers import run_in_background

    model = view.model()
    headers, rows = headers_of(model, row_headers=row_headers), all_lines(model, row_headers=row_headers)

    def done(written: Path) -> None:
        window = parent.window()
        if hasattr(window, "statusBar"):
            window.statusBar().showMessage(f"Exported {len(rows):,} rows of {name} to {written}.", 10000)

    run_in_background(write_table, path, headers, rows, title=name.capitalize(), on_done=done,
                      on_error=lambda error: dialogs.warn(parent, f"The table could not be written to {path}: {error}"))


def _export_dialog(view: QAbstractItemView, name: str, parent: QWidget, row_headers: bool) -> None:
    path, _ = QFileDialog.getSaveFileName(parent, f"Export {name}", f"{name.replace(' ', '-')}.xlsx",
                                          "Workbook (*.xlsx);;CSV, comma-separated (*.csv)")
    if path:
        export_view(view, name, path, parent, row_headers=row_headers)
