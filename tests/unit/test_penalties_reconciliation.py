"""Reconciliation rules: credit notes against computed credits, statuses, deadline warnings and balances."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from penalty_cases import contract, northwind_clauses, northwind_history

from sltdesk.domain.period import span
from sltdesk.domain.reconciliation import ClaimStatus, CreditClaim, NoteLine
from sltdesk.rules.penalties import compute_credits
from sltdesk.rules.reconciliation import issued_amount, reconcile_period, totals, with_balances

D = Decimal
PERIODS = span("2026-01", "2026-06")


def credits_by_period(misses):
    history = northwind_history(misses, PERIODS)
    runs = compute_credits(contract=contract(), clauses=northwind_clauses(), history=history, periods=PERIODS)
    return {c.period: c for c in runs}


def note(amount: str, period: str = "2026-03", currency: str = "GBP", line: str = "1") -> NoteLine:
    return NoteLine("CN-1", period, line, "Service credit — availability", D(amount), currency, 7, 1)


def reconciled(credits, notes=(), claim=None, today=date(2026, 4, 20)):
    return reconcile_period(credits, contract_id=1, supplier="Northwind Networks", notes=list(notes), claim=claim,
                            today=today)


def test_a_short_credit_note_leaves_a_variance_and_says_by_how_much():
    march = credits_by_period({"2026-03": {1: "99.9"}})["2026-03"]
    row = reconciled(march, [note("1250.00"), note("0", line="2")],
                     CreditClaim(1, "2026-03", ClaimStatus.CLAIMED, claimed_on=date(2026, 4, 5)))
    assert (row.computed, row.issued, row.variance) == (D("2304.00"), D("1250.00"), D("1054.00"))
    assert row.status is ClaimStatus.CLAIMED and "the credit note is short by GBP 1,054.00" in row.warnings


def test_a_full_credit_note_marks_the_credit_issued():
    march = credits_by_period({"2026-03": {1: "99.9"}})["2026-03"]
    row = reconciled(march, [note("2304.00")], CreditClaim(1, "2026-03", ClaimStatus.CLAIMED))
    assert row.status is ClaimStatus.ISSUED and row.variance == D("0.00") and not row.warnings


def test_an_unclaimed_credit_warns_two_weeks_before_the_deadline_and_expires_after_it():
    march = credits_by_period({"2026-03": {1: "99.9"}})["2026-03"]  # claim by 2026-05-30
    assert not reconciled(march, today=date(2026, 5, 15)).warnings
    soon = reconciled(march, today=date(2026, 5, 20))
    assert soon.status is ClaimStatus.TO_CLAIM and soon.warnings == ("claim by 2026-05-30 (10 days left)",)
    late = reconciled(march, today=date(2026, 5, 31))
    assert late.status is ClaimStatus.EXPIRED
    assert late.warnings == ("the claim window closed on 2026-05-30: GBP 2,304.00 was not claimed",)


def test_a_claimed_credit_without_a_note_is_flagged_and_a_final_status_is_kept():
    march = credits_by_period({"2026-03": {1: "99.9"}})["2026-03"]
    row = reconciled(march, claim=CreditClaim(1, "2026-03", ClaimStatus.CLAIMED, claimed_on=date(2026, 4, 2)))
    assert "claimed on 2026-04-02; no credit note imported yet" in row.warnings
    settled = reconciled(march, claim=CreditClaim(1, "2026-03", ClaimStatus.SETTLED), today=date(2026, 9, 1))
    assert settled.status is ClaimStatus.SETTLED and not settled.warnings


def test_notes_in_another_currency_or_written_as_negatives_are_handled_and_said():
    assert issued_amount([note("-2304.00")], "GBP") == (D("2304.00"), [
        "the credit note writes its credits as negative amounts; counted as credits"])
    amount, warnings = issued_amount([note("100.00", currency="EUR"), note("50.00")], "GBP")
    assert amount == D("50.00") and warnings == ["credit-note lines in EUR were left out: the contract is in GBP"]


def test_the_running_balance_carries_open_credits_and_earn_backs_but_not_settled_ones():
    runs = credits_by_period({"2026-01": {3: "85"}, "2026-02": {1: "99.9"}})  # SL3 earned back in 2026-04
    rows = with_balances([
        reconciled(runs["2026-01"], claim=CreditClaim(1, "2026-01", ClaimStatus.SETTLED)),
        reconciled(runs["2026-02"], claim=CreditClaim(1, "2026-02", ClaimStatus.CLAIMED)),
        reconciled(runs["2026-03"]), reconciled(runs["2026-04"])])
    assert [r.computed for r in rows] == [D("1440.00"), D("2304.00"), D("0.00"), D("-1440.00")]
    assert [r.balance for r in rows] == [D("0"), D("2304.00"), D("2304.00"), D("864.00")]
    assert rows[3].status_text == "earn-back"
    assert rows[3].warnings == ("SL3 P1 resolution: the 2026-01 credit of GBP 1,440.00 is earned back; it was "
                                "credited, so return it or let the supplier offset it",)
    money = totals(rows)[0]
    assert (money.owed, money.issued, money.outstanding, money.earned_back) == (
        D("3744.00"), D("0.00"), D("2304.00"), D("1440.00"))
