"""Reviews: joint service reviews with each supplier — create one from the previous (open actions carried
over), edit agenda notes, attendees, decisions and actions, preview the pack's figures and export the pack."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from models.workspace import SqlWorkspace
from sltdesk.domain.period import Period, shift
from sltdesk.domain.register import Supplier
from sltdesk.domain.team import Permission
from sltdesk.services.register import list_records
from sltdesk.services.reviews import (
    ReviewDetail,
    ReviewSummary,
    create_review,
    list_reviews,
    review_detail,
    target_names,
)
from ui.context import WorkspaceContext, local_today
from ui.date_field import DateField
from ui.errors import report_exception
from ui.forms import ERROR_STYLE
from ui.pages.base import Page
from ui.pages.review_panels import ActionsPanel, AgendaPanel
from ui.pages.review_preview import PackPreview
from ui.table_model import Column
from ui.table_panel import TablePanel
from ui.workers import run_in_background

_WATCHED = ("review", "review_attendee", "review_agenda_note", "review_decision", "improvement_action",
            "review_action", "root_cause", "supplier")


@dataclass(frozen=True)
class ReviewsData:
    reviews: list[ReviewSummary]
    suppliers: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Loaded:
    detail: ReviewDetail
    targets: dict[int, str]


def load_review(ws: SqlWorkspace, review_id: int) -> Loaded:
    """Worker: one review with the targets its actions may link to."""
    detail = review_detail(ws, review_id)
    return Loaded(detail, target_names(ws, detail.review.supplier_id))


class NewReviewDialog(QDialog):
    """Supplier, period and meeting date of a new review."""

    def __init__(self, suppliers: list[str], today: date, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("New review")
        self.supplier = QComboBox()
        self.supplier.addItems(suppliers)
        self.period = QLineEdit(shift(Period.month(today.year, today.month).label, -1))
        self.held_on = DateField(today)
        self.held_on_error = QLabel(wordWrap=True)
        self.held_on_error.setVisible(False)
        self.held_on_error.setStyleSheet(ERROR_STYLE)
        form = QFormLayout(self)
        form.addRow("Supplier", self.supplier)
        form.addRow("Period", self.period)
        form.addRow("Held on", self.held_on)
        form.addRow("", self.held_on_error)
        form.addRow(QLabel("The supplier's open actions are carried over, and the attendees of its last review "
                           "copied.", wordWrap=True))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def accept(self) -> None:
        """OK only with a meeting date that is a date; otherwise the sentence stands under the field."""
        problem = self.held_on.problem()
        self.held_on.mark(problem)
        self.held_on_error.setText(problem)
        self.held_on_error.setVisible(bool(problem))
        if not problem:
            super().accept()

    def values(self) -> tuple[str, str, date]:
        held_on = self.held_on.value()
        assert held_on is not None  # a required date, checked by accept()
        return self.supplier.currentText(), self.period.text().strip(), held_on


class ReviewsPage(Page):
    title = "Reviews"
    review_shown = Signal()  # after a review's detail was shown

    def __init__(self, ctx: WorkspaceContext, parent: QWidget | None = None):
        super().__init__(ctx, parent)
        self.data = ReviewsData([])
        self.loaded_review: Loaded | None = None
        self._detail_token = 0
        self._select_after_load: int | None = None
        self._pending_action: tuple[int, str] | None = None  # (action id, supplier) another page asked to open
        self.new_button = QPushButton("New review…")
        self.new_button.setToolTip("Create a review from the supplier's previous one")
        self.new_button.clicked.connect(self.open_new_dialog)
        ctx.gate(self.new_button, Permission.EDIT)
        self.actions_row.addWidget(self.new_button)
        self.reviews = TablePanel(_review_columns(), placeholder="Filter reviews", stretch=5)
        self.reviews.current_changed.connect(self._on_review)
        self.heading_label = QLabel(wordWrap=True)
        self.heading_label.setObjectName("sectionHeading")
        self.heading_label.setTextFormat(Qt.TextFormat.PlainText)
        self.agenda = AgendaPanel(ctx)
        self.backlog = ActionsPanel(ctx)
        self.pack = PackPreview(ctx)
        for panel in (self.agenda, self.backlog):
            panel.changed.connect(self._on_edited)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.agenda, "Agenda, attendees and decisions")
        self.tabs.addTab(self.backlog, "Improvement backlog")
        self.tabs.addTab(self.pack, "Pack")
        right = QWidget()
        layout = QVBoxLayout(right)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading_label)
        layout.addWidget(self.tabs, 1)
        splitter = QSplitter()
        splitter.addWidget(self.reviews)
        splitter.addWidget(right)
        splitter.setSizes([520, 840])  # the list keeps its six columns at 1280×800
        splitter.setStretchFactor(1, 1)
        self.body.addWidget(splitter, 1)

    @staticmethod
    def load(ws: SqlWorkspace) -> ReviewsData:
        suppliers = sorted((s.name for s in list_records(ws, Supplier)), key=str.casefold)
        return ReviewsData(list_reviews(ws), suppliers)

    def depends_on(self, entity: str) -> bool:
        return entity in _WATCHED

    def show_data(self, data: ReviewsData | None) -> None:
        self.data = data or ReviewsData([])
        wanted = getattr(self.reviews.current(), "review", None)
        self.reviews.set_rows(self.data.reviews, keep=lambda r: wanted is not None and r.review.id == wanted.id)
        if self._pending_action is not None and self._choose_pending():
            return
        if self.reviews.current() is None and self.data.reviews:
            self.reviews.select(lambda r: True)

    def open_action(self, action_id: int, supplier: str) -> None:
        """Show the supplier's latest review with its backlog, the action current (once loaded)."""
        self._pending_action = (action_id, supplier)
        if self.data.reviews:
            self._choose_pending()

    def _choose_pending(self) -> bool:
        if self._pending_action is None:
            return False
        action_id, supplier = self._pending_action
        own = [r for r in self.data.reviews if r.supplier == supplier]
        if not own:
            self._pending_action = None
            return False
        latest = max(own, key=lambda r: (r.review.held_on, r.review.id or 0)).review.id
        current = self.reviews.current()
        if current is not None and getattr(current, "review", None) is not None and \
                current.review.id == latest and self.loaded_review is not None:
            self._select_pending_action()
        else:
            self.reviews.select(lambda r: r.review.id == latest)
        return True

    def _select_pending_action(self) -> None:
        if self._pending_action is None:
            return
        action_id, _supplier = self._pending_action
        self._pending_action = None
        self.tabs.setCurrentWidget(self.backlog)
        self.backlog.table.select(lambda i: i.action.id == action_id)

    def focus_filter(self) -> None:
        self.reviews.focus_filter()

    # --- creating --------------------------------------------------------------------------------
    def open_new_dialog(self) -> None:
        dialog = NewReviewDialog(self.data.suppliers, local_today(), self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.new_review(*dialog.values())

    def new_review(self, supplier: str, period: str, held_on: date) -> None:
        """Create the review (open actions carried over) and show it."""
        if self.ctx.workspace is None:
            return
        try:
            review = create_review(self.ctx.workspace, supplier=supplier, period=period, held_on=held_on)
        except Exception as error:  # a user mistake is shown as its sentence
            report_exception(error)
            return
        self._select_after_load = review.id
        self.loaded.connect(self._select_created, Qt.ConnectionType.SingleShotConnection)
        self.ctx.notify_changed("review")

    def select_review(self, review_id: int) -> None:
        """Show one review (now, or as soon as the list has loaded)."""
        if self.loading or not self.reviews.select(lambda r: r.review.id == review_id):
            self._select_after_load = review_id
            self.loaded.connect(self._select_created, Qt.ConnectionType.SingleShotConnection)

    def _select_created(self) -> None:
        wanted = self._select_after_load
        self.reviews.select(lambda r: r.review.id == wanted)

    # --- one review ------------------------------------------------------------------------------
    def _on_review(self, row: ReviewSummary | None) -> None:
        self._detail_token += 1
        if row is None or self.ctx.workspace is None:
            self._show_detail(None)
            return
        token = self._detail_token
        run_in_background(load_review, self.ctx.workspace, row.review.id,
                          on_done=lambda loaded: self._loaded(token, loaded))

    def _loaded(self, token: int, loaded: Loaded) -> None:
        if token == self._detail_token:
            self._show_detail(loaded)

    def _show_detail(self, loaded: Loaded | None) -> None:
        self.loaded_review = loaded
        detail = loaded.detail if loaded else None
        self.agenda.show_detail(detail)
        self.backlog.show_detail(detail, loaded.targets if loaded else {})
        if detail is None:
            self.heading_label.setText("Create a review with 'New review…'." if not self.data.reviews else "")
            self.pack.set_review("", "")
            return
        r = detail.review
        carried = sum(1 for i in detail.backlog if i.carried)
        since = f", after the {detail.previous_period} review ({carried} actions carried over)" \
            if detail.previous_period else ""
        self.heading_label.setText(f"{r.title} — held on {r.held_on.isoformat()}{since}")
        self.pack.set_review(detail.supplier, r.period)
        self._select_pending_action()
        self.review_shown.emit()

    def _on_edited(self, entity: str) -> None:
        self.ctx.notify_changed(entity)  # the page reloads; the current review stays selected and is shown again


def _review_columns() -> list[Column]:
    return [Column("Supplier", lambda r: r.supplier), Column("Period", lambda r: r.review.period),
            Column("Held on", lambda r: r.review.held_on), Column("Open", "open_actions"),
            Column("Backlog", "backlog"), Column("Decisions", "decisions")]
