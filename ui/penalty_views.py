"""Widgets of the Penalties page: the credit lines with expandable traces, and the what-if panel."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from sltdesk.domain.attainment import AttainmentResult
from sltdesk.domain.money import format_money
from sltdesk.domain.penalties import LineKind, PeriodCredits, Step
from ui.items import cell, children, top_level
from ui.table_actions import add_table_actions
from ui.table_model import money_text

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
GREY = QBrush(QColor("#475467"))
RED = QBrush(QColor("#b3261e"))


class CreditTree(QTreeWidget):
    """One row per line (target, achieved, band, amount); its trace steps are the children."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setHeaderLabels(["Line", "Achieved", "Band", "Amount"])
        add_table_actions(self, "credit lines")
        self.setAlternatingRowColors(True)
        self.setUniformRowHeights(False)
        self.setWordWrap(True)
        header = self.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column, width in ((1, 90), (2, 230), (3, 110)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            self.setColumnWidth(column, width)
        header.setStretchLastSection(False)
        for column in (1, 3):
            self.headerItem().setTextAlignment(column, RIGHT)

    def show_credits(self, credits: PeriodCredits | None) -> None:
        self.clear()
        if credits is None:
            return
        for line in credits.lines:
            achieved = "" if line.achieved is None else (line.achieved_text or f"{line.achieved:f}")
            title = f"{line.target} — {line.kind.value}" + (f" ({line.period})" if line.kind is LineKind.EARN_BACK
                                                           else "")
            item = self._row([title, achieved, line.band, money_text(line.amount, credits.currency)], line.trace)
            item.setExpanded(line.amount != 0)
        sections: list[tuple[str, list[tuple[str, tuple[Step, ...]]]]] = [
            ("Caps", [(c.trace[-1].text if c.trace else c.name, c.trace) for c in credits.caps]),
            ("Bonuses", [(f"{b.target}: {money_text(b.amount, credits.currency)} "
                          f"({'netted' if b.netted else 'paid separately'})", b.trace) for b in credits.incentives]),
            ("Business impact (beside the credit, not added)",
             [(f"{i.target}: impact {'—' if i.amount is None else money_text(i.amount, credits.currency)}, "
               f"credit {money_text(i.credit, credits.currency)}", i.trace) for i in credits.business_impact]),
            ("Termination triggers", [(f.text, ()) for f in credits.termination]),
            ("Claim deadline", [(credits.deadline_trace, ())]),
            ("Notes", [(n, ()) for n in credits.notes]),
        ]
        for heading, entries in sections:
            if not entries:
                continue
            top = self._row([heading, "", "", ""], ())
            top.setForeground(0, GREY)
            for text, trace in entries:
                child = QTreeWidgetItem(top, [text])
                child.setToolTip(0, text)
                self._steps(child, trace)
                if "may terminate" in text or "was not claimed" in text:
                    child.setForeground(0, RED)
            top.setExpanded(heading in ("Termination triggers", "Claim deadline"))
            self._span(top)

    def _row(self, values: list[str], trace: tuple[Step, ...]) -> QTreeWidgetItem:
        item = QTreeWidgetItem(self, values)
        bold = QFont(item.font(0))
        bold.setBold(True)
        item.setFont(0, bold)
        item.setFont(3, bold)
        item.setTextAlignment(1, RIGHT)
        item.setTextAlignment(3, RIGHT)
        item.setToolTip(0, values[0])
        self._steps(item, trace)
        return item

    def _steps(self, parent: QTreeWidgetItem, trace: tuple[Step, ...]) -> None:
        for number, step in enumerate(trace, start=1):
            child = QTreeWidgetItem(parent, [f"{number}. {step.text}"])
            child.setToolTip(0, step.text)
        self._span(parent)

    @staticmethod
    def _span(parent: QTreeWidgetItem) -> None:
        for child in children(parent):
            child.setFirstColumnSpanned(True)

    def trace_texts(self, row: int) -> list[str]:
        """The steps under a top-level row, as shown (tests and copy)."""
        return [child.text(0) for child in children(top_level(self, row))]


class WhatIfPanel(QWidget):
    """Change a target's attainment figure and see the credit move; nothing is stored."""

    changed = Signal(object)  # dict: target id -> Decimal

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.results: list[AttainmentResult] = []
        self.heading = QLabel("What if…")
        self.heading.setObjectName("sectionHeading")
        self.hint = QLabel("Type another attainment figure for a target to see what the clauses would give. "
                           "Nothing is stored.", wordWrap=True)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(["Target", "Measured", "What if", "Amount"])
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.table.itemChanged.connect(self._edited)
        self.result = QLabel(wordWrap=True)
        self.result.setObjectName("sectionHeading")
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.reset = QPushButton("Reset")
        self.reset.clicked.connect(self.reset_figures)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.reset)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.hint)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.result)
        layout.addLayout(buttons)

    def set_results(self, results: list[AttainmentResult]) -> None:
        self.results = [r for r in results if r.achieved is not None]
        self.table.blockSignals(True)
        self.table.setRowCount(len(self.results))
        for row, r in enumerate(self.results):
            for column, text in enumerate((r.target, f"{r.achieved_text} {r.unit}", r.achieved_text, "")):
                item = QTableWidgetItem(text)
                if column != 2:
                    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                if column:
                    item.setTextAlignment(RIGHT)
                self.table.setItem(row, column, item)
        self.table.blockSignals(False)
        self.result.setText("")

    def set_figure(self, target_id: int, value: str) -> None:
        """Type a figure as the user would (tests)."""
        row = next(i for i, r in enumerate(self.results) if r.target_id == target_id)
        cell(self.table, row, 2).setText(value)

    def reset_figures(self) -> None:
        self.set_results(self.results)
        self.changed.emit({})

    def figures(self) -> dict[int, Decimal]:
        out = {}
        for row, r in enumerate(self.results):
            try:
                value = Decimal(cell(self.table, row, 2).text().replace(",", ".").strip())
            except InvalidOperation:
                continue
            if value.is_finite() and cell(self.table, row, 2).text().strip() != r.achieved_text:  # typed over
                out[r.target_id] = value
        return out

    def show_outcome(self, before: PeriodCredits, after: PeriodCredits) -> None:
        self.table.blockSignals(True)
        changed = self.figures()
        for row, r in enumerate(self.results):
            amount = sum((ln.amount for ln in after.lines if ln.target_id == r.target_id), Decimal(0))
            cell(self.table, row, 3).setText(money_text(amount, after.currency))
            for column in (2, 3):
                font = cell(self.table, row, column).font()
                font.setBold(r.target_id in changed)
                cell(self.table, row, column).setFont(font)
        self.table.blockSignals(False)
        delta = after.total - before.total
        if after is before:
            self.result.setText(f"Total as measured: {format_money(before.total, before.currency)}")
            return
        sign = "+" if delta > 0 else ("−" if delta < 0 else "±")
        change = money_text(abs(delta), after.currency)
        self.result.setText(f"Total {format_money(before.total, before.currency)} → "
                            f"{format_money(after.total, after.currency)} ({sign}{change})")

    def _edited(self, item: QTableWidgetItem) -> None:
        if item.column() == 2:
            self.changed.emit(self.figures())
