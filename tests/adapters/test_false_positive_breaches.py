"""A target's whole breach flagged as a false positive, on the demo's three kinds of measurement.

- Tickets: Stratos (ST-2024-003) P2 resolution, 2026-02: 42 of 51 tickets resolved within the limit, 82.35 %
  against 90 %. Flagged and approved, the 9 missed tickets count as met: 51 of 51, met.
- Outages: Northwind (NW-2025-014) SL1, 2026-04: 43,020 agreed minutes with 37.50 down, 99.9128 % against
  99.95 %. Flagged, the downtime is time up: 100 %, and the agreed minutes stay 43,020.
- Interval samples: PayFlow (PF-2025-007) Availability, 2026-07: 8918 of 8928 good intervals. Flagged, all
  8928 are good.
"""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from models.workspace import open_workspace
from sltdesk.domain.measurement import FlagSubject
from sltdesk.errors import ValidationError
from sltdesk.services import result_cache
from sltdesk.services.false_positives import FlagRequest, decide_false_positive, request_false_positive
from sltdesk.services.imports import find_contract, period_bounds
from sltdesk.services.results import target_results
from tests.exact import exactly

NOW = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)


@pytest.fixture
def demo(raw_demo_file, tmp_path) -> str:
    path = tmp_path / "demo.sltdesk"
    shutil.copy(raw_demo_file, path)
    result_cache.forget()
    return str(path)


def opened(path: str, user: str):
    return open_workspace(path, user=user, clock=lambda: NOW)


def row(ws, contract: str, period: str, target: str):
    [found] = [t for t in target_results(ws, contract, period) if t.attainment.target == target]
    return found


def flag_breach(path: str, contract: str, target: str, period: str, reason: str = "monitoring fault"):
    """Alice requests, Bob approves; returns the approved flag."""
    alice = opened(path, "alice")
    target_id = row(alice, contract, period, target).attainment.target_id
    flag = request_false_positive(alice, contract=find_contract(alice, contract), request=FlagRequest(
        FlagSubject.BREACH, reason, reference=period, target_id=target_id))
    pending = row(alice, contract, period, target).attainment
    alice.close()
    bob = opened(path, "bob")
    approved = decide_false_positive(bob, flag.id, approve=True)
    bob.close()
    return approved, pending


def test_a_flagged_ticket_breach_counts_every_missed_ticket_of_that_period_as_met(demo):
    ws = opened(demo, "alice")
    before = row(ws, "ST-2024-003", "2026-02", "P2 resolution").attainment
    assert (before.counts["tickets"], before.counts["met"], before.met) == (51, 42, False)
    assert exactly(before.achieved, 42, 51)
    march_before = row(ws, "ST-2024-003", "2026-03", "P2 resolution").attainment
    ws.close()

    flag, pending = flag_breach(demo, "ST-2024-003", "P2 resolution", "2026-02", "ticket tool closed them late")
    assert pending == before  # a pending flag changes nothing
    assert (flag.reference, flag.start, flag.end) == ("2026-02", *period_bounds("2026-02", "Europe/Berlin"))

    ws = opened(demo, "carol")
    after = row(ws, "ST-2024-003", "2026-02", "P2 resolution").attainment
    assert (after.counts["tickets"], after.counts["met"], after.counts["missed"], after.met) == (51, 51, 0, True)
    assert after.achieved == 100
    [named] = [e for e in after.exclusions if e.kind == "false-positive"]
    assert (named.reference, named.tickets) == (flag.ref, 9) and "ticket tool closed them late" in named.reason
    assert f"false positive counted as met: {flag.ref}" in after.explanation
    march = row(ws, "ST-2024-003", "2026-03", "P2 resolution").attainment  # the next month: as it was
    assert (march.achieved, march.counts, march.exclusions) == (march_before.achieved, march_before.counts,
                                                                  march_before.exclusions)
    other = row(ws, "ST-2024-003", "2026-02", "P1 response").attainment  # another target of the contract
    assert not any(e.kind == "false-positive" for e in other.exclusions)
    ws.close()


def test_a_flagged_outage_breach_is_time_up_and_keeps_the_agreed_minutes(demo):
    ws = opened(demo, "alice")
    before = row(ws, "NW-2025-014", "2026-04", "SL1 Availability")
    assert before.attainment.met is False and before.attainment.counts["downtime_seconds"] == 2250
    assert exactly(before.attainment.achieved, 2592000 - 10800 - 2250, 2592000 - 10800)
    ws.close()
    flag, _ = flag_breach(demo, "NW-2025-014", "SL1 Availability", "2026-04")
    ws = opened(demo, "carol")
    after = row(ws, "NW-2025-014", "2026-04", "SL1 Availability")
    assert after.attainment.met is True and after.attainment.achieved == 100
    assert after.attainment.counts["downtime_seconds"] == 0
    assert after.attainment.counts["excluded_seconds"] == 10800  # maintenance stays excluded; nothing else is
    [named] = [e for e in after.attainment.exclusions if e.kind == "false-positive"]
    assert named.reference == flag.ref and named.minutes == Decimal("37.50")
    assert before.credit > 0 and [ln.period for ln in before.lines] == ["2026-04"]  # the breach was priced
    # flagged, it is not: April is met, which completes three met months after January's core-hours miss, so
    # January's credit is earned back in April instead (the only line left, negative)
    assert [ln.amount for ln in after.lines if ln.period == "2026-04"] == [0]  # "met → no credit", both tiers
    assert [(ln.period, ln.amount < 0) for ln in after.lines if ln.amount] == [("2026-01", True)]
    assert after.attainment.level_met is True
    ws.close()


