"""The distribution chart of a negotiation (matplotlib, no GUI backend): the monthly figures with the fitted
trend line, the 10th–90th percentile band and median, the contractual threshold, the suggested one and any
other candidate. The Negotiation panel puts the Figure on a Qt canvas; the brief draws it as vector graphics."""

from __future__ import annotations

from decimal import Decimal

from matplotlib.figure import Figure

from reports.charts import AMBER, BLUE, GREY, INK, MARGINS, RED, literal, span, value_axis
from sltdesk.services.negotiation import Negotiation
from sltdesk.services.negotiation_view import threshold_text

GREEN = "#2e7d32"


def negotiation_figure(n: Negotiation, *, extra: tuple[Decimal, ...] = (), size: tuple[float, float] = (7.0, 3.0),
                       fit: bool = False) -> Figure:
    """Figures over the months; `extra`: other candidate thresholds to draw (dotted)."""
    d = n.distribution
    figure = Figure(figsize=size, dpi=100, layout="constrained" if fit else None)
    if not fit:
        figure.subplots_adjust(**{**MARGINS, "bottom": 0.2, "top": 0.8})
    axes = figure.add_subplot()
    xs = list(range(len(d.months)))
    ys = [float(v) for v in d.figures]
    axes.axhspan(float(d.p10), float(d.p90), color="#e8eef7", zorder=0, label="10th–90th percentile")
    axes.axhline(float(d.median), color=GREY, linewidth=0.9, label="median")
    axes.plot(xs, [d.trend.first + d.trend.slope * x for x in xs], color=INK, linewidth=1.0,
              linestyle=(0, (4, 2)), label="fitted trend")
    axes.axhline(float(n.threshold), color=AMBER, linewidth=1.4, linestyle=(0, (6, 3)),
                 label=literal(f"contract {threshold_text(n, n.threshold)}"))
    suggested = n.suggestion.threshold
    if suggested != n.threshold:
        axes.axhline(float(suggested), color=GREEN, linewidth=1.4, label=f"suggested {threshold_text(n, suggested)}")
    others = [t for t in dict.fromkeys(extra) if t not in (n.threshold, suggested)]
    for t in others:
        axes.axhline(float(t), color=RED, linewidth=0.9, linestyle=(0, (1, 2)), label=threshold_text(n, t))
    axes.plot(xs, ys, color=BLUE, linewidth=1.5, marker="o", markersize=3.5, label="monthly figure", zorder=3)
    axes.set_ylim(*span(ys + [float(n.threshold), float(suggested)] + [float(t) for t in others]))
    axes.set_xlim(-0.5, len(xs) - 0.5)
    value_axis(axes, n.unit)
    axes.set_xticks(xs, list(d.months), rotation=45, ha="right", fontsize=6.5)
    axes.tick_params(labelsize=7)
    axes.spines[["top", "right"]].set_visible(False)
    if fit:
        figure.legend(*axes.get_legend_handles_labels(), fontsize=7, frameon=False, loc="outside lower center",
                      ncol=2)
    else:
        axes.legend(fontsize=6.5, frameon=False, ncol=4, loc="lower left", bbox_to_anchor=(0, 1.0),
                    handlelength=1.8, columnspacing=1.0)
    return figure
