"""The Clauses tab of the Penalties page: a contract's credit clauses in words; apply a template, edit the
clauses as a JSON clause file, remove one. Every change goes through the audited services."""

from __future__ import annotations

import json

from PySide6.QtCore import Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from sltdesk.domain.team import Permission
from sltdesk.errors import SltDeskError
from sltdesk.services.clause_templates import ClauseTemplate, apply_template, clauses_from_file, clauses_to_file
from sltdesk.services.penalties import ClauseView, add_clauses, remove_clause
from ui import dialogs
from ui.context import WorkspaceContext
from ui.errors import report_exception
from ui.table_model import Column
from ui.table_panel import TablePanel
from ui.workers import run_in_background

ERROR_STYLE = "color: #b3261e;"


def clause_columns() -> list[Column]:
    return [Column("Id", lambda v: v.clause.id), Column("Kind", "kind"),
            Column("Target", lambda v: v.target or "(whole contract)"), Column("Terms", "text", tooltip=True),
            Column("Source", lambda v: v.clause.source, tooltip=True)]


class ClausesPanel(QWidget):
    """The clauses of the contract chosen on the page."""

    changed = Signal()

    def __init__(self, ctx: WorkspaceContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.contract = ""
        self.views: list[ClauseView] = []
        self.templates: list[ClauseTemplate] = []
        self.table = TablePanel(clause_columns(), placeholder="Filter clauses", stretch=3)
        self.status = QLabel(wordWrap=True)
        self.apply_button = QPushButton("Apply template…")
        self.apply_button.setToolTip("Add a ready clause set (with its source)")
        self.edit_button = QPushButton("Edit as clause file…")
        self.edit_button.setToolTip("Edit every clause of the contract as JSON")
        self.remove_button = QPushButton("Remove clause")
        self.remove_button.setToolTip("Remove the selected clause (audited)")
        self.apply_button.clicked.connect(self.open_template_dialog)
        self.edit_button.clicked.connect(self.open_editor)
        self.remove_button.clicked.connect(self.remove_selected)
        for button in (self.apply_button, self.edit_button, self.remove_button):
            ctx.gate(button, Permission.EDIT)
        buttons = QHBoxLayout()
        for button in (self.apply_button, self.edit_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        layout.addWidget(self.table, 1)

    def show_clauses(self, contract: str, views: list[ClauseView], templates: list[ClauseTemplate]) -> None:
        self.contract, self.views, self.templates = contract, views, templates
        self.table.set_rows(views)
        for button in (self.apply_button, self.edit_button):
            button.setEnabled(bool(contract))
        self.remove_button.setEnabled(bool(views))

    # --- actions ---------------------------------------------------------------------------------
    def open_template_dialog(self) -> None:
        dialog = TemplateDialog(self.templates, self.contract, parent=self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self._run(apply_template, self.ctx.workspace, self.contract, dialog.template().name,
                  replace_existing=dialog.replace.isChecked(), done=self._applied)

    def _applied(self, outcome) -> None:
        slots, stored = outcome
        filled = ", ".join(f"{slot} → {name}" for slot, name in slots.items())
        self._done(f"Added {len(stored)} clauses ({filled}).")

    def open_editor(self) -> None:
        text = json.dumps(clauses_to_file(self.views, self.contract), indent=2, ensure_ascii=False)
        dialog = ClauseFileDialog(text, self.contract, parent=self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self._run(_replace_from_text, self.ctx.workspace, self.contract, dialog.editor.toPlainText(),
                  done=lambda stored: self._done(f"Stored {len(stored)} clauses for {self.contract}."))

    def remove_selected(self) -> None:
        view: ClauseView | None = self.table.current()
        if view is None:
            return
        if not dialogs.confirm(self, f"Remove the {view.kind} clause ({view.text}) from {self.contract}?",
                               title="Remove clause", action="Remove"):
            return
        self._run(remove_clause, self.ctx.workspace, view.clause.id,
                  done=lambda clause: self._done(f"Removed the {clause.kind.value} clause."))

    def _run(self, fn, *args, done, **kwargs) -> None:
        self.status.setStyleSheet("")
        self.status.setText("Saving…")
        run_in_background(fn, *args, on_done=done, on_error=self._failed, **kwargs)

    def _done(self, message: str) -> None:
        self.status.setText(message)
        self.ctx.notify_changed("credit_clause")
        self.changed.emit()

    def _failed(self, error: BaseException) -> None:
        self.status.setStyleSheet(ERROR_STYLE)
        if isinstance(error, SltDeskError):
            self.status.setText(f"Nothing was changed: {error}")
        else:
            self.status.setText("Nothing was changed.")
            report_exception(error)


def _replace_from_text(ws, contract: str, text: str):
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise SltDeskError(f"The clause file is not valid JSON (line {error.lineno}: {error.msg}).") from None
    return add_clauses(ws, contract, clauses_from_file(ws, contract, document), replace_existing=True,
                       action="edit-clauses")


class TemplateDialog(QDialog):
    def __init__(self, templates: list[ClauseTemplate], contract: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(f"Apply a clause template to {contract}")
        self.templates = templates
        self.choice = QComboBox()
        for t in templates:
            self.choice.addItem(t.title, t.name)
        self.about = QLabel(wordWrap=True)
        self.replace = QCheckBox("Replace the contract's clauses (otherwise the template's are added)")
        self.choice.currentIndexChanged.connect(self._describe)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (self.choice, self.about, self.replace, buttons):
            layout.addWidget(widget)
        self.resize(620, 300)
        self._describe()

    def template(self) -> ClauseTemplate:
        return self.templates[self.choice.currentIndex()]

    def _describe(self) -> None:
        if self.templates:
            t = self.template()
            self.about.setText(f"{t.description}\n\nSource: {t.citation} ({t.source.get('table_date', '')})\n"
                               f"Slots (filled with the first target of their metric): {', '.join(t.slots)}")


class ClauseFileDialog(QDialog):
    def __init__(self, text: str, contract: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(f"Clauses of {contract}")
        hint = QLabel('Each clause: "kind", "target" (a target name; none for the whole contract), "parameters" '
                      '(numbers as text, e.g. "99.95") and "source". A credit clause may say "tier_pricing": "each" or '
                      '"worse" (a core-hours tier\'s misses); a tiered credit "seasonal_bands": "15 Nov-15 Jan: '
                      '99.95=10%, 99.5=25%". Saving replaces all clauses of the contract.',
                      wordWrap=True)
        self.editor = QPlainTextEdit(text)
        self.editor.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addWidget(self.editor, 1)
        layout.addWidget(buttons)
        self.resize(760, 640)
