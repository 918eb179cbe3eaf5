"""Import wizard (file -> sheet -> header row -> mapping -> preview -> confirm) and the export dialog.

Reading the workbook and storing the result run on worker threads with progress; the handlers here
only read widgets, start an operation and show what came back.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from importers.questionnaire_sheets import FIELDS, SheetPreview, column_letter, previews, suggest_mapping
from importers.questionnaires import read_questionnaire
from sltdesk.domain.questionnaires import FILLABLE_META_SHEET, QuestionnaireFile
from sltdesk.errors import SltDeskError
from sltdesk.services.questionnaires import ImportOutcome
from sltdesk.services.questionnaires import import_questionnaire as store_import
from ui.context import WorkspaceContext, local_today
from ui.errors import report_exception
from ui.workers import Worker, start

WORKBOOKS = "Workbooks (*.xlsx *.xlsm *.ods);;All files (*)"
TEMPLATE_ONLY = "(template only — no assessment)"


def choose_workbook(parent: QWidget | None) -> str:
    """A workbook to import, or "" (tests replace this function)."""
    return QFileDialog.getOpenFileName(parent, "Import questionnaire", "", WORKBOOKS)[0]


class _BusyPage(QWizardPage):
    """A page that runs one background operation and is complete when it has delivered."""

    def __init__(self, title: str):
        super().__init__()
        self.setTitle(title)
        self.progress = QProgressBar(visible=False)
        self.status = QLabel(wordWrap=True)
        self.result: Any = None
        self.worker: Worker | None = None
        self.layout_ = QVBoxLayout(self)
        self.layout_.addWidget(self.status)
        self.layout_.addWidget(self.progress)

    def run(self, fn: Any, *args: Any, progress: bool = False, **kwargs: Any) -> None:
        if self.worker is not None:
            self.worker.cancel()
        self.result = None
        self.progress.setVisible(True)
        self.progress.setRange(0, 100 if progress else 0)
        self.status.setText("Reading the workbook…")
        self.worker = Worker(fn, *args, progress=progress, **kwargs)
        self.worker.signals.progress.connect(self._on_progress)
        self.worker.signals.finished.connect(self._on_done)
        self.worker.signals.failed.connect(self._on_failed)
        start(self.worker)
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self.result is not None

    def delivered(self, result: Any) -> None:
        """Show what the operation returned (subclasses)."""

    def _on_progress(self, percent: int, message: str) -> None:
        self.progress.setValue(percent)
        self.status.setText(message)

    def _on_done(self, result: Any) -> None:
        self.worker = None
        self.progress.setVisible(False)
        self.result = result
        self.status.clear()
        self.delivered(result)
        self.completeChanged.emit()

    def _on_failed(self, error: BaseException) -> None:
        self.worker = None
        self.progress.setVisible(False)
        if isinstance(error, SltDeskError):
            self.status.setText(str(error))
        elif not type(error).__name__ == "Cancelled":
            report_exception(error)


class FilePage(QWizardPage):
    def __init__(self, suppliers: list[str]):
        super().__init__()
        self.setTitle("Choose the questionnaire workbook")
        self.setSubTitle("Our own fillable questionnaire is recognised; any other workbook is mapped in the next "
                         "steps. Title and introduction sheets are skipped.")
        self.path = QLineEdit(placeholderText="…/answers.xlsx")
        self.path.textChanged.connect(self.completeChanged)
        browse = QPushButton("Browse…")
        browse.clicked.connect(lambda: self.path.setText(choose_workbook(self) or self.path.text()))
        self.supplier = QComboBox()
        self.supplier.addItems([TEMPLATE_ONLY, *suppliers])
        self.template_name = QLineEdit(placeholderText="default: from the file name (foreign workbooks)")
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        form = QFormLayout(self)
        form.addRow("Workbook", row)
        form.addRow("Answers from supplier", self.supplier)
        form.addRow("Store as template", self.template_name)

    def isComplete(self) -> bool:
        return Path(self.path.text().strip()).is_file()


class SheetPage(_BusyPage):
    def __init__(self):
        super().__init__("Choose the sheet with the questions")
        self.sheets = QListWidget()
        self.sheets.currentRowChanged.connect(self.completeChanged)
        self.layout_.addWidget(self.sheets, 1)
        self._path = ""

    def initializePage(self) -> None:
        path = self.wizard().file_page.path.text().strip()
        if path != self._path:
            self._path = path
            self.sheets.clear()
            self.run(previews, Path(path))

    def delivered(self, found: list[SheetPreview]) -> None:
        best = max(range(len(found)), key=lambda i: (found[i].visible, found[i].score), default=-1)
        for sheet in found:
            note = " — hidden" if not sheet.visible else f" — header suggested on row {sheet.header_row}" \
                if sheet.header_row else ""
            self.sheets.addItem(f"{sheet.name}{note}")
        self.sheets.setCurrentRow(best)
        if self.is_ours():
            self.status.setText("This is an SLT Desk questionnaire: its questions, answers and the template "
                                "version are known. Continue to the preview.")

    def is_ours(self) -> bool:
        return any(s.name == FILLABLE_META_SHEET for s in self.result or [])

    def chosen(self) -> SheetPreview | None:
        row = self.sheets.currentRow()
        return self.result[row] if self.result and 0 <= row < len(self.result) else None

    def isComplete(self) -> bool:
        return self.result is not None and self.chosen() is not None

    def nextId(self) -> int:
        return ImportWizard.PREVIEW if self.is_ours() else ImportWizard.HEADER


class HeaderPage(QWizardPage):
    def __init__(self):
        super().__init__()
        self.setTitle("Which row holds the column headers?")
        self.table = QTableWidget(wordWrap=False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setDefaultSectionSize(170)
        self.row = QSpinBox(minimum=1, maximum=40)
        self.table.currentCellChanged.connect(lambda r, *_: self.row.setValue(r + 1))
        layout = QVBoxLayout(self)
        form = QFormLayout()
        form.addRow("Header row", self.row)
        layout.addLayout(form)
        layout.addWidget(self.table, 1)

    def initializePage(self) -> None:
        sheet = self.wizard().sheet_page.chosen()
        rows = sheet.rows if sheet else ()
        width = max((len(r) for r in rows), default=0)
        self.table.setRowCount(len(rows))
        self.table.setColumnCount(width)
        self.table.setHorizontalHeaderLabels([column_letter(i) for i in range(width)])
        for r, cells in enumerate(rows):
            for c, text in enumerate(cells):
                self.table.setItem(r, c, QTableWidgetItem(text[:200]))
        self.row.setValue(max(sheet.header_row, 1) if sheet else 1)

    def headers(self) -> list[str]:
        sheet = self.wizard().sheet_page.chosen()
        index = self.row.value() - 1
        return list(sheet.rows[index]) if sheet and index < len(sheet.rows) else []


class MappingPage(QWizardPage):
    def __init__(self):
        super().__init__()
        self.setTitle("Which column holds what?")
        self.setSubTitle("Without a section column, sections come from the id prefix (A&A-01.1 → A&A).")
        self.combos = {name: QComboBox() for name in FIELDS}
        form = QFormLayout(self)
        for name, combo in self.combos.items():
            form.addRow(name.replace("_", " ").capitalize(), combo)

    def initializePage(self) -> None:
        headers = self.wizard().header_page.headers()
        try:
            suggested = suggest_mapping(headers)
        except SltDeskError:
            suggested = {}
        for name, combo in self.combos.items():
            combo.clear()
            combo.addItem("(none)", "")
            for i, header in enumerate(headers):
                combo.addItem(f"{column_letter(i)}: {header[:60]}", column_letter(i))
            combo.setCurrentIndex(suggested[name] + 1 if name in suggested else 0)

    def mapping(self) -> dict[str, str]:
        """Every field, mapped to a letter or to "" (none), so the import does not guess again."""
        return {name: combo.currentData() or "" for name, combo in self.combos.items()}

    def isComplete(self) -> bool:
        return bool(self.combos["question"].currentData())


class PreviewPage(_BusyPage):
    def __init__(self):
        super().__init__("Preview")
        self.summary = QLabel(wordWrap=True)
        self.table = QTableWidget(columnCount=4, wordWrap=False)
        self.table.setHorizontalHeaderLabels(["ID", "Section", "Question", "Answer"])
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.findings = QListWidget()
        for widget, stretch in ((self.summary, 0), (self.table, 3), (self.findings, 1)):
            self.layout_.addWidget(widget, stretch)

    def initializePage(self) -> None:
        wizard = self.wizard()
        self.table.setRowCount(0)
        self.findings.clear()
        self.summary.clear()
        options: dict[str, Any] = {}
        if not wizard.sheet_page.is_ours():
            options = {"sheet": wizard.sheet_page.chosen().name, "header_row": wizard.header_page.row.value(),
                       "mapping": wizard.mapping_page.mapping()}
        self.run(read_questionnaire, Path(wizard.file_page.path.text().strip()), progress=True, **options)

    def delivered(self, parsed: QuestionnaireFile) -> None:
        t = parsed.template
        self.summary.setText(f"{len(t.questions)} questions in {len(t.sections)} sections "
                             f"({', '.join(s.code for s in t.sections[:12])}); {parsed.answered} answered.")
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


class ConfirmPage(QWizardPage):
    def __init__(self):
        super().__init__()
        self.setTitle("Store it")
        self.text = QLabel(wordWrap=True)
        QVBoxLayout(self).addWidget(self.text)

    def initializePage(self) -> None:
        wizard = self.wizard()
        parsed: QuestionnaireFile = wizard.preview_page.result
        name = wizard.template_name() or parsed.template.name
        supplier = wizard.supplier() or parsed.supplier_name
        what = (f"an assessment of {supplier} with {parsed.answered} answers" if supplier and parsed.answered
                else "no assessment (no supplier chosen or no answers)")
        self.text.setText(f"Finish stores template '{name}' (a new version only if its content changed) and "
                          f"{what}, in one step that is recorded in the audit trail.")


class ImportWizard(QWizard):
    FILE, SHEET, HEADER, MAPPING, PREVIEW, CONFIRM = range(6)

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
