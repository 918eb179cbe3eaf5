"""How `sltdesk penalties` and `sltdesk reconcile` print: one JSON document, or text a reader can follow."""

from __future__ import annotations

from decimal import Decimal

from sltdesk.cli.textable import render_table
from sltdesk.domain.money import CURRENCY_DIGITS, format_money
from sltdesk.domain.penalties import CreditLine, PeriodCredits
from sltdesk.domain.reconciliation import ReconciledPeriod


def _money(amount: Decimal, currency: str) -> Decimal:
    """An amount as written on the note, shown with the currency's decimals (1250.0 -> 1250.00)."""
    digits = CURRENCY_DIGITS.get(currency, 2)
    return amount.quantize(Decimal(1).scaleb(-digits)) if amount == amount.quantize(Decimal(1).scaleb(-digits)) \
        else amount


def _line_json(line: CreditLine) -> dict:
    return {"target": line.target, "kind": line.kind.value, "clause": line.clause, "achieved": line.achieved,
            "achieved_text": line.achieved_text, "band": line.band, "amount": line.amount, "period": line.period,
            "trace": [s.text for s in line.trace]}


def credits_json(pc: PeriodCredits) -> dict:
    return {
        "contract": pc.contract, "period": pc.period, "currency": pc.currency, "rounding": pc.rounding.value,
        "charges": pc.charges, "charges_trace": [s.text for s in pc.charges_trace],
        "lines": [_line_json(ln) for ln in pc.lines],
        "caps_applied": [{"cap": c.name, "limit": c.limit, "before": c.before, "after": c.after, "applied": c.applied,
                          "trace": [s.text for s in c.trace]} for c in pc.caps],
        "incentives": [{**_line_json(b), "netted": b.netted} for b in pc.incentives],
        "incentives_payable": pc.incentives_payable,
        "total": pc.total,
        "business_impact": [{"target": i.target, "units": i.units, "unit": i.unit, "impact": i.amount,
                             "credit": i.credit, "gap": i.gap, "trace": [s.text for s in i.trace]}
                            for i in pc.business_impact],
        "termination": [{"target": t.target, "triggered": t.triggered, "misses": t.misses, "window": t.window,
                         "missed_periods": list(t.missed_periods), "text": t.text} for t in pc.termination],
        "claim_deadline": pc.claim_deadline, "claim_deadline_trace": pc.deadline_trace, "notes": list(pc.notes),
        # targets whose data does not cover the period, or whose period is still running: priced at nothing
        "complete": not pc.incomplete, "incomplete": list(pc.incomplete),
    }


def credits_text(pc: PeriodCredits) -> str:

    def money(value: Decimal) -> str:
        return format_money(value, pc.currency)

    out = [f"{pc.contract} — service credits for {pc.period} ({pc.currency}, rounded {pc.rounding.value} to the "
           f"currency's minor unit at every step)"]
    out += [f"  {s.text}" for s in pc.charges_trace]
    for line in pc.lines:
        achieved = "" if line.achieved is None else f", achieved {line.achieved_text or line.achieved}"
        band = f", {line.band}" if line.band else ""
        out.append("")
        out.append(f"{line.target} — {line.kind.value} ({line.clause}{achieved}{band}): {money(line.amount)}")
        out += [f"  {i}. {s.text}" for i, s in enumerate(line.trace, start=1)]
    out.append("")
    parts = " + ".join(f"{ln.amount:,.2f}" if ln.amount >= 0 else f"({ln.amount:,.2f})" for ln in pc.lines) or "0"
    out.append(f"Total for {pc.period}: {money(pc.total)}   (the lines: {parts})")
    for cap in pc.caps:
        out.append(f"Cap — {cap.trace[-1].text}" if cap.trace else f"Cap — {cap.name}")
    for bonus in (b for b in pc.incentives if not b.netted and b.amount):
        out.append(f"Bonus paid separately to the supplier: {bonus.target} {money(bonus.amount)} ({bonus.band})")
    for impact in pc.business_impact:
        out.append(f"Business impact — {impact.target}: " + "; ".join(s.text for s in impact.trace))
    for flag in pc.termination:
        out.append(("TERMINATION RIGHT — " if flag.triggered else "Termination trigger — ") + flag.text)
    deadline = pc.claim_deadline.isoformat() if pc.claim_deadline else "no deadline"
    out.append(f"Claim deadline: {deadline} ({pc.deadline_trace})")
    out += [f"Note: {n}" for n in pc.notes]
    return "\n".join(out)


