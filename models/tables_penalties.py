"""Service-credit clauses per contract and target (as data), and the claim status of each period's credit.

Both tables equal their records in sltdesk.domain.penalties column for column, so the generic
`uow.records` stores them (register_row_type below). Revision p0001 creates them.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models import repository
from models.tables import Base, Versioned
from models.types import DecimalText
from sltdesk.domain import penalties, reconciliation


class CreditClauseRow(Versioned, Base):
    __tablename__ = "credit_clause"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id", ondelete="RESTRICT"), index=True)
    target_id: Mapped[int | None] = mapped_column(ForeignKey("contract_target.id", ondelete="RESTRICT"),
                                                  nullable=True, index=True)
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(40))
    parameters: Mapped[dict] = mapped_column(JSON)
    source: Mapped[str] = mapped_column(Text, default="")


class CreditClaimRow(Versioned, Base):
    __tablename__ = "credit_claim"
    __table_args__ = (UniqueConstraint("contract_id", "period"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id", ondelete="RESTRICT"), index=True)
    period: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(20))
    claimed_amount: Mapped[Decimal | None] = mapped_column(DecimalText, nullable=True)
    currency: Mapped[str] = mapped_column(String(3), default="")
    rounding: Mapped[str] = mapped_column(String(10), default="")
    computed: Mapped[dict] = mapped_column(JSON)
    claimed_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    issued_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    disputed_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    settled_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    expired_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")


repository.register_row_type(penalties.ClauseRecord, CreditClauseRow)
repository.register_row_type(reconciliation.CreditClaim, CreditClaimRow)
# How "cannot be deleted while … refer to it" names these tables.
repository._PLURALS.update({"credit_clause": "credit clauses", "credit_claim": "credit claims"})
