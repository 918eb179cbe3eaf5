"""`audit verify --deep` and `--anchor`: records and batches changed outside the app are named, a trail cut back
past an anchor is caught, and normal use stays clean — on every backend."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

from importers.pipeline import parse_file
from sltdesk.codecs import frames as blocks
from sltdesk.domain.raw import RecordKind
from sltdesk.domain.raw_records import RawOutage
from sltdesk.domain.register import Contract, ContractTarget, Supplier
from sltdesk.services import imports
from sltdesk.services.audit_anchor import check_anchor, take_anchor
from sltdesk.services.audit_deep import deep_check
from sltdesk.services.register import create_record, delete_record, update_record
from tests.importfiles import ticket_rows, tickets_workbook, write_csv

OUTAGES = "Outage ID,Service,Start,End,Impact %\n"
SAMPLES = "timestamp,probe,requests,errors,p95_ms\n"


@pytest.fixture
def contract(workspace):
    supplier = create_record(workspace, Supplier(name="Northwind Networks"))
    return create_record(workspace, Contract(
        ref="NW-1", supplier_id=supplier.id, title="WAN", start_date=date(2025, 1, 1), end_date=date(2027, 1, 1),
        currency="GBP", charges=Decimal("48000.00")))


def store(ws, contract, path, kind=RecordKind.TICKETS, *, period=None, replace=False):
    options = imports.build_options(ws, kind=kind, contract=contract, timezone="UTC", period=period)
    return imports.store_import(ws, parse_file(path, options), contract=contract, options=options,
                                replace_period=replace)


def sql(ws, *statements, **params):
    with ws.engine.begin() as conn:
        for statement in statements:
            conn.execute(sa.text(statement), params)


def outages(rows: list[tuple[str, str]]) -> str:
    return OUTAGES + "".join(f"{i},MPLS,{a},{b},100\n" for i, (a, b) in enumerate(rows, start=1))


def test_normal_edits_imports_replacements_and_removals_leave_the_deep_check_clean(workspace, contract, tmp_path):
    update_record(workspace, Contract(**{**contract.__dict__, "charges": Decimal("50000.00")}))
    target = create_record(workspace, ContractTarget(
        contract_id=contract.id, name="Availability", metric="availability", comparison=">=",
        threshold=Decimal("99.9"), unit="%", measurement_period="month"))
    delete_record(workspace, ContractTarget, target.id)
    first = store(workspace, contract, tickets_workbook(tmp_path / "a.xlsx", rows=ticket_rows(6)))
    later = ticket_rows(8)
    later[0][1], later[2][1] = "P4", "P1"  # two tickets changed since: newer versions replace the old ones
    second = store(workspace, contract, tickets_workbook(tmp_path / "b.xlsx", rows=later))
    assert second.replaced == 2
    march = [(f"2026-03-{d:02d} 10:00", f"2026-03-{d:02d} 11:00") for d in (2, 9, 16, 23)]
    store(workspace, contract, write_csv(tmp_path / "o1.csv", outages(march)), RecordKind.OUTAGES)
    replacing = store(workspace, contract, write_csv(tmp_path / "o2.csv", outages(march[:2])), RecordKind.OUTAGES,
                      period="2026-03", replace=True)
    assert replacing.superseded == 4
    header_rows = "".join(f"2026-03-01T{h:02d}:00:00Z,eu,100,0,200\n" for h in range(24))
    store(workspace, contract, write_csv(tmp_path / "s1.csv", SAMPLES + header_rows), RecordKind.SAMPLES)
    half = "".join(f"2026-03-01T{h:02d}:00:00Z,eu,100,1,200\n" for h in range(12))
    samples = store(workspace, contract, write_csv(tmp_path / "s2.csv", SAMPLES + half), RecordKind.SAMPLES,
                    replace=True)  # covers the first half of the day: the stored day block is rewritten
    assert samples.superseded == 12
    with workspace.unit_of_work() as uow:
        removed = [(e.after["file"], e.after.get("content_removed")) for e in uow.audit.entries_of("import_batch",
                                                                                                    "import")]
    assert [(f, [(r["batch"], r["records"]) for r in parts or ()]) for f, parts in removed] == [
        ("a.xlsx", []), ("b.xlsx", [(first.batch_id, 2)]), ("o1.csv", []), ("o2.csv", [(first.batch_id + 2, 4)]),
        ("s1.csv", []), ("s2.csv", [(first.batch_id + 4, 12)])]
    assert deep_check(workspace).problems == ()
    imports.remove_import(workspace, first.batch_id)

    report = deep_check(workspace)
    assert report.problems == () and report.notes == ()
    assert report.batches == 5 and report.records == 2  # the supplier and the contract (the target was deleted)


def test_a_contract_edited_directly_in_the_database_is_named(workspace, contract):
    update_record(workspace, Contract(**{**contract.__dict__, "charges": Decimal("50000.00")}))
    sql(workspace, "UPDATE contract SET charges = '5000.00' WHERE id = :id", id=contract.id)
    report = deep_check(workspace)
    assert report.problems == (
        f"Contract {contract.id} (NW-1): charges is '5000.00' in the database but '50000.00' in audit entry 3 "
        f"({_day(workspace, 3)}): it was changed outside the app",)


def test_records_added_or_deleted_outside_the_app_are_named(workspace, contract):
    other = create_record(workspace, Supplier(name="Stratus Hosting"))
    sql(workspace, "DELETE FROM supplier WHERE id = :id", id=other.id)
    sql(workspace, "INSERT INTO supplier (id, name, category, criticality, notes) "
                   "VALUES (99, 'Ghost', 'other', 'medium', '')")
    problems = deep_check(workspace).problems
    assert problems == (f"Supplier {other.id}: is in audit entry 3 (create) but not in the database: it was "
                        "deleted outside the app",
                        "Supplier 99 (Ghost): is stored but has no audit entry: it was added outside the app")


def test_a_ticket_block_changed_directly_names_its_batch(workspace, contract, tmp_path):
    report = store(workspace, contract, tickets_workbook(tmp_path / "a.xlsx", rows=ticket_rows(5)))
    with workspace.engine.begin() as conn:
        block_id, payload = conn.execute(sa.text("SELECT id, payload FROM raw_ticket_block")).one()
        frame = blocks.decode_frame(payload)
        frame.loc[2, "priority"] = "P4"  # a P3 made milder: it would change the computed credits
        conn.execute(sa.text("UPDATE raw_ticket_block SET payload = :p WHERE id = :id"),
                     {"p": blocks.encode_frame(frame), "id": block_id})
    assert deep_check(workspace).problems == (
        f"Batch {report.batch_id} (a.xlsx, tickets) does not match the content hash recorded at import: a record's "
        "content differs; its records were changed outside the app",)


def test_rows_deleted_or_batches_removed_directly_are_named(workspace, contract, tmp_path):
    march = [(f"2026-03-{d:02d} 10:00", f"2026-03-{d:02d} 11:00") for d in (2, 9, 16)]
    kept = store(workspace, contract, write_csv(tmp_path / "o.csv", outages(march)), RecordKind.OUTAGES)
    gone = store(workspace, contract, write_csv(tmp_path / "n.csv", "Line;Amount\n1;12,50\n"),
                 RecordKind.CREDIT_NOTES)
    sql(workspace, "DELETE FROM raw_outage WHERE source_row = 3",
        "DELETE FROM credit_note_line", "DELETE FROM import_batch WHERE id = :gone", gone=gone.batch_id)
    assert deep_check(workspace).problems == (
        f"Batch {kept.batch_id} (o.csv, outages) does not match the content hash recorded at import: it holds 2 "
        "records where 3 are expected; its records were changed outside the app",
        f"Batch {gone.batch_id} (n.csv) is imported by audit entry {_seq_of(workspace, gone.batch_id)} but not in "
        "the database, and no audit entry removed it: it was deleted outside the app")


def test_batches_hashed_at_the_upgrade_say_so_and_are_still_checked(workspace, contract, tmp_path):
    from alembic import command

    from models.workspace import alembic_config
    from sltdesk.services.audit import append_audit

    with workspace.unit_of_work() as uow:  # a batch imported before hashes were recorded: none in its entry
        batch_id = uow.raw.add_batch({"kind": "outages", "contract_id": contract.id, "file_name": "old.csv",
                                      "sha256": "0" * 64, "sheet": "", "mapping_json": "{}", "options_json": "{}",
                                      "imported_at": "2026-01-05T09:00:00Z", "imported_by": "alice", "rows_read": 2,
                                      "rows_accepted": 2, "rows_rejected": 0, "findings_json": "[]"})
        uow.raw.add_records(RawOutage, [RawOutage("O-1", None, 1767600000, 1767603600, 100.0, False, None, 2),
                                        RawOutage("O-2", None, 1767700000, 1767703600, None, None, None, 3)],
                            batch_id=batch_id, contract_id=contract.id)
        append_audit(workspace, uow, action="import", entity="import_batch", entity_id=batch_id, before=None,
                     after={"kind": "outages", "file": "old.csv", "stored": 2})
        uow.commit()
    with workspace.engine.begin() as conn:  # back to the revision before, and up again: i0004 hashes the batch
        config = alembic_config()
        config.attributes["connection"] = conn
        command.downgrade(config, "i0003")
        command.upgrade(config, "heads")
    report = deep_check(workspace)
    hashed, records = _upgraded_on(workspace, batch_id)
    assert records == 2
    assert report.problems == () and report.notes == (
        f"Batch {batch_id} (old.csv, outages): hash recorded at upgrade on {hashed}, not at import",)
    sql(workspace, "UPDATE raw_outage SET impact_percent = 50 WHERE outage_id = 'O-1'")
    assert deep_check(workspace).problems == (
        f"Batch {batch_id} (old.csv, outages) does not match the content hash recorded at upgrade on {hashed}: a "
        "record's content differs; its records were changed outside the app",)


def _upgraded_on(ws, batch_id: int) -> tuple[str, int]:
    with ws.engine.connect() as conn:
        at, records = conn.execute(sa.text("SELECT content_hashed_at, content_records FROM import_batch "
                                           "WHERE id = :id"), {"id": batch_id}).one()
    return at[:10], records


def test_an_anchor_catches_the_newest_entries_deleted_with_the_recorded_head(workspace, contract):
    anchor = take_anchor(workspace)
    assert (anchor.entries, check_anchor(workspace, anchor)) == (2, "")
    create_record(workspace, Supplier(name="Later"))
    assert check_anchor(workspace, anchor) == ""  # the trail grew past the anchor: fine
    with workspace.unit_of_work() as uow:
        first = next(uow.audit.entries())
    sql(workspace, "DELETE FROM audit_entry WHERE seq >= 2",
        "UPDATE workspace_info SET value = '1' WHERE key = 'audit_count'",
        "UPDATE workspace_info SET value = :h WHERE key = 'audit_head'", h=first.hash)
    from sltdesk.services.audit import verify_audit

    assert verify_audit(workspace).ok  # the chain alone cannot tell
    assert check_anchor(workspace, anchor) == (f"the trail has 1 entries, fewer than the 2 anchored on "
                                               f"{anchor.at_utc[:10]}: entries were removed")


def _day(ws, seq: int) -> str:
    with ws.unit_of_work() as uow:
        return next(e for e in uow.audit.entries() if e.seq == seq).at_utc[:10]


def _seq_of(ws, batch_id: int) -> int:
    with ws.unit_of_work() as uow:
        return next(e.seq for e in uow.audit.entries() if e.entity_id == str(batch_id) and e.action == "import")


def test_the_cli_anchor_file_round_trip_and_deep_json(tmp_path, capsys):
    from models.workspace import open_workspace
    from sltdesk.cli import main

    path = str(tmp_path / "w.sltdesk")
    ws = open_workspace(path, create=True, user="alice")
    create_record(ws, Supplier(name="Northwind Networks"))
    ws.close()
    anchor_file = tmp_path / "anchor.txt"
    assert main(["audit", "anchor", "-w", path, "--out", str(anchor_file)]) == 0
    printed = capsys.readouterr().out
    text = anchor_file.read_text(encoding="utf-8")
    assert printed.startswith(text) and text.splitlines()[0] == "SLT Desk audit anchor"
    assert main(["audit", "verify", "-w", path, "--anchor", str(anchor_file), "--deep", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["ok"] and result["anchor"]["ok"] and result["deep"] == {
        "ok": True, "records": 1, "batches": 0, "problems": [], "notes": []}
    assert text.splitlines()[2:4] == ["Entries:   1", f"Head:      {result['head']}"]
    head = text.split("Head:")[1].split()[0]
    assert main(["audit", "verify", "-w", path, "--anchor", "f" * 64]) == 1
    assert "no entry of the trail has the anchored head ffffffffffffffff…" in capsys.readouterr().out
    assert main(["audit", "verify", "-w", path, "--anchor", head]) == 0
