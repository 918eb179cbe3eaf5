"""A target over the months, one chart for the screen and the review pack (matplotlib, no GUI backend).

The Verification page puts the Figure on a Qt canvas; the pack draws the same Figure as vector graphics
(reports/chart_svg.py). The individuals chart shows our figure, the vendor's, the target, the XmR centre
line and control limits (clipped at the measure's natural bound), misses and special causes; the
moving-range chart sits below it.

Axes read as written numbers: a percentage axis is labelled "99.95 %", every tick with the decimals the
ticks need and never matplotlib's offset ("+1e2") or a power of ten; no tick lies past the natural bound
(above 100 % or below 0).
"""

from __future__ import annotations

from collections.abc import Sequence

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import Formatter, MaxNLocator

from reports.fonts import chart_fonts
from sltdesk.rules.control_charts import natural_bounds, special_cause
from sltdesk.services.pack_view import TargetTrend

INK, GREY, RED, AMBER, BLUE, VENDOR = "#1d2939", "#667085", "#b3261e", "#d9822b", "#1f4e8c", "#98a2b3"
SELECTED = "#eef2f8"
TREND_SIZE = (7.0, 3.2)  # inches: a trend chart's printed shape
MARGINS = {"left": 0.085, "right": 0.95, "top": 0.9, "bottom": 0.15}  # fixed: a layout engine costs a drawing

chart_fonts()  # the shipped fonts, with CJK and emoji fallbacks, for every chart drawn here


class PlainFormatter(Formatter):
    """Tick labels as plain numbers with the fewest decimals that write every tick exactly, then the suffix:
    no offset, no scientific notation."""

    def __init__(self, suffix: str = ""):
        self.suffix = suffix
        self.decimals = 0

    def set_locs(self, locs) -> None:
        self.decimals = decimals_for(list(locs))

    def __call__(self, value: float, pos: int | None = None) -> str:
        if abs(value) < 0.5 * 10 ** -self.decimals:
            value = 0.0  # never "-0.00"
        return f"{value:.{self.decimals}f}{self.suffix}"


def decimals_for(ticks: Sequence[float]) -> int:
    """The fewest decimals (up to 6) that write each tick without rounding it to another value."""
    ticks = sorted(ticks)
    steps = [b - a for a, b in zip(ticks, ticks[1:], strict=False) if b > a]
    tolerance = (min(steps) if steps else max(abs(ticks[0]), 1.0) if ticks else 1.0) * 1e-6
    for places in range(7):
        if all(abs(round(t, places) - t) <= tolerance for t in ticks):
            return places
    return 6


class BoundedLocator(MaxNLocator):
    """Round-number ticks that stay within the measure's natural bounds (low, high; None: open)."""

    def __init__(self, bounds: tuple[float | None, float | None], *, nbins: int = 7):
        super().__init__(nbins=nbins, steps=[1, 2, 5, 10])  # no 2.5: "99.95 %", never "99.950 %"
        self.bounds = bounds

    def tick_values(self, vmin: float, vmax: float):
        low, high = self.bounds
        slack = abs(vmax - vmin) * 1e-9
        return [t for t in super().tick_values(vmin, vmax)
                if (low is None or t >= low - slack) and (high is None or t <= high + slack)]


def value_axis(axes: Axes, unit: str) -> None:
    """Plain tick labels, with " %" on a percentage axis (the unit is named on the axis otherwise)."""
    axes.yaxis.set_major_locator(BoundedLocator(natural_bounds(unit)))
    axes.yaxis.set_major_formatter(PlainFormatter(" %" if unit == "%" else ""))
    if unit != "%":
        axes.set_ylabel(unit, fontsize=8)


def trend_figure(trend: TargetTrend, *, selected: int | None = None, title: str | None = None,
                 size: tuple[float, float] = TREND_SIZE, fit: bool = False) -> Figure:
    """The individuals chart (values, target, centre line, control limits, flagged points, the vendor's
    figures) above its moving-range chart. `selected`: a period to shade; `fit`: lay the figure out
    again whenever its canvas resizes (on screen)."""
    figure = Figure(figsize=size, dpi=100, layout="constrained" if fit else None)
    grid = figure.add_gridspec(2, 1, height_ratios=(2.3, 1), hspace=0.16, **({} if fit else MARGINS))
    axes = figure.add_subplot(grid[0])
    ranges = figure.add_subplot(grid[1], sharex=axes)
    if selected is not None:
        for ax in (axes, ranges):
            ax.axvspan(selected - 0.5, selected + 0.5, color=SELECTED, zorder=0)
    _individuals(axes, trend)
    _moving_ranges(ranges, trend)
    if fit:  # a canvas of any width: the legend below, in as many rows as it needs
        figure.legend(*axes.get_legend_handles_labels(), fontsize=7, frameon=False, loc="outside lower center",
                      ncol=3)
    else:  # the printed width: one row above the chart
        axes.legend(fontsize=6.5, frameon=False, ncol=6, loc="lower left", bbox_to_anchor=(0, 1.0),
                    handlelength=1.8, columnspacing=1.0)
    if title:
        figure.suptitle(title, fontsize=9)
    return figure


