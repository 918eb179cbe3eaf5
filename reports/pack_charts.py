"""Charts of the review pack (matplotlib, no GUI backend): a target's trend with its XmR control chart."""

from __future__ import annotations

import io
import math

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image as PILImage

from reports.fonts import chart_fonts
from sltdesk.rules.control_charts import special_cause
from sltdesk.services.pack_view import TargetTrend

INK, GREY, RED, AMBER, BLUE, VENDOR = "#1d2939", "#667085", "#b3261e", "#d9822b", "#1f4e8c", "#98a2b3"
DPI = 200  # charts go into the PDF as 200 dpi images (sharp when printed)

chart_fonts()  # the shipped fonts, with CJK and emoji fallbacks, for every chart drawn here


def trend_figure(trend: TargetTrend, *, size: tuple[float, float] = (7.0, 3.2)) -> Figure:
    """The individuals chart (values, target, centre line, control limits, flagged points, the vendor's
    figures) above its moving-range chart."""
    chart = trend.chart
    figure = Figure(figsize=size, dpi=100)  # fixed margins: a layout engine would cost a second drawing
    grid = figure.add_gridspec(2, 1, height_ratios=(2.3, 1), left=0.085, right=0.95, top=0.9, bottom=0.15,
                               hspace=0.16)
    axes, ranges = figure.add_subplot(grid[0]), figure.add_subplot(grid[1])
    xs = list(range(len(chart.labels)))
    known = [(x, v) for x, v in zip(xs, chart.values, strict=True) if v is not None]
    threshold = float(trend.threshold)
    axes.axhline(threshold, color=AMBER, linewidth=1.4, linestyle=(0, (6, 3)),
                 label=f"target {trend.comparison.value} {trend.threshold:f}")
    if chart.centre is not None and chart.ucl is not None:
        axes.axhline(chart.centre, color=GREY, linewidth=1.0, label="centre line")
        for limit in (chart.ucl, chart.lcl):
            axes.axhline(limit, color=GREY, linewidth=0.9, linestyle=(0, (2, 2)))
        axes.text(1.005, chart.ucl, "UCL", transform=axes.get_yaxis_transform(), fontsize=6.5, color=GREY,
                  va="center")
        axes.text(1.005, chart.lcl, "LCL", transform=axes.get_yaxis_transform(), fontsize=6.5, color=GREY,
                  va="center")
    vendor = [(x, v) for x, v in zip(xs, trend.reported, strict=True) if v is not None]
    if vendor:
        axes.plot([x for x, _ in vendor], [v for _, v in vendor], linestyle="none", marker="x", markersize=4,
                  color=VENDOR, label="vendor-reported")
    if known:
        axes.plot([x for x, _ in known], [v for _, v in known], color=BLUE, linewidth=1.6, marker="o",
                  markersize=3.5, label="ours", zorder=3)
        missed = [(x, chart.values[x]) for x in xs if trend.met[x] is False]
        axes.plot([x for x, _ in missed], [v for _, v in missed], linestyle="none", marker="o", markersize=6,
                  color=RED, label="missed", zorder=4)
        special = [(x, chart.values[x]) for x in xs if chart.values[x] is not None
                   and special_cause(chart, x, trend.comparison)]
        axes.plot([x for x, _ in special], [v for _, v in special], linestyle="none", marker="o", markersize=11,
                  markerfacecolor="none", markeredgecolor=RED, markeredgewidth=1.2, label="special cause", zorder=5)
    else:
        axes.text(0.5, 0.5, "no figures in this window", transform=axes.transAxes, ha="center", va="center",
                  color=GREY, fontsize=9)
    axes.set_ylim(*_span([v for _, v in known] + [threshold] + [v for _, v in vendor]
                         + ([chart.ucl, chart.lcl] if chart.ucl is not None else [])))
    axes.set_ylabel(trend.unit, fontsize=8)
    axes.set_xticks(xs, [""] * len(xs))
    axes.tick_params(labelsize=7)
    axes.spines[["top", "right"]].set_visible(False)
    axes.legend(fontsize=6.5, frameon=False, ncol=6, loc="lower left", bbox_to_anchor=(0, 1.0),
                handlelength=1.8, columnspacing=1.0)
    mr = [(x, v) for x, v in zip(xs, chart.moving_ranges, strict=True) if v is not None]
    ranges.bar([x for x, _ in mr], [v for _, v in mr], color=BLUE, alpha=0.55, width=0.5)
    if chart.mr_ucl is not None:
        ranges.axhline(chart.mr_ucl, color=GREY, linewidth=0.9, linestyle=(0, (2, 2)))
        ranges.axhline(chart.mr_mean, color=GREY, linewidth=0.8)
        ranges.text(1.005, chart.mr_ucl, "UCL", transform=ranges.get_yaxis_transform(), fontsize=6.5, color=GREY,
                    va="center")
    ranges.set_ylabel("moving range", fontsize=7)
    ranges.set_xticks(xs, list(chart.labels), rotation=45, ha="right", fontsize=6.5)
    ranges.set_xlim(axes.get_xlim())
    ranges.tick_params(labelsize=6.5)
    ranges.spines[["top", "right"]].set_visible(False)
    return figure


def png(figure: Figure, *, dpi: int = DPI) -> bytes:
    """Render a Figure to PNG through Agg (no GUI backend); no timestamps, so the bytes are reproducible."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    return buffer.getvalue()


def raster(figure: Figure, *, printed_width: float) -> PILImage.Image:
    """Render a Figure through Agg straight to an RGB image with at least DPI pixels per printed inch
    (`printed_width` in points); no PNG encoding and decoding on the way."""
    inches = figure.get_figwidth()
    figure.set_dpi(max(DPI, math.ceil(DPI * printed_width / 72 / inches)))
    canvas = FigureCanvasAgg(figure)
    canvas.draw()
    return PILImage.fromarray(np.asarray(canvas.buffer_rgba())[:, :, :3])


def literal(text: str) -> str:
    """Vendor or user text for a chart label: a "$" would otherwise start matplotlib's maths mode."""
    return text.replace("$", r"\$")


def _span(values: list[float]) -> tuple[float, float]:
    """Axis limits around every value with a margin (a flat series still gets some room)."""
    low, high = min(values), max(values)
    margin = (high - low) * 0.12 or max(abs(high) * 0.001, 0.01)
    return low - margin, high + margin
