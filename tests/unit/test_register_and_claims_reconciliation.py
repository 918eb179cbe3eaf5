"""Reconciliation pinned by hand on periods built in memory: what the credit notes add up to, the status a claim
really has, the warnings, the running balance and the totals per currency. March 2026 must be claimed by 30 May."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from sltdesk.domain.money import Rounding
from sltdesk.domain.penalties import CreditLine, LineKind, PeriodCredits
from sltdesk.domain.reconciliation import ClaimStatus, CreditClaim, CurrencyTotals, NoteLine
from sltdesk.rules.reconciliation import (
    earn_back_warning,
    effective_status,
    issued_amount,
    period_warnings,
    reconcile_period,
    totals,
    with_balances,
)

D = Decimal
DEADLINE = date(2026, 5, 30)
EARNED_BACK = CreditLine(3, "SL3 P1 resolution", LineKind.EARN_BACK, "earn-back", None, "", D("-1440.00"), (),
                         "2026-01")
EUR_LEFT_OUT = "credit-note lines in EUR were left out: the contract is in GBP"
CLAIMED = ClaimStatus.CLAIMED
TO_CLAIM = ClaimStatus.TO_CLAIM
EXPIRED = ClaimStatus.EXPIRED


def credits(total: str, *, period: str = "2026-03", lines=(), deadline: date | None = DEADLINE,
            currency: str = "GBP") -> PeriodCredits:
    return PeriodCredits(contract="NW-2025-014", period=period, currency=currency, rounding=Rounding.HALF_UP,
                         charges=D("48000.00"), lines=tuple(lines), caps=(), incentives=(), total=D(total),
                         claim_deadline=deadline)


def note(amount: str, currency: str = "GBP", line: str = "1") -> NoteLine:
    return NoteLine("CN-1", "2026-03", line, "Service credit", D(amount), currency, 7, 1)


def reconciled(period_credits: PeriodCredits, notes=(), claim=None, today=date(2026, 4, 20)):
    return reconcile_period(period_credits, contract_id=14, supplier="Northwind Networks", notes=list(notes),
                            claim=claim, today=today)


def warnings(*, status, owed: str, issued: str = "0.00", deadline=DEADLINE, today=date(2026, 4, 20), claim=None):
    return period_warnings(status=status, owed=D(owed), issued=D(issued), deadline=deadline, today=today,
                           currency="GBP", claim=claim)


# --- what the notes credit -----------------------------------------------------------------------------------------


def test_note_lines_without_a_currency_or_in_lower_case_count_in_the_contracts_currency():
    assert issued_amount([note("100.00", currency=""), note("50.00", currency="gbp")], "GBP") == (D("150.00"), [])


def test_a_note_that_takes_back_more_than_it_credits_is_added_as_written():
    assert issued_amount([note("0.50"), note("-3.00", line="2")], "GBP") == (D("-2.50"), [])


def test_a_note_of_negative_credits_and_a_zero_line_counts_as_credits():
    assert issued_amount([note("-2304.00"), note("0.00", line="2")], "GBP") == (D("2304.00"), [
        "the credit note writes its credits as negative amounts; counted as credits"])


def test_a_note_of_zero_lines_credits_nothing_and_says_nothing():
    assert issued_amount([note("0.00")], "GBP") == (D("0.00"), [])


# --- the status ----------------------------------------------------------------------------------------------------


def test_a_period_that_owes_nothing_and_got_nothing_has_no_status():
    assert effective_status(TO_CLAIM, owed=D("0.00"), issued=D("0.00"), deadline=DEADLINE,
                            today=date(2026, 4, 20)) is None


def test_even_half_a_pound_owed_is_still_to_claim():
    assert effective_status(TO_CLAIM, owed=D("0.50"), issued=D("0.00"), deadline=DEADLINE,
                            today=date(2026, 4, 20)) is TO_CLAIM


def test_a_one_pound_credit_fully_credited_is_issued():
    assert effective_status(CLAIMED, owed=D("1.00"), issued=D("1.00"), deadline=DEADLINE,
                            today=date(2026, 4, 20)) is ClaimStatus.ISSUED


def test_a_credit_can_still_be_claimed_on_its_deadline_and_expires_the_day_after():
    assert effective_status(TO_CLAIM, owed=D("2304.00"), issued=D("0.00"), deadline=DEADLINE,
                            today=DEADLINE) is TO_CLAIM
    assert effective_status(TO_CLAIM, owed=D("2304.00"), issued=D("0.00"), deadline=DEADLINE,
                            today=date(2026, 5, 31)) is EXPIRED


# --- the warnings --------------------------------------------------------------------------------------------------


def test_the_deadline_warning_starts_fourteen_days_before_and_counts_the_days():
    assert warnings(status=TO_CLAIM, owed="2304.00", today=date(2026, 5, 15)) == []
    assert warnings(status=TO_CLAIM, owed="2304.00", today=date(2026, 5, 16)) == ["claim by 2026-05-30 (14 days left)"]
    assert warnings(status=TO_CLAIM, owed="2304.00", today=date(2026, 5, 28)) == ["claim by 2026-05-30 (2 days left)"]
    assert warnings(status=TO_CLAIM, owed="2304.00", today=date(2026, 5, 29)) == ["claim by 2026-05-30 (1 day left)"]


def test_no_deadline_warning_when_nothing_is_owed_but_one_for_a_single_pound():
    assert warnings(status=TO_CLAIM, owed="0.00", today=date(2026, 5, 25)) == []
    assert warnings(status=TO_CLAIM, owed="1.00", today=date(2026, 5, 25)) == ["claim by 2026-05-30 (5 days left)"]


def test_a_partly_credited_claim_that_was_never_sent_says_what_was_lost_and_what_is_short():
    row = reconciled(credits("2304.00"), [note("1000.00")], today=date(2026, 6, 2))
    assert row.status is EXPIRED
    assert row.warnings == ("the claim window closed on 2026-05-30: GBP 1,304.00 was not claimed",
                            "the credit note is short by GBP 1,304.00")


def test_a_claim_record_without_a_claim_date_counts_as_never_claimed():
    row = reconciled(credits("2304.00"), claim=CreditClaim(14, "2026-03", TO_CLAIM), today=date(2026, 6, 2))
    assert row.status is EXPIRED
    assert row.warnings == ("the claim window closed on 2026-05-30: GBP 2,304.00 was not claimed",)


def test_an_expired_period_that_owed_nothing_gives_no_warning():
    row = reconciled(credits("0.00"), claim=CreditClaim(14, "2026-03", EXPIRED), today=date(2026, 6, 2))
    assert row.status is EXPIRED and row.warnings == ()


def test_a_short_note_of_one_pound_is_flagged():
    assert warnings(status=CLAIMED, owed="5.00", issued="1.00") == ["the credit note is short by GBP 4.00"]


def test_an_over_credit_is_the_note_less_what_the_contract_gives():
    assert warnings(status=ClaimStatus.ISSUED, owed="2304.00", issued="2400.00") == [
        "the supplier credited GBP 96.00 more than the contract gives"]
    assert warnings(status=ClaimStatus.ISSUED, owed="0.00", issued="1.00") == [
        "the supplier credited GBP 1.00 more than the contract gives"]


def test_a_note_against_an_earn_back_is_all_over_credit():
    assert warnings(status=TO_CLAIM, owed="-1440.00", issued="50.00") == [
        "the supplier credited GBP 50.00 more than the contract gives"]


def test_a_claim_without_a_note_is_flagged_only_when_something_is_owed():
    assert warnings(status=CLAIMED, owed="0.00") == []
    assert warnings(status=CLAIMED, owed="1.00", claim=CreditClaim(14, "2026-03", CLAIMED)) == [
        "claimed; no credit note imported yet"]
    assert warnings(status=ClaimStatus.DISPUTED, owed="1.00") == ["claimed; no credit note imported yet"]


# --- one period ----------------------------------------------------------------------------------------------------


def test_a_yen_period_rounds_the_notes_to_whole_yen_and_fills_every_field():
    march = credits("250000", currency="JPY")
    yen_note = NoteLine("CN-7", "2026-03", "1", "Service credit", D("120000.5"), "JPY", 3, 2)
    row = reconcile_period(march, contract_id=14, supplier="Northwind Networks", notes=[yen_note], claim=None,
                           today=date(2026, 5, 20))
    assert (row.contract, row.contract_id, row.supplier, row.period, row.currency) == (
        "NW-2025-014", 14, "Northwind Networks", "2026-03", "JPY")
    assert (row.computed, row.issued, row.variance) == (D("250000"), D("120001"), D("129999"))  # half up
    assert (row.status, row.stored_status, row.claim_deadline, row.days_left) == (TO_CLAIM, TO_CLAIM, DEADLINE, 10)
    assert row.warnings == ("claim by 2026-05-30 (10 days left)", "the credit note is short by JPY 129,999")
    assert (row.notes, row.claim, row.credits, row.balance) == ((yen_note,), None, march, D(0))


def test_a_claimed_period_paid_in_full_keeps_its_stored_status_and_claim_beside_the_new_one():
    claim = CreditClaim(14, "2026-03", CLAIMED, claimed_on=date(2026, 4, 2))
    row = reconciled(credits("2304.00"), [note("2304.00")], claim)
    assert (row.status, row.stored_status, row.claim, row.days_left) == (ClaimStatus.ISSUED, CLAIMED, claim, 40)


def test_a_period_without_a_claim_window_has_no_days_left():
    row = reconciled(credits("2304.00", deadline=None))
    assert (row.claim_deadline, row.days_left, row.status, row.warnings) == (None, None, TO_CLAIM, ())


def test_an_earn_back_period_lists_the_note_warnings_then_what_the_earn_back_means():
    row = reconciled(credits("-1440.00", period="2026-04", lines=[EARNED_BACK]), [note("100.00", currency="EUR")])
    assert row.status is None and row.issued == D("0.00")
    assert row.warnings == (EUR_LEFT_OUT, "SL3 P1 resolution: the 2026-01 credit of GBP 1,440.00 is earned back — "
                                          "return or offset it if the supplier issued it")


def test_an_earn_back_says_what_to_do_given_where_the_earned_back_claim_stands():
    head = "SL3 P1 resolution: the 2026-01 credit of GBP 1,440.00 is earned back"
    for origin in (TO_CLAIM, CLAIMED, ClaimStatus.DISPUTED):
        assert earn_back_warning(EARNED_BACK, "GBP", origin) == f"{head}; reduce the 2026-01 claim by GBP 1,440.00"
    for origin in (ClaimStatus.ISSUED, ClaimStatus.SETTLED):
        assert earn_back_warning(EARNED_BACK, "GBP", origin) == (
            f"{head}; it was credited, so return it or let the supplier offset it")
    assert earn_back_warning(EARNED_BACK, "GBP", EXPIRED) == (
        f"{head}; it was never claimed (its window closed), so there is nothing to return")
    assert earn_back_warning(EARNED_BACK, "GBP", None) == f"{head} — return or offset it if the supplier issued it"


# --- running balances ----------------------------------------------------------------------------------------------


def test_an_earn_back_of_a_credit_whose_window_closed_moves_nothing():
    january = reconciled(credits("1440.00", period="2026-01"), claim=CreditClaim(14, "2026-01", EXPIRED))
    april = reconciled(credits("-1440.00", period="2026-04", lines=[EARNED_BACK]), [note("100.00", currency="EUR")])
    rows = with_balances([april, january])
    assert [(r.period, r.variance, r.balance) for r in rows] == [
        ("2026-01", D("1440.00"), D("0.00")), ("2026-04", D("0.00"), D("0.00"))]
    assert rows[1].warnings == (EUR_LEFT_OUT, "SL3 P1 resolution: the 2026-01 credit of GBP 1,440.00 is earned "
                                              "back; it was never claimed (its window closed), so there is nothing "
                                              "to return")


def test_a_settled_period_paid_in_full_closes_with_nothing_left():
    february = reconciled(credits("2304.00", period="2026-02"), [note("2304.00")],
                          CreditClaim(14, "2026-02", ClaimStatus.SETTLED))
    march = reconciled(credits("864.00"))
    rows = with_balances([february, march])
    assert [(r.variance, r.balance) for r in rows] == [(D("0.00"), D("0.00")), (D("864.00"), D("864.00"))]


# --- totals per currency -------------------------------------------------------------------------------------------


def row(status, computed: str, issued: str = "0.00", days_left: int | None = None, currency: str = "GBP"):
    base = reconciled(credits("0.00", currency=currency))
    return replace(base, status=status, computed=D(computed), issued=D(issued),
                   variance=D(computed) - D(issued), days_left=days_left, currency=currency)


def test_totals_count_what_is_owed_issued_outstanding_lost_and_earned_back():
    rows = [
        row(TO_CLAIM, "0.50", days_left=0),  # deadline today: due soon
        row(TO_CLAIM, "100.00", days_left=14),  # due soon
        row(TO_CLAIM, "200.00", days_left=15),  # not yet
        row(TO_CLAIM, "300.00", days_left=None),  # no claim window
        row(CLAIMED, "400.00", days_left=5),  # already claimed: not due
        row(TO_CLAIM, "50.00", "50.00", days_left=3),  # nothing left to claim: not due
        row(EXPIRED, "0.75"),  # lost
        row(EXPIRED, "0.00"),  # expired with nothing owed: not overdue
        row(ClaimStatus.SETTLED, "500.00", "500.00"),
        row(None, "-1440.00"),  # an earn-back
        row(ClaimStatus.ISSUED, "1000.00", "1000.00"),
    ]
    # owed: 0.50 + 100 + 200 + 300 + 400 + 50 + 0.75 + 500 + 1000; outstanding: 0.50 + 100 + 200 + 300 + 400
    assert totals(rows) == [CurrencyTotals("GBP", owed=D("2551.25"), issued=D("1550.00"), outstanding=D("1000.50"),
                                           lost=D("0.75"), earned_back=D("1440.00"), overdue=1, due_soon=2)]


def test_totals_of_an_earn_back_alone_or_a_settled_period_alone_are_zero_where_nothing_counts():
    assert totals([row(None, "-1440.00")]) == [CurrencyTotals("GBP", D("0.00"), D("0.00"), D("0.00"), D("0.00"),
                                                              D("1440.00"), 0, 0)]
    assert totals([row(ClaimStatus.SETTLED, "500.00", "500.00")]) == [
        CurrencyTotals("GBP", D("500.00"), D("500.00"), D("0.00"), D("0.00"), D("0.00"), 0, 0)]


def test_currencies_are_totalled_apart_in_alphabetical_order_and_yen_in_whole_yen():
    gbp, jpy = totals([row(TO_CLAIM, "120000", currency="JPY", days_left=30), row(CLAIMED, "10.00")])
    assert (gbp.currency, gbp.owed, gbp.outstanding) == ("GBP", D("10.00"), D("10.00"))
    assert (jpy.currency, str(jpy.owed), str(jpy.outstanding), jpy.due_soon) == ("JPY", "120000", "120000", 0)