def reconciled_json(row: ReconciledPeriod, history: list[ReconciledPeriod]) -> dict:
    claim = row.claim
    return {
        "contract": row.contract, "supplier": row.supplier, "period": row.period, "currency": row.currency,
        "computed": row.computed, "issued": row.issued, "variance": row.variance, "status": row.status_text,
        "stored_status": row.stored_status.value, "claim_deadline": row.claim_deadline, "days_left": row.days_left,
        "claim_deadline_trace": row.credits.deadline_trace, "warnings": list(row.warnings),
        "claim": None if claim is None else {"status": claim.status.value, "claimed_amount": claim.claimed_amount,
                                             "claimed_on": claim.claimed_on, "issued_on": claim.issued_on,
                                             "disputed_on": claim.disputed_on, "settled_on": claim.settled_on,
                                             "expired_on": claim.expired_on, "note": claim.note},
        "credit_notes": [{"document": n.document_id, "line": n.line, "description": n.description,
                          "amount": _money(n.amount, n.currency or row.currency),
                          "currency": n.currency, "source_row": n.source_row, "batch_id": n.batch_id}
                         for n in row.notes],
        "lines": [_line_json(ln) for ln in row.credits.lines],
        "balance": [{"period": r.period, "computed": r.computed, "issued": r.issued, "variance": r.variance,
                     "balance": r.balance, "status": r.status_text} for r in history],
    }


def reconciled_text(row: ReconciledPeriod, history: list[ReconciledPeriod]) -> str:

    def money(value: Decimal) -> str:
        return format_money(value, row.currency)

    deadline = row.claim_deadline.isoformat() if row.claim_deadline else "none"
    out = [f"{row.contract} ({row.supplier}) — reconciliation for {row.period}",
           f"  computed under the clauses: {money(row.computed)}",
           f"  issued by the supplier:     {money(row.issued)}",
           f"  variance (still owed):      {money(row.variance)}",
           f"  status: {row.status_text}   claim deadline: {deadline} ({row.credits.deadline_trace})"]
    out += [f"  ! {w}" for w in row.warnings]
    if row.notes:
        notes = (f"{n.document_id} line {n.line} '{n.description}' {format_money(n.amount, n.currency or row.currency)}"
                 for n in row.notes)
        out.append("  credit notes: " + "; ".join(notes))
    out.append("  computed lines: " + ("; ".join(f"{ln.target} {ln.kind.value} {ln.amount:,}" for ln in
                                                 row.credits.lines if ln.amount) or "none"))
    out.append("")
    out.append(render_table(["period", "computed", "issued", "variance", "balance", "status"],
                            [[r.period, _n(r.computed), _n(r.issued), _n(r.variance), _n(r.balance), r.status_text]
                             for r in history], right=[1, 2, 3, 4]))
    out.append("(run `sltdesk penalties` for the trace of every amount)")
    return "\n".join(out)


def board_text(rows: list[ReconciledPeriod], totals) -> str:
    table = render_table(
        ["contract", "period", "cur", "computed", "issued", "outstanding", "status", "claim by", "warnings"],
        [[r.contract, r.period, r.currency, _n(r.computed), _n(r.issued), _n(r.variance), r.status_text,
          r.claim_deadline.isoformat() if r.claim_deadline else "", "; ".join(r.warnings)] for r in rows],
        right=[3, 4, 5])
    lines = [table, ""]
    for t in totals:
        lines.append(f"{t.currency}: owed {_n(t.owed)}, issued {_n(t.issued)}, outstanding {_n(t.outstanding)}, "
                     f"earned back {_n(t.earned_back)}, lost to expired windows {_n(t.lost)}; {t.overdue} overdue, "
                     f"{t.due_soon} due within 14 days")
    return "\n".join(lines)


def _n(value: Decimal) -> str:
    return f"{value:,}"
