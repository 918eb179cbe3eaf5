"""The one chart of a target over the months (reports/charts.py), as the screen and the pack draw it: percent
axes in percent without offset notation, limits within the natural bounds, text kept as text in the SVG."""

from __future__ import annotations

from decimal import Decimal

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from reportlab.graphics.shapes import Group, String

from reports.chart_svg import drawing, svg
from reports.charts import decimals_for, trend_figure
from sltdesk.domain.attainment import AttainmentResult
from sltdesk.domain.register import Comparison, MetricKind
from sltdesk.services.pack_parts import results_trend

MONTHS = [f"2026-{m:02d}" for m in range(1, 13)]
# An availability run like the demo's: every month between 99.91 % and 99.99 % against "at least 99.95 %".
AVAILABILITY = ["99.97", "99.91", "99.96", "99.99", "99.98", "99.93", "99.95", "99.99", "99.96", "99.94", "99.98",
                "99.97"]


def _results(values, *, unit="%", threshold="99.95", comparison=Comparison.AT_LEAST, target="Availability",
             metric=MetricKind.AVAILABILITY) -> list[AttainmentResult]:
    out = []
    for month, value in zip(MONTHS, values, strict=False):
        achieved = Decimal(value)
        out.append(AttainmentResult(1, "NW-1", 7, target, metric, month, Decimal(threshold), comparison, unit,
                                    achieved, comparison.holds(achieved, Decimal(threshold)),
                                    reported=achieved + Decimal("0.01")))
    return out


def _drawn(values, **kw):
    figure = trend_figure(results_trend(_results(values, **kw)))
    FigureCanvasAgg(figure).draw()
    return figure


def _labels(axis) -> list[str]:
    """The tick labels drawn: those of the ticks within the axis's view."""
    low, high = sorted(axis.get_view_interval())
    return [label.get_text() for tick, label in zip(axis.get_majorticklocs(), axis.get_ticklabels(), strict=True)
            if low <= tick <= high]


def test_a_99_9x_percent_series_is_labelled_in_percent_without_an_offset():
    figure = _drawn(AVAILABILITY)
    axes, ranges = figure.axes
    # the axis spans 99.87–100.03 less the bound: round steps of 0.05, none above 100 %
    assert _labels(axes.yaxis) == ["99.90 %", "99.95 %", "100.00 %"]
    assert all(label.endswith(" %") for label in _labels(axes.yaxis))
    assert axes.yaxis.get_offset_text().get_text() == ""
    assert ranges.yaxis.get_offset_text().get_text() == ""
    assert _labels(ranges.yaxis) == ["0.00", "0.05", "0.10"]  # moving ranges in percentage points, plain
    assert axes.get_ylabel() == ""  # the ticks carry the unit


def test_the_upper_limit_past_100_percent_is_drawn_at_100_and_no_tick_lies_above():
    # eleven months at 100 % and one at 93.75 %: UCL 102.50 as computed (tests/unit/test_control_charts.py)
    trend = results_trend(_results(["100"] * 5 + ["93.75"] + ["100"] * 6, threshold="95"))
    assert trend.chart.ucl == 100.0 and trend.chart.ucl_computed == pytest.approx(102.50189, abs=1e-5)
    assert trend.capability.endswith("The upper limit, 102.5 as computed, is clipped at 100 %, the most a "
                                     "percentage can be.")
    figure = trend_figure(trend)
    FigureCanvasAgg(figure).draw()
    axes = figure.axes[0]
    across = sorted(line.get_ydata()[0] for line in axes.get_lines() if list(line.get_xdata()) == [0, 1])
    assert across == pytest.approx([95, 96.45644, 99.47917, 100.0], abs=1e-5)  # target, LCL, centre, UCL
    assert _labels(axes.yaxis) == ["94 %", "96 %", "98 %", "100 %"]


def test_a_duration_axis_names_its_unit_and_its_lower_limit_stops_at_zero():
    # resolution minutes 10, 40, 10, 40…: centre 25, MR̄ 30 → LCL −54.8 clipped at 0
    trend = results_trend(_results(["10", "40"] * 6, unit="min", threshold="60", comparison=Comparison.AT_MOST,
                                   target="P1 resolution", metric=MetricKind.RESOLUTION_TIME))
    assert trend.chart.lcl == 0.0 and trend.chart.lcl_computed == pytest.approx(-54.8)
    assert "The lower limit, -54.8 as computed, is clipped at 0 min, the least the measure can be." in trend.capability
    figure = trend_figure(trend)
    FigureCanvasAgg(figure).draw()
    axes = figure.axes[0]
    assert axes.get_ylabel() == "min" and axes.yaxis.get_offset_text().get_text() == ""
    labels = _labels(axes.yaxis)
    assert labels[0] == "0" and not any(label.startswith("-") or "%" in label for label in labels)


def test_ticks_get_the_fewest_decimals_that_write_them_exactly():
    assert decimals_for([99.9, 99.95, 100.0]) == 2
    assert decimals_for([99.9000000000001, 99.92, 99.94]) == 2  # float noise is not a decimal
    assert decimals_for([94.0, 96.0, 98.0, 100.0]) == 0
    assert decimals_for([0.0, 0.5, 1.0]) == 1
    assert decimals_for([1e-7, 2e-7]) == 6  # no scientific notation, at most six decimals


def test_the_svg_keeps_the_text_as_text_in_the_shipped_fonts():
    figure = trend_figure(results_trend(_results(AVAILABILITY)))
    written = svg(figure)
    assert b"<image" not in written and b">99.95 %</text>" in written
    assert svg(figure) == written  # no date, fixed ids: the same chart gives the same bytes
    strings = _strings(drawing(figure))
    assert {"99.90 %", "99.95 %", "100.00 %", "UCL", "LCL", "2026-06"} <= {s.text for s in strings}
    assert {s.fontName for s in strings} == {"DejaVuSans"}


def test_characters_dejavu_lacks_are_drawn_in_the_fallback_fonts():
    figure = trend_figure(results_trend(_results(AVAILABILITY)), title="供应商 availability 🚀")
    runs = {s.text: s.fontName for s in _strings(drawing(figure))}
    assert runs["供应商"] == "DroidSansFallback" and runs[" availability "] == "DejaVuSans"
    assert runs["🚀"] == "SymbolaEmoji"


def _strings(group: Group) -> list[String]:
    out = []
    for node in group.contents:
        if isinstance(node, Group):
            out += _strings(node)
        elif isinstance(node, String):
            out.append(node)
    return out


def test_the_threshold_line_steps_up_in_the_peak_season_and_back_after_it():
    """PF-2025-007's peak season 15 Nov-15 Jan at 99.95 %, otherwise 99.9 %: the line is 99.95 in Jan, Nov and Dec."""
    from dataclasses import replace

    results = _results(AVAILABILITY, threshold="99.9")
    peak = {"2026-01", "2026-11", "2026-12"}
    results = [replace(r, threshold=Decimal("99.95"), threshold_note="seasonal threshold 15 Nov–15 Jan")
               if r.period in peak else r for r in results]
    trend = results_trend(results)
    assert trend.threshold == Decimal("99.9")
    assert trend.thresholds == tuple(Decimal("99.95") if m in peak else Decimal("99.9") for m in MONTHS)
    figure = trend_figure(trend)
    FigureCanvasAgg(figure).draw()
    [line] = [ln for ln in figure.axes[0].get_lines() if ln.get_label().startswith("target")]
    assert line.get_label() == "target >= 99.9 (in season 99.95)"
    assert [float(y) for y in line.get_ydata()] == [float(t) for t in trend.thresholds]
