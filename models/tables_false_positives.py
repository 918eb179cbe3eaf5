"""False positives (outages, tickets or spans flagged as raised without a real effect) with their evidence files."""

from __future__ import annotations

from sqlalchemy import BigInteger, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.repository import REPOSITORIES, register_row_type
from models.tables import Base, Versioned
from models.tables_measurement import SqlEvidence
from sltdesk.domain.measurement import FalsePositive


class FalsePositiveRow(Versioned, Base):
    __tablename__ = "false_positive"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id", ondelete="RESTRICT"), index=True)
    target_id: Mapped[int | None] = mapped_column(ForeignKey("contract_target.id", ondelete="RESTRICT"),
                                                  nullable=True)
    subject: Mapped[str] = mapped_column(String(20))
    reference: Mapped[str] = mapped_column(String(200))
    label: Mapped[str] = mapped_column(String(200))
    start: Mapped[int] = mapped_column(BigInteger)
    end: Mapped[int] = mapped_column(BigInteger)
    probe: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(Text)
    requested_by: Mapped[str] = mapped_column(String(200))
    requested_at: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(20))
    decided_by: Mapped[str] = mapped_column(String(200))
    decided_at: Mapped[str] = mapped_column(String(32))
    decision_note: Mapped[str] = mapped_column(Text)


class FalsePositiveEvidenceRow(Base):
    """A file attached to a false-positive flag, stored in the workspace."""

    __tablename__ = "false_positive_evidence"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    flag_id: Mapped[int] = mapped_column(ForeignKey("false_positive.id", ondelete="RESTRICT"), index=True)
    file_name: Mapped[str] = mapped_column(String(400))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    content: Mapped[bytes] = mapped_column(LargeBinary)
    added_by: Mapped[str] = mapped_column(String(200))
    added_at: Mapped[str] = mapped_column(String(32))


class SqlFlagEvidence(SqlEvidence):
    """Evidence files of false-positive flags (the same port as the force-majeure evidence)."""

    row_type = FalsePositiveEvidenceRow
    owner = "flag_id"


register_row_type(FalsePositive, FalsePositiveRow)
REPOSITORIES["flag_evidence"] = SqlFlagEvidence
