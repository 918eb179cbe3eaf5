"""The first half of the review pack: cover, executive summary, attainment, control charts, breaches,
discrepancies and data quality."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, PageBreak, Paragraph, Spacer

from reports.chart_jobs import ChartJobs
from reports.chart_svg import VectorChart
from reports.charts import TREND_SIZE, trend_figure
from reports.pack_style import RAG, RED_TEXT, STYLES, esc, grid, markup, num, numbered, pairs, text
from sltdesk.domain.figures import shown
from sltdesk.domain.money import format_money
from sltdesk.domain.reviews import AgendaItem, RootCauseMethod
from sltdesk.services.pack_view import PackView


@dataclass(frozen=True)
class Layout:
    width: float  # of the frame, in points
    generated: datetime
    charts: ChartJobs = field(default_factory=ChartJobs)  # drawn beside the layout (reports/chart_jobs.py)


def heading(title: str) -> Paragraph:
    """A section heading (listed in the contents and the PDF outline)."""
    return Paragraph(esc(title), STYLES["H1"])


def opening(title: str, *first: Flowable) -> list[Flowable]:
    """A new page when little room is left, then the heading kept with the section's first flowables."""
    return [CondPageBreak(70 * mm), KeepTogether([heading(title), *first])]


def review_note(view: PackView, item: AgendaItem) -> list[Flowable]:
    note = view.note(item)
    return [markup(f"<b>Review notes — {esc(item.value)}:</b> {esc(note)}", "note")] if note else []


def cover(view: PackView, layout: Layout) -> list[Flowable]:
    out: list[Flowable] = [Spacer(1, 30 * mm), markup("Joint service review", "title"),
                           text(f"{view.supplier} — {view.period}", "subtitle")]
    facts = [("Supplier", f"{view.supplier} ({view.category}, {view.criticality})"),
             ("Period", f"{view.period} (trends over {view.months[0]} – {view.months[-1]})"),
             ("Review", f"{view.review_title}, held on {view.held_on.isoformat()}" if view.held_on
              else "no review meeting recorded for this period yet"),
             ("Judged as of", view.as_of.isoformat()),
             ("Generated", layout.generated.strftime("%Y-%m-%d %H:%M %Z").strip()),
             ("Workspace audit head", f"{view.audit_head} ({view.audit_entries:,} entries)")]
    out.append(pairs(facts, [0.25, 0.75], total=layout.width))
    out += [Spacer(1, 6 * mm), Paragraph("Parties", STYLES["H2"])]
    if view.attendees:
        rows = [(a.name, a.role, "us" if a.side.value == "ours" else view.supplier) for a in view.attendees]
        out.append(grid(["Name", "Role", "For"], rows, [0.35, 0.4, 0.25], total=layout.width))
    else:
        owners = sorted({c.owner for c in view.contracts if c.owner})
        out.append(text(f"For us: {', '.join(owners) or '—'} (contract owners). For {view.supplier}: "
                        f"{', '.join(view.contacts) or '—'}."))
    out += [Spacer(1, 6 * mm), Paragraph("Contracts", STYLES["H2"])]
    contracts = [(c.ref, c.title, f"{format_money(c.charges, c.currency)} a {c.charges_period}", c.owner)
                 for c in view.contracts]
    out.append(grid(["Contract", "Title", "Charges", "Owner"], contracts, [0.18, 0.42, 0.24, 0.16],
                    total=layout.width))
    out += [Spacer(1, 8 * mm), text("Every figure in this pack is recomputed by SLT Desk from the supplier's raw data "
                                    "under the contract's rules; the shared XLSX data set holds the rows behind "
                                    "them. The audit head identifies the exact state of the workspace it was "
                                    "computed from.", "muted"), PageBreak()]
    return out


def executive_summary(view: PackView, layout: Layout) -> list[Flowable]:
    s = view.summary
    out: list[Flowable] = opening("Executive summary")
    out.append(markup(f"<b>{s.met}</b> of {s.targets} targets met in {esc(view.period)}, <b>{s.missed}</b> missed"
                      f", {s.no_data} without data; {s.amber} met but at risk (amber)."))
    rows = [(t.currency, format_money(t.owed, t.currency), format_money(t.issued, t.currency),
             format_money(t.outstanding, t.currency)) for t in s.totals]
    if rows:
        out += [Spacer(1, 3 * mm), grid(["Currency", "Credits owed for the period", "Issued by the supplier",
                                         "Outstanding"], rows, [0.16, 0.28, 0.28, 0.28], total=layout.width,
                                        right=[1, 2, 3])]
    out += [Paragraph("Top three issues", STYLES["H2"])]
    out.append(numbered([text(i) for i in s.top_issues]) if s.top_issues
               else text("Nothing stands out: every target met, no open root causes, nothing owed."))
    return out


