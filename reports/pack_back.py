"""The second half of the review pack: credits with their traces and reconciliation, maturity, coverage,
the improvement backlog (with the target reviews due), contingency plans, decisions and the sign-off block."""

from __future__ import annotations

from decimal import Decimal

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Paragraph, Spacer, Table

from reports.pack_sections import Layout, heading, opening, review_note
from reports.pack_style import RED_TEXT, RULE, STYLES, esc, grid, markup, numbered, text
from sltdesk.domain.money import format_money
from sltdesk.domain.penalties import PeriodCredits
from sltdesk.domain.reviews import AgendaItem
from sltdesk.services.pack_view import ContractCredits, PackView


def credits(view: PackView, layout: Layout) -> list[Flowable]:
    out: list[Flowable] = opening("Service credits and reconciliation", *review_note(view, AgendaItem.CREDITS))
    rows = [(c.contract, format_money(c.credits.total, c.currency) if c.credits else "—",
             format_money(c.issued, c.currency) if c.issued is not None else "—",
             format_money(c.variance, c.currency) if c.variance is not None else "—", c.status,
             c.claim_deadline.isoformat() if c.claim_deadline else "—", "; ".join(c.warnings) or c.note)
            for c in view.credits]
    out.append(grid(["Contract", "Owed for the period", "Issued", "Still owed", "Status", "Claim by", "Warnings"],
                    rows, [0.12, 0.15, 0.13, 0.13, 0.1, 0.11, 0.26], total=layout.width, right=[1, 2, 3]))
    for c in view.credits:
        if c.credits is not None:
            out += _calculation(c, c.credits)
    return out


def _calculation(c: ContractCredits, pc: PeriodCredits) -> list[Flowable]:
    """The calculation behind a contract's credits `pc` (c.credits), step by step."""

    def money(value: Decimal | None) -> str:  # the reconciliation's figures are there whenever the credits are
        return "—" if value is None else format_money(value, pc.currency)

    out: list[Flowable] = [Paragraph(esc(f"{pc.contract} — calculation for {pc.period}"), STYLES["H2"]),
                           text(f"Charges {money(pc.charges)}; amounts rounded {pc.rounding.value} to the currency's "
                                "minor unit at every step. " + " ".join(s.text for s in pc.charges_trace), "small")]
    for line in pc.lines:
        achieved = "" if line.achieved is None else f", achieved {line.achieved_text or line.achieved}"
        band = f", {line.band}" if line.band else ""
        block: list[Flowable] = [markup(
            f"<b>{esc(line.target)}</b> — {esc(line.kind.value)} ({esc(line.clause)}{esc(achieved)}"
            f"{esc(band)}): <b>{esc(money(line.amount))}</b>", "small")]
        block += [text(f"{i}. {s.text}", "step") for i, s in enumerate(line.trace, start=1)]
        out.append(KeepTogether(block))
    out.append(markup(f"<b>Total for {esc(pc.period)}: {esc(money(pc.total))}</b>", "body"))
    for cap in pc.caps:
        out.append(text(f"Cap — {cap.trace[-1].text if cap.trace else cap.name}", "small"))
    for bonus in (b for b in pc.incentives if not b.netted and b.amount):
        out.append(text(f"Bonus paid separately: {bonus.target} {money(bonus.amount)} ({bonus.band})", "small"))
    for impact in pc.business_impact:
        out.append(text(f"Business impact — {impact.target}: " + "; ".join(s.text for s in impact.trace), "small"))
    for flag in pc.termination:
        out.append(markup(("<b>TERMINATION RIGHT</b> — " if flag.triggered else "Termination trigger — ")
                          + esc(flag.text), "small"))
    deadline = pc.claim_deadline.isoformat() if pc.claim_deadline else "no deadline"
    out.append(text(f"Claim deadline: {deadline} ({pc.deadline_trace}). Reconciliation: computed "
                    f"{money(c.computed)}, issued {money(c.issued)}, variance {money(c.variance)}, status "
                    f"{c.status}.", "small"))
    out += [text(f"Note: {n}", "small") for n in pc.notes]
    return out


