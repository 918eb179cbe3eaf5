"""Storing imports: all-or-nothing with provenance, de-duplication, removal — on every backend."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import String, select

from importers.pipeline import parse_file
from models.tables_raw import CreditNoteLineRow
from sltdesk.domain.raw import RecordKind
from sltdesk.domain.raw_records import RawCreditNoteLine
from sltdesk.domain.register import Contract, Supplier
from sltdesk.services import imports
from sltdesk.services.audit import recent_audit, verify_audit
from sltdesk.services.raw_data import load_samples, load_tickets
from sltdesk.services.register import create_record
from tests.importfiles import ticket_rows, tickets_workbook, write_csv


@pytest.fixture
def contract(workspace):
    supplier = create_record(workspace, Supplier(name="Northwind Networks"))
    return create_record(workspace, Contract(
        ref="NW-1", supplier_id=supplier.id, title="WAN", start_date=date(2025, 1, 1), end_date=date(2027, 1, 1),
        currency="GBP", charges=Decimal("48000.00")))


def store(ws, contract, path, kind=RecordKind.TICKETS, **choices):
    options = imports.build_options(ws, kind=kind, contract=contract, timezone="Europe/London", **choices)
    return imports.store_import(ws, parse_file(path, options), contract=contract, options=options)


def stored_tickets(ws, contract) -> list[tuple]:
    frame = load_tickets(ws, contract.id)
    return sorted(frame[["ticket_id", "priority", "source_row", "batch_id"]].itertuples(index=False, name=None))


def test_a_batch_is_stored_with_its_provenance_and_an_audit_entry(workspace, contract, tmp_path):
    rows = ticket_rows(3)
    rows[1][4] = rows[1][2].replace(hour=1)  # resolved before opened: rejected
    path = tickets_workbook(tmp_path / "t.xlsx", rows=rows)
    report = store(workspace, contract, path)
    assert (report.rows_read, report.rows_accepted, report.rows_rejected, report.stored) == (3, 2, 1, 2)
    assert stored_tickets(workspace, contract) == [("T-0001", "P1", 5, report.batch_id),
                                                   ("T-0003", "P3", 7, report.batch_id)]
    batch = imports.list_batches(workspace)[0]
    assert (batch.file_name, batch.sha256, batch.sheet, batch.contract) == ("t.xlsx", report.sha256, "Incidents",
                                                                           "NW-1")
    assert any(f.code == "resolved-before-opened" and f.row == 6 for f in batch.findings)
    entry = recent_audit(workspace, 1)[0]
    assert (entry.action, entry.entity, entry.entity_id) == ("import", "import_batch", str(report.batch_id))
    assert entry.after["sha256"] == report.sha256 and entry.after["rows_rejected"] == 1
    assert verify_audit(workspace).ok


def test_the_same_file_twice_is_recognised_by_its_hash(workspace, contract, tmp_path):
    path = tickets_workbook(tmp_path / "t.xlsx", rows=ticket_rows(3))
    first = store(workspace, contract, path)
    with pytest.raises(imports.ImportRefused, match=f"imported already \\(batch {first.batch_id}"):
        store(workspace, contract, path)
    assert len(imports.list_batches(workspace)) == 1 and len(stored_tickets(workspace, contract)) == 3


def test_an_overlapping_export_is_deduplicated_and_changed_tickets_replace_old_ones(workspace, contract, tmp_path):
    store(workspace, contract, tickets_workbook(tmp_path / "march.xlsx", rows=ticket_rows(4)))
    later = ticket_rows(6)
    later[0][1] = "P2"  # T-0001 was re-prioritised since the first export
    report = store(workspace, contract, tickets_workbook(tmp_path / "march-again.xlsx", rows=later))
    assert (report.stored, report.skipped, report.replaced) == (3, 3, 1)
    tickets = stored_tickets(workspace, contract)
    assert [t[0] for t in tickets] == ["T-0001", "T-0002", "T-0003", "T-0004", "T-0005", "T-0006"]
    assert tickets[0][1] == "P2" and tickets[0][3] == report.batch_id


def test_an_unchanged_ticket_with_empty_fields_is_skipped_not_replaced(workspace, contract, tmp_path):
    text = ("Ticket,Priority,Category,Opened,Resolved\n"
            "T-1,P1,,2026-03-02 09:00,2026-03-02 10:00\n"
            "T-2,P2,Network,2026-03-02 09:30,\n")
    store(workspace, contract, write_csv(tmp_path / "a.csv", text))
    again = store(workspace, contract, write_csv(tmp_path / "b.csv", "Export of 3 March\n" + text))
    assert (again.stored, again.skipped, again.replaced) == (0, 2, 0)


def test_samples_are_deduplicated_by_probe_and_time(workspace, contract, tmp_path):
    header = "timestamp,probe,requests,errors,p95_ms\n"
    first = "".join(f"2026-03-01T00:{m:02d}:00Z,eu,100,0,200\n" for m in range(0, 30, 5))
    second = "".join(f"2026-03-01T00:{m:02d}:00Z,eu,100,0,200\n" for m in range(15, 45, 5))
    store(workspace, contract, write_csv(tmp_path / "a.csv", header + first), RecordKind.SAMPLES)
    report = store(workspace, contract, write_csv(tmp_path / "b.csv", header + second), RecordKind.SAMPLES)
    assert (report.stored, report.skipped) == (3, 3)
    newest = imports.list_batches(workspace)[0]
    assert (newest.id, newest.rows_accepted, newest.stored, newest.skipped) == (report.batch_id, 6, 3, 3)
    samples = load_samples(workspace, contract.id)
    assert len(samples) == 9 and samples["t"].is_monotonic_increasing and samples["requests"].sum() == 900


def test_an_overlapping_sample_with_other_figures_is_kept_as_stored_and_reported(workspace, contract, tmp_path):
    header = "timestamp,probe,requests,errors,p95_ms\n"
    first = "".join(f"2026-03-01T00:{m:02d}:00Z,eu,100,0,200\n" for m in range(0, 30, 5))
    second = "".join(f"2026-03-01T00:{m:02d}:00Z,eu,{999 if m == 20 else 100},0,200\n" for m in range(15, 45, 5))
    store(workspace, contract, write_csv(tmp_path / "a.csv", header + first), RecordKind.SAMPLES)
    report = store(workspace, contract, write_csv(tmp_path / "b.csv", header + second), RecordKind.SAMPLES)
    differ = [f for f in report.findings if f.code == "samples-differ"]
    assert (report.stored, report.skipped) == (3, 3) and len(differ) == 1
    assert differ[0].row == 3
    assert differ[0].message.startswith("1 sample already stored for the same probe and time has other figures")
    assert load_samples(workspace, contract.id)["requests"].sum() == 900  # the stored 100 was kept


def test_removing_a_batch_removes_its_rows_and_is_audited(workspace, contract, tmp_path):
    report = store(workspace, contract, tickets_workbook(tmp_path / "t.xlsx", rows=ticket_rows(3)))
    removed = imports.remove_import(workspace, report.batch_id)
    assert removed == {"tickets": 3}
    assert stored_tickets(workspace, contract) == [] and imports.list_batches(workspace) == []
    assert recent_audit(workspace, 1)[0].action == "remove-import"


def test_a_removed_batch_id_is_never_given_to_a_later_batch(workspace, contract, tmp_path):
    first = store(workspace, contract, tickets_workbook(tmp_path / "a.xlsx", rows=ticket_rows(2)))
    imports.remove_import(workspace, first.batch_id)
    second = store(workspace, contract, tickets_workbook(tmp_path / "b.xlsx", rows=ticket_rows(3)))
    assert second.batch_id > first.batch_id  # the audit trail names each batch by its own id


def test_removing_a_batch_that_a_later_overlapping_import_relied_on_says_so(workspace, contract, tmp_path):
    header = "timestamp,probe,requests,errors,p95_ms\n"
    first = "".join(f"2026-03-01T00:{m:02d}:00Z,eu,100,0,200\n" for m in range(0, 30, 5))
    second = "".join(f"2026-03-01T00:{m:02d}:00Z,eu,100,0,200\n" for m in range(15, 45, 5))
    a = store(workspace, contract, write_csv(tmp_path / "a.csv", header + first), RecordKind.SAMPLES)
    b = store(workspace, contract, write_csv(tmp_path / "b.csv", header + second), RecordKind.SAMPLES)
    batches = imports.list_batches(workspace)
    older = next(x for x in batches if x.id == a.batch_id)
    later = imports.relying_batches(batches, older)
    assert [x.id for x in later] == [b.batch_id]
    assert imports.relying_warning(later).startswith(f"Batch {b.batch_id} skipped records this batch had brought in")
    assert imports.relying_batches(batches, next(x for x in batches if x.id == b.batch_id)) == []


def test_a_failure_while_storing_leaves_nothing_behind(workspace, contract, tmp_path, monkeypatch):
    from models.raw_repository import SqlRawData

    original = SqlRawData.add_tickets

    def failing(self, *args, **kwargs):
        original(self, *args, **kwargs)
        raise OSError("disk full")

    monkeypatch.setattr(SqlRawData, "add_tickets", failing)
    with pytest.raises(OSError):
        store(workspace, contract, tickets_workbook(tmp_path / "t.xlsx", rows=ticket_rows(3)))
    monkeypatch.undo()
    assert stored_tickets(workspace, contract) == [] and imports.list_batches(workspace) == []
    assert recent_audit(workspace, 1)[0].action == "create"


def test_money_and_report_figures_are_stored_exactly(workspace, contract, tmp_path):
    text = "Credit note;CN-7\nCurrency;GBP\nPeriod;2026-03\n\nLine;Description;Amount\n1;Credit;1.234,565\n"
    report = store(workspace, contract, write_csv(tmp_path / "cn.csv", text), RecordKind.CREDIT_NOTES)
    assert report.stored == 1
    with workspace.unit_of_work() as uow:
        rows = [(r.document_id, r.period, r.amount, r.currency)
                for _id, _batch, r in uow.raw.records(RawCreditNoteLine, contract_id=contract.id)]
    assert rows == [("CN-7", "2026-03", Decimal("1234.565"), "GBP")]
    with workspace.engine.connect() as conn:  # as exact text in the database, whatever its NUMERIC would do
        assert conn.execute(select(CreditNoteLineRow.__table__.c.amount.cast(String))).scalars().all() == ["1234.565"]


def test_a_mapping_profile_is_remembered_per_supplier_and_kind(workspace, contract):
    supplier_id = contract.supplier_id
    options = {"mapping": {"opened_at": "Beginn"}, "timezone": "Europe/Berlin", "value_map": [], "sheet": None,
               "header_row": None, "dayfirst": True}
    imports.save_profile(workspace, supplier_id=supplier_id, kind=RecordKind.TICKETS, name="default", options=options)
    assert imports.load_profile(workspace, supplier_id=supplier_id, kind=RecordKind.TICKETS, name="default") == options
    assert imports.load_profile(workspace, supplier_id=supplier_id, kind=RecordKind.OUTAGES, name="default") is None


def test_period_bounds_follow_the_contract_zone():
    start, end = imports.period_bounds("2026-03", "Europe/London")
    assert datetime.utcfromtimestamp(start) == datetime(2026, 3, 1) and datetime.utcfromtimestamp(end) == datetime(
        2026, 3, 31, 23)
