"""The same storage tests on SQLite and (with SLTDESK_TEST_DATABASE_URL) on PostgreSQL."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from models.tables import Base
from models.workspace import _upgrade, head_revisions, open_workspace
from sltdesk.domain.register import Contract, ContractTarget, MetricKind, Supplier
from sltdesk.errors import InUseError, ValidationError
from sltdesk.services.audit import audit_head, recent_audit, verify_audit
from sltdesk.services.register import create_record, delete_record, list_records, restore_record, update_record


def _supplier_and_contract(ws, charges=Decimal("48000.00")):
    supplier = create_record(ws, Supplier(name="Northwind Networks"))
    contract = create_record(ws, Contract(
        ref="NW-2025-014", supplier_id=supplier.id, title="Managed WAN", start_date=date(2025, 1, 1),
        end_date=date(2027, 12, 31), currency="GBP", charges=charges))
    return supplier, contract


def test_a_new_workspace_is_at_head(workspace):
    assert set(workspace.schema_revision().split("+")) == head_revisions()
    with workspace.engine.connect() as conn:
        assert set(MigrationContext.configure(conn).get_current_heads()) == head_revisions()


def _migrated_from_empty(target: str) -> sa.Engine:
    """An empty database taken to head by every migration in turn (what an old workspace goes through)."""
    engine = sa.create_engine(target if "://" in target else f"sqlite:///{target}")
    _upgrade(engine)
    return engine


def test_the_migrations_from_empty_give_the_tables_of_the_models_exactly(db_target):
    engine = _migrated_from_empty(db_target)
    try:
        with engine.connect() as conn:
            differences = compare_metadata(MigrationContext.configure(conn), Base.metadata)
            revisions = MigrationContext.configure(conn).get_current_heads()
    finally:
        engine.dispose()
    assert differences == []
    assert set(revisions) == head_revisions()


def _schema(engine: sa.Engine) -> dict[str, dict]:
    """Everything the database says about each table: columns (type, nullability, default), keys, indexes,
    unique and check constraints."""
    found = sa.inspect(engine)
    tables = {}
    for name in found.get_table_names():
        foreign = found.get_foreign_keys(name)
        tables[name] = {
            # by name: a column a migration added stands last in its table (ALTER TABLE ADD COLUMN appends it),
            # where the model may declare it earlier; nothing reads columns by position
            "columns": sorted((c["name"], str(c["type"]), c["nullable"], c.get("default"), c.get("autoincrement"))
                              for c in found.get_columns(name)),
            "primary key": (found.get_pk_constraint(name)["constrained_columns"],
                            found.get_pk_constraint(name).get("name")),
            "foreign keys": sorted((f.get("name") or "", tuple(f["constrained_columns"]), f["referred_table"],
                                    tuple(f["referred_columns"]), tuple(sorted(f.get("options", {}).items())))
                                   for f in foreign),
            "indexes": sorted((i["name"], tuple(i["column_names"]), bool(i["unique"]),
                               tuple(sorted((k, str(v)) for k, v in i.get("dialect_options", {}).items())))
                              for i in found.get_indexes(name)),
            "unique": sorted((u.get("name") or "", tuple(u["column_names"]))
                             for u in found.get_unique_constraints(name)),
            "checks": sorted(" ".join(c["sqltext"].split()) for c in found.get_check_constraints(name)),
        }
    tables["(views)"] = {"names": sorted(found.get_view_names())}
    if engine.dialect.name == "sqlite":  # what the inspector does not say (AUTOINCREMENT, WITHOUT ROWID, triggers)
        with engine.connect() as conn:
            tables["(sqlite)"] = {"objects": sorted(
                (kind, name, _without_columns(sql or "")) for kind, name, sql in conn.exec_driver_sql(
                    "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"))}
    else:
        with engine.connect() as conn:
            tables["(postgresql)"] = {"triggers": sorted(conn.exec_driver_sql(
                "SELECT event_object_table, trigger_name FROM information_schema.triggers "
                "WHERE trigger_schema = current_schema()").all()), "sequences": sorted(found.get_sequence_names())}
    return tables


def _without_columns(sql: str) -> tuple[str, ...]:
    """A CREATE statement's words outside its column list's order: its clauses, each sorted as a set (a column a
    migration added stands last; the batch copies of SQLite write quotes and spaces their own way)."""
    words = sql.replace('"', "").replace("(", " ( ").replace(")", " ) ").replace(",", " , ").split()
    return tuple(sorted(w.upper() for w in words if w not in (",", "(", ")")))


def test_a_new_workspace_has_the_very_tables_the_migrations_from_empty_give(db_target, second_db_target):
    # A new workspace is made from the models and stamped at head, not migrated (see _create_at_head): it must
    # hold what a workspace migrated from empty holds, down to the defaults, indexes and constraints.
    new = open_workspace(db_target, create=True, user="alice")
    migrated = _migrated_from_empty(second_db_target)
    try:
        made, walked = _schema(new.engine), _schema(migrated)
    finally:
        new.close()
        migrated.dispose()
    assert "workspace_info" in made and len(made) > 40
    assert sorted(made) == sorted(walked)
    for table in made:
        assert made[table] == walked[table], table


def test_money_round_trips_exactly_through_the_database(workspace):
    _, contract = _supplier_and_contract(workspace, charges=Decimal("12345678901234.565"))
    stored = list_records(workspace, Contract)[0]
    assert stored.charges == Decimal("12345678901234.565")
    assert str(stored.charges) == "12345678901234.565"
    with workspace.engine.connect() as conn:
        raw = conn.execute(sa.text("SELECT charges FROM contract")).scalar_one()
    assert raw == "12345678901234.565"  # stored as exact text, never via float


def test_every_change_writes_one_audit_entry_with_before_and_after(workspace):
    _, contract = _supplier_and_contract(workspace)
    update_record(workspace, dataclasses.replace(contract, title="Managed WAN and internet"))
    entries = recent_audit(workspace, 10)
    assert [(e.seq, e.action, e.entity) for e in entries] == [
        (3, "update", "contract"), (2, "create", "contract"), (1, "create", "supplier")]
    assert entries[0].before["title"] == "Managed WAN" and entries[0].after["title"] == "Managed WAN and internet"
    assert entries[0].after["charges"] == "48000.00"
    assert entries[0].os_user == "alice" and entries[0].at_utc.endswith("Z")
    report = verify_audit(workspace)
    assert report.ok and report.entries == 3 and report.head == audit_head(workspace).head


def test_an_unchanged_save_writes_no_audit_entry(workspace):
    _, contract = _supplier_and_contract(workspace)
    update_record(workspace, contract)
    assert audit_head(workspace).entries == 2


def test_a_duplicate_contract_reference_is_refused_on_its_field(workspace):
    supplier, contract = _supplier_and_contract(workspace)
    with pytest.raises(ValidationError) as error:
        create_record(workspace, dataclasses.replace(contract, title="Again"))
    assert error.value.fields == {"ref": "Another contract already has this reference."}
    assert len(list_records(workspace, Contract)) == 1


def test_a_supplier_with_contracts_cannot_be_deleted(workspace):
    supplier, _ = _supplier_and_contract(workspace)
    with pytest.raises(InUseError, match="1 contracts refer to it"):
        delete_record(workspace, Supplier, supplier.id)
    assert audit_head(workspace).entries == 2


def test_a_deleted_record_is_restored_under_its_old_id(workspace):
    supplier, contract = _supplier_and_contract(workspace)
    target = create_record(workspace, ContractTarget(
        contract_id=contract.id, name="SL1 Availability", metric=MetricKind.AVAILABILITY, threshold=Decimal("99.95")))
    deleted = delete_record(workspace, ContractTarget, target.id)
    assert list_records(workspace, ContractTarget) == []
    restore_record(workspace, deleted)
    assert list_records(workspace, ContractTarget) == [target]
    assert [e.action for e in recent_audit(workspace, 2)] == ["restore", "delete"]


def test_reopening_a_workspace_at_head_changes_nothing(db_target):
    ws = open_workspace(db_target, create=True)
    _supplier_and_contract(ws)
    head = audit_head(ws)
    ws.close()
    again = open_workspace(db_target)
    assert again.backup_path is None
    assert audit_head(again) == head and verify_audit(again).ok
    again.close()


@pytest.mark.parametrize("tamper, seq", [
    ("UPDATE audit_entry SET after_json = replace(after_json, 'Managed WAN', 'Cheap WAN') WHERE seq = 2", 2),
    ("DELETE FROM audit_entry WHERE seq = 2", 3),
    ("UPDATE audit_entry SET seq = seq + 100 WHERE seq IN (2, 3); "
     "UPDATE audit_entry SET seq = 5 - (seq - 100) WHERE seq > 100", 2),
    ("DELETE FROM audit_entry WHERE seq = 3", 3),  # the newest entry: caught by the recorded count
])
def test_tampering_with_the_stored_trail_is_detected_and_named(workspace, tamper, seq):
    supplier, contract = _supplier_and_contract(workspace)
    update_record(workspace, dataclasses.replace(contract, title="Managed WAN v2"))
    with workspace.engine.begin() as conn:
        for statement in tamper.split("; "):
            conn.execute(sa.text(statement))
    report = verify_audit(workspace)
    assert not report.ok
    assert report.first_bad_seq == seq
