"""Templates tab: every template version, its questions, and edits saved as a new version."""

from __future__ import annotations

import dataclasses
from decimal import Decimal, InvalidOperation
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from sltdesk.domain.questionnaires import Question, QuestionCriticality, QuestionnaireTemplate
from sltdesk.domain.team import Permission
from sltdesk.errors import SltDeskError
from sltdesk.services.questionnaires import save_template
from ui import dialogs
from ui.context import WorkspaceContext
from ui.errors import report_exception
from ui.table_model import Column
from ui.table_panel import TablePanel
from ui.workers import run_in_background


def template_columns() -> list[Column]:
    return [
        Column("Name", "name"),
        Column("Version", "version"),
        Column("Title", "title"),
        Column("Questions", lambda t: len(t.questions)),
        Column("Sections", lambda t: ", ".join(s.code for s in t.sections), tooltip=True),
        Column("Created (UTC)", "created_at"),
        Column("Source", "source", tooltip=True),
    ]


def question_columns(template: QuestionnaireTemplate | None) -> list[Column]:
    return [
        Column("ID", "code"),
        Column("Section", "section"),
        Column("Question", "text", tooltip=True),
        Column("Weight", "weight"),
        Column("Criticality", lambda q: q.criticality.value),
        Column("Evidence", lambda q: "yes" if q.evidence_requested else ""),
        Column("Scale", lambda q: q.scale.kind.value),
    ]


class TemplatesPanel(QWidget):
    """Browse versions; change a question's weight, criticality, evidence flag or guidance; save a version."""

    def __init__(self, ctx: WorkspaceContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.edits: dict[str, Question] = {}
        self.versions = TablePanel(template_columns(), placeholder="Filter templates", stretch=2)
        self.questions = TablePanel(question_columns(None), placeholder="Filter questions", stretch=2)
        self.questions.setMinimumWidth(700)
        self.versions.current_changed.connect(self._show_template)
        self.questions.current_changed.connect(self._show_question)
        self.weight = QLineEdit()
        self.criticality = QComboBox()
        self.criticality.addItems([c.value for c in QuestionCriticality])
        self.evidence = QCheckBox("Evidence requested")
        self.guidance = QLineEdit()
        self.apply_button = QPushButton("Apply to question")
        self.apply_button.clicked.connect(self.apply_edit)
        self.save_button = QPushButton("Save as new version")
        self.save_button.clicked.connect(self.save_version)
        ctx.gate(self.apply_button, Permission.EDIT)
        ctx.gate(self.save_button, Permission.EDIT)
        self.pending = QLabel()
        layout = QVBoxLayout(self)
        splitter = QSplitter()
        splitter.addWidget(self.versions)
        splitter.addWidget(self.questions)
        splitter.setStretchFactor(1, 2)
        layout.addWidget(splitter, 1)
        self.detail = QLabel(wordWrap=True)
        layout.addWidget(self.detail)
        form = QFormLayout()
        form.addRow("Weight", self.weight)
        form.addRow("Criticality", self.criticality)
        form.addRow("", self.evidence)
        form.addRow("Guidance", self.guidance)
        layout.addLayout(form)
        buttons = QHBoxLayout()
        buttons.addWidget(self.pending, 1)
        buttons.addWidget(self.apply_button)
        buttons.addWidget(self.save_button)
        layout.addLayout(buttons)
        self._update_pending()

    def show_templates(self, templates: list[QuestionnaireTemplate]) -> None:
        wanted = self.current_template()
        key = (wanted.name, wanted.version) if wanted else None
        self.versions.set_rows(templates, keep=lambda t: (t.name, t.version) == key)
        if self.versions.current() is None and templates:
            self.versions.select(lambda t: True)

    def current_template(self) -> QuestionnaireTemplate | None:
        return self.versions.current()

    def _show_template(self, template: QuestionnaireTemplate | None) -> None:
        self.edits.clear()
        self.questions.set_rows(list(template.questions) if template else [])
        self._update_pending()

    def _show_question(self, q: Question | None) -> None:
        q = self.edits.get(q.code, q) if q else None
        for widget in (self.weight, self.criticality, self.evidence, self.guidance, self.apply_button):
            widget.setEnabled(q is not None)
        self.weight.setText(str(q.weight) if q else "")
        self.criticality.setCurrentText(q.criticality.value if q else "standard")
        self.evidence.setChecked(bool(q and q.evidence_requested))
        self.guidance.setText(q.guidance if q else "")
        options = "\n".join(f"    {o.label}: {o.description}" if o.description else f"    {o.label}"
                             for o in q.scale.options) if q else ""
        self.detail.setText(f"{q.code}  {q.text}\n{options}" if q else "")

    def apply_edit(self) -> None:
        q = self.questions.current()
        weight = typed_weight(self.weight.text())
        if q is None or weight is None:
            if q is not None:
                dialogs.warn(self, "Enter a weight of 0 or more, e.g. 1 or 2.5 (0: the question is not scored).")
            return
        edited = dataclasses.replace(q, weight=weight, criticality=QuestionCriticality(self.criticality.currentText()),
                                     evidence_requested=self.evidence.isChecked(), guidance=self.guidance.text())
        self._keep(q, edited)

    def _keep(self, question: Any, edited: Any) -> None:
        """Remember an edited question (or forget the edit when it is back to what it was)."""
        if edited == question:
            self.edits.pop(question.code, None)
        else:
            self.edits[question.code] = edited
        self._update_pending()

    def edited_template(self) -> QuestionnaireTemplate | None:
        template = self.current_template()
        if template is None or not self.edits:
            return None
        questions = tuple(self.edits.get(q.code, q) for q in template.questions)
        return dataclasses.replace(template, questions=questions, source=f"edited from version {template.version}")

    def save_version(self) -> None:
        edited = self.edited_template()
        if edited is None or self.ctx.workspace is None:
            return
        self.save_button.setEnabled(False)
        run_in_background(save_template, self.ctx.workspace, edited, on_done=self._saved, on_error=self._failed)

    def _saved(self, stored: QuestionnaireTemplate) -> None:
        self.edits.clear()
        self._update_pending()
        self.pending.setText(f"Saved {stored.name} version {stored.version}.")
        self.ctx.notify_changed("questionnaire_template")

    def _failed(self, error: BaseException) -> None:
        self._update_pending()
        if isinstance(error, SltDeskError):
            dialogs.warn(self, str(error))
        else:
            report_exception(error)

    def _update_pending(self) -> None:
        count = len(self.edits)
        self.save_button.setEnabled(count > 0)
        self.pending.setText(f"{count} question(s) changed; save them as a new version — assessments keep the "
                             "version they answered." if count else "Select a question to change its weight, "
                             "criticality, evidence flag or guidance.")


def typed_weight(text: str) -> Decimal | None:
    """A question weight as typed ("2,5" too); None when it is not a number of 0 or more."""
    try:
        weight = Decimal(text.strip().replace(",", "."))
    except InvalidOperation:
        return None
    return weight if weight.is_finite() and weight >= 0 else None
