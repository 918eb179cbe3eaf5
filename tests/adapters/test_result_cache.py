"""Stored results (sltdesk/services/result_cache.py): read only while their fingerprint matches, invalidated by
exactly the inputs that changed, written by writes and never by reads."""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

import models.workspace as workspace_module
from models.workspace import open_workspace
from sltdesk.domain.raw import RecordKind
from sltdesk.domain.register import Contract
from sltdesk.rules.result_keys import decode, encode
from sltdesk.services import result_cache
from sltdesk.services.attainment import attainment_history, measured_history
from sltdesk.services.imports import find_contract
from sltdesk.services.penalties import contract_clauses, load_inputs, update_clause
from sltdesk.services.periods import mark_complete
from sltdesk.services.reconciliation import board
from sltdesk.services.register import refresh_after_edit, update_record
from sltdesk.services.result_cache import Inputs, refresh_results, result_status, stored_periods
from sltdesk.wiring import import_file

NOW = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)  # the demo's reference date: October 2026 is its last full month


@pytest.fixture
def demo(raw_demo_file, tmp_path) -> str:
    path = tmp_path / "demo.sltdesk"
    shutil.copy(raw_demo_file, path)
    result_cache.forget()
    return str(path)


def opened(path: str, **kwargs):
    return open_workspace(path, user="alice", clock=lambda: NOW, **kwargs)


def all_keys(ws) -> dict[tuple[str, int, str], str]:
    """(contract, target id, period) -> fingerprint, for every target-month the workspace keeps."""
    out = {}
    with ws.unit_of_work() as uow:
        ids = [c.id for c in uow.records.list(Contract)]
    for contract_id in ids:
        inputs = Inputs.load(ws, contract_id)
        periods = stored_periods(inputs.contract, inputs.targets, NOW.date())
        for (target_id, period), key in inputs.keys(periods, int(NOW.timestamp())).items():
            out[(inputs.contract.ref, target_id, period)] = key
    return out


def test_every_stored_result_is_the_measured_one_and_reads_back_equal(demo):
    ws = opened(demo)
    refresh_results(ws)
    assert result_status(ws)["current"] == result_status(ws)["expected"] > 600
    with ws.unit_of_work() as uow:
        contracts = uow.records.list(Contract)
    for contract in contracts:
        with ws.unit_of_work() as uow:
            periods = sorted({r.period for r in uow.results.stored(contract_id=contract.id, periods=[
                f"{y}-{m:02d}" for y in (2025, 2026) for m in range(1, 13)])})
        if not periods:
            continue
        result_cache.forget()
        stored = attainment_history(ws, contract.id, periods, as_of=int(NOW.timestamp()))
        measured = measured_history(ws, contract.id, periods, as_of=int(NOW.timestamp()))
        assert stored == measured
        for results in measured.values():
            for r in results:
                assert decode(encode(r)) == r
    ws.close()


def outage_file(path, start: str, end: str):
    path.write_text("Outage,Service,Start,End,Impact %,Planned,Note\n"
                    f"MP-9001,MPLS WAN,{start},{end},100,no,cable cut\n", encoding="utf-8")
    return path


def test_an_outage_file_for_one_month_invalidates_that_contracts_targets_for_that_month_and_no_other(demo, tmp_path):
    ws = opened(demo)
    refresh_results(ws)
    before = all_keys(ws)
    contract = find_contract(ws, "NW-2025-014")
    march_before = attainment_history(ws, contract.id, ["2026-03"])
    import_file(ws, outage_file(tmp_path / "march.csv", "2026-03-10 10:00", "2026-03-10 12:00"),
                kind=RecordKind.OUTAGES, contract=contract, timezone="UTC", period="2026-03")
    after = all_keys(ws)
    changed = {k for k in before if before[k] != after.get(k)}
    nw_targets = {t.id for t in Inputs.load(ws, contract.id).targets}
    assert changed == {("NW-2025-014", t, "2026-03") for t in nw_targets}
    # the import stored the new results in its wake: everything is current, and March now counts the outage
    status = result_status(ws)
    assert status["current"] == status["expected"] and status["out_of_date"] == 0
    with ws.unit_of_work() as uow:
        rows = {(r.target_id, r.period): r for r in uow.results.stored(contract_id=contract.id, periods=["2026-03"])}
    sl1 = next(t for t in Inputs.load(ws, contract.id).targets if t.name.startswith("SL1"))
    new = decode(rows[(sl1.id, "2026-03")].payload)
    old = march_before[sl1.id][0]
    assert new.achieved is not None and old.achieved is not None and new.achieved < old.achieved
    assert new == measured_history(ws, contract.id, ["2026-03"], as_of=int(NOW.timestamp()))[sl1.id][0]
    ws.close()


