"""The workspace schema (SQLAlchemy 2.x declarative). Change it only through an Alembic revision."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import JSON, Date, ForeignKey, Integer, MetaData, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from models.types import DecimalText

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Versioned:
    """A record edited in place: each stored change raises its version, and a change made from an older version
    is refused (optimistic locking; SqlRecords.update compares and raises in one UPDATE)."""

    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")


class WorkspaceInfo(Base):
    """Key/value facts about the workspace: application marker, creation, audit head."""

    __tablename__ = "workspace_info"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class BusinessUnitRow(Versioned, Base):
    __tablename__ = "business_unit"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")


class ServiceRow(Versioned, Base):
    __tablename__ = "service"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    business_unit_id: Mapped[int] = mapped_column(ForeignKey("business_unit.id", ondelete="RESTRICT"), index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    owner: Mapped[str] = mapped_column(String(200), default="")


class SupplierRow(Versioned, Base):
    __tablename__ = "supplier"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    category: Mapped[str] = mapped_column(String(40))
    criticality: Mapped[str] = mapped_column(String(20))
    notes: Mapped[str] = mapped_column(Text, default="")


class SupplierContactRow(Versioned, Base):
    __tablename__ = "supplier_contact"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("supplier.id", ondelete="RESTRICT"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(60), default="")


class ServiceCalendarRow(Versioned, Base):
    __tablename__ = "service_calendar"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    timezone: Mapped[str] = mapped_column(String(64))
    hours: Mapped[list] = mapped_column(JSON)
    holiday_country: Mapped[str] = mapped_column(String(8), default="")
    holiday_subdivision: Mapped[str] = mapped_column(String(16), default="")
    closure_days: Mapped[list] = mapped_column(JSON)


class ContractRow(Versioned, Base):
    __tablename__ = "contract"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ref: Mapped[str] = mapped_column(String(60), unique=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("supplier.id", ondelete="RESTRICT"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    currency: Mapped[str] = mapped_column(String(3))
    charges: Mapped[Decimal] = mapped_column(DecimalText)
    charges_period: Mapped[str] = mapped_column(String(10))
    renewal_type: Mapped[str] = mapped_column(String(10))
    notice_days: Mapped[int] = mapped_column(Integer)
    owner: Mapped[str] = mapped_column(String(200), default="")
    rounding: Mapped[str] = mapped_column(String(10))


class ContractTargetRow(Versioned, Base):
    __tablename__ = "contract_target"
    __table_args__ = (UniqueConstraint("contract_id", "name"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id", ondelete="RESTRICT"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    metric: Mapped[str] = mapped_column(String(40))
    threshold: Mapped[Decimal] = mapped_column(DecimalText)
    comparison: Mapped[str] = mapped_column(String(2))
    unit: Mapped[str] = mapped_column(String(10))
    measurement_period: Mapped[str] = mapped_column(String(10))
    calendar_id: Mapped[int | None] = mapped_column(
        ForeignKey("service_calendar.id", ondelete="RESTRICT"), nullable=True, index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    review_by: Mapped[date | None] = mapped_column(Date, nullable=True)  # revision n31001
    reviewed_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    expected_volume: Mapped[Decimal | None] = mapped_column(DecimalText, nullable=True)
    volume_margin: Mapped[Decimal | None] = mapped_column(DecimalText, nullable=True)


class ContingencyPlanRow(Versioned, Base):
    __tablename__ = "contingency_plan"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("supplier.id", ondelete="RESTRICT"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    trigger: Mapped[str] = mapped_column(Text, default="")
    failover_procedure: Mapped[str] = mapped_column(Text, default="")
    manual_workaround: Mapped[str] = mapped_column(Text, default="")
    owner: Mapped[str] = mapped_column(String(200), default="")
    last_tested: Mapped[date | None] = mapped_column(Date, nullable=True)
    test_interval_days: Mapped[int] = mapped_column(Integer)


class AuditEntryRow(Base):
    """One link of the hash chain; `seq` and the hashes are unique so the chain cannot fork."""

    __tablename__ = "audit_entry"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at_utc: Mapped[str] = mapped_column(String(32))
    os_user: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(40), index=True)
    entity: Mapped[str] = mapped_column(String(60), index=True)
    entity_id: Mapped[str] = mapped_column(String(200))
    before_json: Mapped[str | None] = mapped_column(Text, nullable=True)
    after_json: Mapped[str | None] = mapped_column(Text, nullable=True)
    app_version: Mapped[str] = mapped_column(String(40))
    prev_hash: Mapped[str] = mapped_column(String(64), unique=True)
    hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The database user who inserted the entry: stamped by a trigger on a team database (not part of the hash,
    # which the app computes before the insert); None in a workspace file.
    db_user: Mapped[str | None] = mapped_column(String(200), nullable=True, default=None)
