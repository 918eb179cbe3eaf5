"""Imported raw vendor data: batches with provenance, and the records of each kind.

Times are UTC epoch seconds (BigInteger): exact, zone-free and the same on every database.
Tickets (per contract-month) and samples (per probe-day) are stored as compressed columnar blocks
(sltdesk/codecs: frames, sample_blocks): 200,000 tickets or a million samples go in within a second,
and the measurement reads them back as arrays. Every record keeps its source row inside the block.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import BigInteger, Boolean, Float, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.tables import Base
from models.types import DecimalText


class ImportBatchRow(Base):
    __tablename__ = "import_batch"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    contract_id: Mapped[int | None] = mapped_column(ForeignKey("contract.id", ondelete="RESTRICT"), index=True,
                                                    nullable=True)
    file_name: Mapped[str] = mapped_column(String(400))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    sheet: Mapped[str] = mapped_column(String(200))
    header_row: Mapped[int | None] = mapped_column(Integer, nullable=True)
    mapping_json: Mapped[str] = mapped_column(Text)
    options_json: Mapped[str] = mapped_column(Text)
    imported_at: Mapped[str] = mapped_column(String(32))
    imported_by: Mapped[str] = mapped_column(String(200))
    rows_read: Mapped[int] = mapped_column(Integer)
    rows_accepted: Mapped[int] = mapped_column(Integer)
    rows_rejected: Mapped[int] = mapped_column(Integer)
    findings_json: Mapped[str] = mapped_column(Text)
    # the stretch of time the batch covers (UTC epoch seconds) and how that was decided; None: not data over time
    covers_start: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    covers_end: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    covers_how: Mapped[str] = mapped_column(String(300), default="", server_default="")
    # a period or span, read in each target's zone
    covers_label: Mapped[str] = mapped_column(String(40), default="", server_default="")
    # the content hash of batches stored before hashes were recorded at import, computed at the upgrade (i0004);
    # batches imported since carry theirs in their audit entry (sltdesk/rules/content_hash.py)
    content_sum: Mapped[str | None] = mapped_column(String(64), nullable=True)
    content_records: Mapped[int | None] = mapped_column(Integer, nullable=True)
    content_hashed_at: Mapped[str | None] = mapped_column(String(32), nullable=True)


class RawTicketBlockRow(Base):
    """A contract's tickets opened in one UTC month (yyyymm), as one compressed columnar block."""

    __tablename__ = "raw_ticket_block"
    __table_args__ = (Index("ix_raw_ticket_block_contract_month", "contract_id", "month"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batch.id", ondelete="CASCADE"), index=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id", ondelete="RESTRICT"))
    month: Mapped[int] = mapped_column(Integer)
    count: Mapped[int] = mapped_column(Integer)
    payload: Mapped[bytes] = mapped_column(LargeBinary)


class RawTicketEventRow(Base):
    __tablename__ = "raw_ticket_event"
    __table_args__ = (Index("ix_raw_ticket_event_contract_ticket", "contract_id", "ticket_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batch.id", ondelete="CASCADE"), index=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id", ondelete="RESTRICT"))
    ticket_id: Mapped[str] = mapped_column(String(100))
    state: Mapped[str] = mapped_column(String(100))
    changed_at: Mapped[int] = mapped_column(BigInteger)
    source_row: Mapped[int] = mapped_column(Integer)
    assignee: Mapped[str | None] = mapped_column(String(200), nullable=True)  # who the update assigned it to


class RawOutageRow(Base):
    __tablename__ = "raw_outage"
    __table_args__ = (Index("ix_raw_outage_contract_start", "contract_id", "start_at"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batch.id", ondelete="CASCADE"), index=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id", ondelete="RESTRICT"))
    outage_id: Mapped[str | None] = mapped_column(String(100), nullable=True)
    service: Mapped[str | None] = mapped_column(String(200), nullable=True)
    start_at: Mapped[int] = mapped_column(BigInteger)
    end_at: Mapped[int] = mapped_column(BigInteger)
    impact_percent: Mapped[float | None] = mapped_column(Float, nullable=True)
    planned: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    source_row: Mapped[int] = mapped_column(Integer)


class RawSampleBlockRow(Base):
    """One probe's samples of one UTC day: arrays (time, requests, errors, ok, latency, row) compressed."""

    __tablename__ = "raw_sample_block"
    __table_args__ = (Index("ix_raw_sample_block_contract_probe_day", "contract_id", "probe", "day"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batch.id", ondelete="CASCADE"), index=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id", ondelete="RESTRICT"))
    probe: Mapped[str] = mapped_column(String(200))
    day: Mapped[int] = mapped_column(Integer)  # days since 1970-01-01 (UTC)
    first_at: Mapped[int] = mapped_column(BigInteger)
    last_at: Mapped[int] = mapped_column(BigInteger)
    count: Mapped[int] = mapped_column(Integer)
    payload: Mapped[bytes] = mapped_column(LargeBinary)


class VendorReportLineRow(Base):
    __tablename__ = "vendor_report_line"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batch.id", ondelete="CASCADE"), index=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id", ondelete="RESTRICT"), index=True)
    target_name: Mapped[str] = mapped_column(String(300))
    period: Mapped[str | None] = mapped_column(String(10), nullable=True)
    target_value: Mapped[Decimal | None] = mapped_column(DecimalText, nullable=True)
    achieved: Mapped[Decimal] = mapped_column(DecimalText)
    met: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    source_row: Mapped[int] = mapped_column(Integer)


class CreditNoteLineRow(Base):
    __tablename__ = "credit_note_line"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batch.id", ondelete="CASCADE"), index=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id", ondelete="RESTRICT"), index=True)
    document_id: Mapped[str | None] = mapped_column(String(100), nullable=True)
    period: Mapped[str | None] = mapped_column(String(10), nullable=True)
    line: Mapped[str | None] = mapped_column(String(40), nullable=True)
    description: Mapped[str | None] = mapped_column(Text, nullable=True)
    amount: Mapped[Decimal] = mapped_column(DecimalText)
    currency: Mapped[str | None] = mapped_column(String(3), nullable=True)
    source_row: Mapped[int] = mapped_column(Integer)


class MaintenanceWindowRow(Base):
    __tablename__ = "maintenance_window"
    __table_args__ = (Index("ix_maintenance_window_contract_start", "contract_id", "start_at"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id", ondelete="CASCADE"), index=True,
                                                 nullable=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id", ondelete="RESTRICT"))
    start_at: Mapped[int] = mapped_column(BigInteger)
    end_at: Mapped[int] = mapped_column(BigInteger)
    service: Mapped[str | None] = mapped_column(String(300), nullable=True)
    reference: Mapped[str | None] = mapped_column(String(300), nullable=True)
    notified_at: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    source_row: Mapped[int | None] = mapped_column(Integer, nullable=True)


class ImportProfileRow(Base):
    """A remembered column mapping per supplier and kind of file."""

    __tablename__ = "import_profile"
    __table_args__ = (Index("ix_import_profile_supplier_kind_name", "supplier_id", "kind", "name", unique=True),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    supplier_id: Mapped[int | None] = mapped_column(ForeignKey("supplier.id", ondelete="RESTRICT"), nullable=True)
    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    options_json: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[str] = mapped_column(String(32))