def test_an_outage_reaching_back_a_day_invalidates_the_month_before_too(demo, tmp_path):
    ws = opened(demo)
    before = all_keys(ws)
    contract = find_contract(ws, "NW-2025-014")
    import_file(ws, outage_file(tmp_path / "early.csv", "2026-03-01 00:30", "2026-03-01 01:00"),
                kind=RecordKind.OUTAGES, contract=contract, timezone="UTC")
    changed = {(ref, p) for (ref, _t, p), key in all_keys(ws).items() if before[(ref, _t, p)] != key}
    assert changed == {("NW-2025-014", "2026-02"), ("NW-2025-014", "2026-03")}  # within a day of February's end
    ws.close()


def test_a_credit_note_file_invalidates_no_result_not_even_the_first_one_for_a_contract(demo, tmp_path):
    """Credit notes never enter a figure: neither their batch nor the kind of data they add to the contract (the
    first one used to change every key of its contract) nor the period they say they cover is in a fingerprint."""
    ws = opened(demo)
    refresh_results(ws)
    before = all_keys(ws)
    contract = find_contract(ws, "FS-2024-017")
    with ws.unit_of_work() as uow:
        assert {b["kind"] for b in uow.raw.batches(contract_id=contract.id)} == {"tickets"}
    note = tmp_path / "fabrikam_credit_note.csv"
    note.write_text("Credit note,Period,Line,Description,Amount,Currency\n"
                    "FS-CN-202603,2026-03,1,Service credit,125.00,EUR\n", encoding="utf-8")
    import_file(ws, note, kind=RecordKind.CREDIT_NOTES, contract=contract, timezone="UTC", period="2026-03")
    with ws.unit_of_work() as uow:
        assert "credit-notes" in {b["kind"] for b in uow.raw.batches(contract_id=contract.id)}
    assert all_keys(ws) == before
    status = result_status(ws)
    assert status["current"] == status["expected"] and status["out_of_date"] == 0
    ws.close()


def test_a_vendor_report_invalidates_no_result_and_its_figures_show_at_once(demo, tmp_path):
    """A vendor report enters no measured figure: importing one measures nothing again, and the results read
    afterwards carry the vendor's figures as a measurement from scratch gives them."""
    ws = opened(demo)
    refresh_results(ws)
    before = all_keys(ws)
    contract = find_contract(ws, "FS-2024-017")
    target = Inputs.load(ws, contract.id).targets[0]
    months, as_of = ["2026-03", "2026-04"], int(NOW.timestamp())
    assert [r.reported for r in attainment_history(ws, contract.id, months, as_of=as_of)[target.id]] == [None, None]
    report = tmp_path / "fabrikam_sla_report.csv"
    report.write_text("Month,Service Level,Target,Achieved,Met?\n"
                      f"2026-03,{target.name},{target.threshold},87.25,No\n", encoding="utf-8")
    result_cache.reset_counts()
    import_file(ws, report, kind=RecordKind.VENDOR_REPORT, contract=contract, timezone="UTC")
    assert all_keys(ws) == before
    status = result_status(ws)
    assert status["current"] == status["expected"] and status["out_of_date"] == 0
    after = attainment_history(ws, contract.id, months, as_of=as_of)
    assert result_cache.counts().measured == 0  # read from the stored results, the vendor's figures laid over them
    assert [(r.reported, r.reported_met) for r in after[target.id]] == [(Decimal("87.25"), False), (None, None)]
    result_cache.forget()
    assert after == measured_history(ws, contract.id, months, as_of=as_of)
    ws.close()


