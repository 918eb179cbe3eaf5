"""Penalties: the service credits of one contract and period, every line's trace expandable, a what-if panel
for negotiations, the contract's clauses, and the claim statement export."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import partial
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QFileDialog, QLabel, QPushButton, QSplitter, QTabWidget, QWidget

from models.workspace import SqlWorkspace
from sltdesk.domain.penalties import PeriodCredits
from sltdesk.domain.period import Period, shift
from sltdesk.domain.register import Contract
from sltdesk.services.clause_templates import ClauseTemplate, list_templates
from sltdesk.services.penalties import ClauseView, PenaltyInputs, clause_views, load_inputs
from sltdesk.services.register import list_records
from ui.context import WorkspaceContext, local_today
from ui.errors import report_exception
from ui.help import link_opener
from ui.pages.base import Page
from ui.penalty_clauses import ClausesPanel
from ui.penalty_views import CreditTree, WhatIfPanel
from ui.workers import run_in_background

_WATCHED = ("credit_clause", "contract", "contract_target", "import_batch", "measurement_rule", "force_majeure",
            "false_positive")


def history_source():
    """The attainment measurement the credits come from (tests replace it with a fake)."""
    from sltdesk.services.attainment import attainment_history

    return attainment_history


@dataclass(frozen=True)
class PenaltiesData:
    contracts: list[str]
    templates: list[ClauseTemplate] = field(default_factory=list)


@dataclass(frozen=True)
class Computed:
    contract: str
    period: str
    inputs: PenaltyInputs | None
    credits: PeriodCredits | None
    clauses: list[ClauseView]
    problem: str = ""


def compute(ws: SqlWorkspace, contract: str, period: str, history) -> Computed:
    """Worker: the contract's clauses and, when it has some, the credits of the period."""
    _, views = clause_views(ws, contract)
    if not views:
        return Computed(contract, period, None, None, views, "This contract has no credit clauses yet: apply a "
                                                             "template or edit its clauses on the Clauses tab.")
    inputs = load_inputs(ws, contract, period, history=history)
    return Computed(contract, period, inputs, inputs.compute()[-1], views)


def recent_months(today: date, count: int = 24) -> list[str]:
    """The last `count` complete months, newest first."""
    last = shift(Period.month(today.year, today.month).label, -1)
    return [shift(last, -i) for i in range(count)]


