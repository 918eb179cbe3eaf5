"""The raw-data import wizard: file & kind → sheet & header row → mapping → findings → confirm.

The file is read in a child process (ui.import_jobs.ParseRunner) whenever a choice changes; the pages
(ui.import_file_pages, ui.import_pages) show the latest parse. Finish stores it in the background.
"""

from __future__ import annotations

import threading
from dataclasses import replace
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QLabel,
    QProgressDialog,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from importers.mapping import prune_unknown_columns
from sltdesk.domain.raw import RecordKind
from sltdesk.services.import_periods import WHAT, period_words, stored_table
from sltdesk.services.imports import ImportReport
from ui.context import WorkspaceContext
from ui.import_file_pages import FilePage, SheetPage, wizard_of
from ui.import_jobs import (
    ContractChoice,
    ImportChoices,
    Parsed,
    ParseRunner,
    check_store,
    store_choices,
)
from ui.import_pages import UNMAPPED, FindingsPage, MappingPage
from ui.import_views import BusyBar, counts_text, error_sentence, is_calendar
from ui.workers import Cancelled, Tagged, Worker, start, tagged

SUMMARY_ROWS = ("File", "Contract", "Read as", "Rows", "Findings", "Columns")


class ConfirmPage(QWizardPage):
    def __init__(self):
        super().__init__()
        self.setTitle("Store the batch")
        self.setSubTitle("Finish stores the accepted rows in one step, with the file's name, hash and each row's "
                         "place in it — or, if anything goes wrong or you cancel, nothing at all.")
        self.values: dict[str, QLabel] = {}
        form = QFormLayout()
        for name in SUMMARY_ROWS:
            self.values[name] = QLabel(wordWrap=True, textInteractionFlags=Qt.TextInteractionFlag.TextSelectableByMouse)
            form.addRow(f"{name}:", self.values[name])
        self.busy = BusyBar()
        self.busy.text.setObjectName("sectionHeading")
        self.check: ImportReport | None = None
        self._token = 0
        # Records of the same type the file's period holds already: keep them beside the new ones, or replace them.
        self.period_box = QGroupBox("Records already stored for the file's period")
        self.held = QLabel(wordWrap=True, textInteractionFlags=Qt.TextInteractionFlag.TextSelectableByMouse)
        self.add_beside = QRadioButton("&Add this file's records beside them (both files count)")
        self.replace = QRadioButton("&Replace them with this file's records (they are marked superseded, "
                                    "and the batches stay on record)")
        self.add_beside.setChecked(True)
        self.replace.toggled.connect(lambda _on: self._check())
        box = QVBoxLayout(self.period_box)
        for widget in (self.held, self.add_beside, self.replace):
            box.addWidget(widget)
        self.period_box.hide()
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addSpacing(12)
        layout.addWidget(self.period_box)
        layout.addWidget(self.busy)
        layout.addStretch(1)

    def initializePage(self) -> None:
        """Check what Finish would store (new, already imported, updated) before the user commits to it."""
        wizard = wizard_of(self)
        for name, text in wizard.summary().items():
            self.values[name].setText(text)
        self.period_box.hide()
        self.replace.blockSignals(True)  # replacing is a choice made on this page, each time (checked once below)
        self.add_beside.setChecked(True)
        self.replace.blockSignals(False)
        self._check()

    def _check(self) -> None:
        wizard = wizard_of(self)
        self.check = None
        self._token += 1
        self.busy.busy("Comparing with what is stored already…", cancellable=False)
        result = wizard.latest
        assert result is not None  # the confirm page follows a finished parse
        worker = Worker(tagged, self._token, check_store, wizard.ctx.workspace, wizard.choices, result.options,
                        result.parsed, replace_period=self.replace.isChecked())
        worker.signals.finished.connect(self._checked)
        start(worker)
        self.completeChanged.emit()

    def replace_period(self) -> bool:
        return not self.period_box.isHidden() and self.replace.isChecked()

    def _checked(self, answer: Tagged) -> None:
        if answer.token != self._token:
            return
        if answer.error is not None:
            self.busy.done(error_sentence(answer.error), error=True)
            return
        self.check = answer.value
        self._show_held(self.check)
        self.busy.done(finish_sentence(self.check))
        self.completeChanged.emit()

    def _show_held(self, report: ImportReport) -> None:
        """Say which other files' records lie in the file's period, before anything is stored."""
        held = [h for h in report.held if h["records"]]
        self.period_box.setVisible(bool(held))
        if not held:
            return
        table = stored_table(RecordKind(report.kind))
        assert table is not None and report.coverage is not None  # records held in the period of a stored type

        what = WHAT[table]
        total = sum(h["records"] for h in held)
        beside = sum(h["not_in_this_file"] for h in held)
        files = "\n".join(f"• {h['file']} (batch {h['batch_id']}): {h['records']:,} {what}, "
                          f"{h['not_in_this_file']:,} of them not in this file" for h in held)
        self.held.setText(f"{period_words(report.coverage, report.timezone)} already holds {total:,} {what} from "
                          f"other files; {beside:,} of them are not in this file, and would count beside its "
                          f"records:\n{files}")

    def isComplete(self) -> bool:
        return self.check is not None


