"""Questionnaires: suppliers' maturity side by side, each assessment's answers and scores, the outlook per
target, the templates with their versions, and import/export through the wizard."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from models.workspace import SqlWorkspace
from reports.questionnaire_charts import radar_figure, trend_figure
from sltdesk.domain.questionnaires import QuestionnaireTemplate
from sltdesk.domain.register import Supplier
from sltdesk.domain.team import Permission
from sltdesk.services.questionnaire_outlook import SupplierMaturity, TargetOutlook, compare_suppliers, supplier_outlook
from sltdesk.services.questionnaires import ScoredAssessment, list_templates, scored
from sltdesk.services.register import list_records
from ui.context import WorkspaceContext
from ui.pages.base import Page
from ui.questionnaire_templates import TemplatesPanel
from ui.questionnaire_views import (
    ChartView,
    answer_columns,
    answer_rows,
    comparison_columns,
    outlook_columns,
    percent,
    section_columns,
)
from ui.table_panel import TablePanel
from ui.workers import run_in_background


@dataclass(frozen=True)
class QuestionnaireData:
    templates: list[QuestionnaireTemplate]
    assessments: list[ScoredAssessment]
    comparison: list[SupplierMaturity]
    outlook: dict[str, list[TargetOutlook]] = field(default_factory=dict)
    suppliers: list[str] = field(default_factory=list)

    def of(self, supplier: str) -> list[ScoredAssessment]:
        return [a for a in self.assessments if a.supplier == supplier]


class QuestionnairesPage(Page):
    title = "Questionnaires"
    outlook_loaded = Signal()  # the shown supplier's outlook per target arrived (tests wait for it)

    def __init__(self, ctx: WorkspaceContext, parent: QWidget | None = None):
        super().__init__(ctx, parent)
        self.data = QuestionnaireData([], [], [])
        self._shown_supplier: tuple | None = None
        self._outlook_wanted: str | None = None
        self.import_button = QPushButton("Import questionnaire…")
        self.import_button.setToolTip("Import a filled or foreign workbook")
        self.export_button = QPushButton("Export fillable…")
        self.export_button.setToolTip("Write the workbook a supplier fills in")
        self.import_button.clicked.connect(self.open_import_wizard)
        ctx.gate(self.import_button, Permission.EDIT)
        self.export_button.clicked.connect(self.open_export_dialog)
        self.actions_row.addWidget(self.import_button)
        self.actions_row.addWidget(self.export_button)
        self.tabs = QTabWidget()
        self.tabs.addTab(self._assessments_tab(), "Assessments")
        self.tabs.addTab(self._comparison_tab(), "Comparison")
        self.templates = TemplatesPanel(ctx)
        self.tabs.addTab(self.templates, "Templates")
        self.body.addWidget(self.tabs, 1)

    @staticmethod
    def load(ws: SqlWorkspace) -> QuestionnaireData:
        """Scores and comparison only: the outlook per target measures every target's history (seconds on a
        portfolio with raw data), so it is computed for the supplier shown, when shown (see _show_outlook)."""
        comparison = compare_suppliers(ws)
        suppliers = sorted((s.name for s in list_records(ws, Supplier)), key=str.casefold)
        return QuestionnaireData(list_templates(ws), scored(ws), comparison, {}, suppliers)

    def depends_on(self, entity: str) -> bool:
        return entity.startswith("questionnaire") or entity in ("supplier", "contract", "contract_target",
                                                                "import_batch", "period_mark", "measurement_rule")

    def show_data(self, data: QuestionnaireData | None) -> None:
        self.data = data or QuestionnaireData([], [], [])
        self._shown_supplier = None  # fresh data: the supplier's detail is drawn again
        wanted = getattr(self.suppliers.current(), "supplier", None)
        self.suppliers.set_rows(self.data.comparison, keep=lambda r: r.supplier == wanted)
        if self.suppliers.current() is None and self.data.comparison:
            self.suppliers.select(lambda r: True)
        self._show_comparison()
        self.templates.show_templates(self.data.templates)

    def focus_filter(self) -> None:
        self.suppliers.focus_filter()

    # --- assessments of one supplier --------------------------------------------------------------
    def _assessments_tab(self) -> QWidget:
        self.suppliers = TablePanel(comparison_columns(), placeholder="Filter suppliers", stretch=0)
        self.suppliers.current_changed.connect(self._show_supplier)
        self.assessment_choice = QComboBox()
        self.assessment_choice.currentIndexChanged.connect(self._show_assessment)
        self.summary = QLabel(wordWrap=True)
        self.summary.setObjectName("sectionHeading")
        self.flags = QLabel(wordWrap=True)
        self.flags.setStyleSheet("color: #b3261e;")
        self.sections = TablePanel(section_columns(), placeholder="Filter sections")
        self.answers = TablePanel(answer_columns(), placeholder="Filter answers")
        self.outlook = TablePanel(outlook_columns(), placeholder="Filter targets")
        self.supplier_radar = ChartView()
        self.supplier_trend = ChartView()
        detail = QTabWidget()
        scores = QSplitter()
        scores.addWidget(self.sections)
        scores.addWidget(self.supplier_radar)
        scores.setSizes([700, 620])
        detail.addTab(scores, "Sections")
        detail.addTab(self.answers, "Answers and evidence")
        detail.addTab(self.outlook, "Outlook per target")
        detail.addTab(self.supplier_trend, "Over time")
        right = QWidget()
        layout = QVBoxLayout(right)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addWidget(self.assessment_choice)
        layout.addWidget(self.summary)
        layout.addWidget(self.flags)
        layout.addWidget(detail, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)  # suppliers above, the chosen one's detail below
        splitter.addWidget(self.suppliers)
        splitter.addWidget(right)
        splitter.setSizes([230, 640])
        return splitter

    def _show_supplier(self, row: SupplierMaturity | None) -> None:
        key = (row.supplier if row else None, id(self.data))
        if key == self._shown_supplier:  # selecting a row reports it more than once; draw its charts once
            return
        self._shown_supplier = key
        history = self.data.of(row.supplier) if row else []
        self._list_assessments(history)
        self._show_assessment()
        self._show_outlook(row)
        points = {row.supplier: _points(history)} if row else None
        self.supplier_trend.show_chart(partial(trend_figure, points) if points else None)

    def _list_assessments(self, history: list[ScoredAssessment]) -> None:
        """The supplier's assessments, latest first, in the choice box (without announcing each one)."""
        self.assessment_choice.blockSignals(True)
        self.assessment_choice.clear()
        for item in reversed(history):
            self.assessment_choice.addItem(f"{item.assessment.assessed_on} — {item.template.title} "
                                           f"v{item.template.version} (assessment {item.assessment.id})", item)
        self.assessment_choice.blockSignals(False)

    def _show_assessment(self, *_args: Any) -> None:
        item: ScoredAssessment | None = self.assessment_choice.currentData()
        self.summary.setText(assessment_summary(item, anyone_assessed=bool(self.data.comparison)))
        self.flags.setText(red_flags_text(item))
        self.sections.set_rows(list(item.card.sections) if item else [])
        self.answers.set_rows(answer_rows(item) if item else [])
        history = [i for i in self.data.of(item.supplier) if i.template.name == item.template.name] if item else []
        self.supplier_radar.show_chart(partial(radar_figure, *radar_series(item, history),
                                               title=f"{item.supplier} — section scores") if item else None)

    def _show_outlook(self, row: SupplierMaturity | None) -> None:
        """The supplier's outlook per target: from the cache, or computed in the background ("Loading…")."""
        self._outlook_wanted = row.supplier if row else None
        if row is None or row.supplier in self.data.outlook or self.ctx.workspace is None:
            self.outlook.set_rows(self.data.outlook.get(row.supplier, []) if row else [])
            return
        self.outlook.set_rows([])
        self.outlook.count.setText("Loading the outlook…")
        data, supplier = self.data, row.supplier
        run_in_background(supplier_outlook, self.ctx.workspace, row.latest.assessment.supplier_id,
                          on_done=lambda rows: self._outlook_loaded(data, supplier, rows))

    def _outlook_loaded(self, data: QuestionnaireData, supplier: str, rows: list[TargetOutlook]) -> None:
        data.outlook[supplier] = rows  # cached with the data it belongs to
        if data is self.data and supplier == self._outlook_wanted:
            self.outlook.set_rows(rows)
            self.outlook_loaded.emit()

    # --- comparison -----------------------------------------------------------------------------
    def _comparison_tab(self) -> QWidget:
        self.comparison_radar = ChartView()
        self.comparison_trend = ChartView()
        splitter = QSplitter()
        splitter.addWidget(self.comparison_radar)
        splitter.addWidget(self.comparison_trend)
        return splitter

    def _show_comparison(self) -> None:
        rows = self.data.comparison
        if not rows:
            self.comparison_radar.show_chart(None)
            self.comparison_trend.show_chart(None)
            return
        template = rows[0].latest.template
        same = [r for r in rows if r.latest.template.name == template.name]
        series = {r.supplier: {s.title: _float(s.score) for s in r.latest.card.sections} for r in same}
        self.comparison_radar.show_chart(partial(radar_figure, [s.title for s in template.sections], series,
                                                 title=f"Latest {template.title}", size=(7.2, 5.6)))
        trend = {r.supplier: _points(self.data.of(r.supplier)) for r in rows}
        self.comparison_trend.show_chart(partial(trend_figure, trend, size=(6.4, 5.0)))

    # --- import and export ----------------------------------------------------------------------
    def open_import_wizard(self) -> None:
        from ui.questionnaire_wizard import ImportWizard

        if self.ctx.workspace is not None:
            ImportWizard(self.ctx, self.data.suppliers, parent=self).open()

    def open_export_dialog(self) -> None:
        from ui.questionnaire_export import ExportDialog

        if self.ctx.workspace is not None:
            ExportDialog(self.ctx, self.data.templates, self.data.suppliers, parent=self).open()


