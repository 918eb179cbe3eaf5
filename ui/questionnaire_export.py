"""Export dialog: the fillable questionnaire of a template version for a supplier, written in the background."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QLabel, QWidget

from reports.questionnaire_xlsx import write_fillable
from sltdesk.domain.questionnaires import QuestionnaireTemplate
from sltdesk.errors import SltDeskError
from sltdesk.services.questionnaires import DEFAULT_TEMPLATE, find_supplier, get_template
from ui.context import WorkspaceContext, local_today
from ui.errors import report_exception
from ui.workers import run_in_background


def choose_save_path(parent: QWidget | None, suggested: str) -> str:
    path = QFileDialog.getSaveFileName(parent, "Export fillable questionnaire", suggested, "Workbook (*.xlsx)")[0]
    return path if not path or path.lower().endswith(".xlsx") else path + ".xlsx"


def export_fillable(ws: Any, *, template: str, version: int | None, supplier: str, out: str, today: Any) -> Path:
    """Runs on a worker: the template version (stored on first use) written for the supplier."""
    found = get_template(ws, template, version)
    return write_fillable(found, supplier=find_supplier(ws, supplier).name, out=out, today=today)


class ExportDialog(QDialog):
    def __init__(self, ctx: WorkspaceContext, templates: list[QuestionnaireTemplate], suppliers: list[str],
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Export fillable questionnaire")
        self.template = QComboBox()
        for t in templates:
            self.template.addItem(f"{t.name} v{t.version} — {t.title}", (t.name, t.version))
        if not any(t.name == DEFAULT_TEMPLATE for t in templates):
            self.template.addItem(f"{DEFAULT_TEMPLATE} (built-in)", (DEFAULT_TEMPLATE, None))
        self.supplier = QComboBox()
        self.supplier.addItems(suppliers)
        self.status = QLabel(wordWrap=True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Close)
        self.buttons.accepted.connect(self.export)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("Template", self.template)
        form.addRow("Supplier", self.supplier)
        form.addRow(self.status)
        form.addRow(self.buttons)

    def export(self) -> None:
        supplier = self.supplier.currentText()
        path = choose_save_path(self, f"{supplier or 'questionnaire'}.xlsx")
        if not path or self.ctx.workspace is None:
            return
        name, version = self.template.currentData()
        self.status.setText("Writing…")
        run_in_background(export_fillable, self.ctx.workspace, template=name, version=version, supplier=supplier,
                          out=path, today=local_today(), on_done=self._written, on_error=self._failed)

    def _written(self, path: Path) -> None:
        self.status.setText(f"Wrote {path}.")
        self.ctx.notify_changed("questionnaire_template")

    def _failed(self, error: BaseException) -> None:
        if isinstance(error, SltDeskError | OSError):
            self.status.setText(str(error))
        else:
            report_exception(error)