def maturity(view: PackView, layout: Layout) -> list[Flowable]:
    from reports.chart_svg import VectorChart
    from reports.charts import literal
    from reports.questionnaire_charts import radar_figure

    out: list[Flowable] = opening("Maturity and reliability outlook", *review_note(view, AgendaItem.MATURITY))
    m = view.maturity
    if m is None:
        return out + [text(f"{view.supplier} has not answered a maturity questionnaire yet.")]
    change = "" if m.previous_overall is None or m.overall is None else \
        f" (previous assessment {m.previous_on}: {_pct(m.previous_overall)})"
    out.append(text(f"{m.template}, assessed on {m.assessed_on}: overall {_pct(m.overall)}, level {m.level or '–'} "
                    f"{m.level_name}{change}."))
    sections = [literal(title) for title, _ in m.sections]
    series = {f"{m.assessed_on}": m.sections}
    if m.previous_sections:
        series = {f"{m.previous_on}": m.previous_sections, **series}
    scores = {label: {literal(title): None if v is None else float(v) for title, v in pairs}
              for label, pairs in series.items()}
    figure = layout.charts.add(radar_figure, sections, scores, title=literal(f"{view.supplier} — section scores"),
                               size=(6.4, 4.6))
    out.append(VectorChart(figure, layout.width * 0.62))
    rows = [(title, _pct(score), _pct(dict(m.previous_sections).get(title)) if m.previous_sections else "—")
            for title, score in m.sections]
    out.append(grid(["Section", "Score", "Previous"], rows, [0.6, 0.2, 0.2], total=layout.width * 0.7,
                    right=[1, 2]))
    if m.red_flags:
        out += [Paragraph("Red flags", STYLES["H3"]), *[text(f, "small") for f in m.red_flags]]
    if m.outlook:
        out.append(Paragraph("Reliability outlook: probability of meeting each target next period", STYLES["H2"]))
        outlook = [(f"{contract} {target}", f"{p:.0%}", f"{low:.0%} – {high:.0%}", why)
                   for contract, target, p, low, high, why in m.outlook]
        out.append(grid(["Target", "Probability", "90 % interval", "Why"], outlook, [0.26, 0.11, 0.14, 0.49],
                        total=layout.width, right=[1, 2]))
    return out


def coverage(view: PackView, layout: Layout) -> list[Flowable]:
    out: list[Flowable] = opening("End-to-end coverage")
    if not view.coverage:
        return out + [text(f"No gap, overlap or shortfall in the end-to-end chains {view.supplier} is part of.")]
    out.append(text(f"Findings in the end-to-end chains {view.supplier}'s contracts take part in.", "muted"))
    rows = [(c.service, c.end_to_end_target, c.component, c.status, c.finding) for c in view.coverage]
    out.append(grid(["Service", "End-to-end target", "Component", "Status", "Finding"], rows,
                    [0.14, 0.22, 0.15, 0.09, 0.4], total=layout.width))
    return out


def backlog(view: PackView, layout: Layout) -> list[Flowable]:
    out: list[Flowable] = opening("Improvement backlog", *review_note(view, AgendaItem.BACKLOG))
    if not view.backlog:
        return out + [text("The backlog is empty.")] + _effects(view) + target_reviews(view, layout)
    rows, extra = [], []
    for i, item in enumerate(view.backlog, start=1):
        a = item.action
        late = a.status.is_open and a.due_on is not None and a.due_on < view.as_of
        link = item.target + (f" ({a.breach_period})" if a.breach_period else "")
        rows.append((a.ref, a.text + (f" — {a.note}" if a.note else ""), a.owner,
                     (a.due_on.isoformat() if a.due_on else "—") + (" OVERDUE" if late else ""),
                     a.status.value + (f" {a.closed_on}" if a.closed_on else ""), link,
                     "carried over" if item.carried else "new"))
        if late:
            extra.append(("TEXTCOLOR", (3, i), (3, i), RED_TEXT))
    out.append(grid(["Action", "What", "Owner", "Due", "Status", "Target (breach)", ""], rows,
                    [0.07, 0.35, 0.12, 0.12, 0.11, 0.15, 0.08], total=layout.width, extra=extra))
    return out + _effects(view) + target_reviews(view, layout)


