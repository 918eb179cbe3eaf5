"""One target's attainment over the months, drawn by the same chart code as the review pack."""

from __future__ import annotations

from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from reports.charts import literal, trend_figure
from sltdesk.domain.attainment import AttainmentResult
from sltdesk.services.pack_parts import results_trend


def attainment_figure(results: list[AttainmentResult], *, selected: int | None = None,
                      size: tuple[float, float] = (5.6, 3.2)) -> Figure:
    """The review pack's chart of the target (reports/charts.py): ours, the vendor's, the target, the XmR
    control limits and the moving range, with the selected period shaded."""
    return trend_figure(results_trend(results), selected=selected, size=size, fit=True,
                        title=literal(f"{results[0].target}: ours and the vendor's"))


class ChartPanel(QWidget):
    """A matplotlib canvas for the selected target; a hint when there is nothing to draw."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.empty = QLabel("Select a cell to chart its target over the months.",
                            alignment=Qt.AlignmentFlag.AlignCenter, wordWrap=True)
        self.layout_.addWidget(self.empty)
        self.canvas: FigureCanvasQTAgg | None = None
        self.figure: Figure | None = None

    def show_results(self, results: list[AttainmentResult] | None, selected: int | None = None) -> None:
        if self.canvas is not None:
            self.layout_.removeWidget(self.canvas)
            self.canvas.deleteLater()
            self.canvas = None
        shown = results or []
        drawable = any(r.achieved is not None or r.reported is not None for r in shown)
        self.figure = attainment_figure(shown, selected=selected) if drawable else None
        self.empty.setText("No figures to chart for this target: it has no data in these months."
                           if results else "Select a cell to chart its target over the months.")
        self.empty.setVisible(self.figure is None)
        if self.figure is not None:
            self.canvas = FigureCanvasQTAgg(self.figure)
            self.canvas.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
            self.canvas.setMinimumSize(320, 220)
            self.layout_.addWidget(self.canvas, 1)
