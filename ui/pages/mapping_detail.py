"""The end-to-end target's detail panel (assumptions, escalation path) and the gap dialogs."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from sltdesk.domain.mapping import TARGET_UNITS, EndToEndTarget, EscalationLevel, default_rule
from sltdesk.domain.money import parse_decimal
from sltdesk.domain.register import ChargesPeriod, Comparison, ContractTarget, MetricKind
from sltdesk.services.coverage import TargetCoverage
from ui.forms import ERROR_STYLE
from ui.items import cell_text
from ui.style import section_heading

LEVEL_COLUMNS = ("Role", "Person", "Decision authority", "Channel", "Minutes to escalate", "Remediation steps")


class TargetDetails(QWidget):
    """Shows a target and edits its assumptions and escalation path; `save_requested(target, levels)`."""

    save_requested = Signal(object, object)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.coverage: TargetCoverage | None = None
        self.heading = QLabel("No end-to-end target selected", wordWrap=True)
        self.heading.setObjectName("formHeading")
        self.facts = QLabel(wordWrap=True)
        self.error = QLabel(wordWrap=True)
        self.error.setVisible(False)
        self.error.setStyleSheet(ERROR_STYLE)
        self.data_owner, self.source_system = QLineEdit(), QLineEdit()
        self.volume, self.volume_unit = QLineEdit(placeholderText="e.g. 18000"), QLineEdit(placeholderText="per day")
        self.dependencies = QPlainTextEdit(placeholderText="one third party per line", tabChangesFocus=True)
        self.assumptions = QPlainTextEdit(placeholderText="traffic, peaks, exclusions…", tabChangesFocus=True)
        for box in (self.dependencies, self.assumptions):
            box.setFixedHeight(box.fontMetrics().lineSpacing() * 4 + 14)
        self.levels = QTableWidget(0, len(LEVEL_COLUMNS))
        self.levels.setHorizontalHeaderLabels(LEVEL_COLUMNS)
        self.levels.setWordWrap(True)
        self.levels.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.levels.setMinimumHeight(150)
        self.save_button, self.revert_button = QPushButton("Save details"), QPushButton("Revert")
        self.save_button.clicked.connect(self._save)
        self.revert_button.clicked.connect(lambda: self.show_target(self.coverage))
        self.dirty = False
        self._loading = False
        self._build()
        for line in (self.data_owner, self.source_system, self.volume, self.volume_unit):
            line.textChanged.connect(self._edited)
        for box in (self.dependencies, self.assumptions):
            box.textChanged.connect(self._edited)
        self.levels.itemChanged.connect(self._edited)
        self.levels.model().rowsInserted.connect(self._edited)
        self.levels.model().rowsRemoved.connect(self._edited)
        self.show_target(None)

    def keyPressEvent(self, event: Any) -> None:
        """Enter saves, Esc reverts (the multi-line boxes and the level table keep Enter for themselves)."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.save_button.isEnabled():
            self._save()
        elif event.key() == Qt.Key.Key_Escape and self.revert_button.isEnabled():
            self.revert_button.click()
        else:
            super().keyPressEvent(event)

    def _edited(self, *_args: object) -> None:
        if not self._loading:
            self.set_dirty(True)

    def set_dirty(self, dirty: bool) -> None:
        self.dirty = dirty
        self.save_button.setEnabled(dirty)
        self.revert_button.setEnabled(dirty)

    def _build(self) -> None:
        form = QFormLayout()
        form.addRow("Data owner", self.data_owner)
        form.addRow("Source system", self.source_system)
        volume = QHBoxLayout()
        volume.addWidget(self.volume, 1)
        volume.addWidget(self.volume_unit, 2)
        form.addRow("Expected volume", volume)
        form.addRow("Third-party dependencies", self.dependencies)
        form.addRow("Other assumptions", self.assumptions)
        level_buttons = QHBoxLayout()
        for caption, slot in (("Add level", self.add_level), ("Remove level", self._remove_level),
                              ("Move up", lambda: self._move(-1)), ("Move down", lambda: self._move(1))):
            button = QPushButton(caption)
            button.clicked.connect(slot)
            level_buttons.addWidget(button)
        level_buttons.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.facts)
        layout.addWidget(self.error)
        layout.addLayout(form)
        layout.addWidget(section_heading("Escalation path (level 1 first)"))
        layout.addWidget(self.levels, 1)
        layout.addLayout(level_buttons)
        layout.addLayout(buttons)

    def show_target(self, coverage: TargetCoverage | None) -> None:
        """Show a target's details as stored (any typing is dropped)."""
        self._loading = True
        try:
            self._fill(coverage)
        finally:
            self._loading = False
        self.set_dirty(False)

    def _fill(self, coverage: TargetCoverage | None) -> None:
        self.coverage = coverage
        self.error.setVisible(False)
        self.setEnabled(coverage is not None)
        target = coverage.record if coverage else None
        self.heading.setText(f"{coverage.name}: {coverage.target}" if coverage else "No end-to-end target selected")
        self.facts.setText(_facts(coverage) if coverage else "")
        self.data_owner.setText(target.data_owner if target else "")
        self.source_system.setText(target.source_system if target else "")
        self.volume.setText(f"{target.expected_volume:f}" if target and target.expected_volume is not None else "")
        self.volume_unit.setText(target.volume_unit if target else "")
        self.dependencies.setPlainText("\n".join(target.third_party_dependencies) if target else "")
        self.assumptions.setPlainText(target.assumptions if target else "")
        self.levels.setRowCount(0)
        for level in coverage.escalation if coverage else ():
            self.add_level(level)
        self.levels.resizeRowsToContents()

    def add_level(self, level: EscalationLevel | None = None) -> None:
        row = self.levels.rowCount()
        self.levels.insertRow(row)
        values = ("", "", "", "", "30", "") if not isinstance(level, EscalationLevel) else (
            level.role, level.person, level.decision_authority, level.channel, str(level.minutes_to_escalate),
            "; ".join(level.remediation_steps))
        for column, value in enumerate(values):
            self.levels.setItem(row, column, QTableWidgetItem(value))
        self._number_levels()

    def _remove_level(self) -> None:
        if self.levels.currentRow() >= 0:
            self.levels.removeRow(self.levels.currentRow())
            self._number_levels()

    def _move(self, step: int) -> None:
        row = self.levels.currentRow()
        other = row + step
        if row < 0 or not 0 <= other < self.levels.rowCount():
            return
        for column in range(self.levels.columnCount()):
            first, second = self.levels.takeItem(row, column), self.levels.takeItem(other, column)
            self.levels.setItem(row, column, second)
            self.levels.setItem(other, column, first)
        self.levels.setCurrentCell(other, self.levels.currentColumn())
        self._number_levels()

    def _number_levels(self) -> None:
        self.levels.setVerticalHeaderLabels([f"Level {n}" for n in range(1, self.levels.rowCount() + 1)])

    def read(self) -> tuple[EndToEndTarget, list[EscalationLevel]]:
        """The edited target and levels; raises ValueError with a sentence when a value is unreadable."""
        assert self.coverage is not None  # read while a target is shown
        target = self.coverage.record
        assert target.id is not None  # a stored one
        volume_text = self.volume.text().strip()
        volume = parse_decimal(volume_text) if volume_text else None
        deps = tuple(line.strip() for line in self.dependencies.toPlainText().splitlines() if line.strip())
        edited = dataclasses.replace(
            target, data_owner=self.data_owner.text().strip(), source_system=self.source_system.text().strip(),
            expected_volume=volume, volume_unit=self.volume_unit.text().strip(), third_party_dependencies=deps,
            assumptions=self.assumptions.toPlainText().strip())
        levels = []
        for row in range(self.levels.rowCount()):
            cells = [cell_text(self.levels, row, c).strip() for c in range(len(LEVEL_COLUMNS))]
            if not any(cells):
                continue
            if not cells[4].isdigit():
                raise ValueError(f"Level {row + 1}: the time to escalate is a whole number of minutes.")
            steps = tuple(s.strip() for s in cells[5].split(";") if s.strip())
            levels.append(EscalationLevel(target.id, row + 1, cells[0], cells[1], cells[2], cells[3],
                                          int(cells[4]), steps))
        return edited, levels

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))

    def _save(self) -> None:
        if self.coverage is None:
            return
        try:
            target, levels = self.read()
        except ValueError as error:
            self.show_error(str(error))
            return
        self.save_requested.emit(target, levels)


