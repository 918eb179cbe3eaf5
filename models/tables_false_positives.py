"""False positives (outages, tickets or spans flagged as raised without a real effect) with their evidence files."""

from __future__ import annotations

from sqlalchemy import BigInteger, ForeignKey, Integer, LargeBinary, String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from models.repository import REPOSITORIES, register_row_type
from models.tables import Base, Versioned
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


class SqlFlagEvidence:
    """Evidence files of false-positive flags (the same port as the force-majeure evidence)."""

    def __init__(self, session: Session):
        self._s = session

    def add(self, *, exception_id: int, file_name: str, sha256: str, content: bytes, added_by: str,
            added_at: str) -> int:
        row = FalsePositiveEvidenceRow(flag_id=exception_id, file_name=file_name, sha256=sha256, size=len(content),
                                       content=content, added_by=added_by, added_at=added_at)
        self._s.add(row)
        self._s.flush()
        return row.id

    def listing(self, exception_id: int) -> list[dict]:
        table = FalsePositiveEvidenceRow
        query = select(table.id, table.file_name, table.sha256, table.size).where(table.flag_id == exception_id)
        return [{"id": i, "file_name": f, "sha256": h, "size": n} for i, f, h, n in self._s.execute(query)]

    def content(self, evidence_id: int) -> bytes | None:
        row = self._s.get(FalsePositiveEvidenceRow, evidence_id)
        return None if row is None else row.content


register_row_type(FalsePositive, FalsePositiveRow)
REPOSITORIES["flag_evidence"] = SqlFlagEvidence
