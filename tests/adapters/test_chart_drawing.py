"""The charts drawn straight into reportlab (reports/chart_drawing.py) are the drawings the SVG route gave: every
string at the same place, in the same font and size, with the same anchor; the same lines and fills."""

from __future__ import annotations

from decimal import Decimal

import pytest
from reportlab.graphics.shapes import Group, Path, String

from reports.chart_svg import drawing, svg_drawing
from reports.charts import trend_figure
from reports.questionnaire_charts import radar_figure
from sltdesk.domain.attainment import AttainmentResult
from sltdesk.domain.register import Comparison, MetricKind
from sltdesk.services.pack_parts import results_trend

MONTHS = [f"2026-{m:02d}" for m in range(1, 13)]
# a run with misses and a special cause (the month at 99.60 %), as the pack's charts have
VALUES = ["99.97", "99.91", "99.96", "99.99", "99.98", "99.60", "99.95", "99.99", "99.96", "99.94", "99.98", "99.97"]


def _trend():
    results = []
    for month, value in zip(MONTHS, VALUES, strict=True):
        achieved = Decimal(value)
        results.append(AttainmentResult(1, "NW-1", 7, "Availability", MetricKind.AVAILABILITY, month, Decimal("99.95"),
                                        Comparison.AT_LEAST, "%", achieved, achieved >= Decimal("99.95"),
                                        reported=achieved + Decimal("0.01")))
    return results_trend(results)


def _placed(group: Group, matrix=(1.0, 0.0, 0.0, 1.0, 0.0, 0.0)) -> tuple[list[tuple], list[tuple]]:
    """Every string (text, font, size, anchor, where its anchor lands on the page) and every painted path
    (colours, width, and its points' bounding box on the page)."""
    strings: list[tuple] = []
    paths: list[tuple] = []
    a, b, c, d, e, f = matrix
    for node in group.contents:
        if isinstance(node, Group):
            p, q, r, s, t, u = node.transform
            inner = _placed(node, (a * p + c * q, b * p + d * q, a * r + c * s, b * r + d * s, a * t + c * u + e,
                                   b * t + d * u + f))
            strings += inner[0]
            paths += inner[1]
        elif isinstance(node, String):
            x, y = a * node.x + c * node.y + e, b * node.x + d * node.y + f
            strings.append((node.text, node.fontName, node.fontSize, node.textAnchor, x, y))
        elif isinstance(node, Path) and not node.isClipPath:
            xs = [a * x + c * y + e for x, y in zip(node.points[::2], node.points[1::2], strict=True)]
            ys = [b * x + d * y + f for x, y in zip(node.points[::2], node.points[1::2], strict=True)]
            box = (round(min(xs), 1), round(min(ys), 1), round(max(xs), 1), round(max(ys), 1)) if xs else ()
            fill = _paint(node.fillColor, node.fillOpacity)
            if fill and box and box[0] < box[2] and box[1] < box[3]:  # a fill of no area paints nothing
                paths.append(("fill", *fill, *box))
            stroke = _paint(node.strokeColor, node.strokeOpacity)
            if stroke and node.strokeWidth and box and type(node).__name__ != "NoStrokePath":  # svglib's fill part
                dashes = [round(float(d), 3) for d in (node.strokeDashArray or ())]
                paths.append(("stroke", *stroke, round(float(node.strokeWidth), 2), str(dashes), *box))
    return strings, paths


def _paint(color, opacity) -> tuple[str, float] | None:
    """A colour as painted: its hex and its alpha (the shape's opacity where it has one, as the PDF renderer sets
    it after the colour's own); None: invisible."""
    if color is None:
        return None
    alpha = round(float(color.alpha if opacity is None else opacity), 3)
    return (color.hexval(), alpha) if alpha > 0 else None


def _radar():
    scores = {"Incident\nmanagement": 0.5, "Problem management": 0.6, "Change": 0.7, "Capacity": 0.4}
    return radar_figure(list(scores), {"2025-04-22": scores}, title="Northwind — section scores", size=(6.4, 4.6))


@pytest.mark.parametrize("figure", [lambda: trend_figure(_trend()), _radar], ids=["trend", "radar"])
def test_the_direct_drawing_is_the_drawing_the_svg_gave(figure):
    direct, through_svg = drawing(figure()), svg_drawing(figure())
    assert (direct.width, direct.height) == pytest.approx((through_svg.width, through_svg.height))
    strings, paths = _placed(direct)
    svg_strings, svg_paths = _placed(through_svg)
    _same(strings, svg_strings)
    _same(paths, svg_paths)


def _same(ours: list[tuple], theirs: list[tuple]) -> None:
    """The same items, positions within a fiftieth of a point."""
    assert len(ours) == len(theirs)
    for mine, other in zip(sorted(ours), sorted(theirs), strict=True):
        assert [v for v in mine if not isinstance(v, float)] == [v for v in other if not isinstance(v, float)]
        assert [v for v in mine if isinstance(v, float)] == pytest.approx([v for v in other if isinstance(v, float)],
                                                                          abs=0.02)
