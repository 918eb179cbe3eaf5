"""Reconciliation: a board across contracts and periods — owed, issued, outstanding, the claim status and the
deadline warnings — and, for the chosen row, its credit notes and a status change (audited)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from models.workspace import SqlWorkspace
from sltdesk.domain.money import format_money
from sltdesk.domain.reconciliation import ClaimStatus, CreditClaim, ReconciledPeriod
from sltdesk.domain.team import Permission
from sltdesk.errors import SltDeskError
from sltdesk.rules.reconciliation import WARN_DAYS
from sltdesk.services.reconciliation import Board, board, set_status
from ui.context import WorkspaceContext, local_today
from ui.date_field import DateField
from ui.errors import report_exception
from ui.pages.base import Page
from ui.pages.penalties import history_source, recent_months
from ui.table_model import RIGHT, Column, money_text
from ui.table_panel import TablePanel
from ui.workers import run_in_background

RED, AMBER, GREEN = "#b3261e", "#b54708", "#067647"


def _status_colour(row: ReconciledPeriod) -> str | None:
    if row.status is ClaimStatus.EXPIRED and row.variance > 0:
        return RED
    if row.status is ClaimStatus.TO_CLAIM and row.days_left is not None and row.days_left <= WARN_DAYS:
        return AMBER
    if row.status in (ClaimStatus.DISPUTED,) or (row.issued and row.variance > 0):
        return AMBER
    if row.status in (ClaimStatus.ISSUED, ClaimStatus.SETTLED):
        return GREEN
    return None


def board_columns() -> list[Column]:
    def amount(name: str):
        return Column(name.replace("variance", "outstanding").capitalize(), name, align=RIGHT,
                      display=lambda r: money_text(getattr(r, name), r.currency))

    return [Column("Contract", "contract"), Column("Supplier", "supplier"), Column("Period", "period"),
            Column("Cur.", "currency"), amount("computed"), amount("issued"), amount("variance"), amount("balance"),
            Column("Status", "status_text", color=_status_colour),
            Column("Claim by", lambda r: r.claim_deadline, color=_status_colour),
            Column("Warnings", lambda r: "; ".join(r.warnings), tooltip=True, color=_status_colour)]


class ReconciliationPage(Page):
    title = "Reconciliation"
    reports_progress = True  # contract by contract, and Cancel stops the recompute

    def __init__(self, ctx: WorkspaceContext, parent: QWidget | None = None):
        super().__init__(ctx, parent)
        self.board: Board | None = None
        self._pending: tuple[str, str] | None = None  # (contract, period) another page asked to open
        months = list(reversed(recent_months(local_today())))
        self.first, self.last = QComboBox(), QComboBox()
        self.first.addItems(months)
        self.last.addItems(months)
        self.first.setCurrentIndex(len(months) - 6)
        self.last.setCurrentIndex(len(months) - 1)
        self.show_button = QPushButton("Show")
        self.show_button.clicked.connect(self.refresh)
        self.only_money = QCheckBox("Only periods with money owed or issued")
        self.only_money.setChecked(True)
        self.only_money.toggled.connect(lambda _on: self.show_data(self.board))
        for widget in (self.only_money, QLabel("From"), self.first, QLabel("to"), self.last, self.show_button):
            self.actions_row.addWidget(widget)
        self.totals = QLabel(wordWrap=True)
        self.totals.setObjectName("sectionHeading")
        self.alerts = QLabel(wordWrap=True)
        self.alerts.setStyleSheet(f"color: {RED};")
        self.figures = QLabel(wordWrap=True)  # how many figures were read from the stored results, how many measured
        self.figures.setObjectName("boardFigures")
        self.rows = TablePanel(board_columns(), placeholder="Filter contracts, periods, statuses", stretch=10)
        self.rows.current_changed.connect(self._show_row)
        splitter = QSplitter(Qt.Orientation.Vertical, childrenCollapsible=False)
        splitter.addWidget(self.rows)
        splitter.addWidget(self._detail())
        splitter.setSizes([480, 260])
        self.body.addWidget(self.totals)
        self.body.addWidget(self.alerts)
        self.body.addWidget(self.figures)
        self.body.addWidget(splitter, 1)

    def _offer_statuses(self) -> None:
        """Settling a claim is the approver's (team mode): others see the status, greyed, with the reason."""
        settled = list(ClaimStatus).index(ClaimStatus.SETTLED)
        model = self.status_choice.model()
        assert isinstance(model, QStandardItemModel)  # a combo box's own model
        item = model.item(settled)
        allowed = self.ctx.allows(Permission.APPROVE)
        item.setEnabled(allowed)
        item.setToolTip("" if allowed else self.ctx.gates.why_not(Permission.APPROVE))

    def _detail(self) -> QWidget:
        box = QFrame()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 6, 0, 0)
        self.detail = QLabel(wordWrap=True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status_choice = QComboBox()
        self.status_choice.addItems([s.value for s in ClaimStatus])
        self.ctx.workspace_changed.connect(self._offer_statuses)
        self._offer_statuses()  # the page may be built after the workspace opened (the window builds it when shown)
        self.status_date = DateField(local_today())
        self.status_note = QLineEdit(placeholderText="Note, e.g. the supplier's credit-note number")
        self.record_button = QPushButton("Record status")
        self.record_button.setEnabled(False)
        self.record_button.setToolTip("Store the claim's new status and its date (audited)")
        self.record_button.clicked.connect(self.record_status)
        self.ctx.gate(self.record_button, Permission.EDIT)
        self.status_message = QLabel(wordWrap=True)
        change = QHBoxLayout()
        for widget, stretch in ((QLabel("Status"), 0), (self.status_choice, 0), (QLabel("on"), 0),
                                (self.status_date, 0), (self.status_note, 1), (self.record_button, 0)):
            change.addWidget(widget, stretch)
        layout.addWidget(self.detail, 1)
        layout.addLayout(change)
        layout.addWidget(self.status_message)
        return box

    @staticmethod
    def load(ws: SqlWorkspace) -> Board:
        return board(ws, history=history_source(), today=local_today())

    def loader(self):
        """The board for the chosen months (read now, on the GUI thread; computed in the background)."""
        first, last = sorted((self.first.currentText(), self.last.currentText()))
        history, today = history_source(), local_today()
        return lambda w, progress: board(w, history=history, today=today, first=first, last=last, progress=progress)

    def loading_message(self) -> str:
        first, last = sorted((self.first.currentText(), self.last.currentText()))
        return f"Computing {first} … {last} for every contract with clauses…"

    def cancel_loading(self) -> None:
        """Cancel the recompute: the board, its totals and its months stay as they were."""
        super().cancel_loading()
        self._pending = None
        if self.board is not None:
            self.first.setCurrentText(self.board.first)
            self.last.setCurrentText(self.board.last)

    def depends_on(self, entity: str) -> bool:
        return entity.startswith("credit") or entity in ("import_batch", "contract", "contract_target")

    def show_data(self, data: Board | None) -> None:
        self.board = data
        rows = list(data.rows) if data else []
        if self.only_money.isChecked():
            rows = [r for r in rows if r.computed or r.issued or r.claim is not None]
        wanted = self.rows.current()
        place = self._pending or ((wanted.contract, wanted.period) if wanted is not None else None)
        self._pending = None
        self.rows.set_rows(rows, keep=lambda r: (r.contract, r.period) == place)
        if data is None:
            self.totals.setText("")
            self.alerts.setText("")
            self.figures.setText("")
            return
        self.totals.setText("   ·   ".join(
            f"{t.currency}: owed {money_text(t.owed, t.currency)}, issued {money_text(t.issued, t.currency)}, "
            f"outstanding {money_text(t.outstanding, t.currency)}" for t in data.totals if t.owed or t.issued)
            or ("Nothing owed in these months." if data.totals else "No contract has credit clauses yet: add them "
                "on the Penalties page."))
        alerts = [f"{r.contract} {r.period}: {w}" for r in rows for w in r.warnings
                  if w.startswith(("claim by", "the claim window closed"))]
        self.alerts.setText("\n".join(alerts))
        self.figures.setText(data.figures)

    def open_period(self, contract: str, period: str) -> None:
        """Show the months around a contract's period and make its row current once computed."""
        self._pending = (contract, period)
        months = [self.first.itemText(i) for i in range(self.first.count())]
        if period in months:
            first, last = sorted((self.first.currentText(), self.last.currentText()))
            self.first.setCurrentText(min(first, period))
            self.last.setCurrentText(max(last, period))
        self.reload()

    # --- one row ----------------------------------------------------------------------------------
    def _show_row(self, row: ReconciledPeriod | None) -> None:
        self.record_button.setEnabled(row is not None)
        self.detail.setText(detail_html(row) if row else "")
        if row is not None:
            self.status_choice.setCurrentText(row.stored_status.value)

    def record_status(self) -> None:
        row: ReconciledPeriod | None = self.rows.current()
        if row is None or self.ctx.workspace is None or (on := self._status_date()) is None:
            return
        self.status_message.setStyleSheet("")
        self.status_message.setText("Saving…")
        run_in_background(set_status, self.ctx.workspace, row.contract, row.period,
                          ClaimStatus(self.status_choice.currentText()), on=on, note=self.status_note.text().strip(),
                          credits=row.credits, on_done=self._recorded, on_error=self._record_failed)

    def _status_date(self) -> date | None:
        """The date typed for the status; None (said under the date, nothing stored) when it is not one."""
        try:
            return self.status_date.value()
        except ValueError as error:
            self.status_date.mark(str(error))
            self.status_message.setStyleSheet(f"color: {RED};")
            self.status_message.setText(f"Not recorded: {error}")
            return None

    def _recorded(self, claim: CreditClaim) -> None:
        self.status_message.setStyleSheet("")
        self.status_message.setText(f"Recorded: {claim.period} is {claim.status.value}.")
        self.status_note.clear()
        self.ctx.notify_changed("credit_claim")

    def _record_failed(self, error: BaseException) -> None:
        self.status_message.setStyleSheet(f"color: {RED};")
        if isinstance(error, SltDeskError):
            self.status_message.setText(f"Not recorded: {error}")
        else:
            self.status_message.setText("Not recorded.")
            report_exception(error)


def _dates(claim: CreditClaim | None) -> str:
    if claim is None:
        return ""
    steps = [(s, getattr(claim, f"{s}_on")) for s in ("claimed", "issued", "disputed", "settled", "expired")]
    text = ", ".join(f"{s} {d.isoformat()}" for s, d in steps if d)
    return f" ({text})" if text else ""


def _html(text: str) -> str:
    from html import escape

    return escape(text)


def detail_html(row: ReconciledPeriod) -> str:
    """One board row in words: computed, issued and owed, its credit notes, the claim and its deadline."""
    notes = "; ".join(f"{n.document_id} line {n.line}: {n.description} "
                      f"{money_text(n.amount, n.currency or row.currency)}" for n in row.notes) or "none imported"
    lines = "; ".join(f"{ln.target} {ln.kind.value} {money_text(ln.amount, row.currency)}"
                      for ln in row.credits.lines if ln.amount) or "no credit"
    return (f"<b>{_html(row.contract)} {row.period}</b> — computed {format_money(row.computed, row.currency)} "
            f"({_html(lines)}); issued {money_text(row.issued, row.currency)}; still owed "
            f"{money_text(row.variance, row.currency)}.<br>Credit notes: {_html(notes)}<br>Claim: {row.status_text}"
            f"{_dates(row.claim)}; deadline {_html(row.credits.deadline_trace)}."
            + "".join(f"<br>⚠ {_html(w)}" for w in row.warnings))
