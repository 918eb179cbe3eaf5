"""False positives on the demo: PayFlow's probe eu-west raised alarms the gateway never felt.

July 2026 is PayFlow's missed month: 31 days of 5-minute intervals are 8928, of which the probe shows 10 bad;
99.9 % allows 8.928, so 8918 / 8928 = 99.888 % is missed and the tiered clause gives 10 % of the 12,000.00
monthly charges: 1,200.00. Two bad intervals turned good (8920 / 8928 = 99.9104 %) meet the target.
"""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from models.workspace import open_workspace
from sltdesk.domain.measurement import ExceptionStatus, FalsePositive, FlagSubject
from sltdesk.domain.raw_records import RawOutage
from sltdesk.errors import ValidationError
from sltdesk.services import result_cache
from sltdesk.services.false_positives import (
    FlagRequest,
    SelfApprovalError,
    decide_false_positive,
    list_false_positives,
    request_false_positive,
)
from sltdesk.services.imports import find_contract
from sltdesk.services.result_cache import Inputs
from sltdesk.services.results import target_results
from tests.exact import exactly

NOW = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)
INTERVALS = 31 * 24 * 12  # July 2026 in 5-minute intervals


@pytest.fixture
def demo(raw_demo_file, tmp_path) -> str:
    path = tmp_path / "demo.sltdesk"
    shutil.copy(raw_demo_file, path)
    result_cache.forget()
    return str(path)


def opened(path: str, user: str):
    return open_workspace(path, user=user, clock=lambda: NOW)


def availability(ws):
    [row] = [t for t in target_results(ws, "PF-2025-007", "2026-07") if t.attainment.target == "Availability"]
    return row


def july_outages(ws) -> list[int]:
    """PayFlow's logged outages of July 2026, by stored record number, in time order."""
    contract = find_contract(ws, "PF-2025-007")
    with ws.unit_of_work() as uow:
        found = sorted((o.start_at, n) for n, _b, o in uow.raw.records(RawOutage, contract_id=contract.id))
    return [n for start, n in found if f"{datetime.fromtimestamp(start, UTC):%Y-%m}" == "2026-07"]


def stored_payload(ws, target_id: int, period: str) -> str:
    contract = find_contract(ws, "PF-2025-007")
    with ws.unit_of_work() as uow:
        return next(r.payload for r in uow.results.stored(contract_id=contract.id, periods=[period])
                    if r.target_id == target_id)


def test_the_demo_has_a_noisy_probe_with_approved_flags_and_one_pending(demo):
    ws = opened(demo, "alice")
    flags = [f for f, _files in list_false_positives(ws)]
    assert [f.status for f in flags].count(ExceptionStatus.APPROVED) == 4
    [pending] = [f for f in flags if f.status is ExceptionStatus.REQUESTED]
    assert {f.probe for f in flags} == {"eu-west"} and {f.subject for f in flags} == {FlagSubject.OUTAGE}
    assert pending.reference == str(july_outages(ws)[0])
    ws.close()


