"""Imported raw records: the typed storage port of sltdesk/services/raw_ports.py over the raw tables.

Records go in with SQLAlchemy Core executemany (the column types write money as exact text); tickets and
samples are written as compressed blocks here and read back as frames and arrays.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, cast

from sqlalchemy import CursorResult, LargeBinary, delete, func, insert, select
from sqlalchemy.orm import Mapped, Session

from models.repository import REPOSITORIES, write_pending_audit
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
from sltdesk.domain.raw_records import (
    BatchReach,
    BlockBytes,
    DaySamples,
    R,
    RawCreditNoteLine,
    RawMaintenanceWindow,
    RawOutage,
    RawReportLine,
    RawTicketEvent,
    SampleBlock,
    Stored,
    StoredSampleBlock,
    StoredTicketBlock,
)

if TYPE_CHECKING:  # numpy and pandas load with the first ticket or sample block, not with the workspace
    import numpy as np
    import pandas as pd


class RawRow(Protocol):
    """What the raw tables share: an id, the batch that brought the row and the contract."""

    id: ClassVar[Mapped[int]]
    batch_id: ClassVar[Mapped[Any]]  # Mapped[int], or Mapped[int | None] for maintenance windows (Mapped is invariant)
    contract_id: ClassVar[Mapped[int]]


TABLES: dict[str, type[RawRow]] = {
    "ticket_blocks": RawTicketBlockRow, "ticket_events": RawTicketEventRow, "outages": RawOutageRow,
    "sample_blocks": RawSampleBlockRow, "vendor_report": VendorReportLineRow,
    "credit_notes": CreditNoteLineRow, "maintenance": MaintenanceWindowRow,
}


ROW_TABLES: dict[type, type[RawRow]] = {
    RawTicketEvent: RawTicketEventRow, RawOutage: RawOutageRow, RawReportLine: VendorReportLineRow,
    RawCreditNoteLine: CreditNoteLineRow, RawMaintenanceWindow: MaintenanceWindowRow}
CHUNK = 500  # ids per IN (...) list


def _of_contract(row_type: Any, contract_id: int, *, by_id: bool) -> Any:
    """The condition that a row is the contract's. Where the rows are then picked by id (chunks of `id IN (...)`),
    it is written `contract_id + 0`, which no index answers: SQLite's planner otherwise answered it with the
    contract's index and, for every chunk of 500 ids, read all of the contract's rows (measuring what a later
    export superseded in a log of 300,000 events took 3.4 s of SQLite's time instead of a few hundredths)."""
    return (row_type.contract_id + 0 if by_id else row_type.contract_id) == int(contract_id)  # an int: `+ 0` drops
    # the column's type, and SQLite would no longer match a contract id given as text


class SqlRawData:
    """Import batches, their records and blocks, and remembered column mappings."""

    def __init__(self, session: Session):
        self._s = session
        self.shared: dict | None = None  # set by the unit of work within SqlWorkspace.shared_reads

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
            write_pending_audit(self._s)
            audited = self._s.scalars(select(AuditEntryRow.entity_id).where(
                AuditEntryRow.entity == "import_batch")).all()
            highest = max([int(i) for i in audited if str(i).isdigit()]
                          + [self._s.scalar(select(func.max(ImportBatchRow.id))) or 0])
            values = {**values, "id": highest + 1}
        row = ImportBatchRow(**values)
        self._s.add(row)
        self._s.flush()
        return row.id

    def batches(self, *, contract_id: int | None = None) -> list[dict]:
        query = select(ImportBatchRow).order_by(ImportBatchRow.id.desc())
        if contract_id is not None:
            query = query.where(ImportBatchRow.contract_id == contract_id)
        return [_batch(r) for r in self._s.scalars(query)]

    def batch(self, batch_id: int) -> dict | None:
        row = self._s.get(ImportBatchRow, batch_id)
        return None if row is None else _batch(row)

    # records kept one per row

    def records(self, kind: type[R], *, contract_id: int, batch_id: int | None = None,
                ids: Sequence[int] | None = None) -> list[Stored[R]]:
        row_type = ROW_TABLES[kind]
        names = kind._fields
        query = select(row_type.id, row_type.batch_id, *(getattr(row_type, n) for n in names)).where(
            _of_contract(row_type, contract_id, by_id=ids is not None))
        if batch_id is not None:
            query = query.where(row_type.batch_id == batch_id)
        make = kind._make
        if ids is None:
            return [Stored(r[0], r[1], make(r[2:])) for r in self._rows(query)]
        ids = list(ids)
        return [Stored(r[0], r[1], make(r[2:])) for at in range(0, len(ids), CHUNK)
                for r in self._rows(query.where(row_type.id.in_(ids[at:at + CHUNK])))]

    def record_columns(self, kind: type[R], *, contract_id: int) -> dict[str, list]:
        """`records` as columns, from the same query (so in the same order), without a tuple per record. Within
        the workspace's shared_reads, read once per contract and kind (the lists are shared: do not change them)."""
        return dict(self._read_once(("record_columns", kind.__name__, contract_id),
                                    lambda: self._record_columns(kind, contract_id=contract_id)))

    def _read_once(self, key: tuple, read: Any) -> Any:
        """`read()`; within the workspace's shared_reads, its first result under `key`, kept for the reads after."""
        if self.shared is None:
            return read()
        if key not in self.shared:
            self.shared[key] = read()
        return self.shared[key]

    def _record_columns(self, kind: type[R], *, contract_id: int) -> dict[str, list]:
        row_type = ROW_TABLES[kind]
        names = kind._fields
        query = select(row_type.id, row_type.batch_id, *(getattr(row_type, n) for n in names)).where(
            row_type.contract_id == contract_id)
        rows = self._rows(query)
        columns = list(zip(*rows, strict=True))[2:] if rows else [() for _ in names]
        return {name: list(values) for name, values in zip(names, columns, strict=True)}

    def add_records(self, kind: type[R], records: Sequence[R], *, batch_id: int, contract_id: int) -> None:
        """Core executemany in the session's transaction (the column types encode money and flags)."""
        fields: tuple[str, ...] = kind._fields
        names = ("batch_id", "contract_id", *fields)
        head = (int(batch_id), int(contract_id))
        self._insert_rows(ROW_TABLES[kind], names, [head + tuple(r) for r in records])

    def delete_records(self, kind: type[R], ids: Iterable[int]) -> None:
        self._delete(ROW_TABLES[kind], ids)

    def ticket_event_ids(self, *, contract_id: int, ticket_ids: Sequence[str]) -> list[int]:
        event = RawTicketEventRow
        query = select(event.id).where(event.contract_id == contract_id)
        ticket_ids = list(ticket_ids)
        return [i for at in range(0, len(ticket_ids), CHUNK)
                for i in self._s.scalars(query.where(event.ticket_id.in_(ticket_ids[at:at + CHUNK])))]

    # tickets in month blocks

    def ticket_blocks(self, *, contract_id: int, months: Sequence[int] | None = None) -> list[StoredTicketBlock]:
        """The contract's ticket blocks (of these months), decoded; within the workspace's shared_reads, decoded
        once per contract and months, each caller getting its own copy of the frames."""
        if self.shared is None:
            return self._ticket_blocks(contract_id=contract_id, months=months)
        blocks = self._read_once(("ticket_blocks", contract_id, None if months is None else tuple(months)),
                                 lambda: self._ticket_blocks(contract_id=contract_id, months=months))
        return [b._replace(tickets=b.tickets.copy()) for b in blocks]

    def _ticket_blocks(self, *, contract_id: int, months: Sequence[int] | None = None) -> list[StoredTicketBlock]:
        block = RawTicketBlockRow
        query = select(block.id, block.batch_id, block.month, block.payload).where(block.contract_id == contract_id)
        if months is not None:
            query = query.where(block.month.in_(list(months)))
        from sltdesk.codecs import frames

        return [StoredTicketBlock(i, batch, month, frames.decode_frame(payload))
                for i, batch, month, payload in self._s.execute(query)]

    def add_tickets(self, tickets: pd.DataFrame, *, batch_id: int, contract_id: int) -> None:
        import numpy as np

        from sltdesk.codecs import frames
        from sltdesk.rules.blocks import month_keys

        month = month_keys(tickets["opened_at"].to_numpy())
        rows = []
        for key in np.unique(month):
            block = tickets[month == key].reset_index(drop=True)
            rows.append({"batch_id": int(batch_id), "contract_id": int(contract_id), "month": int(key),
                         "count": len(block), "payload": frames.encode_frame(block)})
        self._insert(RawTicketBlockRow, rows)

    def rewrite_ticket_block(self, block_id: int, tickets: pd.DataFrame) -> None:
        if not len(tickets):
            self.delete_ticket_blocks([block_id])
            return
        from sltdesk.codecs import frames

        self._update_block(RawTicketBlockRow, block_id, payload=frames.encode_frame(tickets), count=len(tickets))

    def delete_ticket_blocks(self, ids: Iterable[int]) -> None:
        self._delete(RawTicketBlockRow, ids)

    # samples in probe-day blocks

    def sample_blocks(self, *, contract_id: int, probes: Sequence[str] | None = None,
                      days: Sequence[int] | None = None) -> list[StoredSampleBlock]:
        block = RawSampleBlockRow
        query = select(block.id, block.batch_id, block.probe, block.day, block.payload).where(
            block.contract_id == contract_id)
        if probes is not None:
            query = query.where(block.probe.in_(list(probes)))
        if days is not None:
            query = query.where(block.day.in_(list(days)))
        from sltdesk.codecs import sample_blocks as samples

        return [StoredSampleBlock(i, batch, probe, day, samples.decode(payload))
                for i, batch, probe, day, payload in self._s.execute(query)]

    def add_samples(self, blocks: Sequence[SampleBlock | DaySamples], *, batch_id: int, contract_id: int) -> None:
        """Blocks the importer packed go in as they are; arrays are packed here, all in one go."""
        from sltdesk.codecs import sample_blocks as samples

        arrays = [b for b in blocks if isinstance(b, DaySamples)]
        packed = dict(zip(map(id, arrays), samples.encode_arrays([b.samples for b in arrays]), strict=True))
        names = ("batch_id", "contract_id", "probe", "day", "first_at", "last_at", "count", "payload")
        rows = []
        for b in blocks:
            if isinstance(b, DaySamples):
                t = b.samples["t"]
                b = SampleBlock(b.probe, b.day, int(t[0]), int(t[-1]), len(t), packed[id(b)])
            rows.append((int(batch_id), int(contract_id), b.probe, int(b.day), int(b.first_at), int(b.last_at),
                         int(b.count), b.payload))
        self._insert_rows(RawSampleBlockRow, names, rows)

    def samples_in(self, block: SampleBlock) -> np.ndarray:
        from sltdesk.codecs import sample_blocks as samples

        return samples.decode(block.payload)

    def rewrite_sample_block(self, block_id: int, samples_left: np.ndarray) -> None:
        if not len(samples_left):
            self.delete_sample_blocks([block_id])
            return
        from sltdesk.codecs import sample_blocks as samples

        self._update_block(RawSampleBlockRow, block_id, payload=samples.encode(samples_left),
                           count=len(samples_left), first_at=int(samples_left["t"][0]),
                           last_at=int(samples_left["t"][-1]))

    def delete_sample_blocks(self, ids: Iterable[int]) -> None:
        self._delete(RawSampleBlockRow, ids)

    # blocks as bytes, for content hashes

    def ticket_block_bytes(self, *, contract_id: int, batch_id: int | None = None,
                           ids: Sequence[int] | None = None) -> list[BlockBytes]:
        return self._block_bytes(RawTicketBlockRow, RawTicketBlockRow.month, contract_id, batch_id, ids)

    def sample_block_bytes(self, *, contract_id: int, batch_id: int | None = None,
                           ids: Sequence[int] | None = None) -> list[BlockBytes]:
        return self._block_bytes(RawSampleBlockRow, RawSampleBlockRow.probe, contract_id, batch_id, ids)

    def _block_bytes(self, row_type, key, contract_id: int, batch_id: int | None,
                     ids: Sequence[int] | None) -> list[BlockBytes]:
        query = select(row_type.batch_id, key, row_type.count, row_type.payload).where(
            _of_contract(row_type, contract_id, by_id=ids is not None))
        if batch_id is not None:
            query = query.where(row_type.batch_id == batch_id)
        if ids is None:
            return [BlockBytes(*r) for r in self._s.execute(query)]
        ids = list(ids)
        return [BlockBytes(*r) for at in range(0, len(ids), CHUNK)
                for r in self._s.execute(query.where(row_type.id.in_(ids[at:at + CHUNK])))]

    def _rows(self, query: Any) -> Sequence[Any]:
        """A query's rows; on SQLite as the driver's own tuples where the column types hand its values on unchanged
        (text and integers: a row object per record cost the demo a tenth of a second on 31,000 ticket events)."""
        dialect = self._s.get_bind().dialect
        if dialect.name != "sqlite" or not _passed_through(dialect, [c.type for c in query.selected_columns],
                                                           reading=True):
            return self._s.execute(query).all()
        if self._s.autoflush:
            self._s.flush()  # as the session's own execute would
        result = self._s.connection().execute(query)
        try:
            return result.cursor.fetchall()
        finally:
            result.close()

    def _insert_plain(self, row_type: Any, names: Sequence[str], rows: list[tuple]) -> bool:
        """Rows as tuples straight to the driver's executemany, where Core would hand them on unchanged: SQLite's
        positional parameters, no column type that converts what it writes, no default to fill in (False: not
        the case, nothing written)."""
        connection = self._s.connection()
        dialect = connection.dialect
        table = row_type.__table__
        given = set(names)
        if dialect.name != "sqlite" or dialect.paramstyle != "qmark" or not rows or any(
                c.default is not None or c.server_default is not None for c in table.c if c.name not in given):
            return False
        if not _passed_through(dialect, [table.c[n].type for n in names], reading=False):
            return False
        compiled = insert(table).compile(dialect=dialect, column_keys=list(names))
        order = [list(names).index(key) for key in compiled.positiontup or ()]
        if sorted(order) != list(range(len(names))):
            return False
        if order != list(range(len(names))):  # the table's column order, not the records'
            rows = [tuple(row[i] for i in order) for row in rows]
        connection.exec_driver_sql(str(compiled), rows)
        return True

    def _insert_rows(self, row_type: Any, names: Sequence[str], rows: list[tuple]) -> None:
        """Rows given as tuples of `names`: straight to the driver where it takes them as they are
        (`_insert_plain`), else through Core's INSERT."""
        if not self._insert_plain(row_type, names, rows):
            self._insert(row_type, [dict(zip(names, row, strict=True)) for row in rows])

    def _insert(self, row_type, rows: list[dict]) -> None:
        """Many rows in one executemany of a Core INSERT, in the session's transaction."""
        if rows:
            self._s.connection().execute(insert(row_type.__table__), rows)

    def _update_block(self, row_type, block_id: int, **values: Any) -> None:
        row = self._s.get(row_type, block_id)
        for name, value in values.items():
            setattr(row, name, value)
        self._s.flush()

    def _delete(self, row_type, ids: Iterable[int]) -> None:
        ids = list(ids)
        for start in range(0, len(ids), CHUNK):
            self._s.execute(delete(row_type).where(row_type.id.in_(ids[start:start + CHUNK])))

    def batch_reach(self, *, contract_id: int) -> list[BatchReach]:
        """Every batch holding records of the contract: its kind and content hash, how many of the contract's
        records it holds and the span of time they cover (min start, max end; None where a kind has no
        readable span in SQL: tickets are kept in compressed blocks, report lines by period label)."""
        return self.batch_reaches(contract_id=contract_id).get(contract_id, [])

    def batch_reaches(self, *, contract_id: int | None = None) -> dict[int, list[BatchReach]]:
        """`batch_reach` of every contract (or of one), in a few grouped queries: contract id -> its batches."""
        spans: dict[tuple[int, int], tuple[int, int | None, int | None]] = {}
        sizes: dict[tuple[int, int], int] = {}
        timed: list[tuple[Any, Any, Any, Any]] = [
            (RawOutageRow, RawOutageRow.start_at, RawOutageRow.end_at, func.count()),
            (MaintenanceWindowRow, MaintenanceWindowRow.start_at, MaintenanceWindowRow.end_at, func.count()),
            (RawSampleBlockRow, RawSampleBlockRow.first_at, RawSampleBlockRow.last_at,
             func.sum(RawSampleBlockRow.count)),
            (RawTicketEventRow, RawTicketEventRow.changed_at, RawTicketEventRow.changed_at, func.count())]
        untimed: list[tuple[Any, Any]] = [(RawTicketBlockRow, func.sum(RawTicketBlockRow.count)),
                                          (VendorReportLineRow, func.count()), (CreditNoteLineRow, func.count())]

        def grouped(row_type: Any, *columns: Any) -> Any:
            if contract_id is None:
                # A batch's records are one contract's: grouped by batch alone, they are read in the order of the
                # batch index, with no sort (a third of the time on a large event log); used where that holds
                rows = self._s.execute(select(func.min(row_type.contract_id), func.max(row_type.contract_id),
                                              row_type.batch_id, *columns).group_by(row_type.batch_id)).all()
                if all(lo == hi for lo, hi, *_rest in rows):
                    return [(lo, *rest) for lo, _hi, *rest in rows]
            query = select(row_type.contract_id, row_type.batch_id, *columns)
            if contract_id is not None:
                query = query.where(row_type.contract_id == contract_id)
            return self._s.execute(query.group_by(row_type.contract_id, row_type.batch_id))

        for block in (RawTicketBlockRow, RawSampleBlockRow):  # length() of a blob reads no blob content in SQLite
            for contract, batch_id, size in grouped(block, func.sum(func.length(block.payload))):
                sizes[(contract, batch_id)] = int(size or 0)
        for row_type, first, last, count in timed:
            for contract, batch_id, n, lo, hi in grouped(row_type, count, func.min(first), func.max(last)):
                if batch_id is not None:
                    spans[(contract, batch_id)] = (int(n or 0), lo, hi)
        for row_type, count in untimed:
            for contract, batch_id, n in grouped(row_type, count):
                if batch_id is not None:
                    spans[(contract, batch_id)] = (int(n or 0), None, None)
        if not spans:
            return {}
        batch = ImportBatchRow
        query = select(batch.id, batch.kind, batch.sha256, batch.imported_at)
        if contract_id is not None:
            query = query.where(batch.id.in_({b for _c, b in spans}))
        about = {i: (kind, sha, at) for i, kind, sha, at in self._s.execute(query)}
        out: dict[int, list[BatchReach]] = {}
        for (contract, batch_id), (n, lo, hi) in sorted(spans.items()):
            if batch_id in about:
                kind, sha, at = about[batch_id]
                out.setdefault(contract, []).append(BatchReach(batch_id, kind, sha, n, lo, hi, imported_at=at,
                                                               stored_bytes=sizes.get((contract, batch_id), 0)))
        return out

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
            done = cast(CursorResult[Any], self._s.execute(delete(row_type).where(row_type.batch_id == batch_id)))
            n = done.rowcount or 0
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


def _passed_through(dialect: Any, types: Sequence[Any], *, reading: bool) -> bool:
    """Whether none of these column types converts a value on its way from (or to) the driver."""
    for kind in types:
        if not reading and dialect.name == "sqlite" and isinstance(kind, LargeBinary):
            continue  # its processor only wraps bytes in sqlite3.Binary (a memoryview): the driver stores both alike
        impl = kind.dialect_impl(dialect)
        if (impl.result_processor(dialect, None) if reading else impl.bind_processor(dialect)) is not None:
            return False
    return True


def _batch(row: ImportBatchRow) -> dict:
    return {c.key: getattr(row, c.key) for c in row.__table__.columns}


REPOSITORIES["raw"] = SqlRawData
