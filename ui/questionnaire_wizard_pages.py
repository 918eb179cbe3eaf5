"""The first pages of the questionnaire import wizard: file, sheets (ticked), header row, column mapping."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from importers.questionnaire_layout import choose_sheets
from importers.questionnaire_sheets import FIELDS, SheetPreview, column_letter, previews, suggest_mapping
from sltdesk.domain.questionnaires import FILLABLE_META_SHEET
from sltdesk.errors import SltDeskError
from ui.errors import report_exception
from ui.workers import Worker, start

if TYPE_CHECKING:
    from ui.questionnaire_wizard import ImportWizard

WORKBOOKS = "Workbooks (*.xlsx *.xlsm *.ods);;All files (*)"
TEMPLATE_ONLY = "(template only — no assessment)"
FILE, SHEET, HEADER, MAPPING, PREVIEW, CONFIRM = range(6)


def choose_workbook(parent: QWidget | None) -> str:
    """A workbook to import, or "" (tests replace this function)."""
    return QFileDialog.getOpenFileName(parent, "Import questionnaire", "", WORKBOOKS)[0]


def wizard_of(page: QWizardPage) -> ImportWizard:
    """The questionnaire import wizard a page is on (`QWizardPage.wizard()` is typed as a plain QWizard)."""
    return cast("ImportWizard", page.wizard())


def wrapped_list() -> QListWidget:
    """A list whose long sentences wrap instead of running off to the right."""
    found = QListWidget()
    found.setWordWrap(True)
    found.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    found.setResizeMode(QListWidget.ResizeMode.Adjust)
    return found


class BusyPage(QWizardPage):
    """A page that runs one background operation and is complete when it has delivered."""

    def __init__(self, title: str):
        super().__init__()
        self.setTitle(title)
        self.progress = QProgressBar()
        self.progress.setVisible(False)
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


class SheetPage(BusyPage):
    def __init__(self):
        super().__init__("Choose the sheets with the questions")
        self.setSubTitle("Tick every sheet that holds questions: they are read into one template. The sheets "
                         "sharing the header layout with the most question-like rows are ticked for you.")
        self.reason = QLabel(wordWrap=True)
        self.sheets = QListWidget()
        self.sheets.itemChanged.connect(self.completeChanged)
        self.sheets.currentRowChanged.connect(self.completeChanged)
        self.layout_.addWidget(self.reason)
        self.layout_.addWidget(self.sheets, 1)
        self._path = ""

    def initializePage(self) -> None:
        path = wizard_of(self).file_page.path.text().strip()
        if path != self._path:
            self._path = path
            self.sheets.clear()
            self.reason.clear()
            self.run(previews, Path(path))

    def delivered(self, found: list[SheetPreview]) -> None:
        choice = choose_sheets(found)
        fallback = max(range(len(found)), key=lambda i: (found[i].visible, found[i].score), default=-1)
        ticked = set(choice.sheets) if choice else {found[fallback].name} if fallback >= 0 else set()
        for sheet in found:
            note = " — hidden" if not sheet.visible else \
                f" — header on row {sheet.header_row}, {sheet.question_rows} question-like rows" if sheet.header_row \
                else " — no header row found"
            item = QListWidgetItem(f"{sheet.name}{note}")
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if sheet.name in ticked else Qt.CheckState.Unchecked)
            self.sheets.addItem(item)
        self.reason.setText(choice.reason if choice else "")
        if self.is_ours():
            self.reason.clear()
            self.status.setText("This is an SLT Desk questionnaire: its questions, answers and the template "
                                "version are known. Continue to the preview.")

    def is_ours(self) -> bool:
        return any(s.name == FILLABLE_META_SHEET for s in self.result or [])

    def chosen_sheets(self) -> list[SheetPreview]:
        """The ticked sheets, in workbook order."""
        return [sheet for i, sheet in enumerate(self.result or [])
                if self.sheets.item(i) is not None and self.sheets.item(i).checkState() == Qt.CheckState.Checked]

    def chosen(self) -> SheetPreview | None:
        """The first ticked sheet: its header row and columns stand for all of them."""
        sheets = self.chosen_sheets()
        return sheets[0] if sheets else None

    def isComplete(self) -> bool:
        return self.result is not None and (self.is_ours() or self.chosen() is not None)

    def nextId(self) -> int:
        return PREVIEW if self.is_ours() else HEADER


class HeaderPage(QWizardPage):
    def __init__(self):
        super().__init__()
        self.setTitle("Which row holds the column headers?")
        self.table = QTableWidget()
        self.table.setWordWrap(False)
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
        sheet = wizard_of(self).sheet_page.chosen()
        rows = sheet.rows if sheet else ()
        width = max((len(r) for r in rows), default=0)
        self.table.setRowCount(len(rows))
        self.table.setColumnCount(width)
        self.table.setHorizontalHeaderLabels([column_letter(i) for i in range(width)])
        for r, cells in enumerate(rows):
            for c, text in enumerate(cells):
                self.table.setItem(r, c, QTableWidgetItem(text[:200]))
        self.row.setValue(max(sheet.header_row, 1) if sheet else 1)
        others = wizard_of(self).sheet_page.chosen_sheets()[1:]
        self.setSubTitle(f"Shown: {sheet.name}. The other {len(others)} sheets keep the header row found on each "
                         f"({', '.join(f'{o.name} row {o.header_row}' for o in others)})." if sheet and others else "")

    def headers(self) -> list[str]:
        sheet = wizard_of(self).sheet_page.chosen()
        index = self.row.value() - 1
        return list(sheet.rows[index]) if sheet and index < len(sheet.rows) else []


class MappingPage(QWizardPage):
    def __init__(self):
        super().__init__()
        self.setTitle("Which column holds what?")
        self.setSubTitle("The columns apply to every ticked sheet. Without a section column, sections come from "
                         "heading rows inside the table, then from the sheets' names (several sheets), then from "
                         "the id prefix (A&A-01.1 → A&A).")
        self.combos = {name: QComboBox() for name in FIELDS}
        self.blank_weight = QComboBox()
        self.blank_weight.addItem("not scored (weight 0), as HECVAT means it", None)
        self.blank_weight.addItem("counted at weight 1", Decimal(1))
        form = QFormLayout(self)
        for name, combo in self.combos.items():
            form.addRow(name.replace("_", " ").capitalize(), combo)
        form.addRow("A blank weight is", self.blank_weight)

    def initializePage(self) -> None:
        headers = wizard_of(self).header_page.headers()
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
