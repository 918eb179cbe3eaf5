"""A matplotlib Figure drawn straight into a reportlab Drawing: vector shapes and text kept as text.

The pack used to write each chart as SVG and read it back with svglib; this renderer gives the same drawing
without the text in between (writing and parsing the XML was most of a chart's cost). It follows
matplotlib's SVG backend with `svg.fonttype = 'none'`: the figure is laid out at 72 dpi (one point per
point), text is measured the way that backend measures it and anchored the way it anchors it, paths are
clipped to their axes, and a style is what the SVG would say (round joins unless asked otherwise, butt caps,
dashes, alpha as fill and stroke opacity). Mathematical text, which the charts never have (`charts.literal`
escapes "$"), is drawn as outlines.
"""

from __future__ import annotations

import io
from typing import Any, Literal

import numpy as np
from matplotlib.backend_bases import FigureCanvasBase, RendererBase
from matplotlib.figure import Figure
from matplotlib.path import Path as MplPath
from reportlab.graphics.shapes import Drawing, Group, Path, String
from reportlab.lib.colors import Color

from reports.fonts import BOLD, REGULAR

_CAPS: dict[str, Literal[0, 1, 2]] = {"butt": 0, "round": 1, "projecting": 2}
_JOINS: dict[str, Literal[0, 1, 2]] = {"miter": 0, "round": 1, "bevel": 2}
_ANCHORS: dict[str, Literal["start", "middle", "end"]] = {"left": "start", "right": "end", "center": "middle"}
_NON_ZERO: Literal[1] = 1  # reportlab's FILL_NON_ZERO (SVG's default fill rule; not in reportlab's stubs)


def figure_drawing(figure: Figure) -> Drawing:
    """The Figure as a reportlab Drawing of its size in points (each string in DejaVu Sans, bold where asked)."""
    shown_on = figure.canvas  # a figure on screen goes back to its own canvas, as savefig leaves it
    canvas = _DrawingCanvas(figure)
    try:
        figure.savefig(io.BytesIO(), format="reportlab")  # savefig's own handling of dpi, face colour and layout
    finally:
        figure.set_canvas(shown_on)
    return canvas.result


class _DrawingCanvas(FigureCanvasBase):
    fixed_dpi = 72

    def __init__(self, figure: Figure):
        super().__init__(figure)
        self.result = Drawing(0, 0)

    @classmethod
    def get_default_filetype(cls) -> str:
        return "reportlab"  # a layout engine measures text with this canvas's renderer, as it would with the SVG one

    def print_reportlab(self, sink: Any, **_kwargs: Any) -> None:
        self.figure.dpi = 72  # restored by savefig, as the SVG backend's is
        width, height = self.figure.get_size_inches() * 72
        renderer = _DrawingRenderer(float(width), float(height))
        self.figure.draw(renderer)
        self.result = renderer.drawing


class _DrawingRenderer(RendererBase):
    def __init__(self, width: float, height: float):
        super().__init__()
        self.width, self.height = width, height
        self.drawing = Drawing(width, height)
        self._clipped: tuple[Any, Group] | None = None  # the last clip and the group drawn inside it

    def flipy(self) -> bool:
        return False  # reportlab's y grows upwards, as matplotlib's display coordinates do

    def get_canvas_width_height(self) -> tuple[float, float]:
        return self.width, self.height

    def get_text_width_height_descent(self, s, prop, ismath):
        return self._text2path.get_text_width_height_descent(s, prop, ismath)  # as the SVG backend measures

    def option_image_nocomposite(self) -> bool:
        return True

    def draw_image(self, gc, x, y, im, transform=None) -> None:
        raise NotImplementedError("the charts are vector graphics only")

    def draw_path(self, gc, path, transform, rgbFace=None) -> None:
        clip = rgbFace is None and gc.get_hatch_path() is None
        cleaned = path.cleaned(transform=transform, remove_nans=True,
                               clip=(0.0, 0.0, self.width, self.height) if clip else None,
                               simplify=path.should_simplify and clip, curves=True, sketch=gc.get_sketch_params())
        shape = _shape(cleaned.vertices, cleaned.codes)
        if shape is None:
            return
        _style(shape, gc, rgbFace)
        self._add(shape, gc)

    def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None) -> None:
        if ismath:
            super().draw_text(gc, x, y, s, prop, angle, ismath, mtext)  # as outlines
            return
        weight = prop.get_weight()
        bold = weight in ("bold", "bolder", "heavy", "extra bold", "black", "demibold", "semibold", "demi") or (
            isinstance(weight, int | float) and weight >= 600)
        rgb = gc.get_rgb()
        alpha = gc.get_alpha() if gc.get_forced_alpha() else rgb[3]
        string = String(0, 0, s, fontName=BOLD if bold else REGULAR, fontSize=prop.get_size_in_points(),
                        fillColor=Color(*rgb[:3]))
        if alpha != 1:
            string.setProperties({"fillOpacity": alpha})
        if mtext is not None and (angle == 0 or mtext.get_rotation_mode() == "anchor"):
            # anchored at the text's own position (horizontal alignment kept), the baseline laid out by matplotlib
            ax, ay = mtext.get_transform().transform(mtext.get_unitless_position())
            radians = np.deg2rad(angle)
            across = np.array([-np.sin(radians), np.cos(radians)])  # "up" along the rotated text, y upwards
            offset = float(np.dot(across, [x - ax, y - ay]))
            ax, ay = ax + offset * across[0], ay + offset * across[1]
            string.textAnchor = _ANCHORS[mtext.get_ha()]
        else:
            ax, ay = x, y
        node: String | Group = string
        if angle:
            node = Group(string)
            node.translate(float(ax), float(ay))
            node.rotate(angle)
        else:
            string.x, string.y = float(ax), float(ay)
        self._add(node, gc)

    def _add(self, node: Any, gc) -> None:
        """Into the drawing, inside the clip of its axes (consecutive shapes with one clip share a group)."""
        rectangle = gc.get_clip_rectangle()
        clip_path, clip_transform = gc.get_clip_path()
        if clip_path is not None:
            # the path itself (compared by identity, and kept alive by the key, so no other path takes its id)
            key: Any = ("path", clip_path, tuple(clip_transform.get_matrix().ravel()))
        elif rectangle is not None:
            key = ("rect", *rectangle.bounds)
        else:
            self._clipped = None
            self.drawing.add(node)
            return
        if self._clipped is None or self._clipped[0] != key or self.drawing.contents[-1] is not self._clipped[1]:
            if clip_path is not None:
                cleaned = clip_path.cleaned(transform=clip_transform, remove_nans=True, curves=True)
                outline = _shape(cleaned.vertices, cleaned.codes) or Path()
            else:
                x, y, w, h = rectangle.bounds
                outline = Path([x, y, x + w, y, x + w, y + h, x, y + h], [0, 1, 1, 1, 3])
            outline.isClipPath = 1
            outline.fillColor = outline.strokeColor = None
            self._clipped = (key, Group(outline))
            self.drawing.add(self._clipped[1])
        self._clipped[1].add(node)


