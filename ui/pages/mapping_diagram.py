"""The chain of an end-to-end target drawn left to right: a block per component, redundant branches
stacked in their stage, each block showing its committed figure; a gap is an empty red block."""

from __future__ import annotations

import textwrap
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QImage, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsPathItem, QGraphicsScene, QGraphicsSimpleTextItem, QGraphicsView, QWidget

from sltdesk.services.coverage import ComponentCoverage, TargetCoverage

STATUS_COLORS = {"covered": "#067647", "partial": "#b54708", "overlap": "#6941c6", "gap": "#b3261e"}
STATUS_TINTS = {"covered": "#ecfdf3", "partial": "#fffaeb", "overlap": "#f4f3ff", "gap": "#ffffff"}
BLOCK_W, BLOCK_H, GAP_X, GAP_Y = 170.0, 86.0, 36.0, 14.0
SYMBOLS = {">=": "≥", "<=": "≤", ">": ">", "<": "<"}
MUTED = "#475467"


def figure_text(value: Decimal | None, unit: str) -> str:
    return "—" if value is None else f"{value} {unit}"


class ChainView(QGraphicsView):
    """Shows one target's chain; `blocks` maps component name to its drawn block (tests read them)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setScene(QGraphicsScene(self))
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.setBackgroundBrush(QColor("#fcfcfd"))
        self.blocks: dict[str, QGraphicsPathItem] = {}
        self.result_text = ""

    def show_target(self, target: TargetCoverage | None) -> None:
        scene = self.scene()
        scene.clear()
        self.blocks = {}
        self.result_text = ""
        if target is None:
            self._text("Select an end-to-end target to see its chain of suppliers.", QPointF(12, 12), size=11)
            return
        if not target.components:
            self._text("This target has no components yet.", QPointF(12, 12), size=11)
            return
        stages = sorted({c.stage for c in target.components})
        tallest = max(sum(1 for c in target.components if c.stage == s) for s in stages)
        middle = 40 + (tallest * (BLOCK_H + GAP_Y) - GAP_Y) / 2
        x = self._endpoint(target.service, 12, middle)
        for stage in stages:
            branches = [c for c in target.components if c.stage == stage]
            x = self._stage(stage, branches, target, x, middle)
        self._result(target, x, middle)
        self._legend(40 + tallest * (BLOCK_H + GAP_Y) + 16)
        scene.setSceneRect(scene.itemsBoundingRect().adjusted(-8, -8, 8, 8))
        self._fit()

    def _fit(self) -> None:
        """Scale down (never below 60 %) so the whole chain fits the width; never scale up."""
        width = self.scene().sceneRect().width()
        self.resetTransform()
        if width > 0:
            factor = min(1.0, max(0.6, (self.viewport().width() - 4) / width))
            self.scale(factor, factor)

    def render_image(self, path: str, scale: float = 1.5) -> None:
        """Save the whole chain as a PNG at `scale` (screenshots for the README)."""
        rect = self.scene().sceneRect()
        image = QImage(int(rect.width() * scale), int(rect.height() * scale), QImage.Format.Format_ARGB32)
        image.fill(QColor("#fcfcfd"))
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.scene().render(painter)
        painter.end()
        image.save(path)

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        self._fit()

    # --- drawing ----------------------------------------------------------------------------
    def _stage(self, stage: int, branches: list[ComponentCoverage], target: TargetCoverage, x: float,
               middle: float) -> float:
        """Draw a stage's blocks starting at x; returns the x where the next stage's line starts."""
        top = middle - (len(branches) * (BLOCK_H + GAP_Y) - GAP_Y) / 2
        left = x + GAP_X
        label = f"Stage {stage}" + (" · redundant" if len(branches) > 1 else "")
        self._text(label, QPointF(left, top - 20), color=MUTED, size=8)
        for index, component in enumerate(branches):
            y = top + index * (BLOCK_H + GAP_Y)
            self._line(QPointF(x + GAP_X / 2, middle), QPointF(x + GAP_X / 2, y + BLOCK_H / 2))
            self._line(QPointF(x + GAP_X / 2, y + BLOCK_H / 2), QPointF(left, y + BLOCK_H / 2))
            self._line(QPointF(left + BLOCK_W, y + BLOCK_H / 2), QPointF(left + BLOCK_W + GAP_X / 2, y + BLOCK_H / 2))
            self._line(QPointF(left + BLOCK_W + GAP_X / 2, y + BLOCK_H / 2),
                       QPointF(left + BLOCK_W + GAP_X / 2, middle))
            self._block(component, target, QRectF(left, y, BLOCK_W, BLOCK_H))
        self._line(QPointF(x, middle), QPointF(x + GAP_X / 2, middle))
        return left + BLOCK_W + GAP_X / 2

    def _block(self, c: ComponentCoverage, target: TargetCoverage, rect: QRectF) -> None:
        color = QColor(STATUS_COLORS[c.status.value])
        path = QPainterPath()
        path.addRoundedRect(rect, 8, 8)
        item = self.scene().addPath(path, QPen(color, 2.5 if c.status.value == "gap" else 1.6),
                                    QBrush(QColor(STATUS_TINTS[c.status.value])))
        if c.status.value == "gap":
            item.setPen(QPen(color, 2.5, Qt.PenStyle.DashLine))
            item.setBrush(Qt.BrushStyle.NoBrush)
        item.setToolTip("\n".join((c.name, *c.findings)) if c.findings else c.name)
        self.blocks[c.name] = item
        pad = 8
        self._text(c.name, QPointF(rect.left() + pad, rect.top() + 6), bold=True, width=rect.width() - 2 * pad)
        suppliers = ", ".join(dict.fromkeys(f"{v.contract} · {v.supplier}" for v in c.contract_targets))
        if c.status.value == "gap":
            self._text("GAP: no contract", QPointF(rect.left() + pad, rect.top() + 26), color=color.name(),
                       bold=True, size=9, width=rect.width() - 2 * pad)
            self._text("nobody is responsible", QPointF(rect.left() + pad, rect.top() + 44), color=color.name(),
                       size=8, width=rect.width() - 2 * pad)
        else:
            self._text(suppliers, QPointF(rect.left() + pad, rect.top() + 26), color=MUTED, size=8,
                       width=rect.width() - 2 * pad)
            self._text(figure_text(c.committed, target.unit), QPointF(rect.left() + pad, rect.top() + 42),
                       size=13, bold=True, color="#101828")
        needs = f"needs {SYMBOLS[target.comparison]} {figure_text(c.required, target.unit)}"
        self._text(needs, QPointF(rect.left() + pad, rect.bottom() - 20), color=color.name(), size=8,
                   width=rect.width() - 2 * pad)

    def _endpoint(self, service: str, x: float, middle: float) -> float:
        rect = QRectF(x, middle - 26, 108, 52)
        path = QPainterPath()
        path.addRoundedRect(rect, 24, 24)
        self.scene().addPath(path, QPen(QColor("#1f4e8c"), 1.5), QBrush(QColor("#eef4ff")))
        lines = textwrap.wrap(service, 12)[:2] or [""]
        for index, line in enumerate(lines):
            y = middle - 8 * len(lines) + 16 * index
            self._text(line, QPointF(x + 12, y), size=8, bold=True, width=88)
        return rect.right()

    def _result(self, target: TargetCoverage, x: float, middle: float) -> None:
        rect = QRectF(x + GAP_X / 2, middle - 46, 190, 92)
        self._line(QPointF(x, middle), QPointF(rect.left(), middle))
        if target.composed is None:
            color, verdict = QColor(MUTED), "cannot be composed"
        elif target.shortfall:
            color, verdict = QColor(STATUS_COLORS["gap"]), f"short by {figure_text(target.shortfall, target.unit)}"
        else:
            color, verdict = QColor(STATUS_COLORS["covered"]), "meets the target"
        path = QPainterPath()
        path.addRoundedRect(rect, 8, 8)
        self.scene().addPath(path, QPen(color, 2), QBrush(QColor("#ffffff")))
        self._text("Composed commitment", QPointF(rect.left() + 10, rect.top() + 6), color=MUTED, size=8)
        self._text(figure_text(target.composed, target.unit), QPointF(rect.left() + 10, rect.top() + 22),
                   size=14, bold=True, color=color.name())
        self._text(f"target {SYMBOLS[target.comparison]} {target.threshold:f} {target.unit}",
                   QPointF(rect.left() + 10, rect.top() + 48), size=8, color=MUTED)
        self._text(verdict, QPointF(rect.left() + 10, rect.top() + 66), size=9, bold=True, color=color.name())
        self.result_text = f"{figure_text(target.composed, target.unit)}: {verdict}"

    def _legend(self, y: float) -> None:
        x = 12.0
        for status, color in STATUS_COLORS.items():
            path = QPainterPath()
            path.addRoundedRect(QRectF(x, y, 14, 14), 3, 3)
            pen = QPen(QColor(color), 2, Qt.PenStyle.DashLine if status == "gap" else Qt.PenStyle.SolidLine)
            self.scene().addPath(path, pen, QBrush(QColor(STATUS_TINTS[status])))
            self._text(status, QPointF(x + 20, y - 1), size=9, color=MUTED)
            x += 100

    def _line(self, start: QPointF, end: QPointF) -> None:
        self.scene().addLine(start.x(), start.y(), end.x(), end.y(), QPen(QColor("#98a2b3"), 1.4))

    def _text(self, text: str, at: QPointF, *, size: int = 9, bold: bool = False, color: str = "#101828",
              width: float = 0) -> QGraphicsSimpleTextItem:
        font = QFont(self.font())
        font.setPointSize(size)
        font.setBold(bold)
        if width:
            text = QFontMetrics(font).elidedText(text, Qt.TextElideMode.ElideRight, int(width))
        item = self.scene().addSimpleText(text, font)
        item.setBrush(QColor(color))
        item.setPos(at)
        return item