def attainment(view: PackView, layout: Layout) -> list[Flowable]:
    out: list[Flowable] = opening("Performance against targets", *review_note(view, AgendaItem.PERFORMANCE))
    out.append(text(f"Our figures for {view.period}, recomputed from the raw data, beside what the vendor reported. "
                    "Red: missed; amber: met with an early warning or less than a quarter of the error budget left; "
                    "green: met; grey: no verdict (no data, data incomplete, or the period still in progress). "
                    "Baseline: a suggestion beside the contract's threshold, the level the target reached in nine "
                    "months of ten over the 12 complete months before the period (their 10th percentile on the "
                    "worse side); it changes no contract.", "muted"))
    rows, extra = [], []
    for i, r in enumerate(view.attainment, start=1):
        diff = r.difference_text + (" ⚠ verdict differs" if r.flips else "")
        rows.append((r.contract, r.target, r.target_text, r.baseline_text, r.achieved_text, num(r.reported), diff,
                     r.verdict.upper() if r.met is False else r.verdict))
        extra.append(("BACKGROUND", (7, i), (7, i), RAG[r.rag]))
    out.append(grid(["Contract", "Target", "Target value", "Baseline", "Ours", "Vendor", "Vendor − ours", "Verdict"],
                    rows, [0.13, 0.2, 0.12, 0.11, 0.11, 0.1, 0.12, 0.11], total=layout.width, extra=extra,
                    right=[3, 4, 5, 6]))
    out += [Paragraph("How each figure was computed", STYLES["H2"])]
    computed = [(f"{r.contract} {r.target}", r.explanation or "—", r.budget) for r in view.attainment]
    out.append(grid(["Target", "Computation", "Error budget"], computed, [0.26, 0.52, 0.22], total=layout.width))
    return out


def control_charts(view: PackView, layout: Layout) -> list[Flowable]:
    intro = text("Each chart shows our monthly figure (blue), the vendor's (grey crosses), the target (orange, "
                 "dashed), the XmR centre line and control limits (grey, clipped at what the measure can be: "
                 "0–100 % for a percentage) and, below, the moving range. A miss inside the limits is within the "
                 "process's normal variation; a miss the Western Electric rules flag (red ring) is special-cause: "
                 "something systemic changed.", "muted")
    out: list[Flowable] = [CondPageBreak(70 * mm)]
    charted = [t for t in view.trends if any(v is not None for v in t.chart.values)]
    for index, t in enumerate(charted):
        image = VectorChart(layout.charts.add(trend_figure, t, size=TREND_SIZE), layout.width)
        lines = [t.capability]
        if t.special_misses:
            lines.append(f"Special-cause misses (systemic): {', '.join(t.special_misses)}.")
        if t.common_misses:
            lines.append(f"Misses within normal variation: {', '.join(t.common_misses)}.")
        lines += [f"Early warning: {w}." for w in t.warnings]
        block = [Paragraph(esc(f"{t.contract} {t.target} ({t.comparison.value} {t.threshold:f} {t.unit})"),
                           STYLES["H2"]), image, *[text(line, "small") for line in lines]]
        out.append(KeepTogether(([heading("Trends and control charts"), intro] if index == 0 else []) + block))
    if not charted:
        out += [heading("Trends and control charts"), intro]
    blank = [f"{t.contract} {t.target}" for t in view.trends if t not in charted]
    if blank:
        out.append(text(f"No figures in {view.months[0]} – {view.months[-1]}, so no chart, for: "
                        f"{'; '.join(blank)} (no raw data or no measurement rule yet).", "small"))
    return out


