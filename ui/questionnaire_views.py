"""Pieces of the Questionnaires page: table columns, answer rows and a matplotlib chart widget."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from sltdesk.services.questionnaire_outlook import SupplierMaturity, TargetOutlook
from sltdesk.services.questionnaires import ScoredAssessment
from ui.table_model import RIGHT, Column

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


class ChartView(QWidget):
    """A matplotlib Figure on a Qt canvas; `show_figure(None)` shows a hint instead."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.empty = QLabel("No scores to chart yet.", alignment=Qt.AlignmentFlag.AlignCenter)
        self.layout_.addWidget(self.empty)
        self.canvas: FigureCanvasQTAgg | None = None
        self.figure: Figure | None = None

    def show_figure(self, figure: Figure | None) -> None:
        if self.canvas is not None:
            self.layout_.removeWidget(self.canvas)
            self.canvas.deleteLater()
            self.canvas = None
        self.figure = figure
        self.empty.setVisible(figure is None)
        if figure is not None:
            self.canvas = FigureCanvasQTAgg(figure)
            self.canvas.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
            self.canvas.setMinimumSize(320, 260)
            self.layout_.addWidget(self.canvas, 1)
