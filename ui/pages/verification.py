"""Verification: our attainment recomputed from the raw data beside the vendor's report, target by month,
with the drill-down to the evidence and exclusions, a chart per target, and the force-majeure workflow."""

from __future__ import annotations

import time

from PySide6.QtCore import QDate, QModelIndex, QSettings, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStyle,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from models.workspace import SqlWorkspace
from sltdesk.domain.period import months_between, shift
from sltdesk.domain.team import Permission
from sltdesk.errors import SltDeskError
from sltdesk.services.periods import mark_complete
from sltdesk.services.verification import Computation, VerificationData, load_verification, recompute
from ui import dialogs
from ui.context import WorkspaceContext
from ui.errors import report_exception
from ui.pages.base import Page
from ui.pages.verification_chart import ChartPanel
from ui.pages.verification_detail import DrillDown, drill
from ui.pages.verification_exceptions import ExceptionsPanel
from ui.pages.verification_false_positives import FalsePositivesPanel
from ui.pages.verification_grid import GridModel, fit_columns, legend_html, make_grid_view
from ui.pages.verification_text import summary_text
from ui.workers import Cancelled, Tagged, Worker, run_in_background, start, tagged

DEBOUNCE_MS = 150  # drill-down and chart follow the cursor once it rests
RANGE_DEBOUNCE_MS = 600
GRID_ROWS = 8  # the grid shows at least this many targets (if the contract has them) before the drill-down
GRID_SHARE = 0.5  # ... and, with more, up to this share of the height
MIN_DRILL_HEIGHT = 150
SETTING = "verification/contract"