def _points(history: list[ScoredAssessment]) -> list[tuple[Any, float]]:
    return [(h.assessment.assessed_on, float(h.card.overall)) for h in history if h.card.overall is not None]


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def assessment_summary(item: ScoredAssessment | None, *, anyone_assessed: bool) -> str:
    """The line over one assessment: overall score, maturity, level and how much was answered."""
    if item is None:
        return ("No assessment yet: import a filled questionnaire." if anyone_assessed
                else "No supplier has been assessed yet: export a fillable questionnaire, then import it filled in.")
    card = item.card
    return (f"{item.supplier}: overall {percent(card.overall)} · maturity {card.maturity_index or '–'} · level "
            f"{card.level or '–'} {card.level_name} · {card.answered} of {card.total} answered "
            f"({card.not_applicable} N/A)")


def red_flags_text(item: ScoredAssessment | None) -> str:
    flags = item.card.red_flags if item else ()
    return "Red flags: " + "; ".join(f"{f.code} ({f.answer})" for f in flags) if flags else ""


def radar_series(item: ScoredAssessment, history: list[ScoredAssessment]) -> tuple[list[str], dict]:
    """The section titles and the last three assessments' section scores, for the radar."""
    titles = [s.title for s in item.template.sections]
    series = {f"{h.assessment.assessed_on}": {s.title: _float(s.score) for s in h.card.sections}
              for h in history[-3:]}
    return titles, series
