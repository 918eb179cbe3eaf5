"""Bulk storage of imported raw records (driver-level executemany: 200,000 rows in well under a second)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from models.repository import REPOSITORIES
from models.tables import AuditEntryRow
from models.tables_raw import (
    CreditNoteLineRow,
    ImportBatchRow,
    ImportProfileRow,
    MaintenanceWindowRow,
    RawOutageRow,
    RawSampleBlockRow,
    RawTicketBlockRow,
    RawTicketEventRow,
    VendorReportLineRow,
)

TABLES = {
    "ticket_blocks": RawTicketBlockRow, "ticket_events": RawTicketEventRow, "outages": RawOutageRow,
    "sample_blocks": RawSampleBlockRow, "vendor_report": VendorReportLineRow,
    "credit_notes": CreditNoteLineRow, "maintenance": MaintenanceWindowRow,
}


class SqlRawData:
    """Batches and their rows; `insert_rows` takes plain tuples in column order."""

    def __init__(self, session: Session):
        self._s = session

    def batch_with_hash(self, *, kind: str, contract_id: int | None, sha256: str) -> dict | None:
        contract = ImportBatchRow.contract_id
        row = self._s.scalars(select(ImportBatchRow).where(
            ImportBatchRow.kind == kind, ImportBatchRow.sha256 == sha256,
            contract.is_(None) if contract_id is None else contract == contract_id).limit(1)).first()
        return None if row is None else _batch(row)

    def add_batch(self, values: dict[str, Any]) -> int:
        if self._s.get_bind().dialect.name == "sqlite":
            # SQLite hands out the highest id + 1 again after the newest batch was removed; the audit trail
            # must never name two batches by one id, so the next id also passes every id it has seen.
            audited = self._s.scalars(select(AuditEntryRow.entity_id).where(
                AuditEntryRow.entity == "import_batch")).all()
            highest = max([int(i) for i in audited if str(i).isdigit()]
                          + [self._s.scalar(select(func.max(ImportBatchRow.id))) or 0])
            values = {**values, "id": highest + 1}
        row = ImportBatchRow(**values)
        self._s.add(row)
        self._s.flush()
        return row.id

    def batches(self) -> list[dict]:
        return [_batch(r) for r in self._s.scalars(select(ImportBatchRow).order_by(ImportBatchRow.id.desc()))]

    def batch(self, batch_id: int) -> dict | None:
        row = self._s.get(ImportBatchRow, batch_id)
        return None if row is None else _batch(row)

    def insert_rows(self, table: str, columns: Sequence[str], rows: list[tuple], *, batch_id: int,
                    contract_id: int) -> None:
        """Driver-level executemany in the session's transaction; batch and contract are bound as constants."""
        if not rows:
            return
        connection = self._s.connection()
        mark = "?" if connection.dialect.paramstyle == "qmark" else "%s"
        name = TABLES[table].__tablename__
        names = ", ".join(("batch_id", "contract_id", *columns))
        marks = ", ".join([str(int(batch_id)), str(int(contract_id))] + [mark] * len(columns))
        connection.exec_driver_sql(f"INSERT INTO {name} ({names}) VALUES ({marks})", rows)  # noqa: S608

    def select(self, table: str, columns: Sequence[str], *, contract_id: int, **equals: Any) -> list[tuple]:
        row_type = TABLES[table]
        query = select(*(getattr(row_type, c) for c in columns)).where(row_type.contract_id == contract_id)
        for name, value in equals.items():
            column = getattr(row_type, name)
            query = query.where(column.in_(value) if isinstance(value, list | tuple | set) else column == value)
        return [tuple(r) for r in self._s.execute(query)]

    def update_block(self, table: str, block_id: int, *, payload: bytes, count: int, **values: Any) -> None:
        """A block that lost records: its new payload and count (and, for samples, first_at and last_at)."""
        row = self._s.get(TABLES[table], block_id)
        row.payload, row.count = payload, count
        for name, value in values.items():
            setattr(row, name, value)
        self._s.flush()

    def delete_ids(self, table: str, ids: Iterable[int]) -> None:
        row_type = TABLES[table]
        ids = list(ids)
        for start in range(0, len(ids), 500):
            self._s.execute(delete(row_type).where(row_type.id.in_(ids[start:start + 500])))

    def count(self, table: str, **equals: Any) -> int:
        row_type = TABLES[table]
        query = select(func.count()).select_from(row_type)
        for name, value in equals.items():
            query = query.where(getattr(row_type, name) == value)
        return self._s.scalar(query) or 0

    def record_counts(self) -> dict[str, int]:
        """How many records of each kind the workspace holds (records inside blocks counted one by one)."""
        counts: dict[str, int] = {}
        for table, row_type in TABLES.items():
            if hasattr(row_type, "count"):
                n = self._s.scalar(select(func.sum(row_type.count))) or 0
            else:
                n = self._s.scalar(select(func.count()).select_from(row_type)) or 0
            counts[table.replace("ticket_blocks", "tickets").replace("sample_blocks", "samples")] = int(n)
        return counts

    def remove_batch(self, batch_id: int) -> dict[str, int]:
        """Delete a batch and every row it brought; returns the counts removed."""
        removed: dict[str, int] = {}
        for table, row_type in TABLES.items():
            records = None
            if hasattr(row_type, "count"):  # a block table: count the records inside the blocks
                records = self._s.scalar(select(func.sum(row_type.count)).where(row_type.batch_id == batch_id))
            n = self._s.execute(delete(row_type).where(row_type.batch_id == batch_id)).rowcount or 0
            if n:
                name = table.replace("ticket_blocks", "tickets").replace("sample_blocks", "samples")
                removed[name] = int(records or n)
        self._s.execute(delete(ImportBatchRow).where(ImportBatchRow.id == batch_id))
        return removed

    def _profile_row(self, supplier_id: int | None, kind: str, name: str) -> ImportProfileRow | None:
        supplier = ImportProfileRow.supplier_id
        return self._s.scalars(select(ImportProfileRow).where(
            ImportProfileRow.kind == kind, ImportProfileRow.name == name,
            supplier.is_(None) if supplier_id is None else supplier == supplier_id)).first()

    def profile(self, *, supplier_id: int | None, kind: str, name: str) -> dict | None:
        row = self._profile_row(supplier_id, kind, name)
        return None if row is None else {"id": row.id, "name": row.name, "kind": row.kind,
                                         "supplier_id": row.supplier_id, "options": json.loads(row.options_json)}

    def profiles(self, *, supplier_id: int | None = None, kind: str | None = None) -> list[dict]:
        query = select(ImportProfileRow).order_by(ImportProfileRow.name)
        if supplier_id is not None:
            query = query.where(ImportProfileRow.supplier_id == supplier_id)
        if kind is not None:
            query = query.where(ImportProfileRow.kind == kind)
        return [{"id": r.id, "name": r.name, "kind": r.kind, "supplier_id": r.supplier_id,
                 "options": json.loads(r.options_json)} for r in self._s.scalars(query)]

    def save_profile(self, *, supplier_id: int | None, kind: str, name: str, options: dict, at: str) -> None:
        existing = self._profile_row(supplier_id, kind, name)
        text = json.dumps(options, sort_keys=True)
        if existing is None:
            self._s.add(ImportProfileRow(supplier_id=supplier_id, kind=kind, name=name, options_json=text,
                                         updated_at=at))
        else:
            existing.options_json, existing.updated_at = text, at
        self._s.flush()


def _batch(row: ImportBatchRow) -> dict:
    return {c.key: getattr(row, c.key) for c in row.__table__.columns}


REPOSITORIES["raw"] = SqlRawData