def _individuals(axes: Axes, trend: TargetTrend) -> None:
    chart = trend.chart
    xs = list(range(len(chart.labels)))
    known = [(x, v) for x, v in zip(xs, chart.values, strict=True) if v is not None]
    threshold = float(trend.threshold)
    steps = [float(t) for t in trend.thresholds]
    if steps:  # a seasonal threshold: the line steps at each period the season reaches
        seasonal = sorted({f"{t:f}" for t in trend.thresholds} - {f"{trend.threshold:f}"})
        axes.step(xs, steps, where="mid", color=AMBER, linewidth=1.4, linestyle=(0, (6, 3)),
                  label=f"target {trend.comparison.value} {trend.threshold:f} (in season {', '.join(seasonal)})")
    else:
        axes.axhline(threshold, color=AMBER, linewidth=1.4, linestyle=(0, (6, 3)),
                     label=f"target {trend.comparison.value} {trend.threshold:f}")
    limits: list[float] = []
    if chart.centre is not None and chart.ucl is not None and chart.lcl is not None:  # computed together
        limits = [chart.ucl, chart.lcl]
        axes.axhline(chart.centre, color=GREY, linewidth=1.0, label="centre line")
        for limit, name in zip(limits, ("UCL", "LCL"), strict=True):
            axes.axhline(limit, color=GREY, linewidth=0.9, linestyle=(0, (2, 2)))
            axes.text(1.005, limit, name, transform=axes.get_yaxis_transform(), fontsize=6.5, color=GREY,
                      va="center")
    vendor = [(x, v) for x, v in zip(xs, trend.reported, strict=True) if v is not None]
    if vendor:
        axes.plot(*zip(*vendor, strict=True), linestyle="none", marker="x", markersize=4, color=VENDOR,
                  label="vendor-reported")
    if known:
        axes.plot(*zip(*known, strict=True), color=BLUE, linewidth=1.6, marker="o", markersize=3.5, label="ours",
                  zorder=3)
        missed = [(x, v) for x, v in known if trend.met[x] is False]
        special = [(x, v) for x, v in known if special_cause(chart, x, trend.comparison)]
        axes.plot([x for x, _ in missed], [v for _, v in missed], linestyle="none", marker="o", markersize=6,
                  color=RED, label="missed", zorder=4)
        axes.plot([x for x, _ in special], [v for _, v in special], linestyle="none", marker="o", markersize=11,
                  markerfacecolor="none", markeredgecolor=RED, markeredgewidth=1.2, label="special cause", zorder=5)
    else:
        axes.text(0.5, 0.5, "no figures in this window", transform=axes.transAxes, ha="center", va="center",
                  color=GREY, fontsize=9)
    axes.set_ylim(*span([v for _, v in known] + [threshold, *steps] + [v for _, v in vendor] + limits))
    axes.set_xlim(-0.5, len(xs) - 0.5)
    value_axis(axes, trend.unit)
    axes.tick_params(labelsize=7, labelbottom=False)
    axes.spines[["top", "right"]].set_visible(False)


def _moving_ranges(ranges: Axes, trend: TargetTrend) -> None:
    chart = trend.chart
    xs = list(range(len(chart.labels)))
    mr = [(x, v) for x, v in zip(xs, chart.moving_ranges, strict=True) if v is not None]
    ranges.bar([x for x, _ in mr], [v for _, v in mr], color=BLUE, alpha=0.55, width=0.5)
    if chart.mr_ucl is not None and chart.mr_mean is not None:  # computed together
        ranges.axhline(chart.mr_ucl, color=GREY, linewidth=0.9, linestyle=(0, (2, 2)))
        ranges.axhline(chart.mr_mean, color=GREY, linewidth=0.8)
        ranges.text(1.005, chart.mr_ucl, "UCL", transform=ranges.get_yaxis_transform(), fontsize=6.5, color=GREY,
                    va="center")
    ranges.yaxis.set_major_locator(BoundedLocator((0.0, None), nbins=3))
    ranges.yaxis.set_major_formatter(PlainFormatter())
    ranges.set_ylabel("moving range", fontsize=7)
    ranges.set_xticks(xs, list(chart.labels), rotation=45, ha="right", fontsize=6.5)
    ranges.tick_params(labelsize=6.5)
    ranges.spines[["top", "right"]].set_visible(False)


def literal(text: str) -> str:
    """Vendor or user text for a chart label: a "$" would otherwise start matplotlib's maths mode."""
    return text.replace("$", r"\$")


def span(values: list[float]) -> tuple[float, float]:
    """Axis limits around every value with a margin (a flat series still gets some room)."""
    low, high = min(values), max(values)
    margin = (high - low) * 0.12 or max(abs(high) * 0.001, 0.01)
    return low - margin, high + margin