def test_a_pending_flag_changes_nothing_and_approved_ones_flip_the_missed_month_and_remove_the_credit(demo):
    alice = opened(demo, "alice")
    before = availability(alice)
    assert before.attainment.met is False and before.attainment.counts["intervals_bad"] == 10
    assert exactly(before.attainment.achieved, INTERVALS - 10, INTERVALS)
    assert before.credit == Decimal("12000.00") * Decimal("0.10") == Decimal("1200.00")
    assert not any(e.kind == "false-positive" for e in before.attainment.exclusions)  # the demo's pending one

    first, second = july_outages(alice)[:2]
    pending = request_false_positive(alice, contract=find_contract(alice, "PF-2025-007"), request=FlagRequest(
        FlagSubject.OUTAGE, "Probe certificate expired on the monitoring host", reference=str(second),
        probe="eu-west"), evidence=[("probe.log", b"x509: certificate has expired")])
    assert availability(alice).attainment == before.attainment  # pending: nothing changes
    with pytest.raises(SelfApprovalError):
        decide_false_positive(alice, pending.id, approve=True)
    assert availability(alice).attainment == before.attainment
    [demo_pending] = [f for f, _ in list_false_positives(alice) if f.reference == str(first)]
    one = decide_false_positive(alice, demo_pending.id, approve=True, note="vendor's certificate log")  # not alice's
    assert one.decided_by == "alice"
    middle = availability(alice)
    assert exactly(middle.attainment.achieved, INTERVALS - 9, INTERVALS) and middle.attainment.met is False
    assert middle.credit == Decimal("1200.00")  # 99.899 %: still below 99.9 %
    alice.close()

    bob = opened(demo, "bob")
    decided = decide_false_positive(bob, pending.id, approve=True, note="gateway logs show no failed payment")
    assert (decided.status, decided.decided_by) == (ExceptionStatus.APPROVED, "bob")
    after = availability(bob)
    assert exactly(after.attainment.achieved, INTERVALS - 8, INTERVALS)  # 8920 / 8928 = 99.9104 %
    assert after.attainment.met is True and after.credit == 0  # met (so close to the line it is "at risk")
    assert after.attainment.counts["intervals_counted"] == INTERVALS  # nothing removed from the measured time
    named = {e.reference: e for e in after.attainment.exclusions if e.kind == "false-positive"}
    assert set(named) == {f"FP-{one.id}", f"FP-{pending.id}"}
    assert "Probe certificate expired on the monitoring host" in named[f"FP-{pending.id}"].reason
    assert f"FP-{pending.id}" in after.attainment.explanation
    with bob.unit_of_work() as uow:
        requested = uow.audit.entries_of("false_positive", "request-false-positive")
        approved = uow.audit.entries_of("false_positive", "approve-false-positive")
    assert requested[-1].entity_id == str(pending.id) and requested[-1].after["evidence"][0]["file"] == "probe.log"
    assert [(e.entity_id, e.after["decided_by"]) for e in approved[-2:]] == [(str(one.id), "alice"),
                                                                            (str(pending.id), "bob")]
    bob.close()


def test_a_rejected_flag_changes_nothing_and_a_decided_one_cannot_be_decided_again(demo):
    alice = opened(demo, "alice")
    first = july_outages(alice)[1]
    flag = request_false_positive(alice, contract=find_contract(alice, "PF-2025-007"), request=FlagRequest(
        FlagSubject.OUTAGE, "looked odd", reference=str(first)))
    bob = opened(demo, "bob")
    before = availability(bob).attainment
    rejected = decide_false_positive(bob, flag.id, approve=False, note="the gateway did fail")
    assert rejected.status is ExceptionStatus.REJECTED and availability(bob).attainment == before
    with pytest.raises(Exception, match="rejected already by bob"):
        decide_false_positive(bob, flag.id, approve=True)
    with bob.unit_of_work() as uow:
        assert uow.audit.entries_of("false_positive", "reject-false-positive")[-1].entity_id == str(flag.id)
    alice.close()
    bob.close()


def test_approving_a_flag_changes_the_stored_result_and_its_fingerprint(demo):
    alice = opened(demo, "alice")
    contract = find_contract(alice, "PF-2025-007")
    target_id = availability(alice).attainment.target_id
    result_cache.refresh_results(alice)
    key_before = Inputs.load(alice, contract.id).keys(["2026-07"], int(NOW.timestamp()))[(target_id, "2026-07")]
    payload_before = stored_payload(alice, target_id, "2026-07")
    [pending] = [f for f, _ in list_false_positives(alice) if f.status is ExceptionStatus.REQUESTED]
    decide_false_positive(alice, pending.id, approve=True)
    key_after = Inputs.load(alice, contract.id).keys(["2026-07"], int(NOW.timestamp()))[(target_id, "2026-07")]
    assert key_after != key_before
    payload_after = stored_payload(alice, target_id, "2026-07")  # refreshed by the approval itself
    assert payload_after != payload_before and f"FP-{pending.id}" in payload_after
    assert result_cache.result_status(alice)["out_of_date"] == 0
    alice.close()