def test_a_flagged_sample_breach_makes_every_bad_interval_good(demo):
    flag, _ = flag_breach(demo, "PF-2025-007", "Availability", "2026-07")
    ws = opened(demo, "carol")
    after = row(ws, "PF-2025-007", "2026-07", "Availability")
    assert after.attainment.met is True and after.attainment.achieved == 100 and after.credit == 0
    assert after.attainment.counts["intervals_counted"] == 31 * 24 * 12  # nothing removed from the measured time
    assert flag.ref in {e.reference for e in after.attainment.exclusions}
    latency = row(ws, "PF-2025-007", "2026-07", "Latency p95").attainment  # the flag names one target only
    assert flag.ref not in {e.reference for e in latency.exclusions}
    ws.close()


def test_a_breach_needs_a_target_a_period_and_a_target_measured_per_period(demo):
    ws = opened(demo, "alice")
    contract = find_contract(ws, "SP-2023-021")
    target_id = row(ws, "SP-2023-021", "2026-02", "Delivery cycle time p95").attainment.target_id
    with pytest.raises(ValidationError, match="name the target"):
        request_false_positive(ws, contract=contract, request=FlagRequest(FlagSubject.BREACH, "x",
                                                                           reference="2026-02"))
    with pytest.raises(ValidationError, match="not a period"):
        request_false_positive(ws, contract=contract, request=FlagRequest(FlagSubject.BREACH, "x",
                                                                           reference="Feb", target_id=target_id))
    with pytest.raises(ValidationError, match="cycle-time percentile"):
        request_false_positive(ws, contract=contract, request=FlagRequest(FlagSubject.BREACH, "x",
                                                                           reference="2026-02", target_id=target_id))
    monthly = row(ws, "ST-2024-003", "2026-02", "P2 resolution").attainment.target_id
    with pytest.raises(ValidationError, match="measured per month: name one month, not the quarter 2026-Q1"):
        request_false_positive(ws, contract=find_contract(ws, "ST-2024-003"), request=FlagRequest(
            FlagSubject.BREACH, "x", reference="2026-Q1", target_id=monthly))
    other = monthly
    with pytest.raises(ValidationError, match="no such target"):
        request_false_positive(ws, contract=contract, request=FlagRequest(FlagSubject.BREACH, "x",
                                                                           reference="2026-02", target_id=other))
    ws.close()


def test_the_cli_flags_a_breach_by_target_and_period(demo, monkeypatch, capsys):
    import json

    from sltdesk.cli import main

    monkeypatch.setenv("SLTDESK_USER", "carol")
    assert main(["falsepositives", "request", "-w", demo, "--contract", "ST-2024-003", "--breach", "2026-02",
                 "--reason", "ticket tool outage"]) != 0
    assert "--target" in capsys.readouterr().err
    assert main(["falsepositives", "request", "-w", demo, "--contract", "ST-2024-003", "--breach", "2026-02",
                 "--target", "P2 resolution", "--reason", "ticket tool outage"]) == 0
    out = capsys.readouterr().out
    assert "breach 2026-02" in out
    assert main(["falsepositives", "list", "-w", demo, "--contract", "ST-2024-003", "--json"]) == 0
    [listed] = json.loads(capsys.readouterr().out)
    assert (listed["subject"], listed["reference"], listed["status"]) == ("breach", "2026-02", "requested")


def test_a_breach_is_laid_out_in_the_zone_its_period_is_measured_in():
    """Requested in one zone, a breach waives the period as measured: a core-hours tier's calendar in New York
    measures January from 05:00 UTC, and the flag follows it; other flags keep their own spans."""
    from sltdesk.domain.measurement import FalsePositive
    from sltdesk.rules.false_positives import in_zone

    london = period_bounds("2026-01", "Europe/London")
    breach = FalsePositive(1, FlagSubject.BREACH, "x", "alice", "2026-02-01T00:00:00Z", reference="2026-01",
                           start=london[0], end=london[1], target_id=4)
    span = FalsePositive(1, FlagSubject.SPAN, "y", "alice", "2026-02-01T00:00:00Z", start=10, end=20)
    moved, same = in_zone([breach, span], lambda label: period_bounds(label, "America/New_York"))
    assert (moved.start, moved.end) == period_bounds("2026-01", "America/New_York") != london
    assert moved.start - london[0] == 5 * 3600 and same == span
