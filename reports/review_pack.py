"""The joint-review pack as a PDF (reportlab platypus): cover, contents, every section of the agenda and the
sign-off block, with a running header and "page n of m" on every page and table headers repeated across pages.

The pack renders a frozen PackView (sltdesk.services.pack) and nothing else, so the screen and the paper agree.
Output is reproducible: the same view gives the same PDF content; only the generation time on the cover differs.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, PageBreak, PageTemplate, Paragraph
from reportlab.platypus.tableofcontents import TableOfContents

from reports import fonts, pack_back, pack_sections, pack_signals
from reports.pack_sections import Layout
from reports.pack_style import BOLD, MUTED, REGULAR, RULE, STYLES, esc, register_fonts
from sltdesk.services.gc_pause import cycle_collection_held
from sltdesk.services.pack_view import PackView

PAPER = {"a4": A4, "letter": LETTER}
MARGIN = 16 * mm
Progress = Callable[[int, str], None]
SECTIONS = (pack_sections.executive_summary, pack_sections.attainment, pack_sections.control_charts,
            pack_sections.breaches, pack_signals.leading_indicators, pack_sections.quality, pack_back.credits,
            pack_back.maturity, pack_back.coverage, pack_back.backlog, pack_back.contingency, pack_back.decisions,
            pack_back.sign_off)


def write_pack(path: str | Path, view: PackView, *, generated: datetime,
               progress: Progress | None = None) -> int:
    """Write the PDF; returns the number of pages."""
    with cycle_collection_held():  # hundreds of thousands of short-lived objects (sltdesk/services/gc_pause.py)
        return _write(path, view, generated=generated, progress=progress)


def _write(path: str | Path, view: PackView, *, generated: datetime, progress: Progress | None) -> int:
    register_fonts()
    report = progress or (lambda _pct, _msg: None)
    size = PAPER.get(view.paper.lower(), A4)
    doc = _PackDocument(str(path), pagesize=size, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN + 6 * mm,
                        bottomMargin=MARGIN + 4 * mm, title=f"Joint service review — {view.supplier} — {view.period}",
                        author="SLT Desk", subject=f"audit head {view.audit_head}", creator="SLT Desk",
                        invariant=1, pageCompression=1)
    layout = Layout(doc.width, generated)
    story = pack_sections.cover(view, layout)
    contents = TableOfContents(dotsMinLevel=0)
    contents.levelStyles = [STYLES["body"]]
    story += [Paragraph("Contents", STYLES["H1"]), contents, PageBreak()]
    for index, section in enumerate(SECTIONS):
        report(80 + int(10 * index / len(SECTIONS)), f"Laying out {section.__name__.replace('_', ' ')}…")
        story += section(view, layout)
    report(92, "Paginating…")
    header = f"Joint service review · {view.supplier} · {view.period}"
    footer = f"SLT Desk · audit head {view.audit_head[:16]}…"
    from reportlab import rl_config

    ascii85, rl_config.useA85 = rl_config.useA85, 0  # binary image streams: no pure-Python ASCII85 pass
    layout.charts.start()  # drawn beside the layout's first pass, where they can be (reports/chart_jobs.py)
    try:
        doc.multiBuild(story, canvasmaker=lambda *a, **k: _PackCanvas(*a, header=header, footer=footer, **k))
    finally:
        rl_config.useA85 = ascii85
        layout.charts.close()
    report(100, "Pack written.")
    return doc.page_count


class _PackDocument(BaseDocTemplate):
    """One frame per page; section headings go into the contents and the PDF outline.

    The contents need the pages of the headings, so the pack is laid out at least twice; the first pass is only
    for those pages (`drafting`: the charts are not drawn on it, reports/chart_svg.py) and is never the last."""

    def __init__(self, filename: str, **kw):
        super().__init__(filename, **kw)
        frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="body")
        self.addPageTemplates([PageTemplate(id="page", frames=[frame])])
        self.page_count = 0
        self._headings = 0
        self.passes = 0
        self.drafting = False

    def afterFlowable(self, flowable) -> None:
        if isinstance(flowable, Paragraph) and flowable.style.name == "H1" and flowable.getPlainText() != "Contents":
            self._headings += 1
            key = f"section-{self._headings}"
            title = flowable.getPlainText()
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(title, key, level=0)
            self.notify("TOCEntry", (0, esc(title), self.page, key))

    def beforeDocument(self) -> None:
        self._headings = 0
        self.passes += 1
        self.drafting = self.passes == 1

    def _allSatisfied(self) -> bool:
        # a drafted pass is never kept: the pass after it draws everything
        return not self.drafting and bool(super()._allSatisfied())  # type: ignore[misc]  # private, not in the stubs

    def afterPage(self) -> None:
        self.page_count = self.page


class _PackCanvas(Canvas):
    """Keeps every page until the end so each can say "page n of m"; draws the running header and footer."""

    def __init__(self, filename, *, header: str, footer: str, pagesize: tuple[float, float], **kwargs):
        super().__init__(filename, pagesize=pagesize, **kwargs)
        self._header, self._footer, self._size = header, footer, pagesize
        self._pages: list[dict] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()  # type: ignore[attr-defined]  # reportlab's own page reset; private, so not in the stubs

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self._decorate(total)
            super().showPage()
        super().save()

    def _decorate(self, total: int) -> None:
        width, height = self._size
        top, bottom = height - MARGIN + 2 * mm, MARGIN - 2 * mm
        self.saveState()
        self.setStrokeColor(RULE)
        self.setLineWidth(0.5)
        self.line(MARGIN, top - 2 * mm, width - MARGIN, top - 2 * mm)
        self.line(MARGIN, bottom + 4 * mm, width - MARGIN, bottom + 4 * mm)
        self.setFillColor(MUTED)
        fonts.draw(self, MARGIN, top, _fit(self._header, BOLD, 7.5, width - 2 * MARGIN - 40 * mm), BOLD, 7.5)
        self.setFont(REGULAR, 7.5)
        self.drawRightString(width - MARGIN, top, f"page {self.getPageNumber()} of {total}")
        self.drawString(MARGIN, bottom, self._footer)
        self.restoreState()


def _fit(text: str, font: str, size: float, room: float) -> str:
    """The text, cut with an ellipsis to fit `room` points (drawn literally: no markup on the canvas)."""
    if fonts.width(text, font, size) <= room:
        return text
    low, high = 0, len(text)  # the longest start that fits with the ellipsis lies in [low, high)
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (middle, high) if fonts.width(text[:middle] + "…", font, size) <= room else (low, middle)
    return text[:low] + "…"
