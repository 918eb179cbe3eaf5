"""Dates are typed the way a user types them: the date typed is the date stored, or it is refused with a sentence
beside the field and nothing is stored (pytest-qt, keys typed into the field)."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QLineEdit, QTableView, QVBoxLayout, QWidget

from models.workspace import open_workspace
from sltdesk.domain.register import Contract
from sltdesk.services.audit import recent_audit
from sltdesk.services.register import list_records
from ui.date_field import DateField, parse_date

REF = "NW-2025-014"  # stored as 2025-01-01 … 2027-12-31


def _stored(path) -> tuple[Contract, int]:
    ws = open_workspace(path)
    try:
        return next(c for c in list_records(ws, Contract) if c.ref == REF), len(recent_audit(ws, 100))
    finally:
        ws.close()


def type_date(qtbot, field: DateField, text: str, *, leave: bool = True) -> None:
    """Into the field, select what is there (Ctrl+A), type over it, and Tab out of it."""
    field.window().activateWindow()
    qtbot.waitUntil(field.window().isActiveWindow, timeout=2000)
    field.line.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.keyClick(field.line, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(field.line, text) if text else qtbot.keyClick(field.line, Qt.Key.Key_Delete)
    if leave:
        qtbot.keyClick(field.line, Qt.Key.Key_Tab)


@pytest.fixture
def contract_page(qtbot, window):
    page = window.contracts
    with qtbot.waitSignal(page.loaded, timeout=5000):
        window.show_page(window.pages.index(page))
    assert page.table.select(lambda row: row.ref == REF)
    return page


def test_typing_2024_01_01_over_an_end_date_keeps_2024_and_stores_exactly_that(qtbot, contract_page,
                                                                                 workspace_file):
    form = contract_page.form
    end = form.editors["end_date"].widget
    assert end.text() == "2027-12-31"
    type_date(qtbot, end, "2024-01-01")
    assert end.text() == "2024-01-01"  # not 2027-01-01: the year typed is the year kept
    assert not contract_page.save()  # before the start date (2025-01-01): refused, beside the field
    assert form.error_text("end_date") == "The end date must be after the start date."
    assert end.text() == "2024-01-01"
    assert _stored(workspace_file)[0].end_date == date(2027, 12, 31)

    type_date(qtbot, form.editors["start_date"].widget, "2023-06-01")
    with qtbot.waitSignal(contract_page.loaded, timeout=5000):
        assert contract_page.save()
    stored, _ = _stored(workspace_file)
    assert (stored.start_date, stored.end_date) == (date(2023, 6, 1), date(2024, 1, 1))
    assert end.text() == "2024-01-01" and not form.dirty


def test_an_end_date_equal_to_the_start_is_refused_and_one_day_later_is_stored(qtbot, contract_page,
                                                                                workspace_file):
    form = contract_page.form
    type_date(qtbot, form.editors["end_date"].widget, "2025-01-01")  # the start date itself
    assert not contract_page.save()
    assert form.error_text("end_date") == "The end date must be after the start date."
    assert _stored(workspace_file)[0].end_date == date(2027, 12, 31)
    form.editors["notice_days"].widget.setValue(0)  # a one-day contract has no room for 90 days' notice
    type_date(qtbot, form.editors["end_date"].widget, "2025-01-02")
    with qtbot.waitSignal(contract_page.loaded, timeout=5000):
        assert contract_page.save()
    assert _stored(workspace_file)[0].end_date == date(2025, 1, 2)
    assert form.error_text("end_date") == ""


@pytest.mark.parametrize(("typed", "message"), [
    ("2024-13-45", "'2024-13-45' is not a date: there is no month 13."),
    ("2023-02-29", "'2023-02-29' is not a date: February 2023 has 28 days."),
    ("31/12/2027", "'31/12/2027' is not a date written YYYY-MM-DD, e.g. 2026-03-31."),
    ("2024-01", "'2024-01' is not a date written YYYY-MM-DD, e.g. 2026-03-31."),
    ("", "Enter a date written YYYY-MM-DD, e.g. 2026-03-31."),
    ("1989-12-31", "Enter a date from 1990-01-01 on."),
])
def test_a_nonsense_or_partial_date_is_refused_beside_the_field_when_leaving_it_and_nothing_is_stored(
        qtbot, contract_page, workspace_file, typed, message):
    form = contract_page.form
    _, entries = _stored(workspace_file)
    type_date(qtbot, form.editors["end_date"].widget, typed)
    assert form.error_text("end_date") == message  # shown as soon as the user leaves the field
    assert form.editors["end_date"].widget.text() == typed  # the typing stays, to be corrected
    assert not contract_page.save()
    assert form.error_text("end_date") == message
    stored, after = _stored(workspace_file)
    assert stored.end_date == date(2027, 12, 31) and after == entries
    assert contract_page.ctx.undo_stack.count() == 0


def test_a_leap_day_and_a_short_written_date_are_read_as_typed():
    assert parse_date("2024-02-29") == date(2024, 2, 29)
    assert parse_date(" 2024-1-5 ") == date(2024, 1, 5)


def test_the_calendar_button_sets_the_date_and_a_typed_short_date_is_tidied_on_leaving(qtbot):
    box = QWidget()
    layout = QVBoxLayout(box)
    field, after = DateField(date(2027, 12, 31)), QLineEdit()
    layout.addWidget(field)
    layout.addWidget(after)
    qtbot.addWidget(box)
    box.show()
    field.button.click()
    qtbot.waitUntil(field.menu.isVisible, timeout=2000)
    assert field.calendar.selectedDate() == QDate(2027, 12, 31)  # the calendar opens on the date shown
    field.calendar.setSelectedDate(QDate(2026, 5, 4))
    qtbot.keyClick(field.calendar.findChild(QTableView), Qt.Key.Key_Return)
    assert (field.text(), field.value(), field.menu.isVisible()) == ("2026-05-04", date(2026, 5, 4), False)
    type_date(qtbot, field, "2024-1-5", leave=False)
    after.setFocus()  # the user clicks into the next field
    assert (field.text(), field.value()) == ("2024-01-05", date(2024, 1, 5))