class PenaltiesPage(Page):
    title = "Penalties"
    credits_shown = Signal()  # after a contract and period were computed and shown

    def __init__(self, ctx: WorkspaceContext, parent: QWidget | None = None):
        super().__init__(ctx, parent)
        self.data = PenaltiesData([])
        self.computed: Computed | None = None
        self._token_compute = 0
        self.contract = QComboBox()
        self.contract.setMinimumWidth(160)
        self.contract.setToolTip("Contract")
        self.period = QComboBox()
        self.period.setToolTip("Measurement period")
        self.period.addItems(recent_months(local_today()))
        self.export_button = QPushButton("Export statement…")
        self.export_button.setToolTip("Claim statement as PDF or XLSX")
        self.export_button.clicked.connect(self.export_statement)
        for widget in (QLabel("Contract"), self.contract, QLabel("Period"), self.period, self.export_button):
            self.actions_row.addWidget(widget)
        self.contract.currentIndexChanged.connect(self.recompute)
        self.period.currentIndexChanged.connect(self.recompute)
        self.summary = QLabel(wordWrap=True)
        self.summary.setObjectName("sectionHeading")
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.help_link = QLabel('<a href="guide:credits">What\'s this figure?</a> — how the clauses make each '
                                'amount', textFormat=Qt.TextFormat.RichText)
        self.help_link.linkActivated.connect(link_opener(self))
        self.tree = CreditTree()
        self.what_if = WhatIfPanel()
        self.what_if.changed.connect(self._what_if)
        credits = QSplitter()
        credits.addWidget(self.tree)
        credits.addWidget(self.what_if)
        credits.setSizes([900, 420])
        self.clauses = ClausesPanel(ctx)
        self.tabs = QTabWidget()
        self.tabs.addTab(credits, "Credits and traces")
        self.tabs.addTab(self.clauses, "Clauses")
        self.body.addWidget(self.summary)
        self.body.addWidget(self.help_link)
        self.body.addWidget(self.tabs, 1)

    @staticmethod
    def load(ws: SqlWorkspace) -> PenaltiesData:
        return PenaltiesData([c.ref for c in list_records(ws, Contract)], list_templates())

    def depends_on(self, entity: str) -> bool:
        return entity in _WATCHED or entity.startswith("credit")

    def show_data(self, data: PenaltiesData | None) -> None:
        self.data = data or PenaltiesData([])
        wanted = self.contract.currentText()
        self.contract.blockSignals(True)
        self.contract.clear()
        self.contract.addItems(self.data.contracts)
        if wanted in self.data.contracts:
            self.contract.setCurrentText(wanted)
        self.contract.blockSignals(False)
        self.recompute()

    def choose(self, contract: str, period: str) -> None:
        """Show one contract and period (tests, and jumps from the reconciliation board)."""
        for combo, text in ((self.contract, contract), (self.period, period)):
            combo.blockSignals(True)
            if combo.findText(text) < 0:
                combo.addItem(text)
            combo.setCurrentText(text)
            combo.blockSignals(False)
        self.recompute()

    # --- computing ------------------------------------------------------------------------------
    def recompute(self, *_args: object) -> None:
        ws, contract, period = self.ctx.workspace, self.contract.currentText(), self.period.currentText()
        if ws is None or not contract or not period:
            self._show(None)
            return
        self._token_compute += 1
        token = self._token_compute
        self.summary.setText(f"Computing {contract} {period} from the raw data…")
        self.loading = True
        run_in_background(compute, ws, contract, period, history_source(),
                          on_done=partial(self._computed, token=token), on_error=self._failed)

    def _computed(self, computed: Computed, token: int) -> None:
        if token != self._token_compute:
            return
        self.loading = False
        self._show(computed)
        self.credits_shown.emit()

    def _failed(self, error: BaseException) -> None:
        self.loading = False
        self.summary.setText("The credits could not be computed.")
        report_exception(error)

    def _show(self, computed: Computed | None) -> None:
        self.computed = computed
        credits = computed.credits if computed else None
        self.tree.show_credits(credits)
        self.clauses.show_clauses(computed.contract if computed else "", computed.clauses if computed else [],
                                  self.data.templates)
        self.export_button.setEnabled(credits is not None)
        if computed is None:
            self.summary.setText("")
            self.what_if.set_results([])
            return
        if credits is None:
            self.summary.setText(computed.problem)
            self.what_if.set_results([])
            return
        self.summary.setText(summary_text(credits))
        inputs = computed.inputs
        assert inputs is not None  # credits are computed from them
        self.what_if.set_results([r for tid in inputs.history if (r := inputs.result(tid, credits.period))])
        self.what_if.show_outcome(credits, credits)

    def _what_if(self, figures: dict) -> None:
        if self.computed is None or self.computed.credits is None or self.computed.inputs is None:
            return
        after = self.computed.inputs.what_if(figures, self.computed.period) if figures else self.computed.credits
        self.what_if.show_outcome(self.computed.credits, after)

    # --- statement ------------------------------------------------------------------------------
    def export_statement(self) -> None:
        if self.computed is None or self.computed.credits is None:
            return
        name = f"claim-{self.computed.contract}-{self.computed.period}.pdf"
        path, _ = QFileDialog.getSaveFileName(self, "Export claim statement", name,
                                              "PDF (*.pdf);;Excel workbook (*.xlsx)")
        if path:
            self.write_statement(Path(path))

    def write_statement(self, path: Path) -> None:
        assert self.computed is not None  # the statement of the credits shown
        self.summary.setText(f"Writing {path.name}…")
        run_in_background(_write, self.ctx.workspace, self.computed.contract, self.computed.period, path,
                          history_source(), local_today(), on_done=self._written, on_error=self._failed)

    def _written(self, path: Path) -> None:
        assert self.computed is not None and self.computed.credits is not None  # written from the credits shown
        self.summary.setText(summary_text(self.computed.credits) + f"\nStatement written to {path}.")


def _write(ws, contract: str, period: str, path: Path, history, today: date) -> Path:
    from reports.claim_statement import write_statement
    from sltdesk.services.reconciliation import reconcile

    row, rows = reconcile(ws, contract, period, history=history, today=today)
    return write_statement(path, row, rows, generated=today)


def summary_text(credits: PeriodCredits) -> str:
    from sltdesk.domain.money import format_money

    deadline = credits.claim_deadline.isoformat() if credits.claim_deadline else "no claim window"
    flags = [f.text for f in credits.termination if f.triggered]
    bonus = f" · bonus payable separately {format_money(credits.incentives_payable, credits.currency)}" \
        if credits.incentives_payable else ""
    return (f"{credits.contract} {credits.period}: {format_money(credits.total, credits.currency)} owed under the "
            f"clauses · charges {format_money(credits.charges, credits.currency)} · claim by {deadline}{bonus}"
            + "".join(f"\n⚠ {f}" for f in flags))
