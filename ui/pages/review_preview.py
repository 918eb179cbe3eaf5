"""The pack tab of the Reviews page: the pack's figures on screen (the very PackView the PDF prints) and the
export of the PDF (and its XLSX data set) in the background, with progress, opened in the system viewer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from sltdesk.domain.money import format_money
from sltdesk.services.pack import build_pack
from sltdesk.services.pack_view import PackOptions, PackView
from sltdesk.services.ports import Workspace
from ui.errors import report_exception
from ui.file_viewer import open_file
from ui.table_model import Column
from ui.table_panel import TablePanel
from ui.workers import Cancelled, Worker, start

RAG_TEXT = {"red": "#b3261e", "amber": "#8a5a00", "green": "#1e6b35", "grey": "#667085"}


@dataclass(frozen=True)
class Exported:
    pdf: Path
    pages: int
    xlsx: Path | None
    view: PackView


def preview(ws: Workspace, options: PackOptions, *, progress) -> PackView:
    """Worker: the pack's figures."""
    return build_pack(ws, options, progress=progress).view


def export(ws: Workspace, options: PackOptions, pdf: Path, xlsx: Path | None, *, progress) -> Exported:
    """Worker: compute the pack once, write the PDF and (optionally) the data set."""
    from reports.review_pack import write_pack

    inputs = build_pack(ws, options, progress=progress)
    pages = write_pack(pdf, inputs.view, generated=datetime.now(UTC).astimezone(), progress=progress)
    if xlsx is not None:
        from reports.pack_xlsx import write_dataset
        from sltdesk.services.pack_data import pack_dataset

        progress(98, "Writing the data set…")
        write_dataset(xlsx, pack_dataset(inputs), title=f"{inputs.view.supplier} {inputs.view.period} data set")
    return Exported(pdf, pages, xlsx, inputs.view)


def _plain(text: str = "", **kw) -> QLabel:
    label = QLabel(text, wordWrap=True, **kw)
    label.setTextFormat(Qt.TextFormat.PlainText)  # vendor text is never read as HTML
    return label


