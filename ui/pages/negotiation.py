"""The Negotiation panel of a contract target: the distribution of its monthly figures (chart), candidate
thresholds typed freely with what the current clauses would have paid, and the suggested threshold. Computed in
the background by sltdesk/services/negotiation.py; the texts are the brief's (negotiation_view)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from functools import partial

from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from PySide6.QtCore import Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QSizePolicy, QVBoxLayout, QWidget

from reports.negotiation_chart import negotiation_figure
from sltdesk.domain.register import ContractTarget
from sltdesk.services.negotiation import Negotiation, negotiate_target
from sltdesk.services.negotiation_view import brief_view
from ui.context import WorkspaceContext
from ui.table_model import Column
from ui.table_panel import TablePanel
from ui.workers import run_in_background


def history_source():
    """The attainment measurement the figures come from (tests may replace it)."""
    from sltdesk.services.attainment import attainment_history

    return attainment_history


def parse_thresholds(text: str) -> list[Decimal]:
    """'99.9; 99.95 99,99 %' → the numbers; raises ValueError naming the first that is not one."""
    out = []
    for part in text.replace(";", " ").replace("%", " ").split():
        try:
            value = Decimal(part.replace(",", "."))
        except InvalidOperation:
            raise ValueError(f"'{part}' is not a number") from None
        if not value.is_finite():
            raise ValueError(f"'{part}' is not a number")
        out.append(value)
    return out


class NegotiationPanel(QWidget):
    """The selected target's negotiation; `computed` is emitted once a computation is shown."""

    computed = Signal()

    def __init__(self, ctx: WorkspaceContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.target: ContractTarget | None = None
        self.negotiation: Negotiation | None = None
        self._asked = 0
        self._pending = False
        self.status = QLabel("Select a target to see its figures for the renewal talk.", wordWrap=True)
        self.candidates = QLineEdit(placeholderText="candidate thresholds, e.g. 99.9 99.95 99.99 — press Enter")
        self.candidates.returnPressed.connect(self.recompute)
        self.distribution = QLabel(wordWrap=True)
        self.table = TablePanel([Column("Threshold", lambda r: r[0]), Column("Missed", lambda r: r[1]),
                                 Column("Total", lambda r: r[2]), Column("Per month", lambda r: r[3])],
                                placeholder="Filter candidates", name="candidate thresholds")
        self.suggestion = QLabel(wordWrap=True)
        self.chart_box = QVBoxLayout()
        self.canvas: FigureCanvasQTAgg | None = None
        form = QFormLayout()
        form.addRow("&Candidates", self.candidates)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addLayout(self.chart_box, 3)
        layout.addWidget(self.distribution)
        layout.addLayout(form)
        layout.addWidget(self.table, 2)
        layout.addWidget(self.suggestion)

    def show_target(self, target: ContractTarget | None) -> None:
        """Show this target; computed now when the panel is visible, else when it is next shown."""
        same = target is not None and self.target is not None and target.id == self.target.id
        self.target = target
        if same and not self._pending:
            return
        self._pending = not self.isVisible()
        if not self._pending:
            self.recompute()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._pending:
            self._pending = False
            self.recompute()

    def recompute(self) -> None:
        """Compute the selected target's negotiation with the typed candidates, off the GUI thread."""
        self._asked += 1
        if self.target is None or self.target.id is None or self.ctx.workspace is None:
            self._show(None)
            return
        try:
            thresholds = parse_thresholds(self.candidates.text())
        except ValueError as error:
            self.status.setText(f"Candidates: {error}; write numbers such as 99.95.")
            return
        self.status.setText(f"Computing {self.target.name} from its complete months…")
        run_in_background(negotiate_target, self.ctx.workspace, self.target.id, thresholds,
                          history=history_source(), on_done=partial(self._done, self._asked),
                          on_error=partial(self._failed, self._asked))

    def _done(self, asked: int, negotiation: Negotiation) -> None:
        if asked == self._asked:
            self._show(negotiation)
            self.computed.emit()

    def _failed(self, asked: int, error: BaseException) -> None:
        if asked == self._asked:
            self._show(None)
            self.status.setText(str(error))
            self.computed.emit()

    def _show(self, n: Negotiation | None) -> None:
        self.negotiation = n
        if self.canvas is not None:
            self.chart_box.removeWidget(self.canvas)
            self.canvas.deleteLater()
            self.canvas = None
        if n is None:
            self.status.setText("Select a target to see its figures for the renewal talk.")
            self.distribution.clear()
            self.suggestion.clear()
            self.table.set_rows([])
            return
        view = brief_view(n)
        self.status.setText(view.subtitle)
        extra = tuple(c.threshold for c in n.candidates)
        self.canvas = FigureCanvasQTAgg(negotiation_figure(n, extra=extra, size=(5.6, 3.0), fit=True))
        self.canvas.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.canvas.setMinimumSize(320, 220)
        self.chart_box.addWidget(self.canvas)
        self.distribution.setText("; ".join(f"{name}: {value}" for name, value in view.distribution)
                                  + f".\n{view.trend}")
        self.table.set_rows(list(view.candidate_rows))
        self.suggestion.setText(f"Suggested threshold {view.suggestion}: {view.rule}. A suggestion only; it "
                                "changes no contract.")
