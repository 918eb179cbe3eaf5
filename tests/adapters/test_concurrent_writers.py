"""Writers that queue: several connections writing at once give one linear, verified audit chain."""

from __future__ import annotations

import sqlite3
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker

from importers.pipeline import parse_file
from models.repository import SqlUnitOfWork
from models.tables import SupplierRow
from models.workspace import open_workspace
from sltdesk.domain.raw import RecordKind
from sltdesk.domain.register import Contract, Supplier
from sltdesk.errors import BusyError
from sltdesk.services import imports
from sltdesk.services.audit import recent_audit, verify_audit
from sltdesk.services.register import create_record, list_records
from tests.importfiles import ticket_rows, tickets_workbook

WRITERS = 4


def in_parallel(target: str, work) -> list:
    """Run work(ws, writer) in WRITERS threads, each with its own connection, released at the same moment."""
    start = threading.Barrier(WRITERS)

    def one(writer: int):
        ws = open_workspace(target, user=f"writer{writer}")
        try:
            start.wait()
            return work(ws, writer)
        finally:
            ws.close()

    with ThreadPoolExecutor(WRITERS) as pool:
        return list(pool.map(one, range(WRITERS)))


def test_four_writers_adding_suppliers_at_once_leave_one_linear_verified_chain(workspace, db_target):
    def add_suppliers(ws, writer):
        return [create_record(ws, Supplier(name=f"Supplier {writer}-{n}")).id for n in range(6)]

    ids = [i for batch in in_parallel(db_target, add_suppliers) for i in batch]
    assert len(set(ids)) == WRITERS * 6
    entries = recent_audit(workspace)
    assert sorted(e.seq for e in entries) == list(range(1, WRITERS * 6 + 1))
    assert {e.os_user for e in entries} == {f"writer{w}" for w in range(WRITERS)}
    report = verify_audit(workspace)
    assert report.ok and report.entries == WRITERS * 6


def test_four_imports_at_once_each_get_their_own_batch(workspace, db_target, tmp_path):
    supplier = create_record(workspace, Supplier(name="Northwind Networks"))
    contract = create_record(workspace, Contract(
        ref="NW-1", supplier_id=supplier.id, title="WAN", start_date=date(2025, 1, 1), end_date=date(2027, 1, 1),
        currency="GBP", charges=Decimal("48000.00")))
    options = imports.build_options(workspace, kind=RecordKind.TICKETS, contract=contract, timezone="Europe/London")
    parsed = []
    for writer in range(WRITERS):  # four different files: tickets numbered apart so none is a newer version
        rows = ticket_rows(3)
        for row in rows:
            row[0] = f"W{writer}-{row[0]}"
        parsed.append(parse_file(tickets_workbook(tmp_path / f"t{writer}.xlsx", rows=rows), options))

    reports = in_parallel(db_target, lambda ws, w: imports.store_import(ws, parsed[w], contract=contract,
                                                                         options=options))
    assert len({r.batch_id for r in reports}) == WRITERS
    batches = imports.list_batches(workspace)
    assert sorted(b.id for b in batches) == sorted(r.batch_id for r in reports)
    assert [b.stored for b in batches] == [3] * WRITERS
    audit = [e for e in recent_audit(workspace) if e.action == "import"]
    assert sorted(int(e.entity_id) for e in audit) == sorted(r.batch_id for r in reports)
    assert verify_audit(workspace).ok


def test_a_file_locked_by_another_writer_is_reported_as_busy_and_nothing_is_saved(tmp_path):
    path = tmp_path / "locked.sltdesk"
    open_workspace(path, create=True).close()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process holds the write lock
    impatient = create_engine(f"sqlite:///{path}", connect_args={"timeout": 0})
    try:
        with pytest.raises(BusyError, match="locked by another writer"), \
                SqlUnitOfWork(sessionmaker(impatient)) as uow:
            uow.session.add(SupplierRow(name="Contoso"))
            uow.commit()
    finally:
        impatient.dispose()
        holder.execute("ROLLBACK")
        holder.close()
    ws = open_workspace(path)
    try:  # nothing of the busy attempt was stored
        assert [s.name for s in list_records(ws, Supplier)] == []
    finally:
        ws.close()


def test_four_writers_importing_the_same_file_at_once_store_it_once(workspace, db_target, tmp_path):
    supplier = create_record(workspace, Supplier(name="Northwind Networks"))
    contract = create_record(workspace, Contract(
        ref="NW-1", supplier_id=supplier.id, title="WAN", start_date=date(2025, 1, 1), end_date=date(2027, 1, 1),
        currency="GBP", charges=Decimal("48000.00")))
    options = imports.build_options(workspace, kind=RecordKind.TICKETS, contract=contract, timezone="Europe/London")
    parsed = parse_file(tickets_workbook(tmp_path / "t.xlsx", rows=ticket_rows(3)), options)

    def store(ws, writer):
        try:
            return imports.store_import(ws, parsed, contract=contract, options=options).batch_id
        except imports.ImportRefused as refused:
            return str(refused)

    outcomes = in_parallel(db_target, store)
    stored = [o for o in outcomes if isinstance(o, int)]
    assert len(stored) == 1
    assert all("imported already" in o for o in outcomes if isinstance(o, str))
    assert [b.id for b in imports.list_batches(workspace)] == stored
    assert verify_audit(workspace).ok
