"""The coverage tree (business unit → service → target → component → contract target) and the
components × suppliers matrix, both coloured by coverage status."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QTableWidgetSelectionRange,
    QTreeWidget,
    QTreeWidgetItem,
)

from sltdesk.domain.register import Supplier
from sltdesk.services.coverage import ComponentCoverage, TargetCoverage
from ui.items import cell, children
from ui.pages.mapping_diagram import STATUS_COLORS, STATUS_TINTS, figure_text

_ORDER = ("covered", "partial", "overlap", "gap")
KEY_ROLE = Qt.ItemDataRole.UserRole


class CoverageTree(QTreeWidget):
    """Each item carries a key: ("unit", name), ("service", id), ("target", id), ("component", target id,
    component id) or ("contract_target", target id, component id, mapping id)."""

    def __init__(self):
        super().__init__()
        self.setHeaderLabels(["Service / target / component", "Status", "Committed"])
        header = self.header()  # names take the width left by the status and the figure, which stay whole
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)

    def fill(self, report: list[TargetCoverage]) -> None:
        self.blockSignals(True)
        self.clear()
        parents: dict[tuple, QTreeWidgetItem] = {}
        worst: dict[tuple, str] = {}
        for t in report:
            unit_key, service_key = ("unit", t.business_unit), ("service", t.service_id)
            unit = parents.get(unit_key) or _item(self, [t.business_unit], unit_key)
            service = parents.get(service_key) or _item(unit, [t.service], service_key)
            parents.update({unit_key: unit, service_key: service})
            target = _item(service, [t.name, "short" if t.shortfall else t.status.value, _composed(t)],
                           ("target", t.target_id))
            _paint(target, STATUS_COLORS["gap" if t.shortfall else t.status.value])
            target.setToolTip(0, "\n".join(t.findings) or t.composition_note)
            target.setToolTip(2, t.composition_note)
            for c in t.components:
                _component_item(target, t, c)
            for key in (unit_key, service_key):
                worst[key] = max(worst.get(key, "covered"), "gap" if t.shortfall else t.status.value,
                                 key=_ORDER.index)
                _paint(parents[key], STATUS_COLORS[worst[key]], text=False)
        self.expandAll()
        self.blockSignals(False)

    def items(self) -> Iterator[QTreeWidgetItem]:
        return _walk(self.invisibleRootItem())

    def item_for(self, *key: Any) -> QTreeWidgetItem | None:
        return next((i for i in self.items() if i.data(0, KEY_ROLE) == key), None)

    def current_key(self) -> tuple | None:
        item = self.currentItem()
        return item.data(0, KEY_ROLE) if item else None


def _component_item(parent: QTreeWidgetItem, t: TargetCoverage, c: ComponentCoverage) -> None:
    name = f"{c.stage}{'∥' if c.parallel else ''}  {c.name}"
    item = _item(parent, [name, c.status.value, figure_text(c.committed, t.unit)],
                 ("component", t.target_id, c.component_id))
    _paint(item, STATUS_COLORS[c.status.value], tint=STATUS_TINTS[c.status.value])
    item.setToolTip(0, "\n".join(c.findings) or "covered")
    for v in c.contract_targets:
        figure = " ".join(v.target.split()[-3:])  # ">= 99.95 %"
        child = _item(item, [f"{v.contract} · {v.name}", "" if v.counts else "ignored", figure],
                      ("contract_target", t.target_id, c.component_id, v.mapping_id))
        child.setToolTip(0, "\n".join((f"{v.supplier}: {v.target} per {v.measurement_period}, {v.service_hours}",
                                       *v.notes)))


def _item(parent: Any, texts: list[str], key: tuple) -> QTreeWidgetItem:
    item = QTreeWidgetItem(parent, texts)
    item.setData(0, KEY_ROLE, key)
    return item


def _paint(item: QTreeWidgetItem, color: str, *, tint: str | None = None, text: bool = True) -> None:
    item.setForeground(1, QBrush(QColor(color)))
    if text:
        item.setForeground(0, QBrush(QColor(color)))
    if tint:
        item.setBackground(1, QBrush(QColor(tint)))


def _walk(root: QTreeWidgetItem) -> Iterator[QTreeWidgetItem]:
    for child in children(root):
        yield child
        yield from _walk(child)


def _composed(t: TargetCoverage) -> str:
    return "not composable" if t.composed is None else f"{t.composed} {t.unit}"


class SupplierMatrix(QTableWidget):
    """A row per component of every target, a column per supplier; a cell names the contract targets."""

    def __init__(self):
        super().__init__()
        self.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.setStyleSheet("QTableWidget { selection-background-color: #dbe7f7; selection-color: #101828; }")
        self.verticalHeader().setVisible(False)
        self.setWordWrap(True)

    def show_report(self, report: list[TargetCoverage], suppliers: list[Supplier]) -> None:
        rows = [(t, c) for t in report for c in t.components]
        self.clear()
        self.setRowCount(len(rows))
        self.setColumnCount(2 + len(suppliers))
        self.setHorizontalHeaderLabels(["End-to-end target", "Component",
                                        *(s.name.replace(" ", "\n", 1) for s in suppliers)])
        column = {s.id: 2 + i for i, s in enumerate(suppliers)}
        for row, (t, c) in enumerate(rows):
            self.setItem(row, 0, _cell(f"{t.name}\n{t.service}", None))
            self.setItem(row, 1, _cell(f"{c.name}\n{c.status.value}", c.status.value, c.findings))
            names: dict[int, list[str]] = {}
            for v in c.contract_targets:
                names.setdefault(v.supplier_id, []).append(f"{v.contract}\n{v.name}")
            for supplier_id, texts in names.items():
                self.setItem(row, column[supplier_id], _cell("\n".join(texts), c.status.value, c.findings))
        self.setColumnWidth(0, 170)
        self.setColumnWidth(1, 160)
        for index in range(2, self.columnCount()):
            self.setColumnWidth(index, 106)
        self.resizeRowsToContents()

    def highlight(self, target: TargetCoverage | None) -> None:
        """Select the rows of one target's components."""
        self.clearSelection()
        label = f"{target.name}\n{target.service}" if target else None
        rows = [r for r in range(self.rowCount()) if cell(self, r, 0).text() == label]
        for r in rows:
            self.setRangeSelected(QTableWidgetSelectionRange(r, 0, r, self.columnCount() - 1), True)
        if rows:
            self.scrollToItem(cell(self, rows[0], 0))


def _cell(text: str, status: str | None, findings: tuple[str, ...] = ()) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    if status:
        item.setBackground(QBrush(QColor(STATUS_TINTS[status] if status != "gap" else "#fef3f2")))
        item.setForeground(QBrush(QColor(STATUS_COLORS[status])))
    if findings:
        item.setToolTip("\n".join(findings))
    return item
