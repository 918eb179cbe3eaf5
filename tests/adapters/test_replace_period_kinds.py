"""Replacing a file's period for outages and samples, at the period's edges — on every backend.

A record lies in the period by its own time: an outage by its start, a sample by its interval's start;
[start, end) of the period, so a record at the start is in it and one at the end is not.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from importers.pipeline import parse_file
from models.tables_raw import RawSampleBlockRow
from sltdesk.domain.raw import RecordKind
from sltdesk.domain.raw_records import RawOutage
from sltdesk.domain.register import Contract, Supplier
from sltdesk.services import imports
from sltdesk.services.audit import recent_audit, verify_audit
from sltdesk.services.import_periods import among, row_ranges, rows_of
from sltdesk.services.raw_data import load_samples
from sltdesk.services.register import create_record
from tests.budget import examples
from tests.importfiles import write_csv

OUTAGES = "Outage ID,Service,Start,End,Impact %\n"
SAMPLES = "timestamp,probe,requests,errors,p95_ms\n"


@pytest.fixture
def contract(workspace):
    supplier = create_record(workspace, Supplier(name="Stratus Hosting"))
    return create_record(workspace, Contract(
        ref="ST-1", supplier_id=supplier.id, title="IaaS", start_date=date(2025, 1, 1), end_date=date(2027, 1, 1),
        currency="EUR", charges=Decimal("31500.00")))


def store(ws, contract, path, kind, *, period=None, replace=False, dry_run=False):
    options = imports.build_options(ws, kind=kind, contract=contract, timezone="UTC", period=period)
    return imports.store_import(ws, parse_file(path, options), contract=contract, options=options,
                                replace_period=replace, dry_run=dry_run)


def outage_ids(ws, contract) -> list[str]:
    with ws.unit_of_work() as uow:
        return sorted(r.record.outage_id for r in uow.raw.records(RawOutage, contract_id=contract.id))


def test_outages_starting_in_the_period_are_replaced_and_those_one_second_outside_stay(workspace, contract,
                                                                                        tmp_path):
    edges = (OUTAGES + "A-1,VM,2026-02-28 23:59:59,2026-03-01 00:30:00,100\n"  # one second before: stays
             "A-2,VM,2026-03-01 00:00:00,2026-03-01 00:10:00,100\n"  # at the start: in the period
             "A-3,VM,2026-03-31 23:59:59,2026-04-01 00:20:00,100\n"  # the last second: in the period
             "A-4,VM,2026-04-01 00:00:00,2026-04-01 00:05:00,100\n")  # at the end: not in it
    first = store(workspace, contract, write_csv(tmp_path / "q1.csv", edges), RecordKind.OUTAGES)
    march = write_csv(tmp_path / "march.csv", OUTAGES + "B-1,VM,2026-03-10 10:00,2026-03-10 11:00,100\n")
    beside = store(workspace, contract, march, RecordKind.OUTAGES, period="2026-03", dry_run=True)
    assert beside.held == ({"batch_id": first.batch_id, "file": "q1.csv", "records": 2, "not_in_this_file": 2},)
    warning = next(f for f in beside.findings if f.code == "added-beside")
    assert warning.message.startswith("2026-03 already holds 2 outages that this file does not have: 2 from q1.csv "
                                      f"(batch {first.batch_id}).")
    checked = store(workspace, contract, march, RecordKind.OUTAGES, period="2026-03", replace=True, dry_run=True)
    assert (checked.superseded, checked.stored) == (2, 1)
    assert outage_ids(workspace, contract) == ["A-1", "A-2", "A-3", "A-4"]  # a dry run takes nothing out
    report = store(workspace, contract, march, RecordKind.OUTAGES, period="2026-03", replace=True)
    assert outage_ids(workspace, contract) == ["A-1", "A-4", "B-1"]
    entry = recent_audit(workspace, 1)[0].after
    assert entry["superseded"] == [{"batch": first.batch_id, "file": "q1.csv", "records": 2, "ids": ["A-2", "A-3"],
                                    "rows": [[3, 4]]}]
    assert entry["periods"] == ["2026-03"]  # B-1's month and the replaced outages' months
    assert entry["replaced_period"] == {"start": "2026-03-01T00:00:00Z", "end": "2026-04-01T00:00:00Z",
                                        "label": "2026-03"}
    assert imports.superseded_rows(workspace, first.batch_id) == {3, 4}
    assert imports.superseded_rows(workspace, report.batch_id) == set()
    assert verify_audit(workspace).ok


def test_samples_of_the_same_probe_in_the_period_are_replaced_and_other_probes_stay(workspace, contract, tmp_path):
    times = ("2026-02-28T23:50:00Z", "2026-02-28T23:55:00Z", "2026-03-01T00:00:00Z", "2026-03-01T00:05:00Z",
             "2026-03-01T00:10:00Z")
    old = "".join(f"{t},{probe},100,0,200\n" for probe in ("eu", "us") for t in times)
    first = store(workspace, contract, write_csv(tmp_path / "old.csv", SAMPLES + old), RecordKind.SAMPLES)
    # covers the intervals 00:05 to 00:15: the eu sample at 00:00 is outside, in the same day's block
    new = "".join(f"{t},eu,7,0,200\n" for t in times[3:])
    path = write_csv(tmp_path / "new.csv", SAMPLES + new)
    beside = store(workspace, contract, path, RecordKind.SAMPLES, dry_run=True)
    assert beside.held == ({"batch_id": first.batch_id, "file": "old.csv", "records": 2, "not_in_this_file": 0},)
    assert not any(f.code == "added-beside" for f in beside.findings)  # the same samples: nothing beside
    report = store(workspace, contract, path, RecordKind.SAMPLES, replace=True)
    assert (report.superseded, report.stored, report.skipped) == (2, 2, 0)
    samples = load_samples(workspace, contract.id)
    eu = samples[samples["probe"] == "eu"].sort_values("t")
    assert eu["requests"].tolist() == [100, 100, 100, 7, 7]  # 00:00 kept; 00:05 and 00:10 are the new file's
    assert (samples["probe"] == "us").sum() == 5 and samples[samples["probe"] == "us"]["requests"].sum() == 500
    block = RawSampleBlockRow
    with workspace.engine.connect() as conn:
        blocks = conn.execute(select(block.batch_id, block.probe, block.first_at, block.last_at, block.count).where(
            block.contract_id == contract.id, block.probe == "eu", block.day == 20513)).all()
    rewritten = next(tuple(b) for b in blocks if b[0] == first.batch_id)
    assert rewritten[2:] == (1772323200, 1772323200, 1)  # 2026-03-01 00:00 alone: its first and last follow
    assert recent_audit(workspace, 1)[0].after["superseded"][0]["rows"] == [[5, 6]]


def test_a_kind_without_a_period_cannot_replace_one(workspace, contract, tmp_path):
    report = write_csv(tmp_path / "report.csv", "Service level,Period,Target,Achieved\nAvailability,2026-03,99.9,"
                                                "99.95\n")
    with pytest.raises(imports.ImportRefused, match="--replace-period replaces tickets, outages or samples"):
        store(workspace, contract, report, RecordKind.VENDOR_REPORT, replace=True)
    assert imports.list_batches(workspace) == []


@pytest.mark.parametrize(("rows", "ranges"), [
    ([], []), ([7], [[7, 7]]), ([2, 3, 4, 9], [[2, 4], [9, 9]]), ([9, 2, 3, 3], [[2, 3], [9, 9]]),
    ([5, 6, 8, 9, 10], [[5, 6], [8, 10]])])
def test_superseded_rows_are_written_as_runs_and_read_back(rows, ranges):
    assert row_ranges(rows) == ranges
    assert rows_of(ranges) == set(rows)


def test_a_newer_version_of_a_ticket_marks_the_old_one_superseded_and_its_removal_says_so(workspace, contract,
                                                                                         tmp_path):
    text = "Ticket,Priority,Opened,Resolved\nT-1,P1,2026-03-02 09:00,2026-03-02 10:00\nT-2,P2,2026-03-02 09:30,\n"
    first = store(workspace, contract, write_csv(tmp_path / "a.csv", text), RecordKind.TICKETS)
    changed = text.replace("T-2,P2,2026-03-02 09:30,", "T-2,P2,2026-03-02 09:30,2026-03-03 09:30")
    second = store(workspace, contract, write_csv(tmp_path / "b.csv", changed), RecordKind.TICKETS)
    assert (second.stored, second.skipped, second.replaced) == (1, 1, 1)
    entry = recent_audit(workspace, 1)[0].after
    assert entry["superseded"] == [{"batch": first.batch_id, "file": "a.csv", "records": 1, "ids": ["T-2"],
                                    "rows": [[3, 3]], "newer_version": True}]
    assert "replaced_period" not in entry and entry["periods"] == ["2026-03"]
    batches = imports.list_batches(workspace)
    older = next(b for b in batches if b.id == first.batch_id)
    assert older.superseded_text() == f"1 of 2 records superseded by batch {second.batch_id}"
    lost = imports.not_restored(workspace, second.batch_id)
    assert imports.not_restored_warning(second.batch_id, lost) == (
        f"Batch {second.batch_id} replaced 1 record of batch {first.batch_id} (a.csv) (older versions of the same "
        "records). Removing it does not bring them back: the workspace will hold none of those records. To have "
        f"them again, remove batch {first.batch_id} and import a.csv again.")


@pytest.mark.parametrize(("utc", "zone", "month"), [
    ((2026, 3, 31, 22, 59, 59), "Europe/London", "2026-03"), ((2026, 3, 31, 23, 0, 0), "Europe/London", "2026-04"),
    ((2026, 3, 31, 18, 14, 59), "Asia/Kathmandu", "2026-03"), ((2026, 3, 31, 18, 15, 0), "Asia/Kathmandu", "2026-04"),
    ((2026, 2, 28, 10, 14, 59), "Pacific/Chatham", "2026-02"),
    ((2026, 2, 28, 10, 15, 0), "Pacific/Chatham", "2026-03"),
    # Asuncion's clocks went from midnight to 01:00 on 1 Oct 2017: October began at 04:00 UTC, local 01:00
    ((2017, 10, 1, 3, 59, 59), "America/Asuncion", "2017-09"), ((2017, 10, 1, 4, 0, 0), "America/Asuncion", "2017-10")])
def test_the_months_an_import_touches_are_the_contracts_local_months_to_the_second(utc, zone, month):
    from datetime import UTC, datetime

    from sltdesk.services.import_periods import periods_touched

    stamp = int(datetime(*utc, tzinfo=UTC).timestamp())
    assert periods_touched([stamp, stamp], zone) == [month]


ZONES = ["UTC", "Europe/London", "Asia/Kathmandu", "Pacific/Chatham", "America/Havana", "America/Sao_Paulo",
         "America/Asuncion", "Asia/Beirut", "America/Santiago", "Australia/Lord_Howe", "Pacific/Kiritimati"]


@given(stamps=st.lists(st.integers(min_value=946_684_800, max_value=2_000_000_000), min_size=1, max_size=40),
       zone=st.sampled_from(ZONES))
@settings(max_examples=examples(300), deadline=None)
def test_the_months_touched_are_those_of_every_instant_converted_one_by_one(stamps, zone):
    # Havana, Sao Paulo (until 2019), Asuncion and Beirut move their clocks at midnight: some months begin at 01:00
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from sltdesk.services.import_periods import periods_touched

    expected = sorted({datetime.fromtimestamp(s, ZoneInfo(zone)).strftime("%Y-%m") for s in stamps})
    half = len(stamps) // 2
    assert periods_touched(stamps[:half], zone, also=stamps[half:]) == expected


@settings(max_examples=examples(200), deadline=None)
@given(st.lists(st.integers(-5, 40), max_size=60), st.lists(st.integers(-5, 40), max_size=60))
def test_looking_times_up_among_sorted_distinct_ones_is_isin(values, incoming):
    times = np.asarray(values, dtype=np.int64)
    distinct = np.unique(np.asarray(incoming, dtype=np.int64))
    assert among(times, distinct).tolist() == np.isin(times, np.asarray(incoming, dtype=np.int64)).tolist()
