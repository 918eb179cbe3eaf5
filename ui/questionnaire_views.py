"""Pieces of the Questionnaires page: table columns, answer rows and a matplotlib chart widget."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QImage, QPixmap, QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from sltdesk.services.questionnaire_outlook import SupplierMaturity, TargetOutlook
from sltdesk.services.questionnaires import ScoredAssessment
from ui.table_model import RIGHT, Column
from ui.workers import run_in_background

RED, AMBER, GREEN = "#b3261e", "#8a5a00", "#1e6b35"


def percent(value: Decimal | float | None) -> str:
    return "" if value is None else f"{float(value) * 100:.1f} %"


def _score_color(value: Decimal | float | None) -> str | None:
    if value is None:
        return None
    return RED if value < Decimal("0.5") else AMBER if value < Decimal("0.7") else GREEN


@dataclass(frozen=True)
class AnswerRow:
    code: str
    section: str
    question: str
    answer: str
    status: str
    rating: Decimal | None
    weight: Decimal
    criticality: str
    evidence_requested: bool
    evidence: str
    comment: str


def answer_rows(item: ScoredAssessment) -> list[AnswerRow]:
    """Every question of the assessment's template with its answer, rating, evidence and comment."""
    given = {a.question: a for a in item.assessment.answers}
    rows = []
    for result in item.card.questions:
        q = item.template.question(result.code)
        assert q is not None  # the card scores the template's own questions
        answer = given.get(result.code)
        rows.append(AnswerRow(result.code, result.section, q.text, result.answer, result.status.value, result.rating,
                              result.weight, q.criticality.value, q.evidence_requested,
                              answer.evidence if answer else "", answer.comment if answer else ""))
    return rows


def comparison_columns() -> list[Column]:
    return [
        Column("Supplier", "supplier"),
        Column("Assessed", lambda r: r.latest.assessment.assessed_on),
        Column("Overall", lambda r: r.latest.card.overall, display=lambda r: percent(r.latest.card.overall),
               align=RIGHT, color=lambda r: _score_color(r.latest.card.overall)),
        Column("Level", lambda r: r.latest.card.level or 0, display=lambda r: f"{r.latest.card.level or '–'} "
               f"{r.latest.card.level_name}"),
        Column("Change", lambda r: r.change, display=_change, align=RIGHT,
               color=lambda r: None if r.change is None else RED if r.change < 0 else GREEN),
        Column("Flags", lambda r: len(r.latest.card.red_flags),
               color=lambda r: RED if r.latest.card.red_flags else None),
        Column("Rounds", "assessments"),
    ]


def _change(row: SupplierMaturity) -> str:
    return "" if row.change is None else f"{float(row.change) * 100:+.1f} pt"


def section_columns() -> list[Column]:
    return [
        Column("Section", "code"),
        Column("Title", "title", tooltip=True),
        Column("Weight", "weight"),
        Column("Score", "score", display=lambda s: percent(s.score), align=RIGHT,
               color=lambda s: _score_color(s.score)),
        Column("Rated", "rated"),
        Column("N/A", "not_applicable"),
        Column("Unanswered", "unanswered"),
    ]


def answer_columns() -> list[Column]:
    return [
        Column("ID", "code"),
        Column("Section", "section"),
        Column("Question", "question", tooltip=True),
        Column("Answer", "answer"),
        Column("Rating", "rating", display=lambda r: "" if r.rating is None else f"{r.rating:.2f}",
               color=lambda r: _score_color(r.rating)),
        Column("Weight", "weight"),
        Column("Criticality", "criticality",
               color=lambda r: RED if r.criticality == "critical" and r.rating is not None and r.rating <= Decimal(
                   "0.2") else None),
        Column("Evidence", "evidence", tooltip=True,
               color=lambda r: AMBER if r.evidence_requested and not r.evidence else None,
               display=lambda r: r.evidence or ("(requested, none given)" if r.evidence_requested else "")),
        Column("Comment", "comment", tooltip=True),
    ]


