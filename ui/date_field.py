"""A date field that keeps what is typed: text written YYYY-MM-DD, read strictly, with a calendar button.

QDateEdit edits a date section by section: typing "2024-01-01" over a selected "2027-12-31" could land in the
month section and keep the old year (2027-01-01), without a word. Here the text is the value: it is read whole
when the form is saved, and refused with a sentence when it is not a date; nothing is guessed or completed."""

from __future__ import annotations

import calendar
import re
from datetime import date
from typing import cast

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QCalendarWidget, QHBoxLayout, QLineEdit, QMenu, QToolButton, QWidget, QWidgetAction

EXAMPLE = "2026-03-31"
_WRITTEN = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
INVALID_STYLE = "QLineEdit { border: 1px solid #b3261e; }"


def parse_date(text: str, *, minimum: date | None = None, maximum: date | None = None) -> date:
    """The date `text` names (YYYY-MM-DD, a one-digit month or day allowed); ValueError with a sentence if none."""
    text = text.strip()
    if not text:
        raise ValueError(f"Enter a date written YYYY-MM-DD, e.g. {EXAMPLE}.")
    match = _WRITTEN.fullmatch(text)
    if match is None:
        raise ValueError(f"'{text}' is not a date written YYYY-MM-DD, e.g. {EXAMPLE}.")
    year, month, day = (int(part) for part in match.groups())
    if not 1 <= month <= 12:
        raise ValueError(f"'{text}' is not a date: there is no month {month}.")
    days = calendar.monthrange(year, month)[1] if year >= 1 else 31
    if year < 1 or not 1 <= day <= days:
        raise ValueError(f"'{text}' is not a date: {calendar.month_name[month]} {year} has {days} days.")
    value = date(year, month, day)
    if minimum is not None and value < minimum:
        raise ValueError(f"Enter a date from {minimum.isoformat()} on.")
    if maximum is not None and value > maximum:
        raise ValueError(f"Enter a date up to {maximum.isoformat()}.")
    return value


class DateField(QWidget):
    """Typed YYYY-MM-DD text plus a calendar (the button, or Alt+Down); `value()` reads it or raises ValueError.

    An unreadable date gets a red border and its sentence as tooltip as soon as the user leaves the field; the
    caller shows the sentence beside the field when it reads the value."""

    textChanged = Signal(str)
    editingFinished = Signal()

    def __init__(self, value: date | None = None, *, minimum: date | None = date(1990, 1, 1),
                 optional: bool = False, parent: QWidget | None = None):
        super().__init__(parent)
        self.minimum, self.optional = minimum, optional
        self.line = QLineEdit(placeholderText="YYYY-MM-DD, or empty" if optional else "YYYY-MM-DD", maxLength=10)
        self.line.setToolTip(f"A date written YYYY-MM-DD, e.g. {EXAMPLE} (Alt+Down: calendar)")
        self.calendar = QCalendarWidget(gridVisible=True)
        self.calendar.clicked.connect(self._picked)
        self.calendar.activated.connect(self._picked)
        self.menu = QMenu(self)
        holder = QWidgetAction(self.menu)
        holder.setDefaultWidget(self.calendar)
        self.menu.addAction(holder)
        self.menu.aboutToShow.connect(self._before_popup)
        self.button = QToolButton(autoRaise=True)
        self.button.setText("▾")
        self.button.setToolTip("Choose the date from a calendar (Alt+Down)")
        self.button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.button.clicked.connect(self.show_calendar)
        popup = QAction(self.line, shortcut=QKeySequence("Alt+Down"))
        popup.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        popup.triggered.connect(self.show_calendar)
        self.line.addAction(popup)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.line, 1)
        layout.addWidget(self.button)
        self.setFocusProxy(self.line)
        self.line.textChanged.connect(self._typed)
        self.line.editingFinished.connect(self._finished)
        self.set_value(value)

    # --- the value ---------------------------------------------------------------------------------------
    def value(self) -> date | None:
        """The date as typed; None for an empty optional field; ValueError (one sentence) when it is no date."""
        if self.optional and not self.line.text().strip():
            return None
        return parse_date(self.line.text(), minimum=self.minimum)

    def set_value(self, value: date | QDate | None) -> None:
        if isinstance(value, QDate):
            value = cast(date, value.toPython())  # PySide6's stubs type toPython() as object
        self.line.setText("" if value is None else value.isoformat())

    setDate = set_value  # the QDateEdit spelling, for callers that set a date programmatically

    def text(self) -> str:
        return self.line.text()

    def problem(self) -> str:
        """The sentence that refuses the text, or "" when it is a date."""
        try:
            self.value()
        except ValueError as error:
            return str(error)
        return ""

    # --- behaviour -----------------------------------------------------------------------------------------
    def show_calendar(self) -> None:
        self.menu.popup(self.mapToGlobal(self.rect().bottomLeft()))

    def _before_popup(self) -> None:
        try:
            shown = self.value()
        except ValueError:
            shown = None
        self.calendar.setSelectedDate(QDate(shown.year, shown.month, shown.day) if shown else QDate.currentDate())

    def _picked(self, chosen: QDate) -> None:
        self.menu.close()
        self.set_value(chosen)
        self.mark("")
        self.line.setFocus(Qt.FocusReason.PopupFocusReason)
        self.editingFinished.emit()

    def _typed(self, text: str) -> None:
        self.mark("")  # the red border goes as soon as the user corrects the text
        self.textChanged.emit(text)

    def _finished(self) -> None:
        problem = self.problem()
        if not problem:  # tidy a typed 2024-1-5 into 2024-01-05; the date itself is the one typed
            value = self.value()
            if value is not None and value.isoformat() != self.line.text():
                self.line.setText(value.isoformat())
        self.mark(problem)
        self.editingFinished.emit()

    def mark(self, problem: str) -> None:
        """A red border with the sentence as tooltip while the text is refused; no border once it is fine."""
        self.line.setStyleSheet(INVALID_STYLE if problem else "")
        self.line.setToolTip(problem or f"A date written YYYY-MM-DD, e.g. {EXAMPLE} (Alt+Down: calendar)")