class VerificationPage(Page):
    title = "Verification"
    computed = Signal()  # the grid shows a fresh recomputation (tests wait for it)
    drilled = Signal()  # the evidence of the current cell is shown

    def __init__(self, ctx: WorkspaceContext, parent: QWidget | None = None):
        super().__init__(ctx, parent)
        self.data: VerificationData | None = None
        self.computation: Computation | None = None
        self.job: Worker | None = None
        self._job_token = self._drill_token = 0
        self._periods: list[str] | None = None  # the range the user chose; None: the contract's default
        self._pending: tuple[int, int | None, str] | None = None  # a cell another page asked to open
        self._started = 0.0
        self._make_controls()
        self.tabs = QTabWidget()
        self.tabs.addTab(self._attainment_tab(), "Targets × months")
        self.exceptions = ExceptionsPanel(ctx)
        self.tabs.addTab(self.exceptions, "Force majeure")
        self.false_positives = FalsePositivesPanel(ctx)
        self.tabs.addTab(self.false_positives, "False positives")
        self.body.addWidget(self.tabs, 1)
        self._drill_timer = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self._drill_timer.timeout.connect(self._drill_now)
        self._range_timer = QTimer(self, singleShot=True, interval=RANGE_DEBOUNCE_MS)
        self._range_timer.timeout.connect(self._range_chosen)
        ctx.workspace_changed.connect(self._forget)  # after the reload was asked for, before its answer

    @staticmethod
    def load(ws: SqlWorkspace) -> VerificationData:
        return load_verification(ws)

    def depends_on(self, entity: str) -> bool:
        return entity in ("force_majeure", "false_positive", "contract", "contract_target", "measurement_rule",
                          "import_batch", "service_calendar", "supplier")

    # --- layout ---------------------------------------------------------------------------------------------
    def _make_controls(self) -> None:
        self.contract_choice = QComboBox(minimumContentsLength=28)
        self.contract_choice.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.contract_choice.currentIndexChanged.connect(self._contract_chosen)
        self.first_month, self.last_month = _month_edit(), _month_edit()
        for edit in (self.first_month, self.last_month):
            edit.dateChanged.connect(lambda _d: self._range_timer.start())
        self.recompute_button = QPushButton("Recompute")
        self.recompute_button.setToolTip("Measure again from the stored raw data (F5)")
        self.recompute_button.setShortcut("F5")
        self.recompute_button.clicked.connect(lambda: self.recompute(self._range()))
        self.progress = QProgressBar(textVisible=True)
        self.progress.setMaximumWidth(180)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self.cancel)
        for widget in (QLabel("Contract"), self.contract_choice, QLabel("From"), self.first_month, QLabel("to"),
                       self.last_month, self.recompute_button, self.progress, self.cancel_button):
            self.actions_row.addWidget(widget)
        self._show_busy(False)

    def _attainment_tab(self) -> QWidget:
        self.summary = QLabel(wordWrap=True)
        self.legend = QLabel(legend_html(), textFormat=Qt.TextFormat.RichText, wordWrap=True)
        self.legend.setObjectName("rowCount")
        self.grid_model = GridModel(self)
        self.grid = make_grid_view(self.grid_model)
        self.grid.selectionModel().currentChanged.connect(self._cell_changed)
        self.grid.drill_requested.connect(self.drill_down)
        self.drill = DrillDown()
        self.ctx.gate(self.drill.mark_button, Permission.APPROVE)
        self.drill.mark_requested.connect(self.mark_complete)
        self.chart = ChartPanel()
        top = QWidget()
        layout = QVBoxLayout(top)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addWidget(self.summary)
        layout.addWidget(self.legend)
        layout.addWidget(self.grid, 1)
        bottom = QSplitter()
        bottom.addWidget(_scrolling(self.drill))
        bottom.addWidget(self.chart)
        bottom.setSizes([640, 400])
        self.split = QSplitter(Qt.Orientation.Vertical)
        self.split.addWidget(top)
        self.split.addWidget(bottom)
        self.split.setSizes([260, 540])
        self.split.setChildrenCollapsible(False)
        return self.split

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self.computation is not None:
            self._fit_grid_height()

    def focus_filter(self) -> None:
        self.drill.evidence.filter.setFocus(Qt.FocusReason.ShortcutFocusReason)

    # --- data -----------------------------------------------------------------------------------------------
    def _forget(self) -> None:
        """Another workspace: nothing of the old one's choices or figures carries over."""
        self.cancel()
        self.data, self._periods = None, None
        self._set_computation(None)

    def show_data(self, data: VerificationData | None) -> None:
        same_workspace = data is not None and self.data is not None
        self.data = data
        wanted = self.contract_choice.currentData() if same_workspace else None
        self.contract_choice.blockSignals(True)
        self.contract_choice.clear()
        for contract in data.contracts if data else []:
            self.contract_choice.addItem(f"{contract.ref} — {contract.title}", contract.id)
        remembered = QSettings().value(SETTING, "")
        index = self.contract_choice.findData(wanted) if wanted is not None else \
            self.contract_choice.findText(f"{remembered} — ", Qt.MatchFlag.MatchStartsWith) if remembered else -1
        self.contract_choice.setCurrentIndex(max(index, 0) if data and data.contracts else -1)
        self.contract_choice.blockSignals(False)
        if not same_workspace:
            self._periods = None
            self._set_computation(None)
        for index, (panel, title) in enumerate(((self.exceptions, "Force majeure"),
                                                 (self.false_positives, "False positives")), start=1):
            panel.show_data(data, self.contract_choice.currentData())
            pending = panel.pending()
            self.tabs.setTabText(index, f"{title} ({pending} pending)" if pending else title)
        keep = self.computation.periods if self.computation and self.computation.contract.id == \
            self.contract_choice.currentData() else None
        if self._pending is not None and self._choose_pending():
            return
        self.recompute(self._periods or keep)

    def open_cell(self, contract_id: int, target_id: int | None, period: str) -> None:
        """Show a contract's grid over the twelve months up to `period` and make that cell current (once the
        page has its contracts and the grid is computed)."""
        self._pending = (contract_id, target_id, period)
        if self.data is not None:
            self._choose_pending()

    def _choose_pending(self) -> bool:
        if self._pending is None:
            return False
        contract_id, _target, period = self._pending
        index = self.contract_choice.findData(contract_id)
        if index < 0:
            self._pending = None
            return False
        self.contract_choice.blockSignals(True)
        self.contract_choice.setCurrentIndex(index)
        self.contract_choice.blockSignals(False)
        self.exceptions.contract_id = self.false_positives.contract_id = contract_id
        self._periods = months_between(shift(period, -11), period)
        self.recompute(self._periods)
        return True

    def _contract_chosen(self, _index: int) -> None:
        self._periods = None
        contract = self.data.contract(self.contract_choice.currentData()) if self.data else None
        if contract is not None:
            QSettings().setValue(SETTING, contract.ref)
        self.exceptions.contract_id = self.false_positives.contract_id = self.contract_choice.currentData()
        self.recompute(None)

    def _range(self) -> list[str] | None:
        first, last = (_month_of(e.date()) for e in (self.first_month, self.last_month))
        return months_between(min(first, last), max(first, last)) if self.computation else None

    def _range_chosen(self) -> None:
        periods = self._range()
        if periods and (self.computation is None or periods != self.computation.periods):
            self._periods = periods
            self.recompute(periods)

    # --- recomputing in the background ---------------------------------------------------------------------
    def recompute(self, periods: list[str] | None = None) -> None:
        """Start measuring the chosen contract (default range when `periods` is None); a running one is dropped."""
        self.cancel()
        ws = self.ctx.workspace
        contract = self.data.contract(self.contract_choice.currentData()) if self.data else None
        if ws is None or contract is None:
            self._set_computation(None)
            return
        self._job_token += 1
        worker = Worker(tagged, self._job_token, recompute, ws, contract, periods, progress=True)
        worker.signals.progress.connect(self._on_recompute_progress)
        worker.signals.finished.connect(self._on_computed)
        self._started = time.monotonic()
        self.job = start(worker)
        self._show_busy(True)
        self.progress.setValue(0)
        self.summary.setText(f"Recomputing {contract.ref} from the raw data…")

    def cancel(self) -> None:
        """Stop the running recomputation at its next step; the grid keeps what it showed."""
        if self.job is not None:
            self.job.cancel()
            self.job = None
            self._job_token += 1
            self._show_busy(False)
            self.summary.setText("Recomputing was cancelled; the grid shows the figures computed before.")

    def _on_recompute_progress(self, percent: int, message: str) -> None:
        if self.job is not None:
            self.progress.setValue(percent)
            self.progress.setFormat(f"{percent} %")
            self.progress.setToolTip(message)

    def _on_computed(self, answer: Tagged) -> None:
        if answer.token != self._job_token:
            return  # superseded or cancelled
        self.job = None
        self._show_busy(False)
        if answer.error is not None:
            self._recompute_failed(answer.error)
            return
        self._set_computation(answer.value, seconds=time.monotonic() - self._started)
        self._open_pending_cell()
        self.computed.emit()

    def _open_pending_cell(self) -> None:
        """The cell another page asked to open, once its contract's grid is computed."""
        if self._pending is None or self.computation is None or self.computation.contract.id != self._pending[0]:
            return
        _contract, target_id, period = self._pending
        self._pending = None
        self.select_cell(target_id if target_id is not None else self.computation.targets[0].id, period)
        self.grid.setFocus(Qt.FocusReason.OtherFocusReason)

    def _recompute_failed(self, error: BaseException) -> None:
        if not isinstance(error, Cancelled):
            self.summary.setText("Recomputing failed; see the message.")
            report_exception(error)

    def _set_computation(self, computation: Computation | None, *, seconds: float = 0.0) -> None:
        before = self.grid.currentIndex()
        old = self.computation
        place = (old.targets[before.row()].id, old.periods[before.column()]) if old and before.isValid() else None
        self.computation = computation
        self.grid_model.set_computation(computation)
        if computation is None:
            self.summary.setText("Loading…" if self.data is None else "Choose a contract." if self.data.contracts
                                 else "No contracts yet: add one on the Contracts page.")
            self._cell_changed(QModelIndex(), QModelIndex())
            return
        fit_columns(self.grid)
        for edit, month in ((self.first_month, computation.periods[0]), (self.last_month, computation.periods[-1])):
            edit.blockSignals(True)
            edit.setDate(QDate(int(month[:4]), int(month[5:7]), 1))
            edit.blockSignals(False)
        self.summary.setText(summary_text(computation, seconds))
        self._fit_grid_height()  # after the summary, whose lines it counts
        if place is not None and not self.select_cell(*place):
            self._cell_changed(QModelIndex(), QModelIndex())
        elif place is None:
            self._cell_changed(QModelIndex(), QModelIndex())

    def _fit_grid_height(self) -> None:
        """The grid gets the height of all its rows, or of at least GRID_ROWS of them (whichever is less), then
        up to GRID_SHARE of the pane; the drill-down below takes the rest and scrolls when that is short."""
        rows, columns = self.grid_model.rowCount(), self.grid_model.columnCount()
        header = self.grid.horizontalHeader()
        scrolls = self.grid.narrowest * columns + self.grid.verticalHeader().width() > self.grid.width()
        fixed = (header.sizeHint().height() + 2 * self.grid.frameWidth() + 2
                 + (self.grid.horizontalScrollBar().sizeHint().height() if scrolls else 0))
        row = self.grid.verticalHeader().defaultSectionSize()
        width = max(self.summary.width(), 200)
        pane = self.split.widget(0)
        layout = pane.layout() if pane is not None else None
        assert layout is not None  # the grid's pane, laid out in __init__
        margins = layout.contentsMargins()
        spacing = layout.spacing() if layout.spacing() >= 0 else \
            self.style().pixelMetric(QStyle.PixelMetric.PM_LayoutVerticalSpacing)
        extra = (self.summary.heightForWidth(width) + self.legend.heightForWidth(width) + 2 * max(spacing, 0)
                 + margins.top() + margins.bottom())
        total = sum(self.split.sizes()) or 800
        top = min(fixed + rows * row, max(fixed + min(rows, GRID_ROWS) * row, int(total * GRID_SHARE))) + extra
        top = min(top, total - MIN_DRILL_HEIGHT)
        self.split.setSizes([top, total - top])

    def _show_busy(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        self.cancel_button.setVisible(busy)
        self.recompute_button.setEnabled(not busy)

    # --- selecting and drilling down -------------------------------------------------------------------------
    def select_cell(self, target_id: int | None, period: str) -> bool:
        """Make the cell of this target and period current (and drill down into it)."""
        if self.computation is None or period not in self.computation.periods:
            return False
        row = next((i for i, t in enumerate(self.computation.targets) if t.id == target_id), -1)
        if row < 0:
            return False
        self.grid.setCurrentIndex(self.grid_model.index(row, self.computation.periods.index(period)))
        return True

    def drill_down(self, index: QModelIndex) -> None:
        """Enter on a cell: its evidence now, and the cursor into the evidence table."""
        if not index.isValid():
            return
        self._drill_timer.stop()
        self._drill_now()
        self.drill.evidence.setFocus(Qt.FocusReason.OtherFocusReason)

    def _cell_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._drill_token += 1  # an answer for the old cell is not wanted any more
        if not current.isValid() or self.computation is None:
            self.drill.show_result(None)
            self.chart.show_results(None)
            return
        result = self.computation.result(current.row(), current.column())
        self.drill.show_result(result)
        self.false_positives.cell = (result.target_id, result.period) if result is not None else None
        self._drill_timer.start()

    def _drill_now(self) -> None:
        index, ws = self.grid.currentIndex(), self.ctx.workspace
        if not index.isValid() or self.computation is None or ws is None:
            return
        target = self.computation.targets[index.row()]
        assert target.id is not None  # a stored target
        self.chart.show_results(self.computation.results[target.id], index.column())
        self._drill_token += 1
        run_in_background(tagged, self._drill_token, drill, ws, self.computation, index.row(), index.column(),
                          on_done=self._on_drilled)

    def _on_drilled(self, answer: Tagged) -> None:
        if answer.token != self._drill_token:
            return
        if answer.error is not None:
            report_exception(answer.error)
            return
        self.drill.show_evidence(answer.value)
        self.drilled.emit()


    def mark_complete(self, result) -> None:
        """Ask for the reason, mark the contract's period complete as imported (audited), recompute."""
        ws = self.ctx.workspace
        if result is None or ws is None:
            return
        reason = dialogs.ask_text(self, mark_question(result), title="Complete as imported",
                                  label="Why (e.g. the vendor's e-mail confirming there is no more data):")
        if not reason:
            return
        run_in_background(mark_complete, ws, result.contract_ref, result.period, reason=reason,
                          on_done=lambda _mark: self.recompute(self._range()), on_error=self._mark_failed)

    def _mark_failed(self, error: BaseException) -> None:
        if isinstance(error, SltDeskError):  # e.g. marked already by someone else: say so
            dialogs.warn(self, str(error))
        else:
            report_exception(error)


def _scrolling(widget: QWidget) -> QScrollArea:
    """The drill-down scrolls as a whole when its pane is lower than its labels and tables need."""
    area = QScrollArea(widgetResizable=True)
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    area.setWidget(widget)
    return area


def _month_edit() -> QDateEdit:
    edit = QDateEdit()
    edit.setDisplayFormat("MMM yyyy")
    edit.setDate(QDate.currentDate())
    return edit


def _month_of(day: QDate) -> str:
    return f"{day.year()}-{day.month():02d}"


def mark_question(result) -> str:
    return (f"Mark {result.contract_ref} {result.period} complete as imported?\n{result.coverage}. The period is "
            "then judged on the imported data, with each target's missing-data policy for the rest.")
