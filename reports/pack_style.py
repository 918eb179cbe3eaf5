"""Fonts, paragraph styles and table helpers of the review pack.

Every piece of text from a vendor or a user goes through `text()` (or `cell()` in tables): control characters
are dropped and <, > and & are escaped before reportlab reads the string as markup, so `a < b`, `S&P`,
`</para>` or `<img src=...>` print literally and nothing is ever fetched. Markup is only ever written by
this package, around text that went through `esc()`. `esc()` also puts right-to-left text into display order
and draws each run in a font that has its characters (reports.fonts); words too long for their column are
broken, and table rows taller than a page continue on the next.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal
from typing import cast

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Paragraph, Table, TableStyle

from reports import fonts
from reports.fonts import BOLD, REGULAR

INK = colors.HexColor("#1d2939")
MUTED = colors.HexColor("#667085")
RULE = colors.HexColor("#d0d5dd")
HEAD_BG = colors.HexColor("#eef2f6")
BLUE = colors.HexColor("#1f4e8c")
RAG = {"red": colors.HexColor("#f4c7c3"), "amber": colors.HexColor("#fce3b0"), "green": colors.HexColor("#cde9d2"),
       "grey": colors.HexColor("#e4e7ec")}
RED_TEXT = colors.HexColor("#b3261e")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def register_fonts() -> None:
    """DejaVu Sans has ≥, →, −, σ and × (the 14 standard PDF fonts do not), with CJK and emoji fallbacks."""
    fonts.register()


def _style(name: str, **kw) -> ParagraphStyle:
    base = {"fontName": REGULAR, "fontSize": 9, "leading": 12, "textColor": INK}
    return ParagraphStyle(name, **{**base, **kw})


STYLES = {
    "body": _style("body"),
    "small": _style("small", fontSize=7.5, leading=9.5),
    "muted": _style("muted", fontSize=8, leading=10, textColor=MUTED),
    "cell": _style("cell", fontSize=7.5, leading=9.2),
    "cellhead": _style("cellhead", fontName=BOLD, fontSize=7.5, leading=9.2),
    "H1": _style("H1", fontName=BOLD, fontSize=15, leading=19, spaceBefore=4, spaceAfter=8, textColor=BLUE),
    "H2": _style("H2", fontName=BOLD, fontSize=11, leading=14, spaceBefore=10, spaceAfter=4),
    "H3": _style("H3", fontName=BOLD, fontSize=9, leading=12, spaceBefore=6, spaceAfter=2),
    "title": _style("title", fontName=BOLD, fontSize=26, leading=32, textColor=BLUE, spaceAfter=6),
    "subtitle": _style("subtitle", fontSize=14, leading=18, spaceAfter=14),
    "note": _style("note", fontSize=8.5, leading=11, backColor=colors.HexColor("#f5f8fc"), borderPadding=4,
                   spaceBefore=2, spaceAfter=8, leftIndent=4, rightIndent=4),
    "step": _style("step", fontSize=7.2, leading=9, leftIndent=10, textColor=colors.HexColor("#344054")),
}


def esc(value: object) -> str:
    """Untrusted text made safe for reportlab markup, in display order and in fonts that have its characters."""
    return fonts.markup(_CONTROL.sub("", "" if value is None else str(value)))


def text(value: object, style: str = "body") -> Paragraph:
    """A paragraph of untrusted text (printed literally)."""
    return Paragraph(esc(value), STYLES[style])


def markup(trusted: str, style: str = "body") -> Paragraph:
    """A paragraph of this package's own markup (dynamic parts already passed through esc())."""
    return Paragraph(trusted, STYLES[style])


def num(value: Decimal | None) -> str:
    """A figure exactly as computed ('99.9483'), '—' when there is none."""
    return "—" if value is None else f"{value:f}"


def cell(value: object, style: str = "cell") -> Flowable:
    return value if isinstance(value, Flowable) else Paragraph(esc(value), STYLES[style])


def pairs(rows: Sequence[tuple[str, object]], widths: Sequence[float], *, total: float) -> Table:
    """A two-column table of labels and values, without a header row."""
    body = [[cell(label, "cellhead"), cell(value)] for label, value in rows]
    table = Table(body, colWidths=[w * total for w in widths], hAlign="LEFT", splitInRow=1)
    table.setStyle(TableStyle([("LINEABOVE", (0, 0), (-1, 0), 0.8, MUTED), ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE),
                               ("VALIGN", (0, 0), (-1, -1), "TOP"), ("TOPPADDING", (0, 0), (-1, -1), 2.5),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5)]))
    return table


def numbered(items: Sequence[Flowable]) -> Flowable:
    """A numbered list whose numbers match the body text."""
    from reportlab.platypus import ListFlowable, ListItem

    # ListFlowable takes ListItems (reportlab's documented use); the stubs allow only flowables
    listed = cast(list[Flowable], [ListItem(i, leftIndent=16) for i in items])
    return ListFlowable(listed, bulletType="1", bulletFontName=REGULAR,
                        bulletFontSize=9, leftIndent=16, bulletDedent=14)


def grid(header: Sequence[str], rows: Sequence[Sequence[object]], widths: Sequence[float], *, total: float,
         extra: Sequence[tuple] = (), right: Sequence[int] = ()) -> Table:
    """A table whose header repeats on every page; `widths` are shares of `total`; cells wrap."""
    right_style = ParagraphStyle("cellright", parent=STYLES["cell"], alignment=2)
    body = [[cell(v, "cell") if i not in right or isinstance(v, Flowable) else Paragraph(esc(v), right_style)
             for i, v in enumerate(row)] for row in rows]
    table = Table([[cell(h, "cellhead") for h in header], *body], colWidths=[w * total for w in widths],
                  repeatRows=1, hAlign="LEFT", splitInRow=1)
    table.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, 0), HEAD_BG),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, MUTED),
        ("LINEBELOW", (0, 1), (-1, -1), 0.3, RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        *extra,
    ]))
    return table