def breaches(view: PackView, layout: Layout) -> list[Flowable]:
    log = view.breaches
    out: list[Flowable] = opening("Breach log and root causes", *review_note(view, AgendaItem.BREACHES))
    if not log.entries:
        out.append(text(f"No target was missed in {view.months[0]} – {view.months[-1]}."))
    else:
        rows = [(e.period, f"{e.contract} {e.target}", f"{e.achieved_text or num(e.achieved)} ({e.target_text})",
                 shown(e.shortfall, places=4),
                 f"{e.duration_minutes:,.1f}", str(e.incidents),
                 f"{format_money(e.impact, e.currency)} ({e.impact_basis})" if e.impact_basis else "—",
                 "special" if e.special_cause else "common")
                for e in log.entries]
        out.append(grid(["Period", "Target", "Achieved (target)", "Shortfall", "Minutes", "Count",
                         "Impact", "Cause"], rows, [0.09, 0.22, 0.19, 0.09, 0.08, 0.08, 0.16, 0.09],
                        total=layout.width, right=[3, 4, 5]))
        for title, ranked in (("Ranked by frequency", log.by_frequency),
                                    ("Ranked by total duration", log.by_duration),
                                    ("Ranked by business impact", log.by_impact)):
            ranks = [(str(r.rank), f"{r.contract} {r.target}", str(r.breaches), f"{r.duration_minutes:,.1f}",
                      format_money(r.impact, r.currency), ", ".join(r.periods)) for r in ranked]
            out.append(KeepTogether([Paragraph(f"{title}", STYLES["H2"]),
                                     grid(["#", "Target", "Breaches", "Minutes", "Impact", "Periods"], ranks,
                                          [0.05, 0.3, 0.1, 0.12, 0.17, 0.26], total=layout.width,
                                          right=[2, 3, 4])]))
    out += [Paragraph("Root causes", STYLES["H2"])]
    if view.root_causes_due:
        due = [(f"{d.contract} {d.target}", f"{d.run[0]} – {d.run[-1]} ({len(d.run)} in a row)", d.due_from,
                _open_item() if d.status == "open" else f"recorded (RC-{d.recorded_id})")
               for d in view.root_causes_due]
        out.append(grid(["Target", "Consecutive misses", "Due from", "Root-cause record"], due,
                        [0.34, 0.3, 0.12, 0.24], total=layout.width,
                        extra=[("TEXTCOLOR", (3, i), (3, i), RED_TEXT) for i, d in
                               enumerate(view.root_causes_due, start=1) if d.status == "open"]))
    else:
        out.append(text("No target was missed three periods in a row: no root-cause record is required."))
    for rc in view.root_causes:
        name = view.target_label(rc.target_id) or f"target {rc.target_id}"
        block: list[Flowable] = [Paragraph(esc(f"RC-{rc.id} · {name} · {rc.period} · {rc.method.value}"),
                                           STYLES["H3"]),
                 text(f"Problem: {rc.problem}", "small")]
        if rc.method is RootCauseMethod.FIVE_WHYS:
            block += [text(f"Why {i}? {why}", "step") for i, why in enumerate(rc.whys, start=1)]
        else:
            block += [text(f"{category}: {cause}", "step") for category, cause in rc.causes]
        block += [text(f"Root cause: {rc.root_cause or '—'}. Countermeasure: {rc.countermeasure or '—'}. "
                       f"Recorded by {rc.recorded_by or '—'} on {rc.recorded_on or '—'}.", "small")]
        out.append(KeepTogether(block))
    return out


def _open_item() -> Paragraph:
    return markup("<b>OPEN</b>: to be recorded", "cell")


def quality(view: PackView, layout: Layout) -> list[Flowable]:
    out: list[Flowable] = opening("Discrepancies and data quality", *review_note(view, AgendaItem.DATA_QUALITY))
    out.append(Paragraph("Vendor-reported against ours", STYLES["H2"]))
    if view.discrepancies:
        differences = [(d.period, f"{d.contract} {d.target}", d.ours_text or num(d.ours), num(d.reported),
                        d.difference_text,
                        "the verdict differs" if d.flips else "figures differ") for d in view.discrepancies]
        out.append(grid(["Period", "Target", "Ours", "Vendor", "Vendor − ours", ""], differences,
                        [0.1, 0.34, 0.12, 0.12, 0.14, 0.18], total=layout.width, right=[2, 3, 4]))
    else:
        out.append(text("The vendor's report agrees with our figures."))
    out.append(Paragraph("Findings of the imports", STYLES["H2"]))
    rows, previous = [], None
    for q in view.quality:
        first = (q.contract, q.file) != previous
        previous = (q.contract, q.file)
        rows.append((q.contract if first else "", f"{q.file} ({q.kind}, imported {q.imported_at}, {q.rows_read:,} "
                     f"rows, {q.rows_rejected:,} rejected)" if first else "", q.severity, q.code,
                     q.message + (f" (row {q.row})" if q.row else "")))
    out.append(grid(["Contract", "File", "Severity", "Finding", "Message"], rows, [0.12, 0.27, 0.09, 0.17, 0.35],
                    total=layout.width) if rows else text("Nothing has been imported for this supplier yet."))
    out.append(Paragraph("False positives: breaches monitoring raised without a real effect", STYLES["H2"]))
    flags = [(f.period, f.contract, f.target, f.monitor, str(f.approved), str(f.pending), f.flags)
             for f in view.false_positives]
    out.append(grid(["Month", "Contract", "Target", "Monitor", "Approved", "Pending", "Flags"], flags,
                    [0.09, 0.13, 0.22, 0.16, 0.1, 0.09, 0.21], total=layout.width, right=[4, 5])
               if flags else text("No false positive was flagged in these months."))
    return out
