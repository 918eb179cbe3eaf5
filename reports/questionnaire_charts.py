"""Questionnaire charts (matplotlib, no GUI backend): section radar and score trend, as Figures or PNG bytes."""

from __future__ import annotations

import io
import math
import textwrap
from collections.abc import Mapping, Sequence
from datetime import date

import numpy as np
from matplotlib.figure import Figure
from matplotlib.projections.polar import PolarAxes

from reports.fonts import chart_fonts

PALETTE = ("#1f4e8c", "#d9822b", "#2e7d32", "#b3261e", "#6a4c93", "#00838f", "#8d6e63", "#546e7a")
LEVEL_LINES = ((0.30, "2"), (0.50, "3"), (0.70, "4"), (0.85, "5"))

chart_fonts()  # the shipped fonts, with CJK and emoji fallbacks, for every chart drawn here


def radar_figure(sections: Sequence[str], series: Mapping[str, Mapping[str, float | None]], *,
                 title: str = "Section scores", size: tuple[float, float] = (6.4, 5.2)) -> Figure:
    """One polygon per series (supplier or assessment) over the sections; missing scores drawn at 0."""
    figure = Figure(figsize=size, dpi=100, layout="constrained")  # re-laid out whenever the canvas resizes
    axes = figure.add_subplot(projection="polar")
    if not isinstance(axes, PolarAxes):  # never: the polar projection makes PolarAxes
        raise TypeError("the polar projection did not make polar axes")
    count = max(len(sections), 3)
    angles = [2 * math.pi * i / count for i in range(count)] + [0.0]
    for index, (label, scores) in enumerate(series.items()):
        values = [float(scores.get(s) or 0.0) for s in sections] + [0.0] * (count - len(sections))
        values.append(values[0])
        color = PALETTE[index % len(PALETTE)]
        axes.plot(angles, values, color=color, linewidth=1.8, label=label)
        axes.fill(angles, values, color=color, alpha=0.12)
    axes.set_theta_offset(math.pi / 2)  # first section at the top, clockwise like a clock face
    axes.set_theta_direction(-1)
    axes.set_xticks(angles[:-1], [_wrapped(s) for s in sections] + [""] * (count - len(sections)), fontsize=8)
    axes.tick_params(axis="x", pad=10)
    axes.set_ylim(0, 1)
    axes.set_rlabel_position(180 / count)
    axes.set_yticks([0.25, 0.5, 0.75, 1.0], ["25 %", "50 %", "75 %", ""], fontsize=7, color="#667085")
    axes.set_title(title, fontsize=11, pad=18)
    if series:
        figure.legend(loc="outside lower center", ncol=min(4, len(series)), fontsize=8, frameon=False)
    return figure


def trend_figure(series: Mapping[str, Sequence[tuple[date, float]]], *, title: str = "Overall score over time",
                 size: tuple[float, float] = (6.4, 3.6)) -> Figure:
    """Overall score per assessment date, one line per supplier, with the maturity level bands."""
    figure = Figure(figsize=size, dpi=100, layout="constrained")
    axes = figure.add_subplot()
    for lowest, level in LEVEL_LINES:
        axes.axhline(lowest, color="#d0d5dd", linewidth=0.8, zorder=0)
        axes.text(1.005, lowest, f"level {level}", transform=axes.get_yaxis_transform(), fontsize=7,
                  color="#667085", va="center")
    for index, (label, points) in enumerate(series.items()):
        ordered = sorted(points)
        when = np.asarray([d for d, _ in ordered], dtype=object)  # dates, through matplotlib's date converter
        axes.plot(when, [v for _, v in ordered], marker="o", linewidth=1.8,
                  color=PALETTE[index % len(PALETTE)], label=label)
    axes.set_ylim(0, 1)
    axes.set_yticks([0, 0.25, 0.5, 0.75, 1.0], ["0 %", "25 %", "50 %", "75 %", "100 %"])
    axes.set_title(title, fontsize=11)
    axes.spines[["top", "right"]].set_visible(False)
    if series:
        axes.legend(fontsize=8, frameon=False, loc="lower left")
    figure.autofmt_xdate()
    return figure


def png_bytes(figure: Figure, *, dpi: int = 120) -> bytes:
    """Render a Figure to PNG without any GUI backend."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi)  # a plain Figure prints through Agg
    return buffer.getvalue()


def _wrapped(text: str, width: int = 14) -> str:
    """Long section names on two or three short lines (the third one cut with an ellipsis)."""
    lines = textwrap.wrap(text, width) or [""]
    return "\n".join(lines[:2] + ([lines[2] + ("…" if len(lines) > 3 else "")] if len(lines) > 2 else []))
