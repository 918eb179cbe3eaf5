"""The first two pages of the raw-data import wizard: which file (kind, contract, zone, period), then which
sheet and header row. The supplier's saved choices are looked up here and applied to the first parse."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, cast
from zoneinfo import ZoneInfo, available_timezones

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from importers.reading import column_letter
from sltdesk.domain.period import Span
from sltdesk.domain.raw import RecordKind
from ui.context import WorkspaceContext
from ui.errors import report_exception
from ui.import_jobs import (
    ContractChoice,
    ImportChoices,
    Parsed,
    identical_file,
    list_sheets,
    saved_profile,
)
from ui.import_views import ERROR_STYLE, BusyBar, PreviewTable, error_sentence, is_calendar, source_preview
from ui.workers import Tagged, Worker, start, tagged

if TYPE_CHECKING:
    from ui.import_wizard import ImportWizard

FILE_FILTER = "Vendor data (*.xlsx *.xlsm *.ods *.csv *.ics);;All files (*)"
KIND_LABELS = {
    RecordKind.TICKETS: "Tickets — one row per ticket (event logs are recognised)",
    RecordKind.TICKET_EVENTS: "Ticket events — one row per ticket update",
    RecordKind.OUTAGES: "Outages",
    RecordKind.SAMPLES: "Samples — interval measurements",
    RecordKind.VENDOR_REPORT: "Vendor report — the vendor's own results",
    RecordKind.CREDIT_NOTES: "Credit notes",
    RecordKind.MAINTENANCE: "Maintenance windows (.ics or a sheet)",
}
NOTE_STYLE = "color: #475467;"


def choose_data_file(parent: QWidget | None) -> str:
    """A vendor file to import, or "" (tests replace this function)."""
    return QFileDialog.getOpenFileName(parent, "Import vendor data", "", FILE_FILTER)[0]


def wizard_of(page: QWizardPage) -> ImportWizard:
    """The import wizard a page is on (`QWizardPage.wizard()` is typed as a plain QWizard)."""
    return cast("ImportWizard", page.wizard())


class FilePage(QWizardPage):
    def __init__(self, ctx: WorkspaceContext, contracts: list[ContractChoice]):
        super().__init__()
        self.ctx = ctx
        self.setTitle("Which file, and what does it hold?")
        self.setSubTitle("The records are stored for one contract. Times without a zone are read in the time zone "
                         "below (the contract's calendar zone unless the supplier's saved choices say otherwise).")
        self.path = QLineEdit(placeholderText="…/vendor_export.xlsx")
        self.path.textChanged.connect(self._on_path)
        self.browse = QPushButton("&Browse…")
        self.browse.clicked.connect(lambda: self.path.setText(choose_data_file(self) or self.path.text()))
        self.kind = QComboBox()
        for kind, label in KIND_LABELS.items():
            self.kind.addItem(label, kind.value)
        self.contract = QComboBox()
        for choice in contracts:
            self.contract.addItem(choice.label, choice)
        self.timezone = QComboBox(editable=True, insertPolicy=QComboBox.InsertPolicy.NoInsert)
        self.timezone.addItems(sorted(available_timezones()))
        self.period = QLineEdit(placeholderText="the period the file covers: 2026-03, 2026-Q1, 2026 or "
                                                "2025-05..2026-10 (months not in it are judged only when covered)")
        self.profile_note = QLabel(wordWrap=True)
        self.profile_note.setStyleSheet(NOTE_STYLE)
        self.error = QLabel(wordWrap=True)
        self.error.setStyleSheet(ERROR_STYLE)
        if not contracts:
            self.error.setText("There is no contract yet: create one on the Contracts page first.")
        self.profile: dict | None = None
        self._profile_key: tuple | None = None
        self.identical: str | None = None  # "this file was imported already…", "" when not; None: not checked yet
        self._identical_key: tuple | None = None
        self.kind.currentIndexChanged.connect(self._lookup_profile)
        self.kind.currentIndexChanged.connect(self._check_identical)
        self.contract.currentIndexChanged.connect(self._on_contract)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(self.browse)
        form = QFormLayout(self)
        file_label = QLabel("&File")
        file_label.setBuddy(self.path)
        form.addRow(file_label, row)
        form.addRow("&Kind of records", self.kind)
        form.addRow("&Contract", self.contract)
        form.addRow("&Time zone", self.timezone)
        form.addRow("&Period", self.period)
        form.addRow(self.profile_note)
        form.addRow(self.error)
        self._on_contract()

    def record_kind(self) -> RecordKind:
        return RecordKind(self.kind.currentData())

    def choice(self) -> ContractChoice | None:
        return self.contract.currentData()

    def chosen(self) -> ContractChoice:
        """The contract chosen (the page is complete, and looks up saved choices, only with one)."""
        choice = self.choice()
        assert choice is not None
        return choice

    def file_key(self) -> tuple:
        choice = self.choice()
        return Path(self.path.text().strip()), self.record_kind(), choice.contract.id if choice else None

    def isComplete(self) -> bool:
        return (Path(self.path.text().strip()).is_file() and self.choice() is not None
                and self.profile is not None and self.identical == "" and self._identical_key == self.file_key())

    def validatePage(self) -> bool:
        """Say what is wrong with the zone or the period here, before anything is read."""
        zone, period = self.timezone.currentText().strip(), self.period.text().strip()
        try:
            ZoneInfo(zone)
        except (KeyError, ValueError):
            self.error.setText(f"'{zone}' is not an IANA time zone such as Europe/London.")
            return False
        try:
            if period:
                Span.parse(period)
        except ValueError as error:
            self.error.setText(f"{error}.")
            return False
        self.error.clear()
        return True

    def choices(self, sheets: list[str]) -> ImportChoices:
        """What this page says, with the supplier's saved choices under it."""
        saved = self.profile or {}
        sheet = saved.get("sheet") if saved.get("sheet") in sheets and len(sheets) > 1 else None
        return ImportChoices(path=Path(self.path.text().strip()), kind=self.record_kind(),
                             contract=self.chosen(), timezone=self.timezone.currentText().strip(),
                             period=self.period.text().strip() or None, sheet=sheet,
                             header_row=saved.get("header_row"), mapping=dict(saved.get("mapping") or {}),
                             value_map=tuple(tuple(v) for v in saved.get("value_map") or ()),
                             dayfirst=saved.get("dayfirst"), preset=saved.get("preset") or "")

    def _on_path(self, text: str) -> None:
        if text.strip().lower().endswith(".ics"):
            self.kind.setCurrentIndex(self.kind.findData(RecordKind.MAINTENANCE.value))
        self._check_identical()

    def _check_identical(self, *_args: Any) -> None:
        """Is this very file (by its SHA-256) in the contract's records already? Next waits for the answer."""
        key, ws = self.file_key(), self.ctx.workspace
        self.identical, self._identical_key = None, key
        if self.error.text().startswith("This file"):
            self.error.clear()
        self.completeChanged.emit()
        if not key[0].is_file() or key[2] is None or ws is None:
            return
        worker = Worker(tagged, key, identical_file, ws, *key)
        worker.signals.finished.connect(self._identical_checked)
        start(worker)

    def _identical_checked(self, answer: Tagged) -> None:
        if answer.token != self._identical_key:
            return
        if answer.error is not None:  # unreadable here: the next pages say why in their own words
            self.identical = ""
        else:
            self.identical = answer.value
            if self.identical:
                self.error.setText(f"This file is in the workspace already: {self.identical} Choose another file, "
                                   "or remove that batch on the Imports page first.")
        self.completeChanged.emit()

    def _on_contract(self, *_args: Any) -> None:
        choice = self.choice()
        if choice is not None:
            self.timezone.setCurrentText(choice.timezone)
        self._lookup_profile()
        self._check_identical()

    def _lookup_profile(self, *_args: Any) -> None:
        """Load the supplier's saved choices for this kind; Next waits for them (a quick query)."""
        choice, ws = self.choice(), self.ctx.workspace
        self.profile = None
        self.profile_note.setText("Looking up the supplier's saved choices…")
        self.completeChanged.emit()
        if choice is None or ws is None:
            return
        self._profile_key = key = (choice.contract.supplier_id, self.record_kind())
        worker = Worker(tagged, key, saved_profile, ws, *key)
        worker.signals.finished.connect(self._profile_loaded)
        start(worker)

    def _profile_loaded(self, answer: Tagged) -> None:
        if answer.token != self._profile_key:
            return
        if answer.error is not None:  # import without the saved choices rather than not at all
            report_exception(answer.error)
        self.profile = answer.value or {}
        if self.profile.get("timezone"):
            self.timezone.setCurrentText(self.profile["timezone"])
        self.profile_note.setText(profile_note(self.profile, f"{self.chosen().supplier} · {self.record_kind().value}"))
        self.completeChanged.emit()


