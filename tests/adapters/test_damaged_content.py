"""Content damaged outside the app (a stored block, a batch's findings) gets one sentence, never exit 70."""

from __future__ import annotations

import sqlite3
from datetime import date
from decimal import Decimal

from sltdesk.cli import main
from sltdesk.domain.raw import RecordKind
from sltdesk.domain.register import Comparison, Contract, ContractTarget, MetricKind, Supplier
from sltdesk.services import imports
from sltdesk.services.register import create_record
from tests.importfiles import write_csv


def test_a_damaged_ticket_block_and_damaged_findings_are_a_sentence(tmp_path, capsys):
    from models.workspace import open_workspace

    path = tmp_path / "w.sltdesk"
    ws = open_workspace(path, create=True, user="alice")
    supplier = create_record(ws, Supplier(name="Northwind"))
    contract = create_record(ws, Contract(ref="NW-1", supplier_id=supplier.id, title="WAN", start_date=date(2025, 1, 1),
                                          end_date=date(2027, 1, 1), currency="GBP", charges=Decimal("100.00")))
    # a target to measure: its stored result was computed from the intact block; the damaged block's size is in
    # the result's fingerprint, so the stored result is not used and the block is read again
    create_record(ws, ContractTarget(contract.id, "SL2 P1 response", MetricKind.RESPONSE_TIME, Decimal("95"),
                                     Comparison.AT_LEAST))
    from importers.pipeline import parse_file

    csv = write_csv(tmp_path / "t.csv", "Ticket,Priority,Opened,Resolved\nT-1,P1,2026-03-02 09:00,2026-03-02 10:00\n")
    options = imports.build_options(ws, kind=RecordKind.TICKETS, contract=contract, timezone="UTC")
    report = imports.store_import(ws, parse_file(csv, options), contract=contract, options=options)
    ws.close()
    with sqlite3.connect(path) as db:  # changed outside the app
        db.execute("UPDATE raw_ticket_block SET payload = ?", (b"FB2garbage",))
        db.execute("UPDATE import_batch SET findings_json = '{not json'")
    code = main(["imports", "list", "-w", str(path)])
    out, err = capsys.readouterr()
    assert code == 0 and f"{report.batch_id}  tickets" in out  # the list still shows the batch
    ws = open_workspace(path)
    try:
        [batch] = imports.list_batches(ws)
    finally:
        ws.close()
    assert [f.code for f in batch.findings] == ["damaged-findings"]
    code = main(["attainment", "-w", str(path), "--contract", "NW-1", "--period", "2026-03"])
    out, err = capsys.readouterr()
    assert code == 1, err
    assert err.startswith("sltdesk: A block of tickets stored in the workspace cannot be read (ZstdError")
    assert "changed or damaged outside SLT Desk. Nothing was changed." in err and "Traceback" not in err
