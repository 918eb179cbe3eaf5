"""One target's attainment over the months: our figure, the threshold line, the vendor's points, misses marked."""

from __future__ import annotations

from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from sltdesk.domain.attainment import AttainmentResult
from sltdesk.domain.period import Period
from ui.pages.verification_data import symbol

OURS, VENDOR, THRESHOLD, MISS, SELECTED = "#1f4e8c", "#d9822b", "#b3261e", "#b3261e", "#eef2f8"


def attainment_figure(results: list[AttainmentResult], *, selected: int | None = None,
                      size: tuple[float, float] = (5.6, 3.0)) -> Figure:
    """Our figure per period (line), the threshold (dashed), the vendor's figures (diamonds), misses (red X)."""
    figure = Figure(figsize=size, dpi=100, layout="constrained")
    axes = figure.add_subplot()
    first = results[0]
    xs = list(range(len(results)))
    ours = [float(r.achieved) if r.achieved is not None else None for r in results]
    if selected is not None:
        axes.axvspan(selected - 0.5, selected + 0.5, color=SELECTED, zorder=0)
    axes.axhline(float(first.threshold), color=THRESHOLD, linestyle="--", linewidth=1.1,
                 label=f"target {symbol(first.comparison)} {first.threshold:f} {first.unit}")
    axes.plot(xs, [float("nan") if v is None else v for v in ours], color=OURS, marker="o", markersize=4,
              linewidth=1.6, label="ours")
    reported = [(x, float(r.reported)) for x, r in zip(xs, results, strict=True) if r.reported is not None]
    if reported:
        axes.scatter(*zip(*reported, strict=True), marker="D", s=26, facecolors="none", edgecolors=VENDOR,
                     linewidths=1.4, label="vendor reported", zorder=3)
    misses = [(x, v) for x, v, r in zip(xs, ours, results, strict=True) if r.met is False and v is not None]
    if misses:
        axes.scatter(*zip(*misses, strict=True), marker="X", s=70, color=MISS, label="missed", zorder=4)
    axes.set_xticks(xs, [_short(r.period) for r in results], fontsize=7, rotation=90 if len(xs) > 12 else 0)
    axes.tick_params(axis="y", labelsize=8)
    axes.set_xlim(-0.6, len(xs) - 0.4)
    axes.set_ylabel(first.unit, fontsize=8)
    axes.set_title(f"{first.target}: ours and the vendor's", fontsize=9)
    axes.spines[["top", "right"]].set_visible(False)
    axes.grid(axis="y", color="#eaecf0", linewidth=0.8)
    figure.legend(fontsize=7, frameon=False, loc="outside lower center", ncol=4)
    return figure


def _short(label: str) -> str:
    """'Jan 26' for a month; quarters and years as they are."""
    return f"{Period.parse(label).start:%b %y}" if len(label) == 7 else label


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
        drawable = bool(results) and any(r.achieved is not None or r.reported is not None for r in results)
        self.figure = attainment_figure(results, selected=selected) if drawable else None
        self.empty.setText("No figures to chart for this target: it has no data in these months."
                           if results else "Select a cell to chart its target over the months.")
        self.empty.setVisible(self.figure is None)
        if self.figure is not None:
            self.canvas = FigureCanvasQTAgg(self.figure)
            self.canvas.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
            self.canvas.setMinimumSize(320, 220)
            self.layout_.addWidget(self.canvas, 1)