def _effects(view: PackView) -> list[Flowable]:
    """Did the supplier's done actions move their targets?"""
    tested = [i for i in view.effects if i.effect]
    if not tested:
        return []
    return [text(f"Did the done actions work? For each of {view.supplier}'s done actions linked to a target: its "
                 "monthly figures before the action was opened against those after it was done, up to "
                 f"{view.months[-1]} (at least 4 of each), by the exact two-sided Mann–Whitney U test.", "muted"),
            numbered([text(f"{i.action.ref} {i.action.text} [{i.target}]: {i.effect}") for i in tested])]


def target_reviews(view: PackView, layout: Layout) -> list[Flowable]:
    """The targets whose relevance is due for review, and what brought each review forward."""
    if not view.target_reviews:
        return []
    rows, extra = [], []
    for i, d in enumerate(view.target_reviews, start=1):
        why = "; ".join(t.reason for t in d.triggers) or "the planned review date"
        rows.append((f"{d.contract} {d.target}", d.due.isoformat() + (" OVERDUE" if d.due < view.as_of else ""),
                     d.review_by.isoformat() if d.review_by else "—", why))
        if d.due < view.as_of:
            extra.append(("TEXTCOLOR", (1, i), (1, i), RED_TEXT))
    return [Paragraph(esc("Target reviews due"), STYLES["H2"]),
            grid(["Target", "Review due", "Planned", "Brought forward by"], rows, [0.25, 0.15, 0.12, 0.48],
                 total=layout.width, extra=extra)]


def contingency(view: PackView, layout: Layout) -> list[Flowable]:
    out: list[Flowable] = opening("Contingency plans and risk", *review_note(view, AgendaItem.CONTINGENCY))
    if not view.plans:
        return out + [text(f"No contingency plan is recorded for {view.supplier}.")]
    rows, extra = [], []
    for i, p in enumerate(view.plans, start=1):
        rows.append((p.title, p.trigger, p.failover, p.workaround or "—", p.owner,
                     (p.last_tested.isoformat() if p.last_tested else "never") + "; " + p.status))
        if p.overdue:
            extra.append(("TEXTCOLOR", (5, i), (5, i), RED_TEXT))
    out.append(grid(["Plan", "Trigger", "Failover", "Manual workaround", "Owner", "Last tested"], rows,
                    [0.17, 0.17, 0.2, 0.17, 0.1, 0.19], total=layout.width, extra=extra))
    return out


def decisions(view: PackView, layout: Layout) -> list[Flowable]:
    out: list[Flowable] = opening("Decisions", *review_note(view, AgendaItem.DECISIONS))
    if not view.decisions:
        return out + [text("No decision is recorded for this review yet.")]
    return out + [numbered([text(d.text + (f" (owner: {d.owner})" if d.owner else "")) for d in view.decisions])]


def sign_off(view: PackView, layout: Layout) -> list[Flowable]:
    half = layout.width / 2 - 4 * mm
    ours = [a for a in view.attendees if a.side.value == "ours"][:1]
    theirs = [a for a in view.attendees if a.side.value == "supplier"][:1]

    def block(party: str, people) -> Table:
        name = people[0].name if people else ""
        lines: list[list[Flowable]] = [[markup(f"<b>For {esc(party)}</b>")], [text(f"Name: {name}")], [text("Role:")],
                 [Spacer(1, 12 * mm)], [text("Signature")], [text("Date:")]]
        table = Table(lines, colWidths=[half])
        table.setStyle([("LINEBELOW", (0, 3), (0, 3), 0.6, RULE), ("BOX", (0, 0), (-1, -1), 0.6, RULE),
                        ("TOPPADDING", (0, 0), (-1, -1), 4)])
        return table

    row = Table([[block("us", ours), block(view.supplier, theirs)]], colWidths=[half + 8 * mm, half + 8 * mm])
    return [CondPageBreak(120 * mm), heading("Sign-off"), KeepTogether([
                          text(f"We agree that this pack is a true record of the joint service review of "
                               f"{view.supplier} for {view.period}, of the figures above and of the decisions "
                               "taken.", "body"), Spacer(1, 6 * mm), row])]


def _pct(value) -> str:
    return "—" if value is None else f"{float(value) * 100:.1f} %"

