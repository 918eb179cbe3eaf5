"""Copy, export and a right-click menu for any table or tree view (TablePanel has its own, typed version).

The text is what the view shows (DisplayRole); a tree is written with its children under their parent,
indented by two spaces per level.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QAbstractItemModel, QModelIndex, Qt
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


def table_actions(view: QAbstractItemView, *, copy: Callable[[], object], copy_all: Callable[[], object],
                  export: Callable[[], object]) -> dict[str, QAction]:
    """The actions every table has, wired to the given callables: Copy (Ctrl+C while the view has the focus),
    Copy the whole table and Export…; the view's right-click menu is set to the caller's (menu_at)."""
    actions = {"copy": QAction("&Copy", view, shortcut=QKeySequence(QKeySequence.StandardKey.Copy)),
               "copy_all": QAction("Copy the whole table (with headers)", view),
               "export": QAction("&Export…", view, toolTip="Write the rows in view to CSV or XLSX")}
    actions["copy"].setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
    for key, slot in (("copy", copy), ("copy_all", copy_all), ("export", export)):
        actions[key].triggered.connect(lambda _checked=False, slot=slot: slot())
    view.addAction(actions["copy"])
    view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
    return actions


def table_menu(view: QAbstractItemView, *groups: Sequence[QAction]) -> QMenu:
    """A right-click menu of groups of actions, a separator between two groups (empty groups left out)."""
    menu = QMenu(view)
    for group in filter(None, groups):
        if menu.actions():
            menu.addSeparator()
        menu.addActions(list(group))
    return menu


def add_table_actions(view: QAbstractItemView, name: str, parent: QWidget | None = None, *,
                      row_headers: bool = False) -> dict[str, QAction]:
    """Ctrl+C copies the selection as tab-separated text; the right-click menu copies, copies all or exports.
    `row_headers`: the rows' own headers (the grid's targets) are the first column of a copy-all or export."""
    actions = table_actions(
        view, copy=lambda: copy_view(view, row_headers=row_headers),
        copy_all=lambda: QGuiApplication.clipboard().setText(tsv([headers_of(view.model(), row_headers=row_headers),
                                                                  *all_lines(view.model(), row_headers=row_headers)])),
        export=lambda: _export_dialog(view, name, parent or view, row_headers))
    view.customContextMenuRequested.connect(
        lambda point: table_menu(view, [actions["copy"], actions["copy_all"]], [actions["export"]]).exec(
            view.viewport().mapToGlobal(point)))
    return actions


def copy_view(view: QAbstractItemView, *, row_headers: bool = False) -> str:
    model = view.model()
    lines = selected_lines(view) or [headers_of(model, row_headers=row_headers),
                                     *all_lines(model, row_headers=row_headers)]
    text = tsv(lines)
    QGuiApplication.clipboard().setText(text)
    return text


def export_path(parent: QWidget, name: str) -> str:
    """The file the user chooses for an export of `name` ('' when they cancel)."""
    path, _ = QFileDialog.getSaveFileName(parent, f"Export {name}", f"{name.replace(' ', '-')}.xlsx",
                                          "Workbook (*.xlsx);;CSV, comma-separated (*.csv)")
    return path


def write_in_background(parent: QWidget, name: str, path: str | Path, headers: list[str], rows: list[list],
                        on_written: Callable[[Path], object] | None = None) -> None:
    """Write the table off the GUI thread; the status bar says where it went, a message why it could not."""
    from reports.table_export import write_table
    from ui import dialogs
    from ui.workers import run_in_background

    def done(written: Path) -> None:
        window = parent.window()
        if hasattr(window, "statusBar"):
            window.statusBar().showMessage(f"Exported {len(rows):,} rows of {name} to {written}.", 10000)
        if on_written is not None:
            on_written(written)

    run_in_background(write_table, path, headers, rows, title=name.capitalize(), on_done=done,
                      on_error=lambda error: dialogs.warn(parent, f"The table could not be written to {path}: {error}"))


def export_view(view: QAbstractItemView, name: str, path: str | Path, parent: QWidget, *,
                row_headers: bool = False) -> None:
    model = view.model()
    write_in_background(parent, name, path, headers_of(model, row_headers=row_headers),
                        all_lines(model, row_headers=row_headers))


def _export_dialog(view: QAbstractItemView, name: str, parent: QWidget, row_headers: bool) -> None:
    path = export_path(parent, name)
    if path:
        export_view(view, name, path, parent, row_headers=row_headers)
