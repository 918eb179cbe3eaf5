"""A register page: filterable table on the left, the selected record's form on the right."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QComboBox, QPushButton, QScrollArea, QSplitter, QVBoxLayout, QWidget

from sltdesk.domain.team import Permission
from sltdesk.errors import SltDeskError, StaleRecordError, ValidationError
from sltdesk.services.register import get_record
from ui import dialogs
from ui.context import WorkspaceContext
from ui.forms import Editor, FormErrors, RecordForm
from ui.pages.base import Page
from ui.table_model import Column
from ui.table_panel import TablePanel
from ui.undo import label, remove_record, save_record
from ui.unsaved import Edits, may_leave


class _Stored(Protocol):
    @property
    def id(self) -> int | None: ...


S = TypeVar("S", bound=_Stored)


def by_id(records: Iterable[S]) -> dict[int, S]:
    """Stored records by their id (a stored record always has one)."""
    return {r.id: r for r in records if r.id is not None}


@dataclass(frozen=True)
class RegisterData:
    """What a register page loads: table rows, the full records by id, and lookups for the form."""

    rows: list[Any]
    records: dict[int, Any]
    lookups: dict[str, Any] = dataclasses.field(default_factory=dict)


class RegisterPage(Page):
    """Create, edit and delete records of `kind`; every change goes through the undo stack."""

    kind: type[Any] = object
    noun = "record"
    stretch = 1  # the column that takes the table's spare width (the name or title)

    def __init__(self, ctx: WorkspaceContext, parent: QWidget | None = None):
        super().__init__(ctx, parent)
        self.data = RegisterData([], {})
        self.before: Any | None = None  # the stored record the form edits; None for a new one
        self._select_id: int | None = None
        self._asking = False  # the unsaved-edits question is open: selection changes meanwhile are ours
        self.table = TablePanel(self.columns(), placeholder=f"Filter {self.title.lower()}", stretch=self.stretch)
        self.form = RecordForm(f"{self.noun.capitalize()}", self.fields())
        self.form.save_requested.connect(self.save)
        self.form.revert_button.clicked.connect(self.revert)
        self.table.current_changed.connect(self._show_row)
        self._add_buttons()
        self.body.addWidget(self._split(), 1)
        self._show_row(None)

    # --- what subclasses provide -------------------------------------------------------------
    def columns(self) -> list[Column]:
        raise NotImplementedError

    def fields(self) -> list[tuple[str, str, Editor]]:
        raise NotImplementedError

    def new_values(self) -> dict[str, Any]:
        """The values a new record starts with."""
        return {}

    def apply_lookups(self, lookups: dict[str, Any]) -> None:
        """Fill combo boxes from freshly loaded data (e.g. the suppliers a contract can name)."""

    def details(self) -> QWidget | None:
        """An optional widget under the form (e.g. a contract's targets)."""
        return None

    def describe(self, record: Any) -> str:
        text = label(record)
        return text[:1].upper() + text[1:]

    # --- behaviour --------------------------------------------------------------------------
    def show_data(self, data: RegisterData | None) -> None:
        self.data = data or RegisterData([], {})
        self.apply_lookups(self.data.lookups)
        wanted = self._select_id if self._select_id is not None else getattr(self.before, "id", None)
        self._select_id = None
        self.table.set_rows(self.data.rows, keep=lambda row: row.id == wanted)

    def select_record(self, record_id: int) -> None:
        """Show a record's form (now, or as soon as the list has loaded)."""
        if self.loading or not self.table.select(lambda row: row.id == record_id):
            self._select_id = record_id

    def new_record(self) -> None:
        """Ctrl+N: an empty form for a new record (after asking about unsaved typing)."""
        if self.ctx.workspace is None or not self.may_leave():
            return
        self.table.view.selectionModel().clear()
        self.before = None
        self.form.load(self.new_values(), heading=f"New {self.noun}")
        self.form.set_dirty(True)
        self.form.delete_button.setEnabled(False)
        self.form.setEnabled(True)
        next(iter(self.form.editors.values())).widget.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _edited_record(self) -> Any:
        """The record as the form has it (FormErrors when a field cannot be read)."""
        values = self.form.read()
        return dataclasses.replace(self.before, **values) if self.before else self.kind(**values)

    def _refused(self, error: SltDeskError | FormErrors) -> None:
        """Field errors beside the fields; a record changed by someone else offers to reload; else a sentence."""
        if isinstance(error, (ValidationError, FormErrors)):
            self.form.show_errors(error.fields)
        elif isinstance(error, StaleRecordError):  # someone else saved this record since the form showed it
            if dialogs.offer_reload(self, str(error)):
                self.reload_record()
        else:
            dialogs.warn(self, str(error))

    def save(self) -> bool:
        """Ctrl+S: store the form; messages appear beside the fields when the record is invalid."""
        if self.ctx.workspace is None or not self.form.isEnabled():
            return False
        try:
            stored = save_record(self.ctx, self.before, self._edited_record())
        except (SltDeskError, FormErrors) as error:
            self._refused(error)
            return False
        self._select_id = stored.id
        self._load_form(stored)
        return True

    def reload_record(self) -> None:
        """Show the stored record as it is now (the typing is dropped), and refresh the list around it."""
        if self.before is None or self.ctx.workspace is None:
            return
        try:
            current = get_record(self.ctx.workspace, self.kind, self.before.id)
        except SltDeskError as error:  # deleted meanwhile
            dialogs.warn(self, str(error))
            self.before = None
            self.form.set_dirty(False)
        else:
            self._select_id = current.id
            self._load_form(current)
        self.reload()

    def revert(self) -> None:
        """Discard the typing: back to the stored record (or to nothing, for a new one)."""
        if self.before is not None:
            self._load_form(self.before)
        else:
            self.form.set_dirty(False)
            self._show_row(self.table.current())

    def delete_current(self) -> None:
        """Del: delete the selected record after the user confirmed."""
        record = self.before
        if record is None or self.ctx.workspace is None or not dialogs.confirm(
                self, f"Delete {label(record)}? You can undo this with Ctrl+Z.", action="Delete"):
            return
        try:
            remove_record(self.ctx, record)
        except SltDeskError as error:
            dialogs.warn(self, str(error))
            return
        self.before = None

    def focus_filter(self) -> None:
        self.table.focus_filter()

    # --- unsaved typing -----------------------------------------------------------------------
    def pending_edits(self) -> list[Edits]:
        """The forms of this page whose typing would be lost on leaving it."""
        return [Edits(what=self._what, dirty=lambda: self.form.dirty and self.form.isEnabled(), save=self.save,
                      discard=self._discard)]

    def may_leave(self) -> bool:
        """Before the page is left: save, discard or keep (False) unsaved typing."""
        return self._asking or may_leave(self, self.pending_edits())

    def _what(self) -> str:
        return f"{label(self.before)}" if self.before is not None else f"the new {self.noun}"

    def _discard(self) -> None:
        self.revert()

    def _leave_for(self, row: Any | None) -> bool:
        """The user chose another row with typing unsaved: True to show that row, False to stay (the edited row is
        selected again)."""
        self._asking = True
        try:
            go_on = may_leave(self, self.pending_edits())
        finally:
            self._asking = False
        if not go_on:
            edited = getattr(self.before, "id", None)
            self._asking = True  # the selection goes back to the edited row; the form keeps the typing
            try:
                self.table.select(lambda r: edited is not None and r.id == edited)
            finally:
                self._asking = False
            return False
        self._select_id = getattr(row, "id", None)  # a save reloads the list: stay on the row chosen
        return True

    def _show_row(self, row: Any | None) -> None:
        record = self.data.records.get(row.id) if row is not None else None
        if not self._may_show(record, row):
            return
        if record is None:
            self.before = None
            self.form.load(self.new_values(), heading=f"No {self.noun} selected")
            self.form.setEnabled(False)
            return
        self._load_form(record)

    def _may_show(self, record: Any | None, row: Any | None) -> bool:
        """Whether selecting `row` may replace the form: not while the list reloads under unsaved typing (keep
        what the user typed, and the version it started from, so that a save over someone else's change is
        refused rather than overwriting it), nor while the unsaved-edits question is open, nor when the user
        stays with their typing."""
        if self.form.dirty and self.form.isEnabled() and _same(record, self.before):
            return False
        if self._asking:
            return False
        return _same(record, self.before) or not any(e.dirty() for e in self.pending_edits()) or self._leave_for(row)

    def _load_form(self, record: Any) -> None:
        self.before = record
        self.form.setEnabled(True)
        self.form.load({f.name: getattr(record, f.name) for f in dataclasses.fields(record)},
                       heading=self.describe(record))
        self.form.delete_button.setEnabled(True)

    def _add_buttons(self) -> None:
        self.new_button = QPushButton(f"New {self.noun}")
        self.new_button.setToolTip(f"Create a {self.noun} (Ctrl+N)")
        self.new_button.clicked.connect(self.new_record)
        self.actions_row.addWidget(self.new_button)
        self.form.delete_button.setToolTip(f"Delete this {self.noun} (Del in the table)")
        self.form.delete_requested.connect(self.delete_current)
        delete = QAction("Delete", self.table.view, shortcut=QKeySequence(QKeySequence.StandardKey.Delete))
        delete.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        delete.triggered.connect(self.delete_current)
        self.table.view.addAction(delete)
        for control in (self.new_button, self.form.save_button, self.form.delete_button, delete):
            self.ctx.gate(control, Permission.EDIT)

    def _split(self) -> QSplitter:
        scroll = QScrollArea(widgetResizable=True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        side = QWidget()
        column = QVBoxLayout(side)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.form)
        extra = self.details()
        if extra is not None:
            column.addWidget(extra, 1)
        else:
            column.addStretch(1)
        scroll.setWidget(side)
        scroll.setMinimumWidth(300)
        splitter = QSplitter(Qt.Orientation.Horizontal, childrenCollapsible=False)
        splitter.addWidget(self.table)
        splitter.addWidget(scroll)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 0)
        for combo in side.findChildren(QComboBox):  # a long choice is elided rather than widening the side past
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(8)  # its view, once opened, still shows the whole choices
        # no narrower than its form can be without cutting fields off behind a horizontal scroll bar
        splitter.setSizes([1000, max(300, side.minimumSizeHint().width() + scroll.verticalScrollBar().sizeHint().width()
                                     + 4)])
        return splitter


def _same(record: Any | None, before: Any | None) -> bool:
    """Both none (a new record), or two versions of the same stored record."""
    if record is None or before is None:
        return record is None and before is None
    return record.id == before.id
