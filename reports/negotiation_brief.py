"""The negotiation brief: one page for the renewal meeting with the distribution of a target's figures, the
candidate thresholds with what the current clauses would have paid, and the rule behind the suggestion. Laid
out from the same BriefView as the command line and the Negotiation panel, in the review pack's styles; every
text goes through the pack's escaping."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate

from reports.chart_svg import VectorChart
from reports.negotiation_chart import negotiation_figure
from reports.pack_style import STYLES, esc, grid, pairs, register_fonts, text
from sltdesk.services.negotiation import Negotiation
from sltdesk.services.negotiation_view import brief_view

MARGIN = 14 * mm


def write_brief(n: Negotiation, path: Path) -> Path:
    """Write the one-page brief as a PDF."""
    register_fonts()
    view = brief_view(n)
    doc = SimpleDocTemplate(str(path), pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                            bottomMargin=MARGIN, title=view.title, author="SLT Desk", creator="SLT Desk",
                            invariant=1)
    width = doc.width
    extra = tuple(c.threshold for c in n.candidates)
    story = [Paragraph(esc(view.title), STYLES["H1"]), text(view.subtitle, "muted"),
             VectorChart(negotiation_figure(n, extra=extra, size=(7.0, 2.6)), width),
             pairs([*view.distribution, ("Trend", view.trend)], [0.22, 0.78], total=width),
             Paragraph("Candidate thresholds", STYLES["H2"]),
             text(f"What the current clauses would have paid for {n.target} over the {len(n.distribution.months)} "
                  "months, priced by the same engine as the claim statements.", "muted"),
             grid(view.candidate_headers, view.candidate_rows, [0.34, 0.18, 0.24, 0.24], total=width,
                  right=[1, 2, 3]),
             Paragraph("Suggested threshold", STYLES["H2"]),
             text(f"{view.suggestion}: {view.rule}.", "body")]
    story += [text(note, "small") for note in view.notes]
    story.append(text("A suggestion for the renewal talk; it changes no contract.", "muted"))
    doc.build(story)
    return path