def test_a_clause_edit_reprices_that_contracts_run_from_its_start_and_no_other_contracts(demo):
    ws = opened(demo)
    history = attainment_history
    keys = {ref: load_inputs(ws, ref, "2026-10", history=history, first="2025-11").credit_keys()
            for ref in ("NW-2025-014", "ST-2024-003")}
    figures = all_keys(ws)
    contract = find_contract(ws, "NW-2025-014")
    with ws.unit_of_work() as uow:
        clause = contract_clauses(uow, contract.id)[0]
    update_clause(ws, replace(clause, source=clause.source + " (amended)"))
    after = {ref: load_inputs(ws, ref, "2026-10", history=history, first="2025-11").credit_keys()
             for ref in ("NW-2025-014", "ST-2024-003")}
    assert all(a != b for a, b in zip(keys["NW-2025-014"], after["NW-2025-014"], strict=True))  # every period
    assert keys["ST-2024-003"] == after["ST-2024-003"]
    assert all_keys(ws) == figures  # a clause prices a figure; it does not change one
    ws.close()


def test_a_complete_period_mark_refreshes_what_it_changed(demo):
    ws = opened(demo)
    refresh_results(ws)
    before = all_keys(ws)
    mark_complete(ws, "IV-2022-005", "2026-11", reason="vendor confirmed by e-mail")
    after = all_keys(ws)
    changed = {k for k in before if before[k] != after.get(k)}
    iv = find_contract(ws, "IV-2022-005")
    assert changed == {("IV-2022-005", t.id, "2026-11") for t in Inputs.load(ws, iv.id).targets}
    assert result_status(ws)["out_of_date"] == 0
    ws.close()


def test_a_target_edit_invalidates_that_target_only(demo):
    ws = opened(demo)
    before = all_keys(ws)
    contract = find_contract(ws, "NW-2025-014")
    target = Inputs.load(ws, contract.id).targets[0]

    stored = update_record(ws, replace(target, threshold=Decimal("99.9")))
    after = all_keys(ws)
    changed = {k for k in before if before[k] != after.get(k)}
    assert {(ref, t) for ref, t, _p in changed} == {("NW-2025-014", target.id)}
    # the edit itself measures nothing (the GUI saves on its own thread); the refresh it starts in the background
    # stores exactly the changed results
    over = {k for k in changed if k[2] != "2026-12"}  # December is running on NOW: measured each time, never stored
    assert result_status(ws)["out_of_date"] == len(over) == 35
    refresh_after_edit(ws, stored)
    assert result_status(ws)["out_of_date"] == 0
    ws.close()


def test_a_read_never_writes_and_a_read_only_workspace_renders_the_board(demo, monkeypatch):
    ws = opened(demo)
    refresh_results(ws)
    contract = find_contract(ws, "NW-2025-014")
    ws.close()
    os.chmod(demo, stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)  # chmod a-w
    real = os.access  # root (this sandbox) may write whatever the mode bits say: answer as for another user

    def access(target, mode, *args, **kwargs):
        if mode & os.W_OK and Path(target).resolve() in (Path(demo).resolve(), Path(demo).resolve().parent):
            return False
        return real(target, mode, *args, **kwargs)

    monkeypatch.setattr(workspace_module.os, "access", access)
    digest = hashlib.sha256(Path(demo).read_bytes()).hexdigest()
    try:
        ws = opened(demo)
        assert ws.read_only
        stored = result_status(ws)["stored"]
        result_cache.reset_counts()
        shown = board(ws, history=attainment_history, today=date(2026, 12, 6), first="2026-05", last="2026-10")
        assert len(shown.rows) > 20 and result_cache.counts().measured == 0  # every figure was stored
        # an input the file does not hold the result of (a month judged at another instant): measured, not stored
        result_cache.reset_counts()
        attainment_history(ws, contract.id, ["2026-12"], as_of=int(NOW.timestamp()))
        assert result_cache.counts().measured == 4 and result_cache.counts().not_stored == 4
        assert refresh_results(ws).skipped == "the workspace is open read-only"
        assert result_status(ws)["stored"] == stored
        ws.close()
        assert hashlib.sha256(Path(demo).read_bytes()).hexdigest() == digest
    finally:
        os.chmod(demo, stat.S_IRUSR | stat.S_IWUSR)


