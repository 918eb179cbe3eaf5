"""Import wizard (file -> sheets -> header row -> mapping -> preview -> confirm) and the export dialog.

Reading the workbook and storing the result run on worker threads with progress; the handlers here
only read widgets, start an operation and show what came back.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QHeaderView, QLabel, QTableWidget, QTableWidgetItem, QWidget, QWizard

from importers.questionnaires import read_questionnaire
from sltdesk.domain.questionnaires import QuestionnaireFile
from sltdesk.errors import SltDeskError
from sltdesk.services.questionnaires import ImportOutcome
from sltdesk.services.questionnaires import import_questionnaire as store_import
from ui.context import WorkspaceContext, local_today
from ui.errors import report_exception
from ui.questionnaire_wizard_pages import (
    CONFIRM,
    FILE,
    HEADER,
    MAPPING,
    PREVIEW,
    SHEET,
    TEMPLATE_ONLY,
    BusyPage,
    FilePage,
    HeaderPage,
    MappingPage,
    SheetPage,
    choose_workbook,
    wizard_of,
    wrapped_list,
)
from ui.workers import Worker, start

__all__ = ["ImportWizard", "choose_workbook"]


class PreviewPage(BusyPage):
    def __init__(self):
        super().__init__("Preview")
        self.summary = QLabel(wordWrap=True)
        self.table = QTableWidget(columnCount=4)
        self.table.setWordWrap(False)
        self.table.setHorizontalHeaderLabels(["ID", "Section", "Question", "Answer"])
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.findings = wrapped_list()
        for widget, stretch in ((self.summary, 0), (self.table, 3), (self.findings, 1)):
            self.layout_.addWidget(widget, stretch)

    def initializePage(self) -> None:
        wizard = wizard_of(self)
        self.table.setRowCount(0)
        self.findings.clear()
        self.summary.clear()
        options: dict[str, Any] = {}
        if not wizard.sheet_page.is_ours():
            sheets = wizard.sheet_page.chosen_sheets()
            rows = {s.name: s.header_row for s in sheets[1:]} | {sheets[0].name: wizard.header_page.row.value()}
            options = {"sheets": [s.name for s in sheets], "header_row": rows,
                       "mapping": wizard.mapping_page.mapping(),
                       "blank_weight": wizard.mapping_page.blank_weight.currentData()}
        self.run(read_questionnaire, Path(wizard.file_page.path.text().strip()), progress=True, **options)

    def delivered(self, parsed: QuestionnaireFile) -> None:
        t = parsed.template
        sheets = f" from {len(parsed.sheets)} sheets" if len(parsed.sheets) > 1 else ""
        critical = sum(1 for q in t.questions if q.criticality == "critical")
        self.summary.setText(f"{len(t.questions)} questions{sheets} in {len(t.sections)} sections "
                             f"({', '.join(s.code for s in t.sections[:12])}); {parsed.answered} answered; "
                             f"{critical} critical.")
        answers = {a.question: a.answer for a in parsed.answers}
        shown = t.questions[:500]
        self.table.setRowCount(len(shown))
        for r, q in enumerate(shown):
            for c, text in enumerate((q.code, q.section, q.text, answers.get(q.code, ""))):
                self.table.setItem(r, c, QTableWidgetItem(text))
        self.table.resizeColumnToContents(0)
        self.table.resizeColumnToContents(1)
        for f in parsed.findings:
            self.findings.addItem(f"{f.severity}{f' row {f.row}' if f.row else ''}: {f.message}")


class ConfirmPage(BusyPage):
    """Checks the import without storing it (a dry run), so its warnings are seen before Finish."""

    def __init__(self):
        super().__init__("Store it")
        self.text = QLabel(wordWrap=True)
        self.warnings = wrapped_list()
        self.layout_.addWidget(self.text)
        self.layout_.addWidget(self.warnings, 1)

    def initializePage(self) -> None:
        wizard = wizard_of(self)
        self.text.clear()
        self.warnings.clear()
        if wizard.ctx.workspace is None:
            return
        self.run(store_import, wizard.ctx.workspace, wizard.preview_page.result, supplier=wizard.supplier() or None,
                 as_template=wizard.template_name() or None, today=local_today(), dry_run=True)

    def delivered(self, outcome: ImportOutcome) -> None:
        wizard = wizard_of(self)
        parsed: QuestionnaireFile = wizard.preview_page.result
        t = outcome.template
        supplier = wizard.supplier() or parsed.supplier_name
        answered = outcome.card.answered if outcome.card else 0
        what = (f"an assessment of {supplier} with {answered} answers" if outcome.assessment is not None
                else "no assessment (no supplier chosen or no answers)")
        where = (f"attaches to template '{t.name}' version {t.version}" if outcome.difference is not None else
                 f"stores template '{t.name}' version {t.version}" if outcome.template_is_new else
                 f"uses template '{t.name}' version {t.version}, already stored")
        self.text.setText(f"Finish {where} and {what}, in one step that is recorded in the audit trail.")
        for f in outcome.findings:
            if f.severity != "info":
                self.warnings.addItem(f"{f.severity}{f' ({f.sheet})' if f.sheet else ''}: {f.message}")

    def isComplete(self) -> bool:
        return self.result is not None


class ImportWizard(QWizard):
    FILE, SHEET, HEADER, MAPPING, PREVIEW, CONFIRM = FILE, SHEET, HEADER, MAPPING, PREVIEW, CONFIRM

    def __init__(self, ctx: WorkspaceContext, suppliers: list[str], parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Import questionnaire")
        self.resize(860, 620)
        self.file_page, self.sheet_page, self.header_page = FilePage(suppliers), SheetPage(), HeaderPage()
        self.mapping_page, self.preview_page, self.confirm_page = MappingPage(), PreviewPage(), ConfirmPage()
        for page_id, page in enumerate((self.file_page, self.sheet_page, self.header_page, self.mapping_page,
                                        self.preview_page, self.confirm_page)):
            self.setPage(page_id, page)
        self.outcome: ImportOutcome | None = None

    def supplier(self) -> str:
        text = self.file_page.supplier.currentText()
        return "" if text == TEMPLATE_ONLY else text

    def template_name(self) -> str:
        return self.file_page.template_name.text().strip()

    def accept(self) -> None:
        """Finish: store in the background; close when stored, stay open with the reason when refused."""
        if self.ctx.workspace is None:
            return
        self.button(QWizard.WizardButton.FinishButton).setEnabled(False)
        self.confirm_page.text.setText("Storing…")
        worker = Worker(store_import, self.ctx.workspace, self.preview_page.result, supplier=self.supplier() or None,
                        as_template=self.template_name() or None, today=local_today())
        worker.signals.finished.connect(self._stored)
        worker.signals.failed.connect(self._refused)
        start(worker)

    def _stored(self, outcome: ImportOutcome) -> None:
        self.outcome = outcome
        self.ctx.notify_changed("questionnaire_assessment")
        super().accept()

    def _refused(self, error: BaseException) -> None:
        self.button(QWizard.WizardButton.FinishButton).setEnabled(True)
        if isinstance(error, SltDeskError):
            self.confirm_page.text.setText(str(error))
        else:
            report_exception(error)
