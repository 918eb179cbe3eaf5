"""Editing one review on the Reviews page: agenda notes, attendees and decisions; the improvement backlog.

Handlers are thin: read the widgets, call a service, tell the page it changed (it reloads the review).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from sltdesk.domain.reviews import STANDARD_AGENDA, ActionStatus, Attendee, Decision, Side
from sltdesk.domain.team import Permission
from sltdesk.errors import StaleRecordError
from sltdesk.services import reviews as svc
from sltdesk.services.reviews import BacklogItem, ReviewDetail
from ui import dialogs
from ui.context import local_today
from ui.date_field import DateField
from ui.errors import report_exception
from ui.table_model import Column
from ui.table_panel import TablePanel

OVERDUE = "#b3261e"
STATUS_COLOURS = {"open": "#b3261e", "in progress": "#8a5a00", "done": "#1e6b35", "dropped": "#667085"}
EFFECT_COLOURS = {"effective": "#1e6b35", "worse": "#b3261e"}  # the verdict of a done action's before/after test


def _item(text: str, data: object) -> QListWidgetItem:
    item = QListWidgetItem(text)
    item.setData(Qt.ItemDataRole.UserRole, data)
    return item


class AgendaPanel(QWidget):
    """The standard agenda with a note under each item, the attendees and the decisions."""

    changed = Signal(str)  # entity name

    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.detail: ReviewDetail | None = None
        self.agenda = QListWidget()  # a narrow pane wraps an item, never cuts it
        self.agenda.setWordWrap(True)
        self.agenda.setMinimumWidth(170)
        self.agenda.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.agenda.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.agenda.addItems([item.value.capitalize() for item in STANDARD_AGENDA])
        self.agenda.currentRowChanged.connect(self._show_note)
        self.note = QPlainTextEdit(placeholderText="What was said under this agenda item")
        self.save_note = QPushButton("Save note")
        self.save_note.clicked.connect(self.store_note)
        ctx.gate(self.save_note, Permission.EDIT)
        notes = QWidget()
        column = QVBoxLayout(notes)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.note, 1)
        column.addWidget(self.save_note, 0, Qt.AlignmentFlag.AlignRight)
        top = QSplitter()
        top.addWidget(self.agenda)
        top.addWidget(notes)
        top.setSizes([260, 600])
        self.attendees = QListWidget()
        self.attendees.setWordWrap(True)
        self.attendee_name, self.attendee_role = QLineEdit(placeholderText="Name"), QLineEdit(placeholderText="Role")
        self.attendee_side = QComboBox()
        self.attendee_side.addItems(["us", "supplier"])
        self.decisions = QListWidget()
        self.decisions.setWordWrap(True)
        self.decision_text = QLineEdit(placeholderText="What was decided")
        self.decision_owner = QLineEdit(placeholderText="Owner")
        bottom = QSplitter()
        bottom.addWidget(self._group("Attendees", self.attendees, [self.attendee_name, self.attendee_role,
                                                                    self.attendee_side], self.add_attendee,
                                     Attendee))
        bottom.addWidget(self._group("Decisions", self.decisions, [self.decision_text, self.decision_owner],
                                     self.add_decision, Decision))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(top)
        split.addWidget(bottom)
        layout.addWidget(split)

    def _group(self, title: str, view: QListWidget, fields: list[QWidget], add, kind: type) -> QGroupBox:
        box = QGroupBox(title)
        layout = QVBoxLayout(box)
        layout.addWidget(view, 1)
        row = QHBoxLayout()
        for field in fields:
            row.addWidget(field, 1)
        add_button, remove_button = QPushButton("Add"), QPushButton("Remove")
        add_button.clicked.connect(add)
        remove_button.clicked.connect(lambda: self.remove_selected(view, kind))
        self.ctx.gate(add_button, Permission.EDIT)
        self.ctx.gate(remove_button, Permission.EDIT)
        layout.addLayout(row)
        buttons = QHBoxLayout()  # under the fields, so that two groups fit side by side on a laptop
        buttons.addStretch(1)
        buttons.addWidget(add_button)
        buttons.addWidget(remove_button)
        layout.addLayout(buttons)
        return box

    def show_detail(self, detail: ReviewDetail | None) -> None:
        self.detail = detail
        self.setEnabled(detail is not None)
        for row, item in enumerate(STANDARD_AGENDA):
            noted = bool(detail and detail.note(item))
            self.agenda.item(row).setText(item.value.capitalize() + (" ✎" if noted else ""))
        self._show_note(max(self.agenda.currentRow(), 0))
        self.attendees.clear()
        self.decisions.clear()
        if detail is None:
            return
        for a in detail.attendees:
            side = "us" if a.side is Side.OURS else detail.supplier
            self.attendees.addItem(_item(f"{a.name} — {a.role or 'no role'} ({side})", a.id))
        for d in detail.decisions:
            self.decisions.addItem(_item(d.text + (f" (owner: {d.owner})" if d.owner else ""), d.id))

    def _review_id(self) -> int | None:
        """The review shown (the panel is enabled only while one is)."""
        assert self.detail is not None
        return self.detail.review.id

    def _show_note(self, row: int) -> None:
        if self.agenda.currentRow() != row:
            self.agenda.setCurrentRow(row)
        self.note.setPlainText(self.detail.note(STANDARD_AGENDA[row]) if self.detail and row >= 0 else "")

    def store_note(self) -> None:
        row = self.agenda.currentRow()
        self._call("review_agenda_note", svc.set_note, self._review_id(), STANDARD_AGENDA[row],
                   self.note.toPlainText())

    def add_attendee(self) -> None:
        side = Side.OURS if self.attendee_side.currentIndex() == 0 else Side.SUPPLIER
        if self._call("review_attendee", svc.add_attendee, self._review_id(), self.attendee_name.text(),
                      side=side, role=self.attendee_role.text()):
            self.attendee_name.clear()
            self.attendee_role.clear()

    def add_decision(self) -> None:
        if self._call("review_decision", svc.add_decision, self._review_id(), self.decision_text.text(),
                      owner=self.decision_owner.text()):
            self.decision_text.clear()
            self.decision_owner.clear()

    def remove_selected(self, view: QListWidget, kind: type) -> None:
        item = view.currentItem()
        if item is not None:
            self._call(svc.REVIEW_ENTITIES[kind], svc.remove, kind, item.data(Qt.ItemDataRole.UserRole))

    def _call(self, entity: str, fn, *args, **kwargs) -> bool:
        if self.detail is None or self.ctx.workspace is None:
            return False
        try:
            fn(self.ctx.workspace, *args, **kwargs)
        except Exception as error:  # a user mistake is shown as its sentence, a bug with details
            report_exception(error)
            return False
        self.changed.emit(entity)
        return True


class ActionsPanel(QWidget):
    """The review's improvement backlog: carried-over and new actions, raise one, change one's status."""

    changed = Signal(str)

    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.detail: ReviewDetail | None = None
        self.table = TablePanel(_backlog_columns(), placeholder="Filter actions", stretch=1)
        self.text, self.owner = QLineEdit(placeholderText="What is to be done"), QLineEdit(placeholderText="Owner")
        self.has_due = QCheckBox("due")
        self.due = DateField(local_today() + timedelta(days=30))
        self.due.setMaximumWidth(140)
        self.target = QComboBox(minimumContentsLength=16)  # long target names are elided
        self.target.setMinimumWidth(160)
        self.target.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.breach = QLineEdit(placeholderText="breach period, e.g. 2026-09")
        self.breach.setMaximumWidth(170)
        add = QPushButton("Raise action")
        add.clicked.connect(self.add_action)
        self.status = QComboBox()
        self.status.addItems([s.value for s in ActionStatus])
        self.progress_note = QLineEdit(placeholderText="Progress note")
        update = QPushButton("Update action")
        update.clicked.connect(self.update_action)
        ctx.gate(add, Permission.EDIT)
        ctx.gate(update, Permission.EDIT)
        form = QFormLayout()
        raise_row, raise_more = QHBoxLayout(), QHBoxLayout()  # two rows: the pane fits beside the list
        raise_row.addWidget(self.text, 2)
        raise_row.addWidget(self.owner, 1)
        for widget in (self.has_due, self.due, self.target, self.breach, add):
            raise_more.addWidget(widget)
        status_row = QHBoxLayout()
        for widget in (self.status, self.progress_note, update):
            status_row.addWidget(widget, 1 if widget is self.progress_note else 0)
        form.addRow("New action:", raise_row)
        form.addRow("", raise_more)
        form.addRow("Selected action:", status_row)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addLayout(form)
        self.table.current_changed.connect(self._on_current)

    def show_detail(self, detail: ReviewDetail | None, targets: dict[int, str]) -> None:
        self.detail = detail
        self.setEnabled(detail is not None)
        wanted = getattr(self.table.current(), "action", None)
        self.table.set_rows(list(detail.backlog) if detail else [],
                            keep=lambda i: wanted is not None and i.action.id == wanted.id)
        self.target.clear()
        self.target.addItem("(no target)", None)
        for target_id, name in sorted(targets.items(), key=lambda kv: kv[1]):
            self.target.addItem(name, target_id)

    def _on_current(self, item: BacklogItem | None) -> None:
        if item is not None:
            self.status.setCurrentText(item.action.status.value)
            self.progress_note.setText(item.action.note)

    def _due(self) -> date | None | bool:
        """The due date typed (None: no due date); False when it is wrong: the field is marked, and the sentence
        says why; nothing is stored."""
        try:
            return self.due.value() if self.has_due.isChecked() else None
        except ValueError as error:
            self.due.mark(str(error))
            dialogs.warn(self, f"The action was not raised: its due date is wrong. {error}")
            return False

    def add_action(self) -> None:
        if self.detail is None or (due := self._due()) is False:
            return
        if self._call("improvement_action", svc.add_action, self.detail.review.id, self.text.text(),
                      owner=self.owner.text(), due_on=due, target_id=self.target.currentData(),
                      breach_period=self.breach.text().strip()):
            self.text.clear()
            self.breach.clear()

    def update_action(self) -> None:
        item: BacklogItem | None = self.table.current()
        if item is None:
            return
        changed = replace(item.action, status=ActionStatus(self.status.currentText()),
                          note=self.progress_note.text().strip())
        self._call("improvement_action", svc.update_action, changed, on=local_today())

    def _call(self, entity: str, fn, *args, **kwargs) -> bool:
        if self.ctx.workspace is None:
            return False
        try:
            fn(self.ctx.workspace, *args, **kwargs)
        except StaleRecordError as error:  # someone else changed the action since the list showed it
            if dialogs.offer_reload(self, str(error)):
                self.changed.emit(entity)  # the review reloads, showing the action as it is now
            return False
        except Exception as error:  # a user mistake is shown as its sentence, a bug with details
            report_exception(error)
            return False
        self.changed.emit(entity)
        return True


def _backlog_columns() -> list[Column]:
    return [Column("Action", lambda i: i.action.ref), Column("What", lambda i: i.action.text, tooltip=True),
            Column("Owner", lambda i: i.action.owner),
            Column("Due", lambda i: i.action.due_on,
                   color=lambda i: OVERDUE if i.action.overdue(local_today()) else None),
            Column("Status", lambda i: i.action.status.value,
                   color=lambda i: STATUS_COLOURS[i.action.status.value]),
            Column("Effect", lambda i: i.effect, display=lambda i: i.effect.partition(":")[0], tooltip=True,
                   color=lambda i: EFFECT_COLOURS.get(i.effect.partition(":")[0])),
            Column("Target", lambda i: i.target + (f" ({i.action.breach_period})" if i.action.breach_period
                                                   else "")),
            Column("On this review", lambda i: "carried over" if i.carried else "new"),
            Column("Closed", lambda i: i.action.closed_on),
            Column("Note", lambda i: i.action.note, tooltip=True)]