def test_a_running_month_is_measured_each_time_and_never_stored(demo):
    ws = opened(demo)
    refresh_results(ws)
    contract = find_contract(ws, "NW-2025-014")
    with ws.unit_of_work() as uow:
        assert not uow.results.stored(contract_id=contract.id, periods=["2026-12"])
    assert all(r[0].completeness == "in progress" for r in attainment_history(ws, contract.id, ["2026-12"]).values())
    ws.close()


def test_a_write_while_a_refresh_measures_is_never_stored_under_the_old_keys(demo, monkeypatch):
    """Another writer marks IV-2022-005's November complete while a refresh measures it, and takes the mark back
    afterwards: the keys are the old ones again, but the figures measured in between saw the mark. The refresh
    stores nothing for that contract (the trail moved), and the stored results end equal to fresh measurements."""
    import sqlite3

    from sltdesk.services import attainment
    from sltdesk.services.periods import unmark

    ws = opened(demo)
    iv = find_contract(ws, "IV-2022-005")
    with sqlite3.connect(demo) as db:
        db.execute("DELETE FROM period_result WHERE contract_id = ?", (iv.id,))
    result_cache.forget()
    real = attainment.measured_history
    writes = []

    def measured_while_someone_writes(w, contract_id, periods, *, as_of=None):
        if contract_id == iv.id and not writes:
            writes.append("mark")
            other = opened(demo)  # a second connection: a colleague, or another thread's unit of work
            mark_complete(other, "IV-2022-005", "2026-11", reason="vendor confirmed")
            other.close()
        return real(w, contract_id, periods, as_of=as_of)

    monkeypatch.setattr(attainment, "measured_history", measured_while_someone_writes)
    done = refresh_results(ws, [iv.id])
    monkeypatch.setattr(attainment, "measured_history", real)
    assert writes == ["mark"] and done.stored == 0  # the mark's own refresh stored IV's results meanwhile
    unmark(ws, "IV-2022-005", "2026-11")  # back to the keys the refresh started from
    result_cache.forget()
    months = [f"2026-{m:02d}" for m in range(1, 12)]
    assert attainment_history(ws, iv.id, months) == real(ws, iv.id, months, as_of=int(NOW.timestamp()))
    assert result_status(ws)["out_of_date"] == 0
    ws.close()


def test_a_season_or_a_tier_calendar_edit_invalidates_the_targets_that_use_them_only(demo):
    """Issue #28: a rule's seasons and its core-hours tier are inputs, and so are the tier calendar's hours."""
    from sltdesk.domain.measurement import MeasurementRule
    from sltdesk.domain.register import ServiceCalendar
    from sltdesk.services.register import list_records

    ws = opened(demo)
    before = all_keys(ws)
    payflow = find_contract(ws, "PF-2025-007")
    availability = next(t for t in Inputs.load(ws, payflow.id).targets if t.name == "Availability")
    [rule] = [r for r in list_records(ws, MeasurementRule) if r.target_id == availability.id]
    update_record(ws, replace(rule, seasons="1 Dec-31 Dec: 99.95"))
    after = all_keys(ws)
    assert {(ref, t) for ref, t, _p in (k for k in before if before[k] != after.get(k))} == {
        ("PF-2025-007", availability.id)}
    # UK business hours: the SL1 tier's calendar, and the own calendar of other targets (SL4, ...)
    [core] = [c for c in list_records(ws, ServiceCalendar) if c.name == "UK business hours"]
    update_record(ws, replace(core, hours=(("mon", "07:00-18:00"), *core.hours[1:])))
    again = all_keys(ws)
    changed = {(ref, t) for ref, t, _p in (k for k in after if after[k] != again.get(k))}
    sl1 = next(t for t in Inputs.load(ws, find_contract(ws, "NW-2025-014").id).targets
               if t.name == "SL1 Availability")
    assert ("NW-2025-014", sl1.id) in changed  # 24x7 London itself is unchanged: only its tier's calendar moved
    ws.close()


