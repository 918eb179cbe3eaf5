"""Reconciliation rules: match credit notes to a period's computed credits, the status a credit really has,
claim-deadline warnings and running balances. Pure; `today` is passed in."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from decimal import Decimal

from sltdesk.domain.money import Rounding, format_money, quantize_money
from sltdesk.domain.penalties import CreditLine, LineKind, PeriodCredits
from sltdesk.domain.reconciliation import ClaimStatus, CreditClaim, CurrencyTotals, NoteLine, ReconciledPeriod

WARN_DAYS = 14  # a claim deadline this close (or closer) is flagged
FINAL = {ClaimStatus.SETTLED, ClaimStatus.DISPUTED, ClaimStatus.EXPIRED}
OPEN = {ClaimStatus.TO_CLAIM, ClaimStatus.CLAIMED, ClaimStatus.ISSUED, ClaimStatus.DISPUTED}


def issued_amount(notes: Sequence[NoteLine], currency: str) -> tuple[Decimal, list[str]]:
    """What the notes credit in the contract's currency; notes written as negative amounts count as credits."""
    warnings = []
    same = [n for n in notes if not n.currency or n.currency.upper() == currency.upper()]
    for other in {n.currency.upper() for n in notes} - {currency.upper(), ""}:
        warnings.append(f"credit-note lines in {other} were left out: the contract is in {currency}")
    total = sum((n.amount for n in same), Decimal(0))
    if same and all(n.amount <= 0 for n in same) and total < 0:
        warnings.append("the credit note writes its credits as negative amounts; counted as credits")
        total = -total
    return total, warnings


def effective_status(stored: ClaimStatus, *, owed: Decimal, issued: Decimal, deadline: date | None,
                     today: date) -> ClaimStatus | None:
    """The status the board shows: the stored one, moved on by what the notes and the calendar say."""
    if stored in FINAL:
        return stored
    if owed <= 0 and issued == 0:
        return None
    if issued > 0 and issued >= owed:
        return ClaimStatus.ISSUED
    if stored is ClaimStatus.TO_CLAIM and deadline is not None and today > deadline:
        return ClaimStatus.EXPIRED
    return stored


def period_warnings(*, status: ClaimStatus | None, owed: Decimal, issued: Decimal, deadline: date | None,
                    today: date, currency: str, claim: CreditClaim | None) -> list[str]:
    """Sentences a contract owner should read first: deadlines, short or missing credit notes."""
    out = []

    def money(value: Decimal) -> str:
        return format_money(value, currency)

    if status is ClaimStatus.TO_CLAIM and deadline is not None and owed > 0:
        left = (deadline - today).days
        if left <= WARN_DAYS:
            out.append(f"claim by {deadline.isoformat()} ({left} day{'s' if left != 1 else ''} left)")
    unclaimed = claim is None or claim.claimed_on is None
    if status is ClaimStatus.EXPIRED and unclaimed and deadline is not None and owed > issued:
        out.append(f"the claim window closed on {deadline.isoformat()}: {money(owed - issued)} was not claimed")
    if issued > 0 and issued < owed:
        out.append(f"the credit note is short by {money(owed - issued)}")
    if issued > 0 and issued > owed:
        out.append(f"the supplier credited {money(issued - max(owed, Decimal(0)))} more than the contract gives")
    if owed > 0 and issued == 0 and status in (ClaimStatus.CLAIMED, ClaimStatus.DISPUTED):
        since = f" on {claim.claimed_on.isoformat()}" if claim and claim.claimed_on else ""
        out.append(f"claimed{since}; no credit note imported yet")
    return out


def reconcile_period(credits: PeriodCredits, *, contract_id: int, supplier: str, notes: Sequence[NoteLine],
                     claim: CreditClaim | None, today: date) -> ReconciledPeriod:
    """One contract and period: computed vs issued, the variance, the status and what to watch."""
    issued, warnings = issued_amount(notes, credits.currency)
    issued = quantize_money(issued, currency=credits.currency, rounding=credits.rounding)
    warnings += [earn_back_warning(ln, credits.currency, None) for ln in credits.lines
                 if ln.kind is LineKind.EARN_BACK]
    stored = claim.status if claim is not None else ClaimStatus.TO_CLAIM
    status = effective_status(stored, owed=credits.total, issued=issued, deadline=credits.claim_deadline, today=today)
    warnings = period_warnings(status=status, owed=credits.total, issued=issued, deadline=credits.claim_deadline,
                               today=today, currency=credits.currency, claim=claim) + warnings
    left = None if credits.claim_deadline is None else (credits.claim_deadline - today).days
    return ReconciledPeriod(
        contract=credits.contract, contract_id=contract_id, supplier=supplier, period=credits.period,
        currency=credits.currency, computed=credits.total, issued=issued, variance=credits.total - issued,
        status=status, stored_status=stored, claim_deadline=credits.claim_deadline, days_left=left,
        warnings=tuple(warnings), notes=tuple(notes), claim=claim, credits=credits)


