"""The typed raw-data port over SQLite (and PostgreSQL): records, ticket blocks and sample blocks go in typed
and come back the same; the adapter, not the core, writes money as exact text and blocks as bytes."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import String, select

from models.tables_raw import RawSampleBlockRow, VendorReportLineRow
from sltdesk.codecs import sample_blocks as codec
from sltdesk.domain.raw_records import DaySamples, RawOutage, RawReportLine, RawTicketEvent, SampleBlock
from sltdesk.domain.register import Contract, Supplier
from sltdesk.rules.blocks import NA_TIME
from sltdesk.rules.sample_blocks import DTYPE, as_columns
from sltdesk.services.register import create_record

MARCH = 1772323200  # 2026-03-01 00:00 UTC
APRIL = 1775001600  # 2026-04-01 00:00 UTC


@pytest.fixture
def contract(workspace):
    supplier = create_record(workspace, Supplier(name="Northwind Networks"))
    return create_record(workspace, Contract(
        ref="NW-1", supplier_id=supplier.id, title="WAN", start_date=date(2025, 1, 1), end_date=date(2027, 1, 1),
        currency="GBP", charges=Decimal("48000.00")))


def new_batch(uow, contract_id: int, kind: str = "outages") -> int:
    return uow.raw.add_batch({"kind": kind, "contract_id": contract_id, "file_name": "f.csv", "sha256": "0" * 64,
                              "sheet": "", "mapping_json": "{}", "options_json": "{}",
                              "imported_at": "2026-04-02T09:00:00Z", "imported_by": "alice", "rows_read": 0,
                              "rows_accepted": 0, "rows_rejected": 0, "findings_json": "[]"})


def test_records_come_back_typed_with_their_batch_and_money_is_stored_as_exact_text(workspace, contract):
    lines = [RawReportLine("Availability", "2026-03", Decimal("99.90"), Decimal("99.871"), False, 4),
             RawReportLine("Response", None, None, Decimal("-0.5"), None, 5)]
    outage = RawOutage("O-1", None, MARCH, MARCH + 3600, 100.0, True, None, 2)
    with workspace.unit_of_work() as uow:
        batch = new_batch(uow, contract.id, "vendor-report")
        uow.raw.add_records(RawReportLine, lines, batch_id=batch, contract_id=contract.id)
        uow.raw.add_records(RawOutage, [outage], batch_id=batch, contract_id=contract.id)
        uow.commit()
    with workspace.unit_of_work() as uow:
        stored = uow.raw.records(RawReportLine, contract_id=contract.id)
        outages = uow.raw.records(RawOutage, contract_id=contract.id, batch_id=batch)
    assert [s.record for s in sorted(stored, key=lambda s: s.record.source_row)] == lines
    assert {s.batch_id for s in stored} == {batch} and [s.record for s in outages] == [outage]
    with workspace.engine.connect() as conn:
        text = conn.execute(select(VendorReportLineRow.__table__.c.achieved.cast(String))
                            .order_by(VendorReportLineRow.source_row)).scalars().all()
    assert text == ["99.871", "-0.5"]  # as written, trailing digits and sign kept


def test_a_float_for_money_is_refused_by_the_adapter(workspace, contract):
    with workspace.unit_of_work() as uow, pytest.raises(Exception, match="money must be a Decimal"):
        uow.raw.add_records(RawReportLine, [RawReportLine("Availability", "2026-03", None, 99.9, None, 4)],
                            batch_id=new_batch(uow, contract.id), contract_id=contract.id)


def test_records_are_read_and_deleted_by_id_in_chunks_and_events_found_by_ticket(workspace, contract):
    events = [RawTicketEvent(f"T-{i}", "open", MARCH + i, i + 2, None) for i in range(1200)]
    with workspace.unit_of_work() as uow:
        batch = new_batch(uow, contract.id, "ticket-events")
        uow.raw.add_records(RawTicketEvent, events, batch_id=batch, contract_id=contract.id)
        ids = uow.raw.ticket_event_ids(contract_id=contract.id, ticket_ids=[f"T-{i}" for i in range(0, 1200, 2)])
        assert len(ids) == 600 and len(uow.raw.records(RawTicketEvent, contract_id=contract.id, ids=ids)) == 600
        uow.raw.delete_records(RawTicketEvent, ids)
        left = uow.raw.records(RawTicketEvent, contract_id=contract.id)
    assert sorted(int(s.record.ticket_id[2:]) for s in left) == list(range(1, 1200, 2))


def tickets(ids: list[str], opened: list[int]) -> pd.DataFrame:
    n = len(ids)
    return pd.DataFrame({"ticket_id": ids, "priority": ["P1"] * n, "service": [None] * n, "category": [None] * n,
                         "status": ["closed"] * n, "opened_at": np.asarray(opened, dtype=np.int64),
                         "assigned_at": np.full(n, NA_TIME), "responded_at": np.full(n, NA_TIME),
                         "resolved_at": np.asarray(opened, dtype=np.int64) + 60, "closed_at": np.full(n, NA_TIME),
                         "source_row": np.arange(2, n + 2)})


def test_tickets_go_into_month_blocks_and_a_rewritten_block_without_tickets_goes(workspace, contract):
    with workspace.unit_of_work() as uow:
        batch = new_batch(uow, contract.id, "tickets")
        uow.raw.add_tickets(tickets(["A", "B", "C"], [MARCH + 10, APRIL + 10, MARCH + 20]), batch_id=batch,
                            contract_id=contract.id)
        blocks = sorted(uow.raw.ticket_blocks(contract_id=contract.id), key=lambda b: b.month)
        assert [(b.month, b.tickets["ticket_id"].tolist()) for b in blocks] == [(202603, ["A", "C"]),
                                                                               (202604, ["B"])]
        assert sorted(b.count for b in uow.raw.ticket_block_bytes(contract_id=contract.id, batch_id=batch)) == [1, 2]
        march, april = blocks
        uow.raw.rewrite_ticket_block(march.id, march.tickets.iloc[1:].reset_index(drop=True))
        uow.raw.rewrite_ticket_block(april.id, april.tickets.iloc[0:0])
        after = uow.raw.ticket_blocks(contract_id=contract.id)
        assert [(b.month, b.tickets["ticket_id"].tolist()) for b in after] == [(202603, ["C"])]
        assert uow.raw.ticket_blocks(contract_id=contract.id, months=[202604]) == []


def day(probe: str, start: int, n: int, first_row: int) -> np.ndarray:
    out = np.zeros(n, dtype=DTYPE)
    out["t"] = start + 300 * np.arange(n)
    out["requests"], out["ok"], out["row"] = 100, 1, first_row + np.arange(n)
    return out


def test_sample_blocks_go_in_packed_or_as_arrays_and_keep_first_last_and_count(workspace, contract):
    packed = day("eu", MARCH, 4, 2)
    (payload,) = codec.encode_many(as_columns(packed), [(0, 4)])
    given = SampleBlock("eu", MARCH // 86400, MARCH, MARCH + 900, 4, payload)
    loose = DaySamples("us", MARCH // 86400, day("us", MARCH + 600, 3, 10))
    with workspace.unit_of_work() as uow:
        batch = new_batch(uow, contract.id, "samples")
        uow.raw.add_samples([given, loose], batch_id=batch, contract_id=contract.id)
        assert np.array_equal(uow.raw.samples_in(given), packed)
        stored = {b.probe: b for b in uow.raw.sample_blocks(contract_id=contract.id, days=[MARCH // 86400])}
        assert np.array_equal(stored["eu"].samples, packed) and np.array_equal(stored["us"].samples, loose.samples)
        assert uow.raw.sample_blocks(contract_id=contract.id, probes=["nowhere"]) == []
        uow.raw.rewrite_sample_block(stored["us"].id, stored["us"].samples[1:])
        uow.commit()
    with workspace.engine.connect() as conn:
        rows = conn.execute(select(RawSampleBlockRow.probe, RawSampleBlockRow.first_at, RawSampleBlockRow.last_at,
                                   RawSampleBlockRow.count).order_by(RawSampleBlockRow.probe)).all()
    assert [tuple(r) for r in rows] == [("eu", MARCH, MARCH + 900, 4), ("us", MARCH + 900, MARCH + 1200, 2)]