def _facts(c: TargetCoverage) -> str:
    parts = [f"{c.business_unit} › {c.service}", c.kind, f"per {c.measurement_period}", c.service_hours]
    if c.tier:
        parts.append(f"tier: {c.tier}")
    parts.append(f"composition: {c.composition_rule} ({c.composition_formula})")
    if c.weights_rationale:
        parts.append(f"weights: {c.weights_rationale}")
    return " · ".join(parts)


# --- the gap dialogs (module functions, so tests can replace them) ------------------------------------
def choose_contract_target(parent: QWidget, choices: list[tuple[str, int]]) -> int | None:
    """Pick an existing contract target by its label; None when cancelled."""
    labels = [label for label, _ in choices]
    label, ok = QInputDialog.getItem(parent, "Assign a contract target", "Contract target covering this component:",
                                     labels, 0, False)
    return dict(choices).get(label) if ok else None


def new_contract_target(parent: QWidget, contracts: list[tuple[str, int]], calendars: list[tuple[str, int]],
                        suggested: dict[str, Any]) -> ContractTarget | None:
    """Ask for a new contract target (contract, name, metric, threshold…); None when cancelled."""
    dialog = QDialog(parent)
    dialog.setWindowTitle("Create a contract target")
    combos: dict[str, QComboBox] = {}
    form = QFormLayout(dialog)
    for key, label, items in (("contract", "Contract", contracts),
                              ("metric", "Metric", [(m.value, m) for m in MetricKind]),
                              ("comparison", "Comparison", [(c.value, c) for c in Comparison]),
                              ("period", "Measured per", [(p.value, p) for p in ChargesPeriod]),
                              ("calendar", "Service hours", [("24x7 (no calendar)", None), *calendars])):
        combos[key] = QComboBox()
        for text, value in items:
            combos[key].addItem(text, value)
        index = combos[key].findData(suggested.get(key))
        combos[key].setCurrentIndex(max(index, 0))
        form.addRow(label, combos[key])
    name = QLineEdit(suggested.get("name", ""))
    threshold = QLineEdit(str(suggested.get("threshold", "")))
    unit = QLineEdit(suggested.get("unit", "%"))
    form.insertRow(1, "Name", name)
    form.addRow("Threshold", threshold)
    form.addRow("Unit", unit)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    form.addRow(buttons)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return ContractTarget(contract_id=combos["contract"].currentData(), name=name.text().strip(),
                          metric=combos["metric"].currentData(), threshold=parse_decimal(threshold.text() or "0"),
                          comparison=combos["comparison"].currentData(), unit=unit.text().strip() or "%",
                          measurement_period=combos["period"].currentData(),
                          calendar_id=combos["calendar"].currentData())



