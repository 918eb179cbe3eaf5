"""Reviews, their backlog and root causes through the services, on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from sltdesk.domain.register import Contract, ContractTarget, MetricKind, Supplier
from sltdesk.domain.reviews import ActionStatus, AgendaItem, RootCause, RootCauseMethod, Side
from sltdesk.services import reviews as svc
from sltdesk.services.audit import recent_audit, verify_audit
from sltdesk.services.register import create_record


@pytest.fixture
def target(workspace):
    supplier = create_record(workspace, Supplier("Stratus Hosting"))
    contract = create_record(workspace, Contract("ST-1", supplier.id, "IaaS", date(2025, 1, 1), date(2027, 12, 31),
                                                 "EUR", Decimal("31500.00")))
    return create_record(workspace, ContractTarget(contract.id, "Availability", MetricKind.AVAILABILITY,
                                                   Decimal("99.9")))


def _close(ws, action, status, day):
    return svc.update_action(ws, replace(action, status=status), on=day)


def test_a_new_review_carries_the_open_actions_and_copies_the_attendees(workspace, target):
    june = svc.create_review(workspace, supplier="stratus hosting", period="2026-06", held_on=date(2026, 7, 14))
    svc.add_attendee(workspace, june.id, "Lena Vogt", side=Side.SUPPLIER, role="Service delivery manager")
    done = svc.add_action(workspace, june.id, "Upgrade firmware", owner="Lena", target_id=target.id,
                          breach_period="2026-06")
    dropped = svc.add_action(workspace, june.id, "Move racks")
    working = svc.add_action(workspace, june.id, "Second resolver group", due_on=date(2026, 9, 30))
    still_open = svc.add_action(workspace, june.id, "Send the change calendar as .ics")
    _close(workspace, done, ActionStatus.DONE, date(2026, 8, 1))
    _close(workspace, dropped, ActionStatus.DROPPED, date(2026, 8, 2))
    _close(workspace, working, ActionStatus.IN_PROGRESS, date(2026, 8, 3))

    september = svc.create_review(workspace, supplier="Stratus Hosting", period="2026-09", held_on=date(2026, 10, 13))
    detail = svc.review_detail(workspace, september.id)
    assert september.previous_id == june.id and detail.previous_period == "2026-06"
    assert sorted((i.action.id, i.carried) for i in detail.backlog) == [(working.id, True), (still_open.id, True)]
    assert [(a.name, a.side, a.review_id) for a in detail.attendees] == [("Lena Vogt", Side.SUPPLIER, september.id)]
    assert len(svc.review_detail(workspace, june.id).backlog) == 4  # the June review keeps its own backlog

    raised = svc.add_action(workspace, september.id, "Root-cause the P1 misses")
    _close(workspace, still_open, ActionStatus.DONE, date(2026, 10, 20))
    december = svc.create_review(workspace, supplier="Stratus Hosting", period="2026-12", held_on=date(2027, 1, 12))
    carried = {i.action.id for i in svc.review_detail(workspace, december.id).backlog}
    assert carried == {working.id, raised.id}
    summaries = {s.review.period: s for s in svc.list_reviews(workspace, "Stratus Hosting")}
    assert list(summaries) == ["2026-12", "2026-09", "2026-06"]
    assert (summaries["2026-09"].backlog, summaries["2026-09"].open_actions) == (3, 2)


def test_a_second_review_of_the_same_supplier_and_period_is_refused(workspace, target):
    svc.create_review(workspace, supplier="Stratus Hosting", period="2026-09", held_on=date(2026, 10, 13))
    with pytest.raises(svc.ReviewError, match="already has a review for 2026-09"):
        svc.create_review(workspace, supplier="Stratus Hosting", period="2026-09", held_on=date(2026, 10, 20))
    with pytest.raises(svc.ReviewError, match="not a period"):
        svc.create_review(workspace, supplier="Stratus Hosting", period="Sept", held_on=date(2026, 10, 20))


def test_closing_an_action_records_the_day_and_reopening_clears_it(workspace, target):
    review = svc.create_review(workspace, supplier="Stratus Hosting", period="2026-09", held_on=date(2026, 10, 13))
    action = svc.add_action(workspace, review.id, "Upgrade firmware")
    closed = _close(workspace, action, ActionStatus.DONE, date(2026, 10, 30))
    assert closed.closed_on == date(2026, 10, 30)
    assert _close(workspace, closed, ActionStatus.DONE, date(2026, 11, 5)).closed_on == date(2026, 10, 30)
    reopened = _close(workspace, closed, ActionStatus.IN_PROGRESS, date(2026, 11, 6))
    assert reopened.closed_on is None and svc.get_action(workspace, action.id).status is ActionStatus.IN_PROGRESS


def test_root_cause_records_keep_their_chain_and_causes(workspace, target):
    whys = svc.record_root_cause(workspace, RootCause(target.id, "2026-09", RootCauseMethod.FIVE_WHYS, "Below 99.9",
                                                      whys=("Disks lost", " ", "Controller hung"),
                                                      root_cause="Firmware"))
    fishbone = svc.record_root_cause(workspace, RootCause(target.id, "2026-08", RootCauseMethod.CAUSE_AND_EFFECT,
                                                          "Below 99.9", causes=(("method", "No spares"),
                                                                                ("people", "Untrained"))))
    stored = {r.id: r for r in svc.root_causes_for(workspace, [target.id])}
    assert stored[whys.id].whys == ("Disks lost", "Controller hung") and stored[whys.id].recorded_by == "alice"
    assert stored[fishbone.id].causes == (("method", "No spares"), ("people", "Untrained"))
    with pytest.raises(svc.ReviewError, match="at least one answer"):
        svc.record_root_cause(workspace, RootCause(target.id, "2026-09", RootCauseMethod.FIVE_WHYS, "x"))


def test_a_root_cause_is_refused_for_a_period_the_target_was_measured_as_met(tmp_path):
    from models.workspace import open_workspace
    from tests.adapters.review_setup import small_supplier

    ws = open_workspace(tmp_path / "small.sltdesk", create=True, user="alice")  # today's clock: April is past
    try:
        ids = small_supplier(ws, tmp_path)  # Availability: March met (10 min down), April missed (60 min)
        with pytest.raises(svc.ReviewError, match=r"'Availability' was met in 2026-03 \(99\.9776 % against 99\.9 %\)"):
            svc.record_root_cause(ws, RootCause(ids["availability"], "2026-03", RootCauseMethod.FIVE_WHYS, "Outage",
                                                whys=("Power",)))
        april = svc.record_root_cause(ws, RootCause(ids["availability"], "2026-04", RootCauseMethod.FIVE_WHYS,
                                                    "Below 99.9", whys=("Power",)))
        assert april.period == "2026-04"
    finally:
        ws.close()


def test_every_change_to_a_review_is_audited(workspace, target):
    review = svc.create_review(workspace, supplier="Stratus Hosting", period="2026-09", held_on=date(2026, 10, 13))
    svc.set_note(workspace, review.id, AgendaItem.PERFORMANCE, "Walked through")
    svc.set_note(workspace, review.id, AgendaItem.PERFORMANCE, "Walked through, target by target")
    decision = svc.add_decision(workspace, review.id, "Keep the target", owner="Tom")
    svc.remove(workspace, type(decision), decision.id)
    entries = recent_audit(workspace, 4)
    assert [(e.action, e.entity) for e in entries] == [
        ("delete", "review_decision"), ("create", "review_decision"), ("update", "review_agenda_note"),
        ("create", "review_agenda_note")]
    assert entries[2].before["text"] == "Walked through" and entries[2].after["text"].endswith("target by target")
    assert verify_audit(workspace).ok
