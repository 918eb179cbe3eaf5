"""Clauses, claims and reconciliation stored in a workspace, on SQLite and (when configured) PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from penalty_setup import NORTHWIND_FILE, credit_note_csv, fake_history, northwind

from sltdesk.domain.penalties import Allocation, Clause, TieredCredit
from sltdesk.domain.raw import RecordKind
from sltdesk.domain.reconciliation import ClaimStatus, CreditClaim
from sltdesk.domain.register import Contract
from sltdesk.errors import InUseError
from sltdesk.services.audit import recent_audit, verify_audit
from sltdesk.services.clause_templates import apply_template, clauses_from_file
from sltdesk.services.penalties import ClauseError, add_clauses, clause_views, penalties, remove_clause, update_clause
from sltdesk.services.reconciliation import board, reconcile, set_status
from sltdesk.services.register import delete_record
from sltdesk.wiring import import_file

D = Decimal


@pytest.fixture
def nw(workspace):
    contract, ids = northwind(workspace)
    add_clauses(workspace, contract.ref, clauses_from_file(workspace, contract.ref, NORTHWIND_FILE))
    return workspace, contract, ids


def test_clauses_round_trip_exactly_with_their_targets_and_each_is_audited(nw):
    ws, contract, ids = nw
    _, views = clause_views(ws, contract.ref)
    assert [v.kind for v in views][:3] == ["at-risk pool", "at-risk allocation", "at-risk allocation"]
    sl1 = views[1].clause
    assert sl1.target_id == ids["SL1 Availability"] and sl1.terms == Allocation(D("40"))
    assert views[0].clause.source == "Schedule 4 §4.1" and views[1].text == "40 % of the at-risk amount"
    assert [e.entity for e in recent_audit(ws, 9)] == ["credit_clause"] * 9 and verify_audit(ws).ok


def test_a_changed_clause_is_stored_and_a_removed_one_is_gone(nw):
    ws, contract, _ = nw
    _, views = clause_views(ws, contract.ref)
    update_clause(ws, replace(views[1].clause, terms=Allocation(D("35"))))
    removed = remove_clause(ws, views[4].clause.id)
    _, after = clause_views(ws, contract.ref)
    assert after[1].clause.terms.percent == D("35") and removed.id not in {v.clause.id for v in after}
    assert [e.action for e in recent_audit(ws, 2)] == ["delete", "update"]


def test_a_wrong_clause_set_is_refused_whole_with_a_sentence(nw):
    ws, contract, ids = nw
    before = len(clause_views(ws, contract.ref)[1])
    with pytest.raises(ClauseError, match="more than the pool limit 100 %"):
        add_clauses(ws, contract.ref, [Clause(contract.id, Allocation(D("10")), target_id=ids["SL2 P1 response"])])
    with pytest.raises(ClauseError, match="belongs to a target"):
        add_clauses(ws, contract.ref, [Clause(contract.id, TieredCredit(()))])
    assert len(clause_views(ws, contract.ref)[1]) == before


def test_a_contract_with_clauses_cannot_be_deleted(nw):
    ws, contract, _ = nw
    with pytest.raises(InUseError, match="credit clauses"):
        delete_record(ws, Contract, contract.id)


def test_the_credits_come_from_the_stored_clauses_and_the_history_given(nw):
    ws, contract, ids = nw
    march = penalties(ws, contract.ref, "2026-03", history=fake_history())
    assert march.total == D("5760.00") and march.claim_deadline == date(2026, 5, 30)
    assert {ln.target: ln.amount for ln in march.lines if ln.amount} == {
        "SL1 Availability": D("4388.58"), "SL3 P1 resolution": D("1371.42")}


def test_a_claim_keeps_what_was_claimed_with_its_rounding_and_each_status_its_date(nw):
    ws, contract, _ = nw
    march = penalties(ws, contract.ref, "2026-03", history=fake_history())
    set_status(ws, contract.ref, "2026-03", ClaimStatus.CLAIMED, on=date(2026, 4, 8), credits=march)
    claim = set_status(ws, contract.ref, "2026-03", ClaimStatus.DISPUTED, on=date(2026, 5, 2), note="short")
    assert (claim.claimed_amount, claim.currency, claim.rounding) == (D("5760.00"), "GBP", "half-up")
    assert (claim.claimed_on, claim.disputed_on, claim.status) == (date(2026, 4, 8), date(2026, 5, 2),
                                                                  ClaimStatus.DISPUTED)
    assert claim.computed["lines"][0]["trace"][1] == "charges 48,000.00 × at-risk 12 % = 5,760.00"
    with ws.unit_of_work() as uow:
        stored = uow.records.list(CreditClaim, contract_id=contract.id)
    assert stored == [claim]
    assert [e.action for e in recent_audit(ws, 2)] == ["claim-status", "claim-status"] and verify_audit(ws).ok


def test_an_imported_short_credit_note_is_reconciled_against_the_computed_credit(nw, tmp_path):
    ws, contract, _ = nw
    note = credit_note_csv(tmp_path / "cn.csv", [("CN-0412", "2026-03", "1", "Service credit — availability",
                                                   "4000.00"), ("CN-0412", "2026-03", "2", "=SUM(A1:A9)", "0")])
    report = import_file(ws, note, kind=RecordKind.CREDIT_NOTES, contract=contract)
    assert report.stored == 2
    set_status(ws, contract.ref, "2026-03", ClaimStatus.CLAIMED, on=date(2026, 4, 8))
    row, rows = reconcile(ws, contract.ref, "2026-03", history=fake_history(), today=date(2026, 4, 20))
    assert (row.computed, row.issued, row.variance, row.status) == (D("5760.00"), D("4000.00"), D("1760.00"),
                                                                    ClaimStatus.CLAIMED)
    assert row.warnings == ("the credit note is short by GBP 1,760.00",)
    assert [n.description for n in row.notes] == ["Service credit — availability", "=SUM(A1:A9)"]
    assert [r.period for r in rows][-3:] == ["2026-01", "2026-02", "2026-03"]
    assert rows[-1].balance == D("2304.00") + D("1760.00")  # February still to claim, March short


def test_the_board_covers_every_contract_with_clauses_and_flags_deadlines(nw):
    ws, contract, _ = nw
    result = board(ws, history=fake_history(), today=date(2026, 4, 20), first="2026-01", last="2026-03")
    assert [(r.period, r.status_text) for r in result.rows] == [
        ("2026-01", "nothing owed"), ("2026-02", "to claim"), ("2026-03", "to claim")]
    assert result.rows[1].warnings == ("claim by 2026-04-29 (9 days left)",)
    assert result.totals[0].owed == D("8064.00") and result.totals[0].due_soon == 1


def test_a_template_fills_its_slot_with_the_target_of_the_right_metric(workspace):
    contract, ids = northwind(workspace)
    slots, stored = apply_template(workspace, contract.ref, "cloud-compute-region-level")
    assert slots == {"availability": "SL1 Availability"} and len(stored) == 2
    assert stored[0].target_id == ids["SL1 Availability"] and "Amazon Compute Service Level Agreement" in \
        stored[0].source and "2022-05-05" in stored[0].source