def profile_note(profile: dict, what: str) -> str:
    """What the file page says about a supplier's saved import choices."""
    if not profile:
        return (f"No saved choices for {what} yet; the ones you confirm are saved after the import and applied to "
                "the next file.")
    preset = profile.get("preset")
    start = f"the preset {preset}, " if preset and preset != "none" else ""
    return (f"The saved choices for {what} are applied ({start}{len(profile.get('mapping') or {})} columns mapped); "
            "what you confirm now replaces them.")


class SheetPage(QWizardPage):
    def __init__(self):
        super().__init__()
        self.setTitle("Sheet and header row")
        self.setSubTitle("Title rows above the header are skipped; values stated there (such as 'Currency: EUR' "
                         "or a report month) are used for the records.")
        self.sheet = QComboBox(minimumContentsLength=24)
        self.sheet.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.header = QSpinBox(minimum=0, maximum=100000)
        self.header.setSpecialValueText("auto (detected)")
        self.found = QLabel(wordWrap=True)
        self.found.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.source = PreviewTable()
        self.busy = BusyBar()
        self.sheets: list[str] | None = None
        self._key: tuple | None = None
        self.sheet.activated.connect(self._on_sheet)
        self.header.valueChanged.connect(self._on_header)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        form.addRow("&Sheet", self.sheet)
        form.addRow("&Header row", self.header)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.found)
        layout.addWidget(self.source, 1)
        layout.addWidget(self.busy)

    def initializePage(self) -> None:
        wizard = wizard_of(self)
        key = wizard.file_page.file_key()
        if key == self._key and self.sheets is not None:
            page = wizard.file_page
            wizard.change(timezone=page.timezone.currentText().strip(), period=page.period.text().strip() or None)
            return
        self._key, self.sheets = key, None
        wizard.reset()
        self.sheet.clear()
        self.found.clear()
        self.source.set_table([], [])
        self.busy.busy("Checking the file…", cancellable=False)
        worker = Worker(tagged, key, list_sheets, key[0])
        worker.signals.finished.connect(self._listed)
        start(worker)

    def _listed(self, answer: Tagged) -> None:
        if answer.token != self._key:
            return
        if answer.error is not None:
            self.busy.done(error_sentence(answer.error), error=True)
            return
        wizard = wizard_of(self)
        self.sheets = answer.value
        choices = wizard.file_page.choices(self.sheets)
        self._offer(self.sheets, choices.header_row or 0)
        wizard.start(choices)

    def _offer(self, sheets: list[str], header_row: int) -> None:
        """The file's sheets and the header row, set without announcing them as the user's choice."""
        for widget in (self.sheet, self.header):
            widget.blockSignals(True)
        self.sheet.addItems(sheets)
        self.header.setValue(header_row)
        for widget in (self.sheet, self.header):
            widget.blockSignals(False)

    def show_parsed(self, result: Parsed) -> None:
        parsed = result.parsed
        if parsed.sheet in (self.sheets or []):
            self.sheet.setCurrentText(parsed.sheet)
        calendar = is_calendar(parsed)
        for widget in (self.sheet, self.header):
            widget.setEnabled(not calendar)
        self.source.setVisible(not calendar)
        how = "chosen" if self.header.value() else "detected"
        columns = " · ".join(f"{column_letter(i)} {h}" for i, h in enumerate(parsed.headers) if h)
        found = (f"A calendar file: its {parsed.rows_read:,} events are read directly, recurring ones expanded — "
                 "there is no sheet or header row to choose." if calendar else
                 f"Header on row {parsed.header_row} ({how}): {columns or 'no column names'}.")
        self.found.setText("\n".join([found, " ".join(n[0].upper() + n[1:] + "." for n in parsed.notes)]).strip())
        self.source.set_table(*source_preview(parsed))
        self.source.select_row_number(parsed.header_row or 0)

    def _on_sheet(self, _index: int) -> None:
        wizard_of(self).change(sheet=self.sheet.currentText(), header_row=None)
        self.header.blockSignals(True)
        self.header.setValue(0)
        self.header.blockSignals(False)

    def _on_header(self, value: int) -> None:
        wizard_of(self).change(header_row=value or None)

    def isComplete(self) -> bool:
        return self.sheets is not None and wizard_of(self).ready()