def _ok_cancel(dialog: QDialog, form: QFormLayout) -> bool:
    """OK / Cancel under the form; True when the user pressed OK."""
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    form.addRow(buttons)
    return dialog.exec() == QDialog.DialogCode.Accepted


def new_end_to_end_target(parent: QWidget, services: list[tuple[str, int]],
                          calendars: list[tuple[str, int]]) -> EndToEndTarget | None:
    """Ask for a new end-to-end target (service, name, metric, threshold…); None when cancelled."""
    if not services:
        raise ValueError("Create a service first (import the register workbook with its Services sheet).")
    dialog = QDialog(parent)
    dialog.setWindowTitle("New end-to-end target")
    form = QFormLayout(dialog)
    combos: dict[str, QComboBox] = {}
    for key, label, items in (("service", "Service", services),
                              ("metric", "Metric", [(m.value, m) for m in MetricKind]),
                              ("comparison", "Comparison", [(c.value, c) for c in Comparison]),
                              ("unit", "Unit", [(u, u) for u in TARGET_UNITS]),
                              ("period", "Measured per", [(p.value, p) for p in ChargesPeriod]),
                              ("calendar", "Service hours", [("24x7 (no calendar)", None), *calendars])):
        combos[key] = QComboBox()
        combos[key].setObjectName(key)
        for text, value in items:
            combos[key].addItem(text, value)
        form.addRow(label, combos[key])
    name = QLineEdit(placeholderText="e.g. Web shop availability")
    name.setObjectName("name")
    threshold = QLineEdit(placeholderText="e.g. 99.9")
    threshold.setObjectName("threshold")
    form.insertRow(1, "Name", name)
    form.insertRow(4, "Threshold", threshold)
    if not _ok_cancel(dialog, form):
        return None
    metric, unit = MetricKind(combos["metric"].currentData()), combos["unit"].currentData()
    return EndToEndTarget(service_id=combos["service"].currentData(), business_unit_id=0, name=name.text().strip(),
                          metric=metric, threshold=parse_decimal(threshold.text() or "0"),
                          comparison=Comparison(combos["comparison"].currentData()), unit=unit,
                          measurement_period=ChargesPeriod(combos["period"].currentData()),
                          calendar_id=combos["calendar"].currentData(), composition=default_rule(metric, unit))


def new_component(parent: QWidget, target: str, stage: int, *, name: str = "", weight: Decimal = Decimal(1),
                  title: str = "") -> tuple[str, int, Decimal] | None:
    """Ask for a component of `target`'s chain (or its new values): (name, stage, weight); None when cancelled."""
    dialog = QDialog(parent)
    dialog.setWindowTitle(title or f"New component of {target}")
    form = QFormLayout(dialog)
    names = QLineEdit(name, placeholderText="e.g. Hosting")
    names.setObjectName("name")
    stages = QSpinBox(minimum=1, maximum=50, value=stage)
    stages.setObjectName("stage")
    weights = QLineEdit(f"{weight:f}")
    weights.setObjectName("weight")
    form.addRow("Name", names)
    form.addRow("Stage", stages)
    form.addRow("Weight", weights)
    form.addRow(QLabel("Components of one stage are redundant (parallel); stages run one after another.",
                       wordWrap=True))
    if not _ok_cancel(dialog, form):
        return None
    return names.text().strip(), stages.value(), parse_decimal(weights.text() or "1")