def test_the_clauses_tier_pricing_changes_the_tiered_targets_results_and_seasonal_bands_reprice_the_run(demo):
    ws = opened(demo)
    history = attainment_history
    before, credits = all_keys(ws), load_inputs(ws, "NW-2025-014", "2026-10", history=history).credit_keys()
    contract = find_contract(ws, "NW-2025-014")
    with ws.unit_of_work() as uow:
        clause = next(c for c in contract_clauses(uow, contract.id) if getattr(c.terms, "tier_pricing", None))
    update_clause(ws, replace(clause, terms=replace(clause.terms, tier_pricing="each")))
    after = all_keys(ws)
    changed = {(ref, tid) for (ref, tid, _p), key in before.items() if after[(ref, tid, _p)] != key}
    assert changed == {("NW-2025-014", clause.target_id)}  # the result carries how its tiers are priced
    assert load_inputs(ws, "NW-2025-014", "2026-10", history=history).credit_keys() != credits
    st = find_contract(ws, "ST-2024-003")
    with ws.unit_of_work() as uow:
        tiered = next(c for c in contract_clauses(uow, st.id) if c.kind.value == "tiered credit")
    run = load_inputs(ws, "ST-2024-003", "2026-10", history=history).credit_keys()
    update_clause(ws, replace(tiered, terms=replace(tiered.terms, seasonal_bands="15 Nov-15 Jan: 99.95=10%")))
    assert all(a != b for a, b in zip(run, load_inputs(ws, "ST-2024-003", "2026-10", history=history).credit_keys(),
                                      strict=True))  # credits are not stored: their in-memory key reprices the run
    assert all_keys(ws) == after  # seasonal bands price a figure; they do not change one
    ws.close()


def test_a_fingerprint_written_in_parts_is_the_fingerprint_of_all_its_inputs():
    from sltdesk.rules.result_keys import fingerprint

    own = {"code": "abc", "target": {"name": "Résolution P2 ✓", "threshold": Decimal("99.90")}, "rule": None,
           "exceptions": [{"from": date(2026, 3, 1), "at": datetime(2026, 3, 1, 8, tzinfo=UTC)}], "kinds": ["b", "a"]}
    written = result_cache._Written(own)
    for period, judged in (("2026-03", "over"), ("2026-04", "running at 1777000000")):
        parts = {"period": period, "marks": ["2026-03"], "covers": [[1, "outages", 5, None, ""]], "batches": [],
                 "judged": judged}
        assert written.fingerprint({k: result_cache._canonical(v) for k, v in parts.items()}) == \
            fingerprint({**own, **parts})


def test_every_contracts_batch_reaches_read_at_once_are_each_contracts_own(demo):
    import sqlite3

    def reaches(ws) -> tuple[dict, dict]:
        with ws.unit_of_work() as uow:
            ids = [c.id for c in uow.records.list(Contract)]
            one: dict = {}
            for contract_id in ids:
                one.update(uow.raw.batch_reaches(contract_id=contract_id))
            return uow.raw.batch_reaches(), one

    ws = opened(demo)
    bulk, one = reaches(ws)
    ws.close()
    assert bulk == one and len(bulk) > 3
    db = sqlite3.connect(demo)  # a batch whose records name two contracts: read per contract and batch, as it is
    batch, contract = db.execute("SELECT batch_id, contract_id FROM raw_outage LIMIT 1").fetchone()
    db.execute("UPDATE raw_outage SET contract_id = (SELECT min(id) FROM contract WHERE id != ?) WHERE id = "
               "(SELECT max(id) FROM raw_outage WHERE batch_id = ?)", (contract, batch))
    db.commit()
    db.close()
    ws = opened(demo)
    bulk, one = reaches(ws)
    ws.close()
    assert bulk == one