def earn_back_warning(line: CreditLine, currency: str, origin: ClaimStatus | None) -> str:
    """What an earn-back means for money, given where the earned-back credit's own claim stands."""
    amount = format_money(-line.amount, currency)
    head = f"{line.target}: the {line.period} credit of {amount} is earned back"
    if origin is ClaimStatus.EXPIRED:
        return f"{head}; it was never claimed (its window closed), so there is nothing to return"
    if origin in (ClaimStatus.ISSUED, ClaimStatus.SETTLED):
        return f"{head}; it was credited, so return it or let the supplier offset it"
    if origin in (ClaimStatus.TO_CLAIM, ClaimStatus.CLAIMED, ClaimStatus.DISPUTED):
        return f"{head}; reduce the {line.period} claim by {amount}"
    return f"{head} — return or offset it if the supplier issued it"


def with_balances(rows: Sequence[ReconciledPeriod]) -> list[ReconciledPeriod]:
    """Each contract's running balance still open, period by period: the variance of open claims, less
    earn-backs; settled and expired periods are closed and add nothing (nor do earn-backs of expired ones).
    Earn-back warnings say what the earn-back means, given the earned-back credit's own status."""
    status = {(r.contract, r.period): r.status for r in rows}
    balances: dict[str, Decimal] = {}
    out = []
    for row in sorted(rows, key=lambda r: (r.contract, r.period)):
        moves = row.status not in (ClaimStatus.SETTLED, ClaimStatus.EXPIRED)
        backs = [ln for ln in row.credits.lines if ln.kind is LineKind.EARN_BACK]
        # an earn-back of a credit that was never claimed (its window closed) has nothing to return
        void = sum((ln.amount for ln in backs if status.get((row.contract, ln.period)) is ClaimStatus.EXPIRED),
                   0 * row.variance)
        variance = row.variance - void
        move = variance if moves else 0 * row.variance
        balances[row.contract] = balances.get(row.contract, 0 * row.variance) + move
        warnings = [w for w in row.warnings if not any(w.startswith(f"{ln.target}: the {ln.period} credit")
                                                       for ln in backs)]
        warnings += [earn_back_warning(ln, row.currency, status.get((row.contract, ln.period))) for ln in backs]
        out.append(replace(row, variance=variance, balance=balances[row.contract], warnings=tuple(warnings)))
    return out


def totals(rows: Sequence[ReconciledPeriod]) -> list[CurrencyTotals]:
    """Owed / issued / outstanding per currency (currencies are never added together). Outstanding counts the
    open claims (to claim, claimed, issued, disputed); earned-back and expired amounts are shown apart."""
    out = []
    for currency in sorted({r.currency for r in rows}):
        mine = [r for r in rows if r.currency == currency]
        issued = sum((r.issued for r in mine), Decimal(0))
        owed = sum((r.computed for r in mine if r.computed > 0), Decimal(0))
        earned_back = -sum((r.computed for r in mine if r.computed < 0), Decimal(0))
        lost = sum((r.variance for r in mine if r.status is ClaimStatus.EXPIRED and r.variance > 0), Decimal(0))
        outstanding = sum((r.variance for r in mine if r.status in OPEN), Decimal(0))
        overdue = sum(1 for r in mine if r.status is ClaimStatus.EXPIRED and r.variance > 0)
        soon = sum(1 for r in mine if r.status is ClaimStatus.TO_CLAIM and r.days_left is not None
                   and 0 <= r.days_left <= WARN_DAYS and r.variance > 0)
        owed, issued, outstanding, lost, earned_back = (
            quantize_money(v, currency=currency, rounding=Rounding.HALF_UP)
            for v in (owed, issued, outstanding, lost, earned_back))
        out.append(CurrencyTotals(currency, owed, issued, outstanding, lost, earned_back, overdue, soon))
    return out