def _shape(vertices: np.ndarray, codes: np.ndarray | None) -> Path | None:
    """A reportlab path from a cleaned matplotlib path (quadratic curves as cubics)."""
    if codes is None:
        codes = np.full(len(vertices), MplPath.LINETO, dtype=np.uint8)
        if len(codes):
            codes[0] = MplPath.MOVETO
    points: list[float] = []
    operators: list[float] = []
    last = (0.0, 0.0)
    xy = vertices.tolist()
    index, count = 0, len(codes)
    while index < count:
        code = codes[index]
        if code == MplPath.STOP:
            break
        if code == MplPath.MOVETO or code == MplPath.LINETO:
            last = (xy[index][0], xy[index][1])
            points += last
            operators.append(0 if code == MplPath.MOVETO else 1)
            index += 1
        elif code == MplPath.CURVE3:
            (qx, qy), (ex, ey) = xy[index], xy[index + 1]
            points += [last[0] + 2 / 3 * (qx - last[0]), last[1] + 2 / 3 * (qy - last[1]),
                       ex + 2 / 3 * (qx - ex), ey + 2 / 3 * (qy - ey), ex, ey]
            operators.append(2)
            last = (ex, ey)
            index += 2
        elif code == MplPath.CURVE4:
            (c1x, c1y), (c2x, c2y), (ex, ey) = xy[index:index + 3]
            points += [c1x, c1y, c2x, c2y, ex, ey]
            operators.append(2)
            last = (ex, ey)
            index += 3
        else:  # CLOSEPOLY
            operators.append(3)
            index += 1
    if not operators:
        return None
    return Path(points, operators, autoclose="svg", fillMode=_NON_ZERO)


def _style(shape: Path, gc, rgbFace) -> None:
    """Fill, stroke, width, dashes, joins and caps as the SVG backend writes them."""
    forced = gc.get_forced_alpha()
    alpha = gc.get_alpha()
    opacity = 0.0 if rgbFace is None else alpha if forced else rgbFace[3] if len(rgbFace) == 4 else 1.0
    shape.fillColor = Color(*rgbFace[:3]) if rgbFace is not None and opacity else None  # "none": nothing to fill
    if opacity not in (0, 1):
        shape.fillOpacity = opacity
    width = gc.get_linewidth()
    rgb = gc.get_rgb()
    opacity = alpha if forced else rgb[3]
    if not width or not opacity:
        shape.strokeColor = None
        return
    shape.strokeColor = Color(*rgb[:3])
    shape.strokeWidth = width
    if opacity != 1:
        shape.strokeOpacity = opacity
    offset, dashes = gc.get_dashes()
    if dashes is not None:
        shape.strokeDashArray = (float(offset), [float(d) for d in dashes]) if offset else [float(d) for d in dashes]
    shape.strokeLineJoin = _JOINS.get(gc.get_joinstyle(), 1)
    shape.strokeLineCap = _CAPS.get(gc.get_capstyle(), 0)