def outlook_columns() -> list[Column]:
    return [
        Column("Contract", "contract"),
        Column("Target", "target"),
        Column("Met", lambda o: o.prediction.met, display=lambda o: f"{o.prediction.met} of {o.prediction.periods}"),
        Column("Prior", lambda o: o.prediction.prior_mean, display=lambda o: f"{o.prediction.prior_mean:.2f}"),
        Column("Predicted", lambda o: o.prediction.probability, display=_predicted,
               color=lambda o: _score_color(Decimal(str(round(o.prediction.probability, 4))))),
        Column("90 % interval", lambda o: o.prediction.low,
               display=lambda o: f"{o.prediction.low:.2f}–{o.prediction.high:.2f}"),
        Column("Why", lambda o: o.prediction.explanation, tooltip=True),
    ]


def _predicted(o: TargetOutlook) -> str:
    return f"{o.prediction.probability:.2f}"


def _render(token: int, build: Callable[[], Figure], width: int, height: int, ratio: float
            ) -> tuple[int, Figure, bytes, int, int]:
    """On a worker thread: build the figure and draw it with Agg at the view's size (in device pixels)."""
    figure = build()
    figure.set_dpi(100 * ratio)
    figure.set_size_inches(max(width, 1) / 100, max(height, 1) / 100)
    canvas = FigureCanvasAgg(figure)
    canvas.draw()
    w, h = canvas.get_width_height(physical=True)
    return token, figure, bytes(canvas.buffer_rgba()), w, h


class ChartView(QWidget):
    """A matplotlib figure, built and drawn off the GUI thread at the view's size, shown as an image;
    `show_chart(None)` shows a hint instead. A resize draws it again (once the resizing pauses)."""

    drawn = Signal()  # the image of the latest chart is shown (tests wait for it)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.empty = QLabel("No scores to chart yet.", alignment=Qt.AlignmentFlag.AlignCenter)
        self.image = QLabel(alignment=Qt.AlignmentFlag.AlignCenter)
        self.image.setVisible(False)
        self.image.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.setMinimumSize(320, 260)
        self.layout_.addWidget(self.empty)
        self.layout_.addWidget(self.image, 1)
        self.figure: Figure | None = None
        self._build: Callable[[], Figure] | None = None
        self._token = 0
        self._drawn_size = (0, 0)
        self._resized = QTimer(self, singleShot=True, interval=150)
        self._resized.timeout.connect(self._draw)

    def show_chart(self, build: Callable[[], Figure] | None) -> None:
        """Draw the figure `build()` returns (None: the hint)."""
        self._build = build
        self._token += 1
        if build is None:
            self.figure = None
            self.image.clear()
            self.image.hide()
            self.empty.setText("No scores to chart yet.")
            self.empty.show()
            return
        if self.image.pixmap() is None or self.image.pixmap().isNull():
            self.empty.setText("Drawing…")
            self.empty.show()
        self._draw()

    def _draw(self) -> None:
        if self._build is None:
            return
        size = self.size()
        self._drawn_size = (size.width(), size.height())
        ratio = self.devicePixelRatioF()
        run_in_background(_render, self._token, self._build, max(size.width(), 320), max(size.height(), 260), ratio,
                          on_done=self._show)

    def _show(self, result: tuple[int, Figure, bytes, int, int]) -> None:
        token, figure, pixels, width, height = result
        if token != self._token:
            return  # an older chart, overtaken
        self.figure = figure
        pixmap = QPixmap.fromImage(QImage(pixels, width, height, QImage.Format.Format_RGBA8888).copy())
        pixmap.setDevicePixelRatio(self.devicePixelRatioF())
        self.image.setPixmap(pixmap)
        self.empty.hide()
        self.image.show()
        self.drawn.emit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        width, height = self._drawn_size
        moved = abs(event.size().width() - width) > 8 or abs(event.size().height() - height) > 8
        if self._build is not None and moved:
            self._resized.start()
