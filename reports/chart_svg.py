"""Charts in the PDFs as vector graphics: a matplotlib Figure drawn into a reportlab Drawing with its text kept as
text (reports/chart_drawing.py, which draws what matplotlib's SVG backend with `svg.fonttype = 'none'` writes)
and placed as a flowable.

Lines stay sharp at any zoom and in print, and a reader can search and copy the tick labels. Every string is
set in the shipped fonts the rest of the PDF uses (reports/fonts.py): DejaVu Sans, and per run of characters it
lacks the CJK or emoji fallback, with right-to-left text in display order, as in the tables. `svg()` and
`svg_drawing()` keep the route through SVG and svglib the packs took before (a trend chart took 95 ms that way,
34 ms drawn directly): the tests check the direct drawing against it.
"""

from __future__ import annotations

import io
import re
from typing import TYPE_CHECKING, Any

import matplotlib
from matplotlib.figure import Figure
from reportlab.graphics import renderPDF
from reportlab.graphics.shapes import Drawing, Group, String
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

from reports import fonts
from reports.chart_drawing import figure_drawing
from reports.chart_jobs import PendingChart

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType

# svglib reads fill-opacity and stroke-opacity, not an element's `opacity`, which matplotlib writes for alpha.
_OPACITY = re.compile(rb"(?<![-\w])opacity:\s*([0-9.]+)")
# text as text; the same ids every time
SVG_SETTINGS: dict[RcKeyType, Any] = {"svg.fonttype": "none", "svg.hashsalt": "sltdesk"}


class _ShippedFonts:
    """svglib's font map: every family matplotlib names is drawn in DejaVu Sans (bold where asked); the
    fallbacks are chosen per run afterwards."""

    def find_font(self, name: str, weight: str = "normal", style: str = "normal") -> tuple[str, bool]:
        bold = str(weight).lower() in ("bold", "bolder") or (str(weight).isdigit() and int(weight) >= 600)
        return (fonts.BOLD if bold else fonts.REGULAR), True


def svg(figure: Figure) -> bytes:
    """The Figure as SVG with text as <text> elements; the same Figure gives the same bytes."""
    buffer = io.BytesIO()
    with matplotlib.rc_context(SVG_SETTINGS):
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    return _OPACITY.sub(rb"fill-opacity: \1; stroke-opacity: \1", buffer.getvalue())


def drawing(figure: Figure) -> Drawing:
    """The Figure as a reportlab Drawing, one point per point of the figure (inches × 72)."""
    fonts.register()
    result = figure_drawing(figure)
    _set_fonts(result)
    return result


def svg_drawing(figure: Figure) -> Drawing:
    """The same Figure through its SVG and svglib (the way the pack drew charts before chart_drawing)."""
    from svglib.svglib import svg2rlg

    fonts.register()
    result = svg2rlg(io.BytesIO(svg(figure)), font_map=_ShippedFonts())
    if result is None:  # svglib gives None for a file it cannot read; matplotlib's SVG always reads
        raise ValueError("the chart's SVG could not be read")
    _set_fonts(result)
    return result


def _set_fonts(group: Group) -> None:
    """Each string in the shipped font that has its characters: split into runs where a fallback is needed."""
    for index, node in enumerate(group.contents):
        if isinstance(node, Group):
            _set_fonts(node)
        elif isinstance(node, String):
            group.contents[index] = _shaped(node)


def _shaped(string: String) -> String | Group:
    runs = fonts.runs(string.text)
    if len(runs) == 1 and runs[0] == (string.text, None):
        return string
    size, base = string.fontSize, string.fontName
    widths = [stringWidth(run, font or base, size) for run, font in runs]
    x = string.x - {"start": 0.0, "middle": sum(widths) / 2, "end": sum(widths)}.get(string.textAnchor, 0.0)
    out = Group()
    for (run, font), width in zip(runs, widths, strict=True):
        piece = String(x, string.y, run, fontName=font or base, fontSize=size, fillColor=string.fillColor,
                       textAnchor="start")
        piece.setProperties({"fillOpacity": getattr(string, "fillOpacity", None)})  # not among String's typed keywords
        out.add(piece)
        x += width
    return out


class VectorChart(Flowable):
    """A chart drawn as vector graphics at a fixed printed width (its height follows the figure's shape). Given a
    PendingChart (reports/chart_jobs.py), it is drawn only when a page shows it, perhaps by another process."""

    def __init__(self, figure: Figure | PendingChart, width: float):
        super().__init__()
        self._pending: PendingChart | None = None
        self._chart: Drawing | None = None
        if isinstance(figure, PendingChart):
            self._pending = figure
        else:
            self._chart = drawing(figure)
        size = self._pending if self._pending is not None else self.chart
        self.scale = width / size.width
        self.width, self.height = width, size.height * self.scale

    @property
    def chart(self) -> Drawing:
        if self._chart is None:
            assert self._pending is not None
            self._chart = self._pending.drawing()
        return self._chart

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        if getattr(getattr(self.canv, "_doctemplate", None), "drafting", False):
            return  # a first pass that only finds the pages of the headings (reports/review_pack.py)
        self.canv.saveState()
        self.canv.scale(self.scale, self.scale)
        renderPDF.draw(self.chart, self.canv, 0, 0)
        self.canv.restoreState()
