"""Measurement rules of contract targets, and force-majeure exceptions with their evidence files."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    select,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from models.repository import REPOSITORIES, register_row_type
from models.tables import Base, Versioned
from models.types import DecimalText
from sltdesk.domain.measurement import ForceMajeure, MeasurementRule, PeriodMark


class MeasurementRuleRow(Versioned, Base):
    __tablename__ = "measurement_rule"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("contract_target.id", ondelete="RESTRICT"), unique=True)
    source: Mapped[str] = mapped_column(String(20))
    priority: Mapped[str] = mapped_column(String(10))
    stop: Mapped[str] = mapped_column(String(20))
    start: Mapped[str] = mapped_column(String(20))
    limit_minutes: Mapped[Decimal] = mapped_column(DecimalText)
    percentile: Mapped[int] = mapped_column(Integer)
    business_clock: Mapped[bool] = mapped_column(Boolean)
    pause_states: Mapped[list] = mapped_column(JSON)
    weighted_by_impact: Mapped[bool] = mapped_column(Boolean)
    error_limit_percent: Mapped[Decimal] = mapped_column(DecimalText)
    missing_data: Mapped[str] = mapped_column(String(20))
    budgeting: Mapped[str] = mapped_column(String(20))
    interval_seconds: Mapped[int] = mapped_column(Integer)
    probe: Mapped[str] = mapped_column(String(200))
    service: Mapped[str] = mapped_column(String(200))
    maintenance_notice_days: Mapped[int] = mapped_column(Integer)
    report_name: Mapped[str] = mapped_column(String(300))
    initial_states: Mapped[list] = mapped_column(JSON, default=list, server_default="[]")
    response_on: Mapped[str] = mapped_column(String(20), default="auto", server_default="auto")
    compare_places: Mapped[int | None] = mapped_column(Integer, nullable=True)
    compare_rounding: Mapped[str] = mapped_column(String(20), default="half-up", server_default="half-up")
    seasons: Mapped[str] = mapped_column(Text, default="", server_default="")
    tier_calendar: Mapped[str] = mapped_column(String(200), default="", server_default="")
    tier_threshold: Mapped[Decimal | None] = mapped_column(DecimalText, nullable=True)
    tier_pricing: Mapped[str] = mapped_column(String(20), default="each", server_default="each")


class ForceMajeureRow(Versioned, Base):
    __tablename__ = "force_majeure"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id", ondelete="RESTRICT"), index=True)
    target_id: Mapped[int | None] = mapped_column(ForeignKey("contract_target.id", ondelete="RESTRICT"),
                                                  nullable=True)
    start: Mapped[int] = mapped_column(BigInteger)
    end: Mapped[int] = mapped_column(BigInteger)
    reason: Mapped[str] = mapped_column(Text)
    requested_by: Mapped[str] = mapped_column(String(200))
    requested_at: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(20))
    decided_by: Mapped[str] = mapped_column(String(200))
    decided_at: Mapped[str] = mapped_column(String(32))
    decision_note: Mapped[str] = mapped_column(Text)


class ForceMajeureEvidenceRow(Base):
    """A file attached to an exception request, stored in the workspace (it travels with the file)."""

    __tablename__ = "force_majeure_evidence"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    exception_id: Mapped[int] = mapped_column(ForeignKey("force_majeure.id", ondelete="RESTRICT"), index=True)
    file_name: Mapped[str] = mapped_column(String(400))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    content: Mapped[bytes] = mapped_column(LargeBinary)
    added_by: Mapped[str] = mapped_column(String(200))
    added_at: Mapped[str] = mapped_column(String(32))


class SqlEvidence:
    """Evidence files of exception requests; a subclass names another evidence table and the column that points at
    what the files are evidence of (false positives: models/tables_false_positives.py)."""

    row_type: Any = ForceMajeureEvidenceRow
    owner = "exception_id"

    def __init__(self, session: Session):
        self._s = session

    def add(self, *, exception_id: int, file_name: str, sha256: str, content: bytes, added_by: str,
            added_at: str) -> int:
        row = self.row_type(**{self.owner: exception_id}, file_name=file_name, sha256=sha256, size=len(content),
                            content=content, added_by=added_by, added_at=added_at)
        self._s.add(row)
        self._s.flush()
        return row.id

    def listing(self, exception_id: int) -> list[dict]:
        table = self.row_type
        query = select(table.id, table.file_name, table.sha256, table.size).where(
            getattr(table, self.owner) == exception_id)
        return [{"id": i, "file_name": f, "sha256": h, "size": n} for i, f, h, n in self._s.execute(query)]

    def content(self, evidence_id: int) -> bytes | None:
        row = self._s.get(self.row_type, evidence_id)
        return None if row is None else row.content


class PeriodMarkRow(Base):
    __tablename__ = "period_mark"
    __table_args__ = (UniqueConstraint("contract_id", "period"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id", ondelete="RESTRICT"), index=True)
    period: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str] = mapped_column(Text)
    marked_by: Mapped[str] = mapped_column(String(200))
    marked_at: Mapped[str] = mapped_column(String(32))


register_row_type(MeasurementRule, MeasurementRuleRow)
register_row_type(PeriodMark, PeriodMarkRow)
register_row_type(ForceMajeure, ForceMajeureRow)
REPOSITORIES["evidence"] = SqlEvidence
