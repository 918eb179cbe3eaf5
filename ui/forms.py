"""Editors for record fields and a detail form that shows each validation message beside its field."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from sltdesk.domain.money import parse_decimal
from ui.date_field import DateField
from ui.table_model import money_text

ERROR_STYLE = "color: #b3261e;"


class Editor:
    """Wraps one input widget: `get()` reads a typed value (ValueError when unreadable), `set()` shows one."""

    widget: QWidget

    def get(self) -> Any:
        raise NotImplementedError

    def set(self, value: Any) -> None:
        raise NotImplementedError

    def changed_signal(self) -> Any:
        raise NotImplementedError

    def finished_signal(self) -> Any | None:
        """Emitted when the user leaves the field; the form then checks the typed value at once."""
        return None


class TextEditor(Editor):
    def __init__(self, *, placeholder: str = "", max_length: int = 200):
        self.widget: QLineEdit = QLineEdit(placeholderText=placeholder, maxLength=max_length)

    def get(self) -> str:
        return self.widget.text().strip()

    def set(self, value: Any) -> None:
        self.widget.setText("" if value is None else str(value))

    def changed_signal(self) -> Any:
        return self.widget.textChanged


class NotesEditor(Editor):
    def __init__(self, *, lines: int = 4):
        self.widget: QPlainTextEdit = QPlainTextEdit(tabChangesFocus=True)
        self.widget.setFixedHeight(self.widget.fontMetrics().lineSpacing() * lines + 12)

    def get(self) -> str:
        return self.widget.toPlainText().strip()

    def set(self, value: Any) -> None:
        self.widget.setPlainText(value or "")

    def changed_signal(self) -> Any:
        return self.widget.textChanged


class ChoiceEditor(Editor):
    """A combo box over (label, value) pairs: enums, currencies, or the supplier of a contract."""

    def __init__(self, choices: Sequence[tuple[str, Any]] = (), *, empty_message: str = "Choose one."):
        self.widget: QComboBox = QComboBox()
        self.empty_message = empty_message
        self.set_choices(choices)

    def set_choices(self, choices: Sequence[tuple[str, Any]]) -> None:
        current = self.widget.currentData()
        blocked = self.widget.blockSignals(True)  # new choices are not an edit by the user
        try:
            self.widget.clear()
            for text, value in choices:
                self.widget.addItem(text, value)
            if current is not None:
                self.set(current)
        finally:
            self.widget.blockSignals(blocked)

    def get(self) -> Any:
        if self.widget.currentIndex() < 0:
            raise ValueError(self.empty_message)
        return self.widget.currentData()

    def set(self, value: Any) -> None:
        index = next((i for i in range(self.widget.count()) if self.widget.itemData(i) == value), -1)
        self.widget.setCurrentIndex(index)

    def changed_signal(self) -> Any:
        return self.widget.currentIndexChanged


def enum_choices(enum: type[Enum]) -> list[tuple[str, Any]]:
    return [(member.value, member) for member in enum]


class DateEditor(Editor):
    """A date typed YYYY-MM-DD and kept exactly as typed (or refused with a sentence); `optional`: may be empty."""

    def __init__(self, *, optional: bool = False):
        self.widget: DateField = DateField(optional=optional, minimum=None if optional else date(1990, 1, 1))

    def get(self) -> date | None:
        return self.widget.value()

    def set(self, value: date | None) -> None:
        self.widget.set_value(value)

    def changed_signal(self) -> Any:
        return self.widget.textChanged

    def finished_signal(self) -> Any:
        return self.widget.editingFinished


class IntEditor(Editor):
    def __init__(self, *, minimum: int = 0, maximum: int = 3650, suffix: str = ""):
        self.widget: QSpinBox = QSpinBox(minimum=minimum, maximum=maximum, suffix=suffix)

    def get(self) -> int:
        return self.widget.value()

    def set(self, value: Any) -> None:
        self.widget.setValue(int(value or 0))

    def changed_signal(self) -> Any:
        return self.widget.valueChanged


class DecimalEditor(Editor):
    """Text read with parse_decimal (never through float); money shown grouped with its decimals."""

    def __init__(self, *, currency: str | None = None, optional: bool = False):
        self.widget: QLineEdit = QLineEdit(alignment=Qt.AlignmentFlag.AlignRight)
        self.currency = currency
        self.optional = optional  # may be left empty: None

    def get(self) -> Decimal | None:
        if not self.widget.text().strip():
            if self.optional:
                return None
            raise ValueError("Enter an amount.")
        return parse_decimal(self.widget.text())

    def set(self, value: Any) -> None:
        if value is None:
            self.widget.clear()
        else:
            self.widget.setText(money_text(value, self.currency) if self.currency else f"{value:f}")

    def changed_signal(self) -> Any:
        return self.widget.textChanged


class RecordForm(QWidget):
    """Labelled editors with a red message under each one, and Save / Revert buttons."""

    save_requested = Signal()
    delete_requested = Signal()
    dirty_changed = Signal(bool)

    def __init__(self, title: str, fields: Sequence[tuple[str, str, Editor]], parent: QWidget | None = None):
        super().__init__(parent)
        self.editors: dict[str, Editor] = {name: editor for name, _, editor in fields}
        self.errors: dict[str, QLabel] = {}
        self.heading = QLabel(title)
        self.heading.setObjectName("formHeading")
        self.general_error = _error_label()
        self.save_button = QPushButton("Save")
        self.save_button.setToolTip("Save the record (Enter, Ctrl+S)")
        self.save_button.setEnabled(False)
        self.revert_button = QPushButton("Revert")
        self.revert_button.setToolTip("Discard the changes (Esc)")
        self.revert_button.setEnabled(False)
        self.delete_button = QPushButton("Delete…")
        self.delete_button.setEnabled(False)
        self.save_button.clicked.connect(self.save_requested)
        self.delete_button.clicked.connect(self.delete_requested)
        self.save_button.setDefault(True)
        self._loading = False
        self._dirty = False
        self._build(fields)

    def _build(self, fields: Sequence[tuple[str, str, Editor]]) -> None:
        self.form_layout = form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for name, text, editor in fields:
            self.errors[name] = _error_label()
            label = QLabel(text)
            label.setBuddy(editor.widget)
            form.addRow(label, _stacked(editor.widget, self.errors[name]))
            editor.changed_signal().connect(self._on_edited)
            finished = editor.finished_signal()
            if finished is not None:
                finished.connect(lambda n=name: self.check_field(n))
        self.buttons = buttons = QHBoxLayout()
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.general_error)
        layout.addLayout(form)
        layout.addLayout(buttons)
        set_tab_order([e.widget for e in self.editors.values()] + [self.save_button, self.revert_button,
                                                                   self.delete_button])

    def load(self, values: dict[str, Any], *, heading: str) -> None:
        """Show values without marking the form as changed."""
        self._loading = True
        try:
            for name, value in values.items():
                if name in self.editors:
                    self.editors[name].set(value)
        finally:
            self._loading = False
        self.heading.setText(heading)
        self.show_errors({})
        self.set_dirty(False)

    def read(self) -> dict[str, Any]:
        """Typed values of every field; raises FormErrors with a message per unreadable field."""
        values, problems = {}, {}
        for name, editor in self.editors.items():
            try:
                values[name] = editor.get()
            except ValueError as error:
                text = str(error) or "Enter a valid value."
                problems[name] = text[:1].upper() + text[1:]
        if problems:
            raise FormErrors(problems)
        return values

    def show_errors(self, messages: dict[str, str]) -> None:
        """Each message under its field; messages for fields the form lacks go on top."""
        for name, label in self.errors.items():
            label.setText(messages.get(name, ""))
            label.setVisible(name in messages)
        others = [text for name, text in messages.items() if name not in self.errors]
        self.general_error.setText(" ".join(others))
        self.general_error.setVisible(bool(others))
        first = next((n for n in self.editors if n in messages), None)
        if first:
            self.editors[first].widget.setFocus(Qt.FocusReason.OtherFocusReason)

    def check_field(self, name: str) -> bool:
        """Show at once, beside the field, why its text cannot be read (or clear that message); True when readable."""
        try:
            self.editors[name].get()
        except ValueError as error:
            self.errors[name].setText(str(error))
            self.errors[name].setVisible(True)
            return False
        self.errors[name].setVisible(False)
        return True

    def show_field(self, name: str, visible: bool) -> None:
        """Show or hide a field's row (label, editor and message)."""
        self.form_layout.setRowVisible(list(self.editors).index(name), visible)

    def choice(self, name: str) -> ChoiceEditor:
        """The editor of a choice field (its choices change with the records)."""
        editor = self.editors[name]
        if not isinstance(editor, ChoiceEditor):
            raise TypeError(f"{name} is not a choice field")
        return editor

    def error_text(self, name: str) -> str:
        return self.errors[name].text() if self.errors[name].isVisibleTo(self) else ""

    @property
    def dirty(self) -> bool:
        return self._dirty

    def set_dirty(self, dirty: bool) -> None:
        self._dirty = dirty
        self.save_button.setEnabled(dirty)
        self.revert_button.setEnabled(dirty)
        self.dirty_changed.emit(dirty)

    def keyPressEvent(self, event: Any) -> None:
        """Enter saves, Esc reverts. Multi-line notes keep Enter for a new line (they take the key first)."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.save_button.isEnabled():
            self.save_requested.emit()
        elif event.key() == Qt.Key.Key_Escape and self.revert_button.isEnabled():
            self.revert_button.click()
        else:
            super().keyPressEvent(event)

    def _on_edited(self, *_args: object) -> None:
        if not self._loading and not self._dirty:
            self.set_dirty(True)


class FormErrors(ValueError):
    """Fields the form could not read (e.g. "12,5x" as money), before any service is called."""

    def __init__(self, fields: dict[str, str]):
        super().__init__(" ".join(fields.values()))
        self.fields = fields


def set_tab_order(widgets: Sequence[QWidget]) -> None:
    """Tab visits `widgets` top to bottom; a compound field (a date with its calendar button) by its own input."""
    targets = [_focus_target(w) for w in widgets]
    for first, second in zip(targets, targets[1:], strict=False):
        QWidget.setTabOrder(first, second)


def _focus_target(widget: QWidget) -> QWidget:
    proxy = widget.focusProxy()
    while proxy is not None:
        widget, proxy = proxy, proxy.focusProxy()
    return widget


def _error_label() -> QLabel:
    label = QLabel(wordWrap=True)
    label.setVisible(False)
    label.setStyleSheet(ERROR_STYLE)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def _stacked(widget: QWidget, error: QLabel) -> QWidget:
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(2)
    layout.addWidget(widget)
    layout.addWidget(error)
    return box
