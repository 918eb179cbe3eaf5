"""Imports: every batch of raw vendor data with its provenance and findings; import a file, remove a batch."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton, QSplitter, QVBoxLayout, QWidget

from models.workspace import SqlWorkspace
from sltdesk.domain.team import Permission
from sltdesk.errors import SltDeskError
from sltdesk.services.imports import (
    BatchView,
    ImportReport,
    list_batches,
    lost_records,
    not_restored_warning,
    relying_batches,
    relying_warning,
    remove_import,
)
from ui import dialogs
from ui.context import WorkspaceContext
from ui.errors import report_exception
from ui.import_jobs import ContractChoice, contract_choices
from ui.import_views import ERROR_STYLE, FindingsPanel, result_text
from ui.pages.base import Page
from ui.table_model import RIGHT, Column
from ui.table_panel import TablePanel
from ui.workers import run_in_background

if TYPE_CHECKING:
    from ui.import_wizard import ImportWizard

_WATCHED = ("import_batch", "contract", "supplier", "contract_target", "service_calendar")


@dataclass(frozen=True)
class ImportsData:
    batches: list[BatchView]
    contracts: list[ContractChoice] = field(default_factory=list)


def _imported_at(batch: BatchView) -> str:
    return batch.imported_at[:16].replace("T", " ")


def batch_columns() -> list[Column]:
    return [
        Column("Batch", "id", align=RIGHT),
        Column("Kind", "kind"),
        Column("Contract", "contract"),
        Column("File", "file_name", tooltip=True),
        Column("Sheet", "sheet", display=lambda b: "" if b.sheet == b.file_name else b.sheet, tooltip=True),
        Column("Imported (UTC)", "imported_at", display=_imported_at),
        Column("Accepted", "rows_accepted"),
        Column("Rejected", "rows_rejected", color=lambda b: "#b3261e" if b.rows_rejected else None),
        Column("Stored", "stored"),
        Column("Skipped", "skipped"),
        Column("Superseded", lambda b: sum(n for _by, n in b.superseded),
               display=lambda b: ", ".join(f"{n:,} by {by}" for by, n in b.superseded), tooltip=True,
               color=lambda b: "#9a6700" if b.superseded else None),
        Column("SHA-256", "sha256", display=lambda b: b.sha256[:12], mono=True, tooltip=True),
    ]


class ImportsPage(Page):
    title = "Imports"

    def __init__(self, ctx: WorkspaceContext, parent: QWidget | None = None):
        super().__init__(ctx, parent)
        self.data = ImportsData([])
        self.wizard: ImportWizard | None = None
        self._select_id: int | None = None
        self._removing: BatchView | None = None
        self.import_button = QPushButton("Import file…")
        self.import_button.setToolTip("Import a vendor export (Ctrl+I)")
        self.import_button.clicked.connect(self.open_import_wizard)
        self.remove_button = QPushButton("&Remove batch")
        self.remove_button.setToolTip("Delete the selected batch and its records")
        self.remove_button.setEnabled(False)
        self.remove_button.clicked.connect(self.remove_selected)
        ctx.gate(self.import_button, Permission.EDIT)
        ctx.gate(self.remove_button, Permission.EDIT)
        self.actions_row.addWidget(self.import_button)
        self.actions_row.addWidget(self.remove_button)
        self.status = QLabel(wordWrap=True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.batches = TablePanel(batch_columns(), placeholder="Filter batches")  # the hash gives way first
        self.batches.current_changed.connect(self._show_batch)
        self.findings_heading = QLabel("Findings")
        self.findings_heading.setObjectName("sectionHeading")
        self.findings = FindingsPanel()
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 8, 0, 0)
        lower_layout.addWidget(self.findings_heading)
        lower_layout.addWidget(self.findings, 1)
        splitter = QSplitter(Qt.Orientation.Vertical, childrenCollapsible=False)
        splitter.addWidget(self.batches)
        splitter.addWidget(lower)
        splitter.setSizes([380, 320])
        self.body.addWidget(self.status)
        self.body.addWidget(splitter, 1)

    @staticmethod
    def load(ws: SqlWorkspace) -> ImportsData:
        return ImportsData(list_batches(ws), contract_choices(ws))

    def depends_on(self, entity: str) -> bool:
        return entity in _WATCHED

    def show_data(self, data: ImportsData | None) -> None:
        self.data = data or ImportsData([])
        wanted = self._select_id or getattr(self.batches.current(), "id", None)
        self._select_id = None
        self.batches.set_rows(self.data.batches, keep=lambda b: b.id == wanted)
        if self.batches.current() is None and self.data.batches:
            self.batches.select(lambda _b: True)
        self.import_button.setEnabled(bool(self.data.contracts))
        if not self.data.contracts and data is not None:
            self.status.setText("Raw data belongs to a contract: create one on the Contracts page first.")

    def focus_filter(self) -> None:
        self.batches.focus_filter()

    def _show_batch(self, batch: BatchView | None) -> None:
        self.remove_button.setEnabled(batch is not None)
        self.findings.set_findings(batch.findings if batch else [])
        superseded = batch.superseded_text({b.id for b in self.data.batches}) if batch else ""
        self.findings_heading.setText(f"Findings of batch {batch.id} — {batch.file_name} ({batch.rows_read:,} "
                                      f"row{'' if batch.rows_read == 1 else 's'} read), imported by "
                                      f"{batch.imported_by}" + (f"; {superseded}" if superseded else "")
                                      if batch else "Findings")

    # --- import -------------------------------------------------------------------------------
    def open_import_wizard(self) -> None:
        from ui.import_wizard import ImportWizard

        if self.ctx.workspace is None or not self.data.contracts:
            return
        if self.wizard is not None:
            self.wizard.deleteLater()  # the previous one, closed
        self.wizard = ImportWizard(self.ctx, self.data.contracts, parent=self)
        self.wizard.imported.connect(self._imported)
        self.wizard.open()

    def _imported(self, report: ImportReport) -> None:
        self._select_id = report.batch_id
        self.status.setStyleSheet("")
        self.status.setText(result_text(report))

    # --- remove -------------------------------------------------------------------------------
    def remove_selected(self) -> None:
        batch: BatchView | None = self.batches.current()
        if batch is None or self.ctx.workspace is None:
            return
        question = removal_question(batch, list(self.data.batches) if self.data else [])
        if not dialogs.confirm(self, question, title="Remove import batch", action="Remove"):
            return
        self._removing = batch
        self._say_removing(batch)
        run_in_background(remove_import, self.ctx.workspace, batch.id, on_done=self._removed,
                          on_error=self._remove_failed)

    def _say_removing(self, batch: BatchView) -> None:
        self.remove_button.setEnabled(False)
        self.status.setStyleSheet("")
        self.status.setText(f"Removing batch {batch.id}…")

    def _removed(self, removed: dict[str, int]) -> None:
        batch = self._removing
        assert batch is not None  # the batch being removed
        total = sum(removed.values())
        self.status.setText(f"Removed batch {batch.id} ({batch.file_name}): {total:,} records deleted.")
        self.ctx.notify_changed("import_batch")

    def _remove_failed(self, error: BaseException) -> None:
        self.remove_button.setEnabled(self.batches.current() is not None)
        self.status.setStyleSheet(ERROR_STYLE)
        batch_id = self._removing.id if self._removing else None
        if isinstance(error, SltDeskError):
            self.status.setText(f"Batch {batch_id} was not removed: {error}")
        else:
            self.status.setText(f"Batch {batch_id} was not removed.")
            report_exception(error)


def removal_question(batch: BatchView, batches: list[BatchView]) -> str:
    """What removing a batch deletes, and what later batches or earlier records it affects."""
    question = (f"Remove batch {batch.id} — {batch.rows_accepted:,} {batch.kind} from {batch.file_name} "
                f"({batch.contract})? Its records are deleted; the audit trail records the removal.")
    later = relying_batches(batches, batch)
    if later:
        question += "\n\n" + relying_warning(later)
    lost = lost_records(batch, batches)
    if lost:
        question += "\n\n" + not_restored_warning(batch.id, lost)
    return question
