"""Tables of end-to-end targets, escalation levels, chain components and component mappings.

Every column equals a field of the record in sltdesk.domain.mapping, so the generic `uow.records`
stores them (register_row_type below). Revision m0001 creates these tables.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models import repository
from models.tables import Base, Versioned
from models.types import DecimalText
from sltdesk.domain import mapping


class EndToEndTargetRow(Versioned, Base):
    __tablename__ = "end_to_end_target"
    __table_args__ = (UniqueConstraint("service_id", "name"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("service.id", ondelete="RESTRICT"), index=True)
    business_unit_id: Mapped[int] = mapped_column(ForeignKey("business_unit.id", ondelete="RESTRICT"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    metric: Mapped[str] = mapped_column(String(40))
    threshold: Mapped[Decimal] = mapped_column(DecimalText)
    comparison: Mapped[str] = mapped_column(String(2))
    unit: Mapped[str] = mapped_column(String(10))
    measurement_period: Mapped[str] = mapped_column(String(10))
    calendar_id: Mapped[int | None] = mapped_column(
        ForeignKey("service_calendar.id", ondelete="RESTRICT"), nullable=True, index=True)
    tier: Mapped[str] = mapped_column(String(100), default="")
    kind: Mapped[str] = mapped_column(String(40))
    composition: Mapped[str] = mapped_column(String(40))
    weights_rationale: Mapped[str] = mapped_column(Text, default="")
    product_line: Mapped[str] = mapped_column(String(200), default="")
    data_owner: Mapped[str] = mapped_column(String(200), default="")
    source_system: Mapped[str] = mapped_column(String(200), default="")
    expected_volume: Mapped[Decimal | None] = mapped_column(DecimalText, nullable=True)
    volume_unit: Mapped[str] = mapped_column(String(100), default="")
    third_party_dependencies: Mapped[list] = mapped_column(JSON)
    assumptions: Mapped[str] = mapped_column(Text, default="")
    description: Mapped[str] = mapped_column(Text, default="")


class EscalationLevelRow(Versioned, Base):
    __tablename__ = "escalation_level"
    __table_args__ = (UniqueConstraint("target_id", "level"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("end_to_end_target.id", ondelete="RESTRICT"), index=True)
    level: Mapped[int] = mapped_column(Integer)
    role: Mapped[str] = mapped_column(String(200))
    person: Mapped[str] = mapped_column(String(200), default="")
    decision_authority: Mapped[str] = mapped_column(Text, default="")
    channel: Mapped[str] = mapped_column(String(200), default="")
    minutes_to_escalate: Mapped[int] = mapped_column(Integer)
    remediation_steps: Mapped[list] = mapped_column(JSON)


class ComponentRow(Versioned, Base):
    __tablename__ = "chain_component"
    __table_args__ = (UniqueConstraint("target_id", "name"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("end_to_end_target.id", ondelete="RESTRICT"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    stage: Mapped[int] = mapped_column(Integer)
    weight: Mapped[Decimal] = mapped_column(DecimalText)
    description: Mapped[str] = mapped_column(Text, default="")


class ComponentMappingRow(Versioned, Base):
    __tablename__ = "component_mapping"
    __table_args__ = (UniqueConstraint("component_id", "contract_target_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    component_id: Mapped[int] = mapped_column(ForeignKey("chain_component.id", ondelete="RESTRICT"), index=True)
    contract_target_id: Mapped[int] = mapped_column(
        ForeignKey("contract_target.id", ondelete="RESTRICT"), index=True)
    note: Mapped[str] = mapped_column(Text, default="")


repository.register_row_type(mapping.EndToEndTarget, EndToEndTargetRow)
repository.register_row_type(mapping.EscalationLevel, EscalationLevelRow)
repository.register_row_type(mapping.Component, ComponentRow)
repository.register_row_type(mapping.ComponentMapping, ComponentMappingRow)
# How "cannot be deleted while … refer to it" names these tables.
repository._PLURALS.update({"end_to_end_target": "end-to-end targets", "escalation_level": "escalation levels",
                            "chain_component": "chain components", "component_mapping": "component mappings"})