class ImportWizard(QWizard):
    FILE, SHEET, MAPPING, FINDINGS, CONFIRM = range(5)
    imported = Signal(object)  # the ImportReport, after the batch was stored

    def __init__(self, ctx: WorkspaceContext, contracts: list[ContractChoice], parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Import vendor data")
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage)
        self.resize(1040, 720)
        self.choices: ImportChoices | None = None
        self.latest: Parsed | None = None
        self.report: ImportReport | None = None
        self.progress: QProgressDialog | None = None
        self._store_stop: threading.Event | None = None
        self.runner = ParseRunner(ctx.open_workspace(), self)
        self.runner.started.connect(self._parse_started)
        self.runner.finished.connect(self._parsed)
        self.runner.failed.connect(self._parse_failed)
        self.file_page = FilePage(ctx, contracts)
        self.sheet_page, self.mapping_page = SheetPage(), MappingPage()
        self.findings_page, self.confirm_page = FindingsPage(), ConfirmPage()
        for page_id, page in enumerate((self.file_page, self.sheet_page, self.mapping_page, self.findings_page,
                                        self.confirm_page)):
            self.setPage(page_id, page)
        for bar in self.busy_bars():
            bar.cancel_requested.connect(self.runner.cancel)
            bar.retry_requested.connect(self.read_again)

    # --- parsing ----------------------------------------------------------------------------
    def busy_bars(self) -> list[BusyBar]:
        return [self.sheet_page.busy, self.mapping_page.busy, self.findings_page.busy]

    def reset(self) -> None:
        self.runner.cancel()
        self.choices = self.latest = None

    def start(self, choices: ImportChoices) -> None:
        self.choices = choices
        self.runner.request(choices, delay=False)

    def change(self, **changes: Any) -> None:
        """A choice changed: read the file again (after a short pause) unless nothing really changed."""
        if self.choices is None:
            return
        changed = replace(self.choices, **changes)
        if changed != self.choices or self.latest is None:
            self.choices = changed
            self.runner.request(changed)

    def read_again(self) -> None:
        if self.choices is not None:
            self.runner.request(self.choices, delay=False)

    def ready(self) -> bool:
        return self.latest is not None and not self.runner.running

    def _parse_started(self) -> None:
        self.latest = None
        for bar in self.busy_bars():
            bar.busy("Reading the file…")
        self._pages_changed()

    def _pruned(self, result: Parsed) -> bool:
        """The saved profile names columns this file lacks: choose again without them (True: read again)."""
        assert self.choices is not None  # a parse answers the choices it was asked with
        pruned = prune_unknown_columns(result.parsed, self.choices.mapping)
        if pruned is not None:
            self.choices = replace(self.choices, mapping=pruned)
            self.runner.request(self.choices, delay=False)
        return pruned is not None

    def _parsed(self, result: Parsed) -> None:
        if self._pruned(result):
            return
        assert self.choices is not None
        self.latest = result
        for bar in self.busy_bars():
            bar.done(read_sentence(result.parsed), error=result.parsed.fatal)
        for page in (self.sheet_page, self.findings_page):
            page.show_parsed(result)
        self.mapping_page.show_parsed(result, self.choices)
        self._pages_changed()

    def _parse_failed(self, error: BaseException) -> None:
        self.latest = None
        message = error_sentence(error)
        for bar in self.busy_bars():
            bar.done(message, error=True, retry=self.choices is not None)
        self._pages_changed()

    def _pages_changed(self) -> None:
        for page in (self.sheet_page, self.mapping_page, self.findings_page):
            page.completeChanged.emit()

    def summary(self) -> dict[str, str]:
        """What Finish is about to store, row by row of the confirm page."""
        assert self.choices is not None and self.latest is not None  # shown on the confirm page, after a parse
        choices, parsed = self.choices, self.latest.parsed
        period = f" · period {choices.period}" if choices.period else ""
        columns = " · ".join(f"{name.replace('_', ' ')} ← {header}" for name, header in parsed.mapping.items()
                             if header != UNMAPPED)
        where = ("calendar events" if is_calendar(parsed)
                 else f"sheet '{parsed.sheet}', header on row {parsed.header_row}")
        return {"File": f"{parsed.file_name} — {where}\nSHA-256 {parsed.sha256}",
                "Contract": choices.contract.label,
                "Read as": f"{parsed.kind.value} · times without a zone in {choices.timezone}{period}",
                "Rows": f"{parsed.rows_read:,} read, {parsed.rows_accepted:,} accepted, {parsed.rows_rejected:,} "
                        "rejected (left out)",
                "Findings": counts_text(parsed.findings) + " (kept with the batch)",
                "Columns": columns}

    # --- storing ----------------------------------------------------------------------------
    def accept(self) -> None:
        """Finish: store in the background; close when stored, stay open with the reason when refused."""
        if self.ctx.workspace is None or self.latest is None or self.progress is not None:
            return
        self._store_stop = threading.Event()
        self.progress = QProgressDialog("Storing the batch…", "Cancel", 0, 0, self)
        self.progress.setWindowTitle("Import vendor data")
        self.progress.setWindowModality(Qt.WindowModality.WindowModal)
        self.progress.setMinimumDuration(0)
        self.progress.canceled.connect(self._cancel_store)
        self.progress.show()
        worker = Worker(store_choices, self.ctx.workspace, self.choices, self.latest.options, self.latest.parsed,
                        cancelled=self._store_stop.is_set, replace_period=self.confirm_page.replace_period())
        worker.signals.finished.connect(self._stored)
        worker.signals.failed.connect(self._store_failed)
        start(worker)

    def _cancel_store(self) -> None:
        """The store's commit refuses from now on; a batch already committed stays (and is reported)."""
        if self._store_stop is not None:
            self._store_stop.set()

    def _stored(self, report: ImportReport) -> None:
        self._end_progress()
        self.report = report
        self.ctx.notify_changed("import_batch")
        self.imported.emit(report)
        super().accept()

    def _store_failed(self, error: BaseException) -> None:
        self._end_progress()
        if isinstance(error, Cancelled):
            self.confirm_page.busy.done("Cancelled before the batch was committed: nothing was stored.", error=True)
        else:
            self.confirm_page.busy.done(error_sentence(error), error=True)

    def _end_progress(self) -> None:
        if self.progress is not None:
            self.progress.reset()
            self.progress.deleteLater()
            self.progress = None

    def reject(self) -> None:
        if self.progress is None:  # while storing, the progress dialog's Cancel decides
            super().reject()

    def done(self, result: int) -> None:
        self.runner.cancel()  # closing the wizard stops a running parse (its child is killed)
        super().done(result)


def read_sentence(parsed) -> str:
    return (f"Read {parsed.rows_read:,} rows from '{parsed.sheet}': {parsed.rows_accepted:,} accepted, "
            f"{parsed.rows_rejected:,} rejected.")


def finish_sentence(report: ImportReport) -> str:
    """What Finish will store, said before anything is stored."""
    extra = "".join(f", {n:,} {what}" for n, what in ((report.skipped, "already stored (left as they are)"),
                                                      (report.replaced, "stored earlier and updated")) if n)
    if report.superseded:
        extra += f", replacing the {report.superseded:,} stored for the file's period"
    covers = f" The file {report.coverage_text}." if report.coverage_text else ""
    return (f"Finish stores {report.stored:,} {report.kind}{extra}, in one step recorded in the audit trail; the "
            f"column choices are saved for the next file from this supplier.{covers}")