class PackPreview(QWidget):
    """Figures of the selected review's pack, and its export."""

    shown = Signal()  # a preview was shown
    exported = Signal(object)  # Exported

    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.supplier, self.period = "", ""
        self.view: PackView | None = None
        self.worker: Worker | None = None
        self.months = QSpinBox(minimum=3, maximum=36, value=12, suffix=" months")
        self.months.setToolTip("Trend window")
        self.paper = QComboBox()
        self.paper.addItems(["A4", "Letter"])
        self.with_data = QCheckBox("with the XLSX data set")
        self.with_data.setChecked(True)
        self.show_button = QPushButton("Show figures")
        self.export_button = QPushButton("Export pack…")
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setEnabled(False)
        self.progress = QProgressBar(maximum=100, textVisible=True)
        self.status = _plain(objectName="rowCount")
        self.show_button.clicked.connect(self.refresh)
        self.export_button.clicked.connect(self.choose_and_export)
        self.cancel_button.clicked.connect(self.cancel)
        options, controls = QHBoxLayout(), QHBoxLayout()  # two rows, so that the pane fits beside the list
        for widget in (self.months, self.paper, self.with_data):
            options.addWidget(widget)
        options.addStretch(1)
        for button in (self.show_button, self.export_button, self.cancel_button):
            controls.addWidget(button)
        controls.addWidget(self.progress, 1)
        self.summary = _plain(objectName="sectionHeading")
        self.issues = _plain()
        self.attainment = TablePanel(_attainment_columns(), placeholder="Filter targets", stretch=8)
        self.breaches = TablePanel(_ranking_columns(), placeholder="Filter breaches", stretch=5)
        self.credits = TablePanel(_credit_columns(), placeholder="Filter contracts", stretch=6)
        self.root_causes = TablePanel(_root_cause_columns(), placeholder="Filter", stretch=1)
        tabs = QTabWidget()
        tabs.addTab(self.attainment, "Attainment")
        tabs.addTab(self.breaches, "Breaches by frequency")
        tabs.addTab(self.credits, "Credits")
        tabs.addTab(self.root_causes, "Root causes due")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addLayout(options)
        layout.addLayout(controls)
        layout.addWidget(self.status)
        layout.addWidget(self.summary)
        layout.addWidget(self.issues)
        layout.addWidget(tabs, 1)

    def options(self) -> PackOptions:
        return PackOptions(self.supplier, self.period, self.months.value(), None, self.paper.currentText().lower())

    def set_review(self, supplier: str, period: str) -> None:
        """Another review was chosen: its figures are shown on request (computing takes a second)."""
        if (supplier, period) == (self.supplier, self.period):
            return
        self.supplier, self.period, self.view = supplier, period, None
        self._show(None)
        self.status.setText(f"Press 'Show figures' to compute the pack of {supplier} for {period}." if supplier
                            else "Choose a review.")

    def refresh(self) -> None:
        if self.ctx.workspace is None or not self.supplier or self.busy:
            return
        self._run(Worker(preview, self.ctx.workspace, self.options(), progress=True), self._previewed)

    def choose_and_export(self) -> None:
        if self.ctx.workspace is None or not self.supplier or self.busy:
            return
        name = f"{self.supplier} {self.period} review pack.pdf".replace("/", "-")
        path = self.choose_path(name)
        if path:
            self.export(Path(path), Path(path).with_suffix(".xlsx") if self.with_data.isChecked() else None)

    def choose_path(self, suggested: str) -> str:
        """Where to write the PDF ("" when cancelled); tests replace this."""
        return QFileDialog.getSaveFileName(self, "Export review pack", suggested, "PDF (*.pdf)")[0]

    def export(self, pdf: Path, xlsx: Path | None) -> None:
        self._run(Worker(export, self.ctx.workspace, self.options(), pdf, xlsx, progress=True), self._exported)

    def open_in_viewer(self, path: Path) -> None:
        """Open the written PDF in the system's viewer (or say that none could, offering its folder)."""
        open_file(self, path)

    def cancel(self) -> None:
        if self.worker is not None:
            self.worker.cancel()

    @property
    def busy(self) -> bool:
        return self.worker is not None

    def _run(self, worker: Worker, done) -> None:
        self.worker = worker
        worker.signals.progress.connect(self._on_progress)
        worker.signals.finished.connect(done)
        worker.signals.failed.connect(self._failed)
        for button in (self.show_button, self.export_button):
            button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.progress.setValue(0)
        start(worker)

    def _finish(self) -> None:
        self.worker = None
        for button in (self.show_button, self.export_button):
            button.setEnabled(True)
        self.cancel_button.setEnabled(False)

    def _on_progress(self, percent: int, message: str) -> None:
        self.progress.setValue(percent)
        self.status.setText(message)

    def _previewed(self, view: PackView) -> None:
        self._finish()
        self.progress.setValue(100)
        self.status.setText(f"Figures of {view.supplier} for {view.period}, as the pack prints them "
                            f"(audit head {view.audit_head[:12]}).")
        self._show(view)
        self.shown.emit()

    def _exported(self, result: Exported) -> None:
        self._finish()
        self.progress.setValue(100)
        extra = f" and {result.xlsx.name}" if result.xlsx else ""
        self.status.setText(f"Written {result.pdf.name} ({result.pages} pages){extra}.")
        self._show(result.view)
        self.exported.emit(result)
        self.open_in_viewer(result.pdf)

    def _failed(self, error: BaseException) -> None:
        self._finish()
        self.progress.setValue(0)
        if isinstance(error, Cancelled):
            self.status.setText("Cancelled.")
            return
        report_exception(error)

    def _show(self, view: PackView | None) -> None:
        self.view = view
        self.attainment.set_rows(list(view.attainment) if view else [])
        self.breaches.set_rows(list(view.breaches.by_frequency) if view else [])
        self.credits.set_rows(list(view.credits) if view else [])
        self.root_causes.set_rows(list(view.root_causes_due) if view else [])
        if view is None:
            self.summary.clear()
            self.issues.clear()
            return
        s = view.summary
        money = "; ".join(f"owed {format_money(t.owed, t.currency)}, issued {format_money(t.issued, t.currency)}, "
                          f"outstanding {format_money(t.outstanding, t.currency)}" for t in s.totals)
        self.summary.setText(f"{s.met} of {s.targets} targets met, {s.missed} missed, {s.no_data} without data, "
                             f"{s.amber} amber. {money}")
        self.issues.setText("\n".join(f"{i}. {text}" for i, text in enumerate(s.top_issues, start=1)))


def _attainment_columns() -> list[Column]:
    return [Column("Contract", "contract"), Column("Target", "target"), Column("Target value", "target_text"),
            Column("Baseline", "baseline", display=lambda r: r.baseline_text),
            Column("Ours", "achieved", display=lambda r: r.achieved_text), Column("Vendor", "reported"),
            Column("Vendor − ours", "difference", display=lambda r: r.difference_text),
            Column("Verdict", "verdict", color=lambda r: RAG_TEXT[r.rag]),
            Column("RAG", "rag", color=lambda r: RAG_TEXT[r.rag]), Column("How", "explanation", tooltip=True)]


def _ranking_columns() -> list[Column]:
    return [Column("#", "rank"), Column("Contract", "contract"), Column("Target", "target"),
            Column("Breaches", "breaches"), Column("Minutes", "duration_minutes"),
            Column("Periods", lambda r: ", ".join(r.periods)),
            Column("Impact", lambda r: r.impact, display=lambda r: format_money(r.impact, r.currency))]


def _credit_columns() -> list[Column]:
    def amount(field: str):
        return lambda r: None if getattr(r, field) is None else format_money(getattr(r, field), r.currency)

    return [Column("Contract", "contract"),
            Column("Owed", lambda r: r.credits.total if r.credits else None,
                   display=lambda r: format_money(r.credits.total, r.currency) if r.credits else "—"),
            Column("Issued", "issued", display=amount("issued")), Column("Still owed", "variance",
                                                                         display=amount("variance")),
            Column("Status", "status"), Column("Claim by", "claim_deadline"),
            Column("Warnings", lambda r: "; ".join(r.warnings) or r.note, tooltip=True)]


def _root_cause_columns() -> list[Column]:
    return [Column("Target", lambda r: f"{r.contract} {r.target}"),
            Column("Misses in a row", lambda r: f"{r.run[0]} – {r.run[-1]} ({len(r.run)})"),
            Column("Status", "status", color=lambda r: RAG_TEXT["red"] if r.status == "open" else None)]