def test_a_flag_must_name_a_stored_outage_and_give_a_reason(demo):
    alice = opened(demo, "alice")
    contract = find_contract(alice, "PF-2025-007")
    with pytest.raises(ValidationError):
        request_false_positive(alice, contract=contract, request=FlagRequest(FlagSubject.OUTAGE, "odd",
                                                                              reference="999999"))
    with pytest.raises(ValidationError):
        request_false_positive(alice, contract=contract, request=FlagRequest(FlagSubject.SPAN, " ", start=1, end=2))
    with pytest.raises(ValidationError):
        request_false_positive(alice, contract=contract, request=FlagRequest(FlagSubject.SPAN, "odd", start=2, end=2))
    with alice.unit_of_work() as uow:
        assert len(uow.records.list(FalsePositive)) == 5  # the demo's own, nothing more
    alice.close()


def test_the_cli_requests_lists_and_refuses_the_requesters_own_approval(demo, monkeypatch, capsys):
    from sltdesk.cli import main

    monkeypatch.setenv("SLTDESK_USER", "carol")
    assert main(["falsepositives", "request", "-w", demo, "--contract", "PF-2025-007", "--start",
                 "2026-07-02 15:00", "--end", "2026-07-02 15:05", "--probe", "eu-west", "--timezone", "UTC",
                 "--reason", "Probe host lost its route; the gateway answered"]) == 0
    flag = capsys.readouterr().out.split()[1]
    assert flag.startswith("FP-")
    assert main(["falsepositives", "approve", flag, "-w", demo]) != 0
    assert "carol requested" in capsys.readouterr().err
    monkeypatch.setenv("SLTDESK_USER", "dave")
    assert main(["falsepositives", "approve", flag, "-w", demo, "--note", "route table shows it"]) == 0
    assert capsys.readouterr().out.strip() == f"{flag} approved by dave."
    assert main(["falsepositives", "list", "-w", demo, "--contract", "PF-2025-007", "--json"]) == 0
    import json

    listed = {row["id"]: row for row in json.loads(capsys.readouterr().out)}
    assert listed[flag]["status"] == "approved" and listed[flag]["subject"] == "span"
    assert sum(row["status"] == "requested" for row in listed.values()) == 1  # the demo's pending one


def test_the_pack_counts_the_flags_per_month_and_monitor_so_a_noisy_probe_stands_out(demo, tmp_path):
    """PayFlow's 12-month pack to 2026-07: the four approved flags (two in 2025-11, one each in 2026-03 and
    2026-05) and the pending one (2026-07) of probe eu-west, counted per month; the PDF prints the table."""
    from pypdf import PdfReader

    from reports.review_pack import write_pack
    from sltdesk.services.pack import build_pack
    from sltdesk.services.pack_view import PackOptions

    ws = opened(demo, "alice")
    view = build_pack(ws, PackOptions("PayFlow", "2026-07", months=12)).view
    assert [(f.period, f.contract, f.monitor, f.approved, f.pending) for f in view.false_positives] == [
        ("2025-11", "PF-2025-007", "eu-west", 2, 0), ("2026-03", "PF-2025-007", "eu-west", 1, 0),
        ("2026-05", "PF-2025-007", "eu-west", 1, 0), ("2026-07", "PF-2025-007", "eu-west", 0, 1)]
    assert all(f.flags.startswith("FP-") for f in view.false_positives)
    write_pack(tmp_path / "pack.pdf", view, generated=NOW)
    text = " ".join(page.extract_text() for page in PdfReader(tmp_path / "pack.pdf").pages)
    assert "False positives: breaches monitoring raised without a real effect" in text and "eu-west" in text
    earlier = build_pack(ws, PackOptions("PayFlow", "2025-09", months=3)).view  # before the first flag
    assert earlier.false_positives == ()
    ws.close()
